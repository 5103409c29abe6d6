/**
 * The pitch-period scan of the voice-quality stage (voice-quality.ts, recipe 5.4): over the samples read for one
 * voiced frame, the period at each position s is the lag ℓ ∈ [lo, hi) (lo, hi = (1 ∓ 0.25)·T) with the highest
 * strict local maximum of the adjacent-segment correlation c(ℓ); its parabolic refinement δ gives the period
 * T_k = |ℓ + δ| / fs (float32), accepted when the interpolated peak c + b·δ/2 exceeds MIN_CC = 0.5. Accepted periods
 * feed the jitter sums (|T_k − T_{k−1}|, ||ΔT_k| − |ΔT_{k−1}||) and the shimmer sums of the peak-to-peak
 * amplitudes A0, A1 of two adjacent periods; every found period is added to the period average of logHNR:
 *   logHNR = 20·log10(E_h / E_n) dB (floor −100), E_h = RMS of the average period (samples 3 … T−3),
 *   E_n = RMS of each period's deviation from it (samples 2 … min(next start, start + T) − 3).
 * All buffers live in the caller's `VoiceQualityState`; nothing is allocated per frame.
 * @see voice-quality.ts
 * @see voice-correlation-wasm.ts (the correlation)
 */
import type { WasmLagCorrelation } from './voice-correlation-wasm.ts';

/** Minimum interpolated correlation of an accepted period (`minCC`). */
const MIN_CC = 0.5;
/** logHNR floor in dB (`lgHNRfloor`). */
export const LOG_HNR_FLOOR_DB = -100;

/** Slots of the carried state: last period and period difference, held jitter/DDP/shimmer. */
export const LAST_T0 = 0, LAST_DIFF = 1, HELD_JITTER = 2, HELD_DDP = 3, HELD_SHIMMER = 4;

/**
 * Slots of the period scan's result: final position s, last advance, last period start inside the hop, periods
 * found, then the sums over accepted periods (ΣT, count; Σ|ΔT|, count; Σ||ΔT_k| − |ΔT_{k−1}||, count; Σ(A0+A1)/2,
 * Σ|A0 − A1|).
 */
export const SCAN_POS = 0, SCAN_STEP = 1, SCAN_LAST_PERIOD = 2, SCAN_FOUND = 3;
/** Slots of the scan sums (see above). */
export const SUM_T = 4, N_T = 5, SUM_D = 6, N_D = 7, SUM_DD = 8, N_DD = 9, SUM_A = 10, SUM_DA = 11;
/** Length of `VoiceQualityState.scan`. */
export const SCAN_SLOTS = 12;

/** The per-stream state and scratch of the voice-quality stage (all buffers sized in `createVoiceQuality`). */
export interface VoiceQualityState {
  readonly fs: number;
  readonly hop: number;
  readonly longLength: number;
  readonly minPitchHz: number;
  readonly maxPitchHz: number;
  /** The WebAssembly adjacent-segment correlation and its output c(lo + i). */
  readonly correlation: WasmLagCorrelation;
  readonly cc: Float64Array;
  /** Sum (then average) of the found periods, sample by sample. */
  readonly avg: Float64Array;
  /** Start of each found period (plus the final position) within the frame's read. */
  readonly starts: Int32Array;
  /** Carried doubles (LAST_T0 … HELD_SHIMMER). A typed array: captured mutable doubles would be re-boxed on every write. */
  readonly held: Float64Array;
  /** Result of the last period scan (SCAN_POS … SUM_DA). */
  readonly scan: Float64Array;
  /** Absolute sample index of the next read. */
  lastIdx: number;
  /** Carry-over: samples of the last hop not covered by a complete period. */
  lastMis: number;
}

/** max − min of x[from … to−1]. */
function peakToPeak(x: Float32Array, from: number, to: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return to > from ? hi - lo : 0;
}

/** Index i ∈ [1, lagCount − 2] of the highest strict local maximum of cc (the first of equal ones), or −1. */
function highestPeak(cc: Float64Array, lagCount: number): number {
  let best = -1;
  let bestC = 0;
  for (let i = 1; i <= lagCount - 2; i++) {
    const c = cc[i];
    if (cc[i - 1] < c && c > cc[i + 1] && (best < 0 || c > bestC)) {
      best = i;
      bestC = c;
    }
  }
  return best;
}

/**
 * Measures the period of `step` samples found at x[p…] (correlation peak `best`, lag lo + best): adds it to `avg`
 * and, when its parabolic peak height exceeds MIN_CC, its length and amplitudes to the scan sums.
 */
