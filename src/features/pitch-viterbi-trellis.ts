/**
 * The trellis of the streaming Viterbi pitch smoother (pitch-viterbi.ts, recipe 5.3.3): a ring of frames (K
 * candidate frequencies and voicings, the best previous state per state, the chosen state), the running path costs
 * and the decoding steps, as named functions on an explicit `ViterbiTrellis`. The cost model and the decoding rule
 * are documented in pitch-viterbi.ts. Nothing is allocated per frame; the ring only grows (doubling) when the
 * caller leaves more frames undrained than it holds.
 * @see pitch-viterbi.ts
 */
import { EmostreamError } from '../errors.ts';
import type { PitchFrameSink, PitchViterbiOptions, PitchViterbiSnapshot } from './pitch-viterbi.ts';

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
/** Cost of a voiced → voiced transition where either frequency is 0. */
const ZERO_FREQUENCY_COST = 999;

/** The smoother's state: options, ring buffers (frame t at slot t & (cap − 1)), path costs and frame counters. */
export interface ViterbiTrellis {
  readonly o: PitchViterbiOptions;
  /** Candidates per frame. */
  readonly K: number;
  /** States per frame (K + 1). */
  readonly S: number;
  /** The unvoiced state (K). */
  readonly U: number;
  /** Bit mask of all S states. */
  readonly ALL: number;
  /** Ring capacity in frames (a power of two). */
  cap: number;
  freq: Float64Array;
  voic: Float64Array;
  /** Best previous state per (frame, state). */
  back: Int8Array;
  chosen: Int8Array;
  readonly cost: Float64Array;
  readonly next: Float64Array;
  readonly local: Float64Array;
  pushed: number;
  decided: number;
  drained: number;
  /** First frame of the current trellis. */
  segmentStart: number;
  /** lastChange, in a typed array: a mutable double field would be re-boxed on every write. */
  readonly slope: Float64Array;
}

/** A trellis for validated options (K = options.candidates). */
export function createViterbiTrellis(o: PitchViterbiOptions): ViterbiTrellis {
  const K = o.candidates;
  const S = K + 1;
  let cap = 64;
  while (cap < 2 * (o.bufferLength + 2)) cap *= 2;
  return {
    o, K, S, U: K, ALL: (1 << S) - 1,
    cap,
    freq: new Float64Array(cap * K),
    voic: new Float64Array(cap * K),
    back: new Int8Array(cap * S),
    chosen: new Int8Array(cap),
    cost: new Float64Array(S),
    next: new Float64Array(S),
    local: new Float64Array(S),
    pushed: 0,
    decided: 0,
    drained: 0,
    segmentStart: 0,
    slope: new Float64Array([1]),
  };
}

/** Doubles the ring, keeping the frames not yet drained. */
function growTrellis(tr: ViterbiTrellis): void {
  const { K, S, cap } = tr;
  const bigger = cap * 2;
  const f2 = new Float64Array(bigger * K);
  const v2 = new Float64Array(bigger * K);
  const b2 = new Int8Array(bigger * S);
  const c2 = new Int8Array(bigger);
  for (let t = tr.drained; t < tr.pushed; t++) {
    const a = t & (cap - 1);
    const b = t & (bigger - 1);
    f2.set(tr.freq.subarray(a * K, a * K + K), b * K);
    v2.set(tr.voic.subarray(a * K, a * K + K), b * K);
    b2.set(tr.back.subarray(a * S, a * S + S), b * S);
    c2[b] = tr.chosen[a];
  }
  tr.cap = bigger;
  tr.freq = f2;
  tr.voic = v2;
  tr.back = b2;
  tr.chosen = c2;
}

/** Assigns states to frames `from` … `to` by tracing back from `state` at frame `to`. */
function traceBack(tr: ViterbiTrellis, state: number, to: number, from: number): void {
  const { chosen, back, cap, S } = tr;
  for (let t = to; t >= from; t--) {
    chosen[t & (cap - 1)] = state;
    if (t > from) state = back[(t & (cap - 1)) * S + state];
  }
}

/** The state of lowest current path cost (the first of equal ones). */
function bestState(tr: ViterbiTrellis): number {
  const { cost, S } = tr;
  let b = 0;
  for (let i = 1; i < S; i++) if (cost[i] < cost[b]) b = i;
  return b;
}

