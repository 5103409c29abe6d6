/**
 * Spectral shape descriptors of the 20 ms power spectrum (recipe 5.7, openSMILE `cSpectral` with `squareInput=1
 * useLogSpectrum=0 oldSlopeScale=1 buggyRollOff=0`).
 *
 * P_k = |X_k|², range k = 1 … N/2 (DC excluded, Nyquist included), nBins = N/2, f_k = k·Δf, S = Σ P_k.
 *   rollOff(X)  = f of the first k with Σ_{j≤k} P_j ≥ X·S   (Δf in silence)
 *   flux        = √((1/nBins)·Σ (|X_k|_t − |X_k|_{t−1})²)
 *   centroid c  = Σ f·P / S;  variance σ² = Σ (f−c)²P / S;  skewness = Σ (f−c)³P / (Sσ³);  kurtosis = Σ (f−c)⁴P / (Sσ⁴)
 *   entropy     = −Σ p log₂ p,  p_k = max(P_k, 1e-7)/max(S, 1e-7)
 *   slope       = (nBins·Σ fP − Σf·S)/(nBins·Σf² − (Σf)²) · (nBins − 1)
 *   sharpness   = 0.11·Σ z_k·g(z_k)·P_k / S, z = Traunmüller Bark, g = 1 (z ≤ 16) else ((z−16)/4)^1.5849625 + 1
 *   harmonicity = Σ |P(e_i) − P(e_{i−1})| / 2 / nBins over the strict 5-point extrema e_i, k = 3 … N/2 − 2
 * Moments, slope and sharpness are 0 when S = 0 (and skewness/kurtosis when σ = 0), so silence is finite.
 * @see band-energy.ts
 */

/** Tables built once per FFT size and sample rate. */
export interface SpectralShapeTables {
  /** FFT size N. */
  readonly fftSize: number;
  /** Bin spacing Δf in Hz. */
  readonly binHz: number;
  /** nBins = N/2 (bins 1 … N/2). */
  readonly binCount: number;
  /** f_k = k·Δf for k = 0 … N/2. */
  readonly frequencyHz: Float64Array;
  /** 0.11·z(f_k)·g(z(f_k)) for k = 0 … N/2 (entry 0 unused). */
  readonly sharpnessWeight: Float64Array;
  /** Slope regression constants: Σf and nBins·Σf² − (Σf)² over the range. */
  readonly sumHz: number;
  readonly slopeDenominator: number;
  /** Per-call scratch of `spectralHarmonicity` (4 values; the tables are otherwise read-only). */
  readonly scratch: Float64Array;
}

/** Roll-off points as fractions of the total power (ComParE: 0.25, 0.50, 0.75, 0.90). */
export const ROLL_OFF_FRACTIONS: readonly number[] = Object.freeze([0.25, 0.5, 0.75, 0.9]);
/** Number of values written by `spectralShapeInto`: 4 roll-offs, flux … harmonicity (registry order). */
export const SPECTRAL_SHAPE_WIDTH = 13;

/** Traunmüller Bark z(f) with the low/high corrections used by openSMILE's sharpness (f in Hz > 0). */
export function barkOf(hz: number): number {
  const z = 26.81 / (1 + 1960 / hz) - 0.53;
  if (z < 2) return 0.85 * z + 0.3;
  if (z > 20.1) return 1.22 * z - 0.22 * 20.1;
  return z;
}

/** Builds the frequency, sharpness-weight and slope tables for an FFT of `fftSize` points at `sampleRateHz`. */
export function createSpectralShapeTables(sampleRateHz: number, fftSize: number): SpectralShapeTables {
  const binHz = sampleRateHz / fftSize;
  const binCount = fftSize / 2;
  const frequencyHz = new Float64Array(binCount + 1);
  const sharpnessWeight = new Float64Array(binCount + 1);
  let sumHz = 0;
  let sumHz2 = 0;
  for (let k = 0; k <= binCount; k++) {
    const f = k * binHz;
    frequencyHz[k] = f;
    if (k === 0) continue;
    const z = barkOf(f);
    const g = z <= 16 ? 1 : Math.pow((z - 16) / 4, 1.5849625) + 1;
    sharpnessWeight[k] = 0.11 * z * g;
    sumHz += f;
    sumHz2 += f * f;
  }
  const slopeDenominator = binCount * sumHz2 - sumHz * sumHz;
  return Object.freeze({ fftSize, binHz, binCount, frequencyHz, sharpnessWeight, sumHz, slopeDenominator, scratch: new Float64Array(4) });
}

/**
 * Spectral flux √((1/nBins)·Σ_{k=1}^{N/2} (|X_k| − |X'_k|)²) between consecutive magnitude spectra (unit of |X|).
 * @param magnitude |X_k| of this frame, N/2 + 1 values
 * @param previous |X_k| of the previous frame, N/2 + 1 values
 */
export function spectralFlux(magnitude: Float32Array, previous: Float32Array): number {
  const n = magnitude.length - 1;
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    const d = magnitude[k] - previous[k];
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}