function measurePeriod(st: VoiceQualityState, x: Float32Array, p: number, step: number, best: number, t0f: number): void {
  const { cc, avg, held, scan } = st;
  const bestC = cc[best];
  const a0 = peakToPeak(x, p + 1, p + step - 1);
  const a1 = peakToPeak(x, p + step + 1, p + 2 * step - 1);
  for (let m = 0; m < t0f; m++) avg[m] += x[p + m];
  const y0 = cc[best - 1], y2 = cc[best + 1];
  const a = 0.5 * (y0 + y2) - bestC; // < 0 at a strict peak
  const b = 0.5 * (y2 - y0);
  const delta = -b / (2 * a);
  const ccI = bestC + 0.5 * b * delta;
  const tk = Math.fround(Math.abs(step + delta) / st.fs);
  if (ccI > MIN_CC) {
    scan[SUM_T] += tk;
    scan[N_T]++;
    if (held[LAST_T0] > 0) {
      const d = Math.fround(Math.abs(held[LAST_T0] - tk));
      scan[SUM_D] += d;
      scan[N_D]++;
      if (held[LAST_DIFF] > 0) {
        scan[SUM_DD] += Math.abs(held[LAST_DIFF] - d);
        scan[N_DD]++;
      }
      held[LAST_DIFF] = d;
    }
    held[LAST_T0] = tk;
    scan[SUM_A] += (a0 + a1) / 2;
    scan[SUM_DA] += Math.abs(a0 - a1);
  }
}

/**
 * Scans the nRead samples at x[base…] (already in the correlation) for pitch periods with lags in [lo, hi):
 * at each position the highest correlation peak gives the period (none: advance by t0f). Results go to `st.scan`.
 */
export function scanPeriods(st: VoiceQualityState, x: Float32Array, base: number, nRead: number, lo: number, hi: number, t0f: number, toRead0: number): void {
  const { correlation, cc, starts, scan } = st;
  scan.fill(0);
  let s = 0;
  let step = 0;
  let lastPeriod = 0;
  let nStarts = 0;
  const lagCount = hi - lo; // lag hi itself can never be or border the peak
  const limit = nRead - 2 * hi - 1;
  while (s < limit) {
    correlation.correlate(s, lo, lagCount);
    const best = highestPeak(cc, lagCount);
    if (best < 0) {
      step = t0f;
    } else {
      step = lo + best;
      starts[nStarts++] = s;
      measurePeriod(st, x, base + s, step, best, t0f);
    }
    s += step;
    if (s < toRead0 - 1) lastPeriod = s;
  }
  scan[SCAN_POS] = s;
  scan[SCAN_STEP] = step;
  scan[SCAN_LAST_PERIOD] = lastPeriod;
  scan[SCAN_FOUND] = nStarts;
}

/**
 * logHNR (recipe 5.4 step 5) from the period starts found by the scan plus the final position s; `step` is the
 * last advance (0 if the scan never ran). Uses `avg` holding the sum of the found periods.
 */
export function logHnr(st: VoiceQualityState, x: Float32Array, base: number, nRead: number, s: number, step: number, t0f: number, nFound: number): number {
  const { avg, starts } = st;
  starts[nFound] = s;
  const nB = nFound + 1;
  const tail = Math.min(t0f, nRead - s);
  for (let m = 0; m < tail; m++) avg[m] = (avg[m] + x[base + s + m]) / nB;
  let eh = 0;
  for (let m = 3; m <= t0f - 3; m++) eh += avg[m] * avg[m];
  if (t0f - 4 > 0) eh /= t0f - 4;
  eh = Math.sqrt(eh);
  let en = 0;
  let nEn = 0;
  for (let j = 0; j < nB; j++) {
    const bj = starts[j];
    const next = j + 1 < nB ? starts[j + 1] : step > 0 ? s + step : 0;
    const end = Math.min(next, bj + t0f) - 2;
    for (let q = bj + 2; q < end; q++) {
      const d = x[base + q] - avg[q - bj];
      en += d * d;
    }
    if (end > bj + 2) nEn += end - bj - 2;
  }
  if (nEn > 0) en /= nEn;
  const eh32 = Math.fround(eh);
  const en32 = Math.fround(Math.sqrt(en));
  if (!(en32 > 0)) return 0;
  const ratio = Math.fround(eh32 / en32);
  return ratio > 0 ? Math.max(LOG_HNR_FLOOR_DB, 20 * Math.log10(ratio)) : LOG_HNR_FLOOR_DB;
}
