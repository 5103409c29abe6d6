/**
 * jitterLocal, jitterDDP, shimmerLocal and logHNR of ComParE 2013 (recipe 5.4; openSMILE `cPitchJitter` as
 * `is13_pitchJitter`: searchRangeRel=0.25 minCC=0.5 logHNR=1 lgHNRfloor=−100 useBrokenJitterThresh=0).
 *
 * Driven by the gated, unsmoothed F0final of each 10 ms frame, on the raw waveform. Per voiced frame the stage scans
 * the samples read since the last frame for pitch periods: at each position s the period P is the lag ℓ ∈ [0.75T,
 * 1.25T] (T = fs/F0) whose adjacent-segment correlation peaks; accepted periods (parabolic peak height > 0.5) give
 *   jitterLocal = mean|T_k − T_{k−1}| / mean T_k,   jitterDDP = mean| |ΔT_k| − |ΔT_{k−1}| | / mean T_k,
 *   shimmerLocal = Σ|A0 − A1| / Σ(A0 + A1)/2     (A = peak-to-peak amplitude of two adjacent periods),
 * all clipped to ≤ 1 (ratios, no unit), and logHNR = 20·log10(E_h/E_n) dB (floor −100) from the RMS of the average
 * period E_h and the RMS of each period's deviation from it E_n. Unvoiced frames give 0, 0, 0, −100.
 * State (read position, carry-over, last period and period difference, held values) carries across frames; the
 * scratch buffers are sized in the factory for the lowest pitch, so `analyse` allocates no buffers (only
 * the subarray view of its per-frame copy into the WebAssembly correlation).
 * @see voice-quality-correlation.ts (the correlation, run by its WebAssembly twin voice-correlation-wasm.ts)
 * @see pitch-branch.ts (the F0 that drives this stage)
 */
import { EmostreamError } from '../errors.ts';
import type { FrameGeometry } from './frame-geometry.ts';
import { createWasmLagCorrelation } from './voice-correlation-wasm.ts';

export interface VoiceQualityOptions {
  /** Lowest F0 the stage accepts, in Hz; sizes the scratch buffers. Default 52 (the SHS `minPitch`). */
  readonly minPitchHz: number;
  /** Highest F0 the stage accepts, in Hz. Default 620 (the SHS `maxPitch`). */
  readonly maxPitchHz: number;
}

export const DEFAULT_VOICE_QUALITY_OPTIONS: VoiceQualityOptions = Object.freeze({ minPitchHz: 52, maxPitchHz: 620 });

/** Number of values `analyse` writes: jitterLocal, jitterDDP, shimmerLocal, logHNR. */
export const VOICE_QUALITY_WIDTH = 4;

export interface VoiceQuality {
  /**
   * Computes the 4 unsmoothed values of frame `frameIndex` (frames must come in order 0, 1, 2, …).
   * @param frameIndex frame k (starts at sample k·hop)
   * @param f0Hz gated, unsmoothed F0final of frame k in Hz; 0 = unvoiced, else within [minPitchHz, maxPitchHz]
   * @param buffer contiguous samples; buffer[i] is absolute sample bufferStart + i. Must cover
   *   `oldestNeededSample()` … k·hop + longLength − 1.
   * @param bufferStart absolute sample index of buffer[0]
   * @param out receives jitterLocal, jitterDDP, shimmerLocal, logHNR (dB) at out[outOffset … outOffset+3]
   */
  analyse(frameIndex: number, f0Hz: number, buffer: Float32Array, bufferStart: number, out: Float32Array, outOffset: number): void;
  /** Smallest absolute sample index a future `analyse` call can read (older samples may be discarded). */
  oldestNeededSample(): number;
  /** A copy of the carried state (read position, carry-over, last period and difference, held values). */
  snapshot(): VoiceQualitySnapshot;
  /** Replaces the carried state with `s`. */
  restore(s: VoiceQualitySnapshot): void;
}

