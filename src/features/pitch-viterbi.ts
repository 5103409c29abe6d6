/**
 * Streaming Viterbi pitch smoother (recipe 5.3.3; openSMILE `cPitchSmootherViterbi` with `bufferLength=30 wTvv=10
 * wTvvd=5 wTvuv=10 wThr=4 wTuu=0 wLocal=2 wRange=1`, reproducing its effective behaviour).
 *
 * States: K pitch candidates plus one unvoiced state. Path cost = Σ local(state) + Σ transition(prev → cur):
 *   local(voiced i)  = wLocal·(−ln clip(v_i, 0.01, 1) + (v_i < θ ? wThr : 0)) + wRange·g(f_i)
 *   local(unvoiced)  = wLocal·wThr if some v_i ≥ θ, else 0
 *   voiced → voiced  = 999 if either f is 0, else wTvv·|r| + wTvvd·|r − lastChange| with r = ln(f_i/f_j), lastChange ← r
 *   voiced ↔ unvoiced = wTvuv, lastChange ← 0;   unvoiced → unvoiced = wTuu
 * g(f) = 2 (f ≤ 0), 1 − f/100 (< 100), 0 (≤ 350), (f − 350)/250 (< 600), 1.2 otherwise. lastChange is ONE variable
 * (starting at 1) updated in evaluation order (current state i outer, previous state j inner), as in the reference;
 * its effective wTvvd is wTvv (the configured 5 is overwritten) and its effective wTuu is 1.
 *
 * Decoding: a frame is decided as soon as all survivor paths agree on it, or forced from the best current path when
 * more than `bufferLength` frames are undecided; `flush()` decides the rest at end of input. The chosen state gives
 * F0 (0 when unvoiced) and the voicing of that candidate (candidate 0's voicing when unvoiced).
 * @see pitch-shs.ts
 * @see pitch-branch.ts
 */
import { EmostreamError } from '../errors.ts';

export interface PitchViterbiOptions {
  /** Candidates per frame K (states = K + 1). Default 6. */
  readonly candidates: number;
  /** Maximum number of undecided frames before the oldest is forced from the best path. Default 30. */
  readonly bufferLength: number;
  /** Voicing threshold θ (the SHS `voicingCutoff`). Default 0.7. */
  readonly voicingThreshold: number;
  /** Weight of the local (voicing) cost, wLocal. Default 2. */
  readonly localWeight: number;
  /** Penalty added below the voicing threshold, wThr. Default 4. */
  readonly thresholdWeight: number;
  /** Weight of the pitch-range cost g(f), wRange. Default 1. */
  readonly rangeWeight: number;
  /** Weight of |ln(f_i/f_j)| for voiced→voiced, wTvv. Default 10. */
  readonly voicedWeight: number;
  /** Weight of the change in log-pitch slope, wTvvd. Default 10 (the reference's effective value). */
  readonly voicedDeltaWeight: number;
  /** Cost of a voiced↔unvoiced transition, wTvuv. Default 10. */
  readonly voicingChangeCost: number;
  /** Cost of unvoiced→unvoiced, wTuu. Default 1 (the reference's effective value). */
  readonly unvoicedCost: number;
}

export const DEFAULT_PITCH_VITERBI_OPTIONS: PitchViterbiOptions = Object.freeze({
  candidates: 6,
  bufferLength: 30,
  voicingThreshold: 0.7,
  localWeight: 2,
  thresholdWeight: 4,
  rangeWeight: 1,
  voicedWeight: 10,
  voicedDeltaWeight: 10,
  voicingChangeCost: 10,
  unvoicedCost: 1,
});

/** Receives one decided frame: its index since the start of the stream, F0 in Hz (0 = unvoiced) and its voicing. */
export type PitchFrameSink = (frameIndex: number, f0Hz: number, voicing: number) => void;

export interface PitchViterbi {
  /** Appends one frame's K candidates (copied); decides every frame that can be decided. */
  push(frequencies: ArrayLike<number>, voicings: ArrayLike<number>): void;
  /** End of input: decides all remaining frames from the best path; the next push starts a new trellis. */
  flush(): void;
  /** Hands every decided, not yet handed-out frame to `onFrame`, in order. */
  drain(onFrame: PitchFrameSink): void;
  /** Frames pushed so far. */
  readonly pushedFrames: number;
  /** Frames decided so far (a prefix of the pushed frames). */
  readonly decidedFrames: number;
  /** Frames handed out by `drain` so far. */
  readonly drainedFrames: number;
  /** A copy of the trellis (the frames not yet handed out, costs, counters), e.g. to hand a stream over. */
  snapshot(): PitchViterbiSnapshot;
  /** Replaces the state with `s` (from a smoother with the same candidate count); before or instead of any push. */
  restore(s: PitchViterbiSnapshot): void;
}

