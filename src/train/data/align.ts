/**
 * Target alignment (lld-recipe.md §6): annotations → one value per integer second T → one value per
 * pooled window. Window w covers [w·hop, w·hop + 2) s and is stamped with its end time
 * T_w = w·hop + windowS (+ lagS), so window w is paired with the 1 Hz target of second T_w.
 *
 * 1 Hz reduction of continuous annotations: the target of second T is the mean of the samples with
 * time t ∈ (T − 1, T] — for 2 Hz annotations exactly the two samples at T − 0.5 s and T. A second is
 * kept only when all round(1 / period) samples are present (so a 2 Hz track starting at 15.0 s gives
 * its first 1 Hz target at T = 16 from 15.5 and 16.0; the lone 15.0 sample is not used).
 *
 * Piecewise-constant segments: the target of second T is the overlap-weighted mean of the segment
 * points over (T − 1, T]; seconds covered less than `minCoverageS` by segments get no target. This is
 * done per dimension: a category whose point has `null` for a dimension (not labelled) does not count
 * towards that dimension, so a second can have an arousal target and NaN valence (missing target).
 */
import { EmostreamError } from '../../errors.ts';
import { scaledPoint } from './categories.ts';
import type { CategoryPoint, TargetSegment } from './manifest-types.ts';

/** Raw time-stamped continuous targets (seconds, ascending). */
export interface TimedTargets {
  readonly timeS: ArrayLike<number>;
  readonly arousal: ArrayLike<number>;
  readonly valence: ArrayLike<number>;
}

/** One target per integer second `secondS[i]` (ascending); NaN in a dimension that is not labelled there. */
export interface SecondTargets {
  readonly secondS: Int32Array;
  readonly arousal: Float32Array;
  readonly valence: Float32Array;
}

/** Options of `alignToWindows`. */
export interface AlignOptions {
  /** Pooling window length in s. Default 2. */
  readonly windowS?: number;
  /** Pooling hop in s. Default 1. */
  readonly hopS?: number;
  /** Extra delay of the target relative to the window end in s (integer; negative = earlier). Default 0. */
  readonly lagS?: number;
}

/** Default alignment: 2 s windows, 1 s hop, target at the window end. */
export const DEFAULT_ALIGN_OPTIONS: Readonly<Required<AlignOptions>> = Object.freeze({ windowS: 2, hopS: 1, lagS: 0 });

/** Per-window targets for windows [firstWindow, firstWindow + count) of a feature matrix. */
export interface AlignedTargets {
  /** Index of the first kept window in the sequence's feature matrix. */
  readonly firstWindow: number;
  /** Number of kept windows (first to last window with a target). */
  readonly count: number;
  /** Targets per kept window; NaN where `mask` is 0, and in a dimension that is not labelled at that window. */
  readonly arousal: Float32Array;
  readonly valence: Float32Array;
  /**
   * 1 where the window has a target in at least one dimension. Interior 0s stay in the sequence (the
   * LSTM needs contiguous time).
   */
  readonly mask: Uint8Array;
  /** Windows without a target: cut before / after the kept range, and masked inside it. */
  readonly dropped: { readonly leading: number; readonly trailing: number; readonly interior: number };
  /** 1 Hz targets that no window reaches (beyond the audio's end, or before the first window end). */
  readonly unmatchedTargets: number;
}

function bad(what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', what);
}

/** Averages continuous annotations to 1 Hz: second T ← mean of samples with t ∈ (T − 1, T] (complete seconds only). */
export function toOneHz(t: TimedTargets): SecondTargets {
  const n = t.timeS.length;
  if (n === 0 || t.arousal.length !== n || t.valence.length !== n) bad(`targets: need equal, non-zero lengths (time ${n}, arousal ${t.arousal.length}, valence ${t.valence.length})`);
  const ms = Int32Array.from({ length: n }, (_, i) => Math.round(t.timeS[i]! * 1000));
  let perSecond = 1;
  if (n > 1) {
    const diffs = Array.from({ length: n - 1 }, (_, i) => ms[i + 1]! - ms[i]!).sort((a, b) => a - b);
    const period = diffs[(diffs.length - 1) >> 1]!;
    if (period <= 0 || period > 1000 || 1000 % period !== 0) bad(`targets: sampling period ${period} ms must divide 1000 ms`);
    perSecond = 1000 / period;
  }
  const secs: number[] = [], a: number[] = [], v: number[] = [];
  let i = 0;
  while (i < n) {
    const T = Math.ceil(ms[i]! / 1000);
    let sa = 0, sv = 0, k = 0;
    while (i < n && Math.ceil(ms[i]! / 1000) === T) {
      sa += t.arousal[i]!;
      sv += t.valence[i]!;
      k++;
      i++;
    }
    if (k === perSecond) {
      secs.push(T);
      a.push(sa / k);
      v.push(sv / k);
    }
  }
  return { secondS: Int32Array.from(secs), arousal: Float32Array.from(a), valence: Float32Array.from(v) };
}

