/**
 * Pitch candidates by subharmonic summation (recipe 5.3.2; Hermes 1988; openSMILE `cPitchShs` with `nHarmonics=15
 * compressionFactor=0.85 nCandidates=6 minPitch=52 maxPitch=620`) on the octave-scale spectrum Y of spectral-scale.ts.
 *
 *   SS[j] = max(0, (Y[j] + Σ_{h=2..H} c^{h−1} · Y[j + ⌊ppo·log2 h⌋]) / H)   (terms beyond the last point omitted)
 *
 * Candidates are the strict local maxima of SS (j = 1 … n−2), the largest K kept. Each is refined by a parabola in log2 f:
 * f = 2^vertex, score = vertex height, voicing = 1 − mean(SS)/score when score > mean(SS), else 0. Candidates outside
 * [minPitch, maxPitch] are dropped (the list shifts left, empty slots are 0) and the best-scoring one is swapped to slot 0.
 * The pitch branch computes SS and its peaks in WebAssembly (pitch-spectrum-wasm.ts, bit-identical to `analyse`) and
 * finishes with `candidatesFromPeaks`.
 * @see spectral-scale.ts
 * @see pitch-spectrum-wasm.ts
 * @see pitch-viterbi.ts
 */
import { EmostreamError } from '../errors.ts';
import type { OctaveGrid } from './spectral-scale.ts';

export interface PitchShsOptions {
  /** Number of harmonics summed, including the fundamental. Default 15. */
  readonly harmonics: number;
  /** Weight ratio between successive harmonics (c). Default 0.85. */
  readonly compression: number;
  /** Maximum number of candidates per frame (K). Default 6. */
  readonly candidates: number;
  /** Lowest admissible candidate frequency, Hz. Default 52. */
  readonly minPitchHz: number;
  /** Highest admissible candidate frequency, Hz. Default 620. */
  readonly maxPitchHz: number;
}

export const DEFAULT_PITCH_SHS_OPTIONS: PitchShsOptions = Object.freeze({
  harmonics: 15,
  compression: 0.85,
  candidates: 6,
  minPitchHz: 52,
  maxPitchHz: 620,
});

/** Caller-owned candidate arrays, each of length `candidates`. */
export interface PitchCandidateArrays {
  /** Candidate frequencies in Hz (0 in empty slots). */
  readonly frequencies: Float64Array;
  /** SHS scores (vertex heights). */
  readonly scores: Float64Array;
  /** Voicing probabilities in [0, 1). */
  readonly voicings: Float64Array;
}

export interface PitchShs {
  /** K, the number of candidate slots. */
  readonly candidates: number;
  /**
   * Writes up to K candidates of one frame; returns how many slots are filled.
   * @param scaled octave-scale spectrum, `grid.pointCount` values
   */
  analyse(scaled: ArrayLike<number>, out: PitchCandidateArrays): number;
  /**
   * The candidate stage after the peak search, on a subharmonic sum and its peaks found elsewhere (the WebAssembly
   * kernel of pitch-spectrum-wasm.ts); returns how many slots are filled.
   * @param sum SS[j] ≥ 0, `grid.pointCount` values (not modified)
   * @param mean mean of SS
   * @param peaks indices of SS's K largest strict local maxima, descending by value (equal values: ascending index)
   * @param peakCount how many entries of `peaks` are valid (≤ K)
   */
  candidatesFromPeaks(sum: Float64Array, mean: number, peaks: Int32Array, peakCount: number, out: PitchCandidateArrays): number;
  /** H, the number of harmonics summed (including the fundamental). */
  readonly harmonics: number;
  /** Grid offset ⌊ppo·log2 h⌋ of harmonic h = 1 … H (index h − 1; ascending). */
  readonly offsets: Int32Array;
  /** Weight c^(h−1) of harmonic h = 1 … H (index h − 1). */
  readonly factors: Float64Array;
}

/** The finder's tables and scratch (sized in `createPitchShs`). */
interface ShsState {
  readonly grid: OctaveGrid;
  readonly o: PitchShsOptions;
  /** Grid points n, harmonics H, candidates K. */
  readonly n: number;
  readonly H: number;
  readonly K: number;
  readonly offsets: Int32Array;
  readonly factors: Float64Array;
  /** SS of the last `analyse`. */
  readonly ss: Float64Array;
  readonly topIndex: Int32Array;
  readonly topValue: Float64Array;
}

/** SS of the octave-scale spectrum into `st.ss` (module header); returns its mean. */
function subharmonicSum(st: ShsState, scaled: ArrayLike<number>): number {
  const { n, H, offsets, factors, ss } = st;
  for (let j = 0; j < n; j++) ss[j] = scaled[j];
  for (let h = 1; h < H; h++) {
    const off = offsets[h];
    const f = factors[h];
    for (let j = 0; j + off < n; j++) ss[j] += f * scaled[j + off];
  }
  let mean = 0;
  for (let j = 0; j < n; j++) {
    const v = ss[j] / H;
    ss[j] = v > 0 ? v : 0;
    mean += ss[j];
  }
  return mean / n;
}