/**
 * The state of a PitchViterbi. Frame arrays hold the frames drained … pushed − 1 in order: `frequencies` and
 * `voicings` K per frame, `back` K + 1 per frame, `chosen` one per frame.
 */
export interface PitchViterbiSnapshot {
  readonly candidates: number;
  readonly pushed: number;
  readonly decided: number;
  readonly drained: number;
  readonly segmentStart: number;
  readonly slope: number;
  readonly cost: Float64Array;
  readonly frequencies: Float64Array;
  readonly voicings: Float64Array;
  readonly back: Int8Array;
  readonly chosen: Int8Array;
}

/** Pitch-range cost g(f) of the reference smoother. */
export function pitchRangeCost(f: number): number {
  if (f <= 0) return 2;
  if (f < 100) return 1 - f / 100;
  if (f <= 350) return 0;
  if (f < 600) return (f - 350) / 250;
  return 1.2;
}

/** Costs are shifted down by their minimum once it exceeds this, so hours of streaming keep full precision. */
const RENORMALISE_ABOVE = 1e6;

/**
 * Creates a streaming Viterbi pitch smoother (recipe 5.3.3). Memory: a ring of frames grows (doubling) only when the
 * caller leaves more frames undrained than it holds; with regular draining nothing is allocated per frame.
 */