/**
 * Spectral harmonicity Σ|P(e_i) − P(e_{i−1})|/2/nBins over strict 5-point local extrema e_i of P, k = 3 … N/2 − 2
 * (openSMILE `cSpectral harmonicity`; unit of |X|²).
 * Branch-free (extrema are unpredictable): the running sum and the previous extremum live in `scratch`, where each
 * step writes either the real slot or a junk slot, chosen by the 0/1 extremum flag.
 * @param power |X_k|², N/2 + 1 values
 * @param scratch 4 values of caller-owned scratch (overwritten)
 */
export function spectralHarmonicity(power: Float32Array, scratch: Float64Array = new Float64Array(4)): number {
  const last = power.length - 1;
  // scratch[0]: junk sum, [1]: sum, [2]: junk previous, [3]: previous extremum (−1: none yet)
  scratch[0] = 0;
  scratch[1] = 0;
  scratch[2] = -1;
  scratch[3] = -1;
  let previous = -1;
  let m2 = power[1];
  let m1 = power[2];
  let p = power[3];
  let p1 = power[4];
  for (let k = 3; k < last - 1; k++) {
    const p2 = power[k + 2];
    const extremum = (+(m2 < p) & +(m1 < p) & +(p > p1) & +(p > p2)) | (+(m2 > p) & +(m1 > p) & +(p < p1) & +(p < p2));
    scratch[extremum & +(previous >= 0)] += Math.abs(p - previous);
    scratch[2 + extremum] = p;
    previous = scratch[3];
    m2 = m1;
    m1 = p;
    p = p1;
    p1 = p2;
  }
  return scratch[1] / 2 / last;
}

/**
 * Spectral entropy −Σ p log₂ p with p_k = max(P_k, 1e-7)/max(S, 1e-7) over k = 1 … N/2 (bits; 0 in digital silence).
 * @param power |X_k|², N/2 + 1 values
 * @param total S = Σ_{k≥1} P_k
 */
export function spectralEntropy(power: Float32Array, total: number): number {
  const denominator = Math.max(total, 1e-7);
  let h = 0;
  for (let k = 1; k < power.length; k++) {
    const p = Math.max(power[k], 1e-7) / denominator;
    h -= p * Math.log(p);
  }
  return h * Math.LOG2E; // natural log per bin is cheaper than log2 in V8
}

/**
 * Writes the 13 spectral-shape values in registry order — roll-off 25/50/75/90 % (Hz), flux, centroid (Hz), entropy
 * (bits), variance (Hz²), skewness, kurtosis, slope, psySharpness, harmonicity — into out[offset … offset+13)
 * (recipe 5.7). Moments are computed once and shared.
 * @param tables tables for this FFT size
 * @param magnitude |X_k|, N/2 + 1 values
 * @param power |X_k|², N/2 + 1 values
 * @param previousMagnitude |X_k| of the previous frame, or null in the first frame (flux = 0)
 * @param out destination row
 * @param offset first column written
 */
export function spectralShapeInto(
  tables: SpectralShapeTables,
  magnitude: Float32Array,
  power: Float32Array,
  previousMagnitude: Float32Array | null,
  out: Float32Array,
  offset: number,
): void {
  const { binCount, frequencyHz, sharpnessWeight } = tables;
  let total = 0;
  let sumFP = 0;
  let sumSharp = 0;
  for (let k = 1; k <= binCount; k++) {
    const p = power[k];
    total += p;
    sumFP += frequencyHz[k] * p;
    sumSharp += sharpnessWeight[k] * p;
  }

  // Roll-offs: one cumulative pass, all four thresholds.
  let r = 0;
  let cumulative = 0;
  for (let k = 1; k <= binCount && r < ROLL_OFF_FRACTIONS.length; k++) {
    cumulative += power[k];
    while (r < ROLL_OFF_FRACTIONS.length && cumulative >= ROLL_OFF_FRACTIONS[r] * total) out[offset + r++] = frequencyHz[k];
  }
  // Rounding can leave the cumulative sum just below X·S for X close to 1: such a threshold falls in the last bin.
  while (r < ROLL_OFF_FRACTIONS.length) out[offset + r++] = frequencyHz[binCount];

  out[offset + 4] = previousMagnitude === null ? 0 : spectralFlux(magnitude, previousMagnitude);

  let centroid = 0;
  let variance = 0;
  let skewness = 0;
  let kurtosis = 0;
  let slope = 0;
  let sharpness = 0;
  if (total > 0) {
    centroid = sumFP / total;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (let k = 1; k <= binCount; k++) {
      const d = frequencyHz[k] - centroid;
      const d2p = d * d * power[k];
      m2 += d2p;
      m3 += d * d2p;
      m4 += d * d * d2p;
    }
    variance = m2 / total;
    if (variance > 0) {
      skewness = m3 / (total * variance * Math.sqrt(variance));
      kurtosis = m4 / (total * variance * variance);
    }
    slope = ((binCount * sumFP - tables.sumHz * total) / tables.slopeDenominator) * (binCount - 1);
    sharpness = sumSharp / total;
  }
  out[offset + 5] = centroid;
  out[offset + 6] = spectralEntropy(power, total);
  out[offset + 7] = variance;
  out[offset + 8] = skewness;
  out[offset + 9] = kurtosis;
  out[offset + 10] = slope;
  out[offset + 11] = sharpness;
  out[offset + 12] = spectralHarmonicity(power, tables.scratch);
}