/** The carried state of a VoiceQuality stage. */
export interface VoiceQualitySnapshot {
  readonly lastIdx: number;
  readonly lastMis: number;
  /** Last period, last period difference, held jitter / DDP / shimmer. */
  readonly held: Float64Array;
}

/** Search range of the period scan relative to T (`searchRangeRel`). */
const SEARCH_RANGE_REL = 0.25;
/** Minimum interpolated correlation of an accepted period (`minCC`). */
const MIN_CC = 0.5;
/** logHNR floor in dB (`lgHNRfloor`). */
const LOG_HNR_FLOOR_DB = -100;

/** Slots of the carried state: last period and period difference, held jitter/DDP/shimmer. */
const LAST_T0 = 0, LAST_DIFF = 1, HELD_JITTER = 2, HELD_DDP = 3, HELD_SHIMMER = 4;

/** Creates the per-stream voice-quality stage for a frame geometry (recipe 5.4). */
export function createVoiceQuality(geometry: FrameGeometry, options: VoiceQualityOptions = DEFAULT_VOICE_QUALITY_OPTIONS): VoiceQuality {
  const { minPitchHz, maxPitchHz } = options;
  const fs = geometry.sampleRateHz;
  if (!(minPitchHz > 0) || !(maxPitchHz >= minPitchHz) || !(fs / maxPitchHz >= 8)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `pitch range must satisfy 0 < minPitchHz ≤ maxPitchHz ≤ fs/8, got ${minPitchHz}–${maxPitchHz} Hz`);
  }
  const { hop, longLength } = geometry;
  const maxPeriod = fs / minPitchHz;
  const maxHi = Math.ceil((1 + SEARCH_RANGE_REL) * maxPeriod);
  const minStep = Math.min(Math.floor((1 - SEARCH_RANGE_REL) * (fs / maxPitchHz)), Math.round(fs / maxPitchHz));
  // The carry-over never exceeds 2·hi + 1, so a frame reads at most that plus 60 ms.
  const readCapacity = 2 * maxHi + 2 + longLength;
  const correlation = createWasmLagCorrelation(readCapacity, maxHi + 1);
  const cc = correlation.out;
  const avg = new Float64Array(Math.round(maxPeriod) + 1);
  const starts = new Int32Array(Math.ceil(readCapacity / minStep) + 2);

  let lastIdx = 0;
  let lastMis = 0;
  // The carried doubles live in a typed array: captured mutable doubles would be re-boxed (allocated) on every write.
  const held = new Float64Array(5);

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

  function analyse(frameIndex: number, f0Hz: number, x: Float32Array, bufferStart: number, out: Float32Array, o: number): void {
    const voiced = f0Hz > 0;
    if (!Number.isFinite(f0Hz) || (voiced && (f0Hz < minPitchHz || f0Hz > maxPitchHz))) {
      throw new EmostreamError('EMO_ERR_INTERNAL', `voice quality: F0 ${f0Hz} Hz outside 0 or ${minPitchHz}–${maxPitchHz} Hz`);
    }
    const frameStart = frameIndex * hop;
    const toRead0 = hop + lastMis;
    const period = voiced ? fs / f0Hz : 0;
    const lo = Math.floor((1 - SEARCH_RANGE_REL) * period);
    const hi = Math.ceil((1 + SEARCH_RANGE_REL) * period);
    let nRead = Math.min(voiced ? Math.max(toRead0, 2 * hi + 2) : toRead0, lastMis + longLength);
    if (frameStart - lastMis !== lastIdx) {
      lastIdx = frameStart;
      nRead = Math.min(nRead, longLength);
    }
    if (!voiced) {
      lastIdx += toRead0;
      lastMis = 0;
      held[LAST_T0] = held[LAST_DIFF] = 0;
      held[HELD_JITTER] = held[HELD_DDP] = held[HELD_SHIMMER] = 0;
      out[o] = 0;
      out[o + 1] = 0;
      out[o + 2] = 0;
      out[o + 3] = LOG_HNR_FLOOR_DB;
      return;
    }
    const base = lastIdx - bufferStart;
    if (base < 0 || base + nRead > x.length) {
      throw new EmostreamError('EMO_ERR_INTERNAL', `voice quality: samples ${lastIdx}…${lastIdx + nRead - 1} not in the buffer`);
    }
    const t0f = Math.round(period);
    correlation.prepare(x, base, nRead);
    avg.fill(0, 0, t0f);

    let s = 0;
    let step = 0;
    let lastPeriod = 0;
    let nStarts = 0;
    let sumT = 0, nT = 0, sumD = 0, nD = 0, sumDD = 0, nDD = 0, sumA = 0, sumDA = 0;
    const lagCount = hi - lo; // lag hi itself can never be or border the peak
    const limit = nRead - 2 * hi - 1;
    while (s < limit) {
      correlation.correlate(s, lo, lagCount);
      let best = -1;
      let bestC = 0;
      for (let i = 1; i <= lagCount - 2; i++) {
        const c = cc[i];
        if (cc[i - 1] < c && c > cc[i + 1] && (best < 0 || c > bestC)) {
          best = i;
          bestC = c;
        }
      }
      if (best < 0) {
        step = t0f;
      } else {
        step = lo + best;
        starts[nStarts++] = s;
        const p = base + s;
        const a0 = peakToPeak(x, p + 1, p + step - 1);
        const a1 = peakToPeak(x, p + step + 1, p + 2 * step - 1);
        for (let m = 0; m < t0f; m++) avg[m] += x[p + m];
        const y0 = cc[best - 1], y2 = cc[best + 1];
        const a = 0.5 * (y0 + y2) - bestC; // < 0 at a strict peak
        const b = 0.5 * (y2 - y0);
        const delta = -b / (2 * a);
        const ccI = bestC + 0.5 * b * delta;
        const tk = Math.fround(Math.abs(step + delta) / fs);
        if (ccI > MIN_CC) {
          sumT += tk;
          nT++;
          if (held[LAST_T0] > 0) {
            const d = Math.fround(Math.abs(held[LAST_T0] - tk));
            sumD += d;
            nD++;
            if (held[LAST_DIFF] > 0) {
              sumDD += Math.abs(held[LAST_DIFF] - d);
              nDD++;
            }
            held[LAST_DIFF] = d;
          }
          held[LAST_T0] = tk;
          sumA += (a0 + a1) / 2;
          sumDA += Math.abs(a0 - a1);
        }
      }
      s += step;
      if (s < toRead0 - 1) lastPeriod = s;
    }

    out[o + 3] = logHnr(x, base, nRead, s, step, t0f, nStarts);
    lastMis = toRead0 - lastPeriod;
    lastIdx += lastPeriod;

    if (nT > 0) {
      const meanT = sumT / nT;
      if (nD > 0) held[HELD_JITTER] = Math.min(1, sumD / nD / meanT);
      if (nDD > 0) held[HELD_DDP] = Math.min(1, sumDD / nDD / meanT);
      held[HELD_SHIMMER] = sumA > 0 ? Math.min(1, sumDA / sumA) : 0;
      out[o] = nD > 0 ? held[HELD_JITTER] : 0;
      out[o + 1] = nDD > 0 ? held[HELD_DDP] : 0;
    } else {
      out[o] = held[HELD_JITTER];
      out[o + 1] = held[HELD_DDP];
    }
    out[o + 2] = held[HELD_SHIMMER];
  }

  /**
   * logHNR (recipe 5.4 step 5) from the period starts found by the scan plus the final position s; `step` is the
   * last advance (0 if the scan never ran). Uses `avg` holding the sum of the found periods.
   */
  function logHnr(x: Float32Array, base: number, nRead: number, s: number, step: number, t0f: number, nFound: number): number {
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

  return {
    analyse,
    oldestNeededSample: () => lastIdx,
    snapshot: () => ({ lastIdx, lastMis, held: held.slice() }),
    restore(snap) {
      lastIdx = snap.lastIdx;
      lastMis = snap.lastMis;
      held.set(snap.held);
    },
  };
}