/** The K largest strict local maxima of `st.ss` into `st.topIndex`/`topValue`, descending (equal values: ascending index); returns how many. */
function largestPeaks(st: ShsState): number {
  const { n, K, ss, topIndex, topValue } = st;
  let count = 0;
  for (let j = 1; j < n - 1; j++) {
    const v = ss[j];
    if (!(v > ss[j - 1] && v > ss[j + 1])) continue;
    if (count === K && !(v > topValue[K - 1])) continue;
    let pos = count < K ? count++ : K - 1;
    while (pos > 0 && topValue[pos - 1] < v) {
      topValue[pos] = topValue[pos - 1];
      topIndex[pos] = topIndex[pos - 1];
      pos--;
    }
    topValue[pos] = v;
    topIndex[pos] = j;
  }
  return count;
}

/** `PitchShs.candidatesFromPeaks`: parabolic refinement, range filter, best score first (see the interface). */
function candidatesFromPeaks(st: ShsState, ss: Float64Array, mean: number, topIndex: Int32Array, count: number, out: PitchCandidateArrays): number {
  const { grid, o, K } = st;
  const { frequencies, scores, voicings } = out;
  let kept = 0;
  let best = 0;
  for (let c = 0; c < count; c++) {
    const j = topIndex[c];
    const y0 = ss[j - 1];
    const y1 = ss[j];
    const y2 = ss[j + 1];
    const den = y0 - 2 * y1 + y2;
    const d = den !== 0 ? (0.5 * (y0 - y2)) / den : 0;
    const score = y1 - 0.25 * (y0 - y2) * d;
    const f = 2 ** (grid.log2MinHz + (j + d) * grid.log2Step);
    if (f < o.minPitchHz || f > o.maxPitchHz) continue;
    frequencies[kept] = f;
    scores[kept] = score;
    voicings[kept] = score > mean ? 1 - mean / score : 0;
    if (kept > 0 && score > scores[best]) best = kept;
    kept++;
  }
  for (let c = kept; c < K; c++) {
    frequencies[c] = 0;
    scores[c] = 0;
    voicings[c] = 0;
  }
  if (best > 0) {
    swap(frequencies, best);
    swap(scores, best);
    swap(voicings, best);
  }
  return kept;
}

/** `PitchShs.analyse`. */
function analyseShs(st: ShsState, scaled: ArrayLike<number>, out: PitchCandidateArrays): number {
  const mean = subharmonicSum(st, scaled);
  const count = largestPeaks(st);
  return candidatesFromPeaks(st, st.ss, mean, st.topIndex, count, out);
}

/** Creates a subharmonic-summation candidate finder for an octave grid (recipe 5.3.2). */
export function createPitchShs(grid: OctaveGrid, options: Partial<PitchShsOptions> = {}): PitchShs {
  const o = { ...DEFAULT_PITCH_SHS_OPTIONS, ...options };
  if (!Number.isInteger(o.harmonics) || o.harmonics < 1) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `harmonics must be an integer ≥ 1, got ${o.harmonics}`);
  }
  if (!Number.isInteger(o.candidates) || o.candidates < 1) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `candidates must be an integer ≥ 1, got ${o.candidates}`);
  }
  if (!(o.compression > 0) || !(o.minPitchHz > 0) || !(o.maxPitchHz > o.minPitchHz)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'compression must be > 0 and 0 < minPitchHz < maxPitchHz');
  }
  const n = grid.pointCount;
  const H = o.harmonics;
  const K = o.candidates;
  const offsets = new Int32Array(H);
  const factors = new Float64Array(H);
  for (let h = 1; h <= H; h++) {
    offsets[h - 1] = Math.floor(grid.pointsPerOctave * Math.log2(h));
    factors[h - 1] = o.compression ** (h - 1);
  }
  const st: ShsState = { grid, o, n, H, K, offsets, factors, ss: new Float64Array(n), topIndex: new Int32Array(K), topValue: new Float64Array(K) };
  return {
    candidates: K,
    analyse: (scaled, out) => analyseShs(st, scaled, out),
    candidatesFromPeaks: (sum, mean, peaks, peakCount, out) => candidatesFromPeaks(st, sum, mean, peaks, peakCount, out),
    harmonics: H,
    offsets,
    factors,
  };
}

/** Swaps element `i` with element 0. */
function swap(a: Float64Array, i: number): void {
  const t = a[0];
  a[0] = a[i];
  a[i] = t;
}