/** Local cost of every state of the frame whose candidates start at `base`, into `tr.local`. */
function localCosts(tr: ViterbiTrellis, base: number): void {
  const { o, K, U, voic, freq, local } = tr;
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

/**
 * Transition cost from state j of the frame at `prev` to state i of the frame at `cur`; updates lastChange
 * (`tr.slope[0]`) as the reference does, so calls must come in its order (i outer, j inner).
 */
function transitionCost(tr: ViterbiTrellis, cur: number, prev: number, i: number, j: number): number {
  const { o, U, freq, slope } = tr;
  if (i < U && j < U) {
    const fc = freq[cur + i];
    const fp = freq[prev + j];
    if (fc === 0 || fp === 0) return ZERO_FREQUENCY_COST;
    const r = Math.log(fc / fp);
    const c = o.voicedWeight * Math.abs(r) + o.voicedDeltaWeight * Math.abs(r - slope[0]);
    slope[0] = r;
    return c;
  }
  if (i < U || j < U) {
    slope[0] = 0;
    return o.voicingChangeCost;
  }
  return o.unvoicedCost;
}

/** Advances the path costs to frame t and records its back pointers. */
function stepTrellis(tr: ViterbiTrellis, t: number): void {
  const { K, S, cap, cost, next, local, back } = tr;
  const slot = t & (cap - 1);
  const cur = slot * K;
  localCosts(tr, cur);
  if (t === tr.segmentStart) {
    for (let i = 0; i < S; i++) cost[i] = local[i];
    return;
  }
  const prev = ((t - 1) & (cap - 1)) * K;
  for (let i = 0; i < S; i++) {
    let best = Infinity;
    let bestJ = 0;
    for (let j = 0; j < S; j++) {
      const c = transitionCost(tr, cur, prev, i, j) + cost[j];
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
function decideFrames(tr: ViterbiTrellis, t: number): void {
  const { S, back, cap } = tr;
  let mask = tr.ALL;
  for (let tau = t; tau > tr.decided && tau > tr.segmentStart; tau--) {
    const row = (tau & (cap - 1)) * S;
    let prevMask = 0;
    for (let i = 0; i < S; i++) if (mask & (1 << i)) prevMask |= 1 << back[row + i];
    mask = prevMask;
    if ((mask & (mask - 1)) === 0) {
      traceBack(tr, 31 - Math.clz32(mask), tau - 1, tr.decided);
      tr.decided = tau;
      break;
    }
  }
  if (t + 1 - tr.decided > tr.o.bufferLength) {
    traceBack(tr, bestState(tr), t, tr.decided);
    tr.decided++;
  }
}

/** `PitchViterbi.push`: appends one frame's K candidates (copied) and decides what can be decided. */
export function pushFrame(tr: ViterbiTrellis, frequencies: ArrayLike<number>, voicings: ArrayLike<number>): void {
  if (tr.pushed - tr.drained >= tr.cap) growTrellis(tr);
  const { K, freq, voic } = tr;
  const base = (tr.pushed & (tr.cap - 1)) * K;
  for (let i = 0; i < K; i++) {
    freq[base + i] = frequencies[i];
    voic[base + i] = voicings[i];
  }
  const t = tr.pushed++;
  stepTrellis(tr, t);
  decideFrames(tr, t);
}

/** `PitchViterbi.flush`: decides every pushed frame from the best path and starts a new trellis. */
export function flushTrellis(tr: ViterbiTrellis): void {
  if (tr.pushed > tr.decided) traceBack(tr, bestState(tr), tr.pushed - 1, tr.decided);
  tr.decided = tr.pushed;
  tr.segmentStart = tr.pushed;
  tr.slope[0] = 1;
}

/** `PitchViterbi.drain`: hands every decided, not yet drained frame to `onFrame`, in order. */
export function drainFrames(tr: ViterbiTrellis, onFrame: PitchFrameSink): void {
  const { K, U } = tr;
  while (tr.drained < tr.decided) {
    const slot = tr.drained & (tr.cap - 1);
    const s = tr.chosen[slot];
    const f0 = s < U ? tr.freq[slot * K + s] : 0;
    const v = tr.voic[slot * K + (s < U ? s : 0)];
    onFrame(tr.drained++, f0, v);
  }
}

/** `PitchViterbi.snapshot`: the frames drained … pushed − 1 in order, the path costs and the counters (copies). */
export function snapshotTrellis(tr: ViterbiTrellis): PitchViterbiSnapshot {
  const { K, S, cap, pushed, drained } = tr;
  const n = pushed - drained;
  const out = { frequencies: new Float64Array(n * K), voicings: new Float64Array(n * K), back: new Int8Array(n * S), chosen: new Int8Array(n) };
  for (let k = 0; k < n; k++) {
    const a = (drained + k) & (cap - 1);
    out.frequencies.set(tr.freq.subarray(a * K, a * K + K), k * K);
    out.voicings.set(tr.voic.subarray(a * K, a * K + K), k * K);
    out.back.set(tr.back.subarray(a * S, a * S + S), k * S);
    out.chosen[k] = tr.chosen[a];
  }
  return { candidates: K, pushed, decided: tr.decided, drained, segmentStart: tr.segmentStart, slope: tr.slope[0], cost: tr.cost.slice(), ...out };
}

/** `PitchViterbi.restore`: replaces the trellis with `snap` (same candidate count), growing the ring as needed. */
export function restoreTrellis(tr: ViterbiTrellis, snap: PitchViterbiSnapshot): void {
  const { K, S } = tr;
  if (snap.candidates !== K || snap.cost.length !== S) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `pitch smoother state for ${snap.candidates} candidates, expected ${K}`);
  const n = snap.pushed - snap.drained;
  tr.pushed = snap.drained;
  tr.drained = snap.drained;
  while (n > tr.cap) growTrellis(tr);
  for (let k = 0; k < n; k++) {
    const a = (snap.drained + k) & (tr.cap - 1);
    tr.freq.set(snap.frequencies.subarray(k * K, k * K + K), a * K);
    tr.voic.set(snap.voicings.subarray(k * K, k * K + K), a * K);
    tr.back.set(snap.back.subarray(k * S, k * S + S), a * S);
    tr.chosen[a] = snap.chosen[k];
  }
  tr.pushed = snap.pushed;
  tr.decided = snap.decided;
  tr.segmentStart = snap.segmentStart;
  tr.slope[0] = snap.slope;
  tr.cost.set(snap.cost);
}