/** 1 Hz targets of piecewise-constant segments: per dimension, overlap-weighted mean over (T − 1, T] of the segments labelling it, coverage ≥ minCoverageS. */
export function segmentsToOneHz(
  segments: readonly TargetSegment[],
  categoryMap: Readonly<Record<string, CategoryPoint>>,
  neutral?: CategoryPoint,
  minCoverageS = 0.5,
): SecondTargets {
  if (segments.length === 0) bad('targets: no segments');
  const points = segments.map((s) => {
    const p = categoryMap[s.category];
    if (!p) bad(`targets: category "${s.category}" missing from categoryMap`);
    if ((s.intensity ?? 1) < 1 && !neutral) bad('targets: intensity < 1 needs a neutral category');
    return scaledPoint(p, neutral, s.intensity ?? 1);
  });
  const first = Math.floor(segments[0]!.start) + 1;
  const last = Math.ceil(segments[segments.length - 1]!.end);
  const secs: number[] = [], a: number[] = [], v: number[] = [];
  const enough = (cover: number): boolean => cover >= minCoverageS - 1e-9;
  let j = 0;
  for (let T = first; T <= last; T++) {
    while (j < segments.length && segments[j]!.end <= T - 1) j++;
    let coverA = 0, coverV = 0, sa = 0, sv = 0;
    for (let k = j; k < segments.length && segments[k]!.start < T; k++) {
      const o = Math.min(T, segments[k]!.end) - Math.max(T - 1, segments[k]!.start);
      if (o <= 0) continue;
      const p = points[k]!;
      if (p.arousal !== null) (coverA += o), (sa += o * p.arousal);
      if (p.valence !== null) (coverV += o), (sv += o * p.valence);
    }
    if (enough(coverA) || enough(coverV)) {
      secs.push(T);
      a.push(enough(coverA) ? sa / coverA : NaN);
      v.push(enough(coverV) ? sv / coverV : NaN);
    }
  }
  return { secondS: Int32Array.from(secs), arousal: Float32Array.from(a), valence: Float32Array.from(v) };
}

/** Pairs window w (end time w·hop + windowS + lagS) with the 1 Hz target of that second; trims untargeted ends. */
export function alignToWindows(targets: SecondTargets, windowCount: number, options: AlignOptions = {}): AlignedTargets {
  const { windowS, hopS, lagS } = { ...DEFAULT_ALIGN_OPTIONS, ...options };
  if (!Number.isInteger(windowCount) || windowCount < 0) bad(`align: windowCount must be an integer ≥ 0 (got ${windowCount})`);
  for (const [k, x] of [['windowS', windowS], ['hopS', hopS], ['lagS', lagS]] as const) {
    if (!Number.isInteger(x) || (k !== 'lagS' && x <= 0)) bad(`align: ${k} must be ${k === 'lagS' ? 'an integer' : 'a positive integer'} (got ${x})`);
  }
  const index = new Map<number, number>();
  targets.secondS.forEach((T, i) => index.set(T, i));
  const full = new Int32Array(windowCount).fill(-1);
  let matched = 0;
  for (let w = 0; w < windowCount; w++) {
    const i = index.get(w * hopS + windowS + lagS);
    if (i !== undefined) {
      full[w] = i;
      matched++;
    }
  }
  let first = 0;
  while (first < windowCount && full[first]! < 0) first++;
  let end = windowCount;
  while (end > first && full[end - 1]! < 0) end--;
  const count = end - first;
  const arousal = new Float32Array(count).fill(NaN);
  const valence = new Float32Array(count).fill(NaN);
  const mask = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = full[first + k]!;
    if (i < 0) continue;
    arousal[k] = targets.arousal[i]!;
    valence[k] = targets.valence[i]!;
    mask[k] = 1;
  }
  return {
    firstWindow: count ? first : 0,
    count,
    arousal,
    valence,
    mask,
    dropped: { leading: count ? first : windowCount, trailing: windowCount - end, interior: count - matched },
    unmatchedTargets: targets.secondS.length - matched,
  };
}

/** Copies the kept rows [firstWindow, firstWindow + count) of a row-major W×dims matrix. */
export function sliceWindows(features: Float32Array, dims: number, aligned: Pick<AlignedTargets, 'firstWindow' | 'count'>): Float32Array {
  return features.slice(aligned.firstWindow * dims, (aligned.firstWindow + aligned.count) * dims);
}
