/**
 * Mel-frequency cepstral coefficients 1 … 14 (recipe 5.8; openSMILE `cMelspec htkcompatible=1` + `cMfcc firstMfcc=1
 * lastMfcc=14 cepLifter=22 htkcompatible=1`).
 *
 *   l_m = ln(max(32767²·M_m, 1))                       (HTK scaling of the int16-range power, melfloor forced to 1)
 *   c_i = √(2/B)·Σ_{m=0}^{B−1} l_m·cos(πi(m + 0.5)/B) · (1 + (L/2)·sin(πi/L)),   B = 26, L = 22
 * The DCT-II table already holds the normalisation and the lifter, so a frame costs B·14 multiply-adds.
 * @see mel-filterbank.ts
 */
import { EmostreamError } from '../errors.ts';

/** Options of the cepstral stage. */
export interface MfccOptions {
  /** First coefficient index. Default 1. */
  readonly firstCoefficient: number;
  /** Last coefficient index (inclusive). Default 14. */
  readonly lastCoefficient: number;
  /** Cepstral lifter L (0 = none). Default 22. */
  readonly lifter: number;
  /** Factor applied to the band powers before the logarithm (HTK int16 scaling). Default 32767². */
  readonly powerScale: number;
  /** Floor of the scaled band powers before the logarithm. Default 1. */
  readonly floor: number;
}

/** The ComParE 2013 MFCC configuration: c1 … c14, lifter 22, HTK scaling. */
export const DEFAULT_MFCC: MfccOptions = Object.freeze({
  firstCoefficient: 1,
  lastCoefficient: 14,
  lifter: 22,
  powerScale: 32767 * 32767,
  floor: 1,
});

/** The DCT table built once for a band count. */
export interface MfccTable {
  readonly bandCount: number;
  readonly coefficientCount: number;
  readonly powerScale: number;
  readonly floor: number;
  /** coefficientCount × bandCount weights √(2/B)·cos(πi(m+0.5)/B)·lifter(i), row-major. */
  readonly weights: Float64Array;
  /** Scratch for the log band powers (B values), reused every frame. */
  readonly logPower: Float64Array;
}

/**
 * Builds the liftered DCT table for `bandCount` mel bands (recipe 5.8).
 * @param bandCount number of mel bands B ≥ 1
 * @param options coefficient range, lifter and scaling
 */
export function createMfccTable(bandCount: number, options: MfccOptions = DEFAULT_MFCC): MfccTable {
  const { firstCoefficient, lastCoefficient, lifter, powerScale, floor } = options;
  if (!Number.isInteger(firstCoefficient) || !Number.isInteger(lastCoefficient) || firstCoefficient < 0 || lastCoefficient < firstCoefficient || lastCoefficient >= bandCount) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `MFCC range must satisfy 0 ≤ first ≤ last < ${bandCount}, got ${firstCoefficient}…${lastCoefficient}`);
  }
  if (!(lifter >= 0) || !(powerScale > 0) || !(floor > 0)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'MFCC lifter must be ≥ 0, powerScale and floor > 0');
  }
  const coefficientCount = lastCoefficient - firstCoefficient + 1;
  const weights = new Float64Array(coefficientCount * bandCount);
  const norm = Math.sqrt(2 / bandCount);
  for (let j = 0; j < coefficientCount; j++) {
    const i = firstCoefficient + j;
    const lift = lifter > 0 ? 1 + (lifter / 2) * Math.sin((Math.PI * i) / lifter) : 1;
    for (let m = 0; m < bandCount; m++) {
      weights[j * bandCount + m] = norm * lift * Math.cos((Math.PI * i * (m + 0.5)) / bandCount);
    }
  }
  return Object.freeze({ bandCount, coefficientCount, powerScale, floor, weights, logPower: new Float64Array(bandCount) });
}

/**
 * Liftered MFCCs c_first … c_last of one frame's mel band powers into out[offset …) (mfcc_sma[1..14], recipe 5.8).
 * @param table the DCT table
 * @param melPower band powers M_m on the [−1, 1] sample scale, B values
 * @param out destination row
 * @param offset first column written
 */
export function mfccInto(table: MfccTable, melPower: Float64Array, out: Float32Array, offset: number): void {
  const { bandCount, coefficientCount, powerScale, floor, weights, logPower } = table;
  for (let m = 0; m < bandCount; m++) logPower[m] = Math.log(Math.max(melPower[m] * powerScale, floor));
  for (let j = 0; j < coefficientCount; j++) {
    let c = 0;
    const base = j * bandCount;
    for (let m = 0; m < bandCount; m++) c += weights[base + m] * logPower[m];
    out[offset + j] = c;
  }
}
