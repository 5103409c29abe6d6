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
 * @see voice-quality-periods.ts (the period scan and logHNR)
 * @see voice-quality-correlation.ts (the correlation, run by its WebAssembly twin voice-correlation-wasm.ts)
 * @see pitch-branch.ts (the F0 that drives this stage)
 */
import { EmostreamError } from '../errors.ts';
import type { FrameGeometry } from './frame-geometry.ts';
import { createWasmLagCorrelation } from './voice-correlation-wasm.ts';
import {
  HELD_DDP, HELD_JITTER, HELD_SHIMMER, LAST_DIFF, LAST_T0, LOG_HNR_FLOOR_DB, logHnr, N_D, N_DD, N_T, SCAN_FOUND, SCAN_LAST_PERIOD,
  SCAN_POS, SCAN_SLOTS, SCAN_STEP, scanPeriods, SUM_A, SUM_D, SUM_DA, SUM_DD, SUM_T, type VoiceQualityState,
} from './voice-quality-periods.ts';

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
/** An unvoiced frame: skips the hop, clears the carried state, writes 0, 0, 0, floor. */
function analyseUnvoiced(st: VoiceQualityState, toRead0: number, out: Float32Array, o: number): void {
  const { held } = st;
  st.lastIdx += toRead0;
  st.lastMis = 0;
  held[LAST_T0] = held[LAST_DIFF] = 0;
  held[HELD_JITTER] = held[HELD_DDP] = held[HELD_SHIMMER] = 0;
  out[o] = 0;
  out[o + 1] = 0;
  out[o + 2] = 0;
  out[o + 3] = LOG_HNR_FLOOR_DB;
}

/** Jitter, DDP and shimmer of a voiced frame from the scan sums (held values when no period was accepted). */
function writePeriodMeasures(st: VoiceQualityState, out: Float32Array, o: number): void {
  const { held, scan } = st;
  const nT = scan[N_T], nD = scan[N_D], nDD = scan[N_DD], sumA = scan[SUM_A];
  if (nT > 0) {
    const meanT = scan[SUM_T] / nT;
    if (nD > 0) held[HELD_JITTER] = Math.min(1, scan[SUM_D] / nD / meanT);
    if (nDD > 0) held[HELD_DDP] = Math.min(1, scan[SUM_DD] / nDD / meanT);
    held[HELD_SHIMMER] = sumA > 0 ? Math.min(1, scan[SUM_DA] / sumA) : 0;
    out[o] = nD > 0 ? held[HELD_JITTER] : 0;
    out[o + 1] = nDD > 0 ? held[HELD_DDP] : 0;
  } else {
    out[o] = held[HELD_JITTER];
    out[o + 1] = held[HELD_DDP];
  }
  out[o + 2] = held[HELD_SHIMMER];
}

/** `VoiceQuality.analyse` on the stage's state (see the interface). */
function analyse(st: VoiceQualityState, frameIndex: number, f0Hz: number, x: Float32Array, bufferStart: number, out: Float32Array, o: number): void {
  const { fs, hop, longLength, minPitchHz, maxPitchHz } = st;
  const voiced = f0Hz > 0;
  if (!Number.isFinite(f0Hz) || (voiced && (f0Hz < minPitchHz || f0Hz > maxPitchHz))) {
    throw new EmostreamError('EMO_ERR_INTERNAL', `voice quality: F0 ${f0Hz} Hz outside 0 or ${minPitchHz}–${maxPitchHz} Hz`);
  }
  const frameStart = frameIndex * hop;
  const toRead0 = hop + st.lastMis;
  const period = voiced ? fs / f0Hz : 0;
  const lo = Math.floor((1 - SEARCH_RANGE_REL) * period);
  const hi = Math.ceil((1 + SEARCH_RANGE_REL) * period);
  let nRead = Math.min(voiced ? Math.max(toRead0, 2 * hi + 2) : toRead0, st.lastMis + longLength);
  if (frameStart - st.lastMis !== st.lastIdx) {
    st.lastIdx = frameStart;
    nRead = Math.min(nRead, longLength);
  }
  if (!voiced) {
    analyseUnvoiced(st, toRead0, out, o);
    return;
  }
  const base = st.lastIdx - bufferStart;
  if (base < 0 || base + nRead > x.length) {
    throw new EmostreamError('EMO_ERR_INTERNAL', `voice quality: samples ${st.lastIdx}…${st.lastIdx + nRead - 1} not in the buffer`);
  }
  const t0f = Math.round(period);
  st.correlation.prepare(x, base, nRead);
  st.avg.fill(0, 0, t0f);
  scanPeriods(st, x, base, nRead, lo, hi, t0f, toRead0);
  const { scan } = st;
  const lastPeriod = scan[SCAN_LAST_PERIOD];
  out[o + 3] = logHnr(st, x, base, nRead, scan[SCAN_POS], scan[SCAN_STEP], t0f, scan[SCAN_FOUND]);
  st.lastMis = toRead0 - lastPeriod;
  st.lastIdx += lastPeriod;
  writePeriodMeasures(st, out, o);
}

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
  const st: VoiceQualityState = {
    fs, hop, longLength, minPitchHz, maxPitchHz, correlation, cc: correlation.out,
    avg: new Float64Array(Math.round(maxPeriod) + 1),
    starts: new Int32Array(Math.ceil(readCapacity / minStep) + 2),
    held: new Float64Array(5),
    scan: new Float64Array(SCAN_SLOTS),
    lastIdx: 0,
    lastMis: 0,
  };
  return {
    analyse: (frameIndex, f0Hz, buffer, bufferStart, out, outOffset) => analyse(st, frameIndex, f0Hz, buffer, bufferStart, out, outOffset),
    oldestNeededSample: () => st.lastIdx,
    snapshot: () => ({ lastIdx: st.lastIdx, lastMis: st.lastMis, held: st.held.slice() }),
    restore(snap) {
      st.lastIdx = snap.lastIdx;
      st.lastMis = snap.lastMis;
      st.held.set(snap.held);
    },
  };
}
