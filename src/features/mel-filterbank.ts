/**
 * Triangular mel filterbank on a power spectrum (recipe 5.5 / 5.8; openSMILE `cMelspec nBands=26 usePower=1
 * lofreq=20 hifreq=8000 specScale=mel`).
 *
 * mel(f) = 1127·ln(1 + f/700). Band edges/centres c_m = mel(lo) + m·(mel(hi) − mel(lo))/(B+1), m = 0 … B+1; band b
 * (0 … B−1) peaks at c_{b+1} with unit height. Every bin k with round(lo/Δf) < k < round(hi/Δf) splits its power
 * between its two neighbouring bands with weights linear in mel:
 *   M_b += P_k·(c_{m} − mel(kΔf))/(c_m − c_{m−1}),  M_{b+1} += P_k·(1 − that weight),  where c_{m−1} < mel(kΔf) ≤ c_m, b = m−2.
 * The same bank feeds the auditory spectra (5.5) and the MFCCs (5.8, which scale the band powers by 32767²).
 *
 * Sample rates below 16 kHz: hifreq 8000 Hz lies above Nyquist, so the bank's upper edge is clamped to fs/2
 * (as `min(8000, fs/2)` in ../shared/reference/verify/check_spectral.py); the band count stays 26.
 * @see auditory-spectrum.ts
 * @see mfcc.ts
 */
import { EmostreamError } from '../errors.ts';

/** Options of the mel filterbank. */
export interface MelFilterbankOptions {
  /** Number of triangular bands. Default 26. */
  readonly bandCount: number;
  /** Lower edge in Hz. Default 20. */
  readonly lowHz: number;
  /** Upper edge in Hz, clamped to the Nyquist frequency. Default 8000. */
  readonly highHz: number;
}

/** The ComParE 2013 mel bank: 26 bands, 20 … 8000 Hz. */
export const DEFAULT_MEL_FILTERBANK: MelFilterbankOptions = Object.freeze({ bandCount: 26, lowHz: 20, highHz: 8000 });

/** A mel filterbank built once for one FFT size and sample rate. */
export interface MelFilterbank {
  readonly bandCount: number;
  /** First FFT bin that contributes (inclusive). */
  readonly firstBin: number;
  /** Last FFT bin that contributes (exclusive). */
  readonly endBin: number;
  /** Per contributing bin (index k − firstBin): the lower band b it feeds (−1 if none; the upper band is b + 1). */
  readonly lowerBand: Int32Array;
  /** Per contributing bin: weight of the lower band (the upper band gets 1 − weight). */
  readonly lowerWeight: Float64Array;
  /** Band centre frequencies f_b in Hz (B values). */
  readonly centreHz: Float64Array;
  /** The effective upper edge in Hz after clamping to Nyquist. */
  readonly highHz: number;
}

/** Mel scale mel(f) = 1127·ln(1 + f/700) (openSMILE `specScale=mel`, non-HTK). */
export function melOf(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/** Inverse mel scale f = 700·(e^{mel/1127} − 1) in Hz. */
export function hzOfMel(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/**
 * Builds the mel filterbank for an FFT of `fftSize` points at `sampleRateHz` (recipe 5.5).
 * @param sampleRateHz sample rate in Hz, > 0
 * @param fftSize FFT size N (the spectrum has N/2 + 1 bins)
 * @param options band count and edges; `highHz` is clamped to fs/2
 */
export function createMelFilterbank(
  sampleRateHz: number,
  fftSize: number,
  options: MelFilterbankOptions = DEFAULT_MEL_FILTERBANK,
): MelFilterbank {
  const { bandCount, lowHz } = options;
  const highHz = Math.min(options.highHz, sampleRateHz / 2);
  if (!Number.isInteger(bandCount) || bandCount < 1) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `mel bandCount must be a positive integer, got ${bandCount}`);
  }
  if (!(lowHz >= 0 && lowHz < highHz)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `mel band edges must satisfy 0 ≤ lowHz < min(highHz, fs/2), got ${lowHz}…${highHz}`);
  }
  if (!Number.isInteger(fftSize) || fftSize < 2) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `FFT size must be an integer ≥ 2, got ${fftSize}`);
  }
  const binHz = sampleRateHz / fftSize;
  const melLow = melOf(lowHz);
  const melStep = (melOf(highHz) - melLow) / (bandCount + 1);
  const edges = new Float64Array(bandCount + 2);
  for (let m = 0; m < edges.length; m++) edges[m] = melLow + m * melStep;
  const centreHz = new Float64Array(bandCount);
  for (let b = 0; b < bandCount; b++) centreHz[b] = hzOfMel(edges[b + 1]);

  const firstBin = Math.round(lowHz / binHz) + 1;
  const endBin = Math.max(firstBin, Math.round(highHz / binHz));
  const lowerBand = new Int32Array(endBin - firstBin);
  const lowerWeight = new Float64Array(endBin - firstBin);
  let m = 1;
  for (let k = firstBin; k < endBin; k++) {
    const mel = melOf(k * binHz);
    while (m < edges.length - 1 && edges[m] < mel) m++; // first edge ≥ mel
    lowerBand[k - firstBin] = m - 2;
    lowerWeight[k - firstBin] = (edges[m] - mel) / (edges[m] - edges[m - 1]);
  }
  return Object.freeze({ bandCount, firstBin, endBin, lowerBand, lowerWeight, centreHz, highHz });
}

/**
 * Mel band powers M_b = Σ_k w_{b,k}·P_k (recipe 5.5, unit-height triangles, no area normalisation).
 * @param bank the filterbank built for this spectrum's size
 * @param power power spectrum |X_k|², N/2 + 1 values
 * @param out band powers, `bank.bandCount` values (overwritten)
 */
export function applyMelFilterbank(bank: MelFilterbank, power: Float32Array, out: Float64Array): void {
  const { firstBin, endBin, lowerBand, lowerWeight, bandCount } = bank;
  out.fill(0, 0, bandCount);
  for (let k = firstBin; k < endBin; k++) {
    const i = k - firstBin;
    const b = lowerBand[i];
    const p = power[k];
    const w = lowerWeight[i];
    if (b >= 0) out[b] += p * w;
    if (b + 1 < bandCount) out[b + 1] += p * (1 - w);
  }
}
