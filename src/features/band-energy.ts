/**
 * Band energies of the power spectrum (recipe 5.7, openSMILE `cSpectral bands[i]=lo-hi`, `squareInput=1
 * normBandEnergies=0`).
 *
 *   fband(lo, hi) = (w_l·P_l + Σ_{l<k<r} P_k + w_r·P_r) / nBins,  nBins = N/2 (the whole spectrum's bin count)
 * with l = ii − 1 where ii is the first bin with f > lo and w_l = (f_ii − lo)/Δf; r = jj if f_jj = hi, else jj − 1, where
 * jj is the first bin with f ≥ hi, and w_r = (hi − f_{jj−1})/Δf. A weight that comes out 0 is replaced by 1.
 * @see spectral-shape.ts
 */
import { EmostreamError } from '../errors.ts';

/** Precomputed edge bins and weights of one band, for one FFT size and sample rate. */
export interface BandEnergyTable {
  readonly lowHz: number;
  readonly highHz: number;
  readonly leftBin: number;
  readonly leftWeight: number;
  readonly rightBin: number;
  readonly rightWeight: number;
  /** Divisor: N/2. */
  readonly binCount: number;
}

/**
 * Builds the edge table of band [lowHz, highHz] for an FFT of `fftSize` points.
 * @param lowHz lower edge in Hz, ≥ 0
 * @param highHz upper edge in Hz, lowHz < highHz ≤ fs/2
 * @param sampleRateHz sample rate in Hz
 * @param fftSize FFT size N
 */
export function createBandEnergyTable(lowHz: number, highHz: number, sampleRateHz: number, fftSize: number): BandEnergyTable {
  const binHz = sampleRateHz / fftSize;
  const last = fftSize / 2;
  if (!(lowHz >= 0 && lowHz + binHz <= highHz && highHz <= sampleRateHz / 2)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `band ${lowHz}–${highHz} Hz must lie inside 0 … ${sampleRateHz / 2} Hz and span a bin`);
  }
  let ii = 1;
  while (ii * binHz <= lowHz) ii++;
  let leftWeight = (ii * binHz - lowHz) / binHz;
  if (leftWeight === 0) leftWeight = 1;
  let jj = ii;
  while (jj < last && jj * binHz < highHz) jj++;
  const rightBin = jj * binHz === highHz ? jj : jj - 1;
  let rightWeight = (highHz - (jj - 1) * binHz) / binHz;
  if (rightWeight === 0) rightWeight = 1;
  return Object.freeze({ lowHz, highHz, leftBin: ii - 1, leftWeight, rightBin, rightWeight, binCount: last });
}

/**
 * Band energy (power per whole-spectrum bin, unit of |X|²) of one band (pcm_fftMag_fband<lo>-<hi>, recipe 5.7).
 * @param table the band's edge table
 * @param power power spectrum |X_k|², N/2 + 1 values
 */
export function bandEnergy(table: BandEnergyTable, power: Float32Array): number {
  const { leftBin, rightBin } = table;
  let sum = table.leftWeight * power[leftBin] + table.rightWeight * power[rightBin];
  for (let k = leftBin + 1; k < rightBin; k++) sum += power[k];
  return sum / table.binCount;
}