export function createPitchViterbi(options: Partial<PitchViterbiOptions> = {}): PitchViterbi {
  const o = { ...DEFAULT_PITCH_VITERBI_OPTIONS, ...options };
  if (!Number.isInteger(o.candidates) || o.candidates < 1 || o.candidates > 30) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `candidates must be an integer in 1 … 30, got ${o.candidates}`);
  }
  if (!Number.isInteger(o.bufferLength) || o.bufferLength < 1) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `bufferLength must be an integer ≥ 1, got ${o.bufferLength}`);
  }
  const K = o.candidates;
  const S = K + 1;
  const U = K; // the unvoiced state
  const ALL = (1 << S) - 1;

  let cap = 64;
  while (cap < 2 * (o.bufferLength + 2)) cap *= 2;
  let freq = new Float64Array(cap * K);
  let voic = new Float64Array(cap * K);
  let back = new Int8Array(cap * S); // best previous state per (frame, state)
  let chosen = new Int8Array(cap);
  const cost = new Float64Array(S);
  const next = new Float64Array(S);
  const local = new Float64Array(S);

  let pushed = 0;
  let decided = 0;
  let drained = 0;
  let segmentStart = 0; // first frame of the current trellis
  // lastChange lives in a typed array: a captured mutable double would be re-boxed on every write.
  const slope = new Float64Array([1]);

  function grow(): void {
    const bigger = cap * 2;
    const f2 = new Float64Array(bigger * K);
    const v2 = new Float64Array(bigger * K);
    const b2 = new Int8Array(bigger * S);
    const c2 = new Int8Array(bigger);
    for (let t = drained; t < pushed; t++) {
      const a = t & (cap - 1);
      const b = t & (bigger - 1);
      f2.set(freq.subarray(a * K, a * K + K), b * K);
      v2.set(voic.subarray(a * K, a * K + K), b * K);
      b2.set(back.subarray(a * S, a * S + S), b * S);
      c2[b] = chosen[a];
    }
    cap = bigger;
    freq = f2;
    voic = v2;
    back = b2;
    chosen = c2;
  }

  /** Assigns states to frames `from` … `to` by tracing back from `state` at frame `to`. */
  function traceBack(state: number, to: number, from: number): void {
    for (let t = to; t >= from; t--) {
      chosen[t & (cap - 1)] = state;
      if (t > from) state = back[(t & (cap - 1)) * S + state];
    }
  }

  function bestState(): number {
    let b = 0;
    for (let i = 1; i < S; i++) if (cost[i] < cost[b]) b = i;
    return b;
  }

  function localCosts(base: number): void {
    let anyVoiced = false;
    for (let i = 0; i < K; i++) {
      const v = voic[base + i];
      if (v >= o.voicingThreshold) anyVoiced = true;
      const clipped = v < 0.01 ? 0.01 : v > 1 ? 1 : v;
      const penalty = v < o.voicingThreshold ? o.thresholdWeight : 0;
      local[i] = o.localWeight * (-Math.log(clipped) + penalty) + o.rangeWeight * pitchRangeCost(freq[base + i]);
    }
    local[U] = anyVoiced ? o.localWeight * o.thresholdWeight : 0;
  }

  function step(t: number): void {
    const slot = t & (cap - 1);
    const cur = slot * K;
    localCosts(cur);
    if (t === segmentStart) {
      for (let i = 0; i < S; i++) cost[i] = local[i];
      return;
    }
    const prev = ((t - 1) & (cap - 1)) * K;
    for (let i = 0; i < S; i++) {
      let best = Infinity;
      let bestJ = 0;
      for (let j = 0; j < S; j++) {
        let c: number;
        if (i < U && j < U) {
          const fc = freq[cur + i];
          const fp = freq[prev + j];
          if (fc === 0 || fp === 0) c = 999;
          else {
            const r = Math.log(fc / fp);
            c = o.voicedWeight * Math.abs(r) + o.voicedDeltaWeight * Math.abs(r - slope[0]);
            slope[0] = r;
          }
        } else if (i < U || j < U) {
          slope[0] = 0;
          c = o.voicingChangeCost;
        } else c = o.unvoicedCost;
        c += cost[j];
        if (c < best) {
          best = c;
          bestJ = j;
        }
      }
      next[i] = best + local[i];
      back[slot * S + i] = bestJ;
    }
    let min = Infinity;
    for (let i = 0; i < S; i++) if (next[i] < min) min = next[i];
    const shift = min > RENORMALISE_ABOVE ? min : 0;
    for (let i = 0; i < S; i++) cost[i] = next[i] - shift;
  }

  /** Decides the longest prefix on which all survivor paths agree, then forces one frame if too many are pending. */
  function decide(t: number): void {
    let mask = ALL;
    for (let tau = t; tau > decided && tau > segmentStart; tau--) {
      const row = (tau & (cap - 1)) * S;
      let prevMask = 0;
      for (let i = 0; i < S; i++) if (mask & (1 << i)) prevMask |= 1 << back[row + i];
      mask = prevMask;
      if ((mask & (mask - 1)) === 0) {
        traceBack(31 - Math.clz32(mask), tau - 1, decided);
        decided = tau;
        break;
      }
    }
    if (t + 1 - decided > o.bufferLength) {
      traceBack(bestState(), t, decided);
      decided++;
    }
  }

  return {
    push(frequencies, voicings) {
      if (pushed - drained >= cap) grow();
      const base = (pushed & (cap - 1)) * K;
      for (let i = 0; i < K; i++) {
        freq[base + i] = frequencies[i];
        voic[base + i] = voicings[i];
      }
      const t = pushed++;
      step(t);
      decide(t);
    },
    flush() {
      if (pushed > decided) traceBack(bestState(), pushed - 1, decided);
      decided = pushed;
      segmentStart = pushed;
      slope[0] = 1;
    },
    drain(onFrame) {
      while (drained < decided) {
        const slot = drained & (cap - 1);
        const s = chosen[slot];
        const f0 = s < U ? freq[slot * K + s] : 0;
        const v = voic[slot * K + (s < U ? s : 0)];
        onFrame(drained++, f0, v);
      }
    },
    get pushedFrames() {
      return pushed;
    },
    get decidedFrames() {
      return decided;
    },
    get drainedFrames() {
      return drained;
    },
    snapshot() {
      const n = pushed - drained;
      const out = { frequencies: new Float64Array(n * K), voicings: new Float64Array(n * K), back: new Int8Array(n * S), chosen: new Int8Array(n) };
      for (let k = 0; k < n; k++) {
        const a = (drained + k) & (cap - 1);
        out.frequencies.set(freq.subarray(a * K, a * K + K), k * K);
        out.voicings.set(voic.subarray(a * K, a * K + K), k * K);
        out.back.set(back.subarray(a * S, a * S + S), k * S);
        out.chosen[k] = chosen[a];
      }
      return { candidates: K, pushed, decided, drained, segmentStart, slope: slope[0], cost: cost.slice(), ...out };
    },
    restore(snap) {
      if (snap.candidates !== K || snap.cost.length !== S) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `pitch smoother state for ${snap.candidates} candidates, expected ${K}`);
      const n = snap.pushed - snap.drained;
      pushed = snap.drained;
      drained = snap.drained;
      while (n > cap) grow();
      for (let k = 0; k < n; k++) {
        const a = (snap.drained + k) & (cap - 1);
        freq.set(snap.frequencies.subarray(k * K, k * K + K), a * K);
        voic.set(snap.voicings.subarray(k * K, k * K + K), a * K);
        back.set(snap.back.subarray(k * S, k * S + S), a * S);
        chosen[a] = snap.chosen[k];
      }
      pushed = snap.pushed;
      decided = snap.decided;
      segmentStart = snap.segmentStart;
      slope[0] = snap.slope;
      cost.set(snap.cost);
    },
  };
}
