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
 * @see pitch-viterbi-trellis.ts (the trellis and decoding steps)
 * @see pitch-shs.ts
 * @see pitch-branch.ts
 */
import { EmostreamError } from '../errors.ts';
import { createViterbiTrellis, drainFrames, flushTrellis, pushFrame, restoreTrellis, snapshotTrellis } from './pitch-viterbi-trellis.ts';

export { pitchRangeCost } from './pitch-viterbi-trellis.ts';

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
  const tr = createViterbiTrellis(o);
  return {
    push: (frequencies, voicings) => pushFrame(tr, frequencies, voicings),
    flush: () => flushTrellis(tr),
    drain: (onFrame) => drainFrames(tr, onFrame),
    get pushedFrames() {
      return tr.pushed;
    },
    get decidedFrames() {
      return tr.decided;
    },
    get drainedFrames() {
      return tr.drained;
    },
    snapshot: () => snapshotTrellis(tr),
    restore: (snap) => restoreTrellis(tr, snap),
  };
}
