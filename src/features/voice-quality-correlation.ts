/**
 * Adjacent-segment Pearson correlation over a range of lags, the inner kernel of the period scan (recipe 5.4 step 3;
 * openSMILE `cPitchJitter`).
 *
 * For a scan position s and lag ℓ: c(ℓ) = Σ a·b / (√Σa² · √Σb²) with a = y[s … s+ℓ−1], b = y[s+ℓ … s+2ℓ−1], both
 * mean-removed. Prefix sums of y and y² (float64, built once per frame by `prepare`) give the means and energies in
 * O(1), so only the raw cross product Σ y[s+n]·y[s+ℓ+n] is O(ℓ):
 *   Σab = Σ y_a y_b − (Σy_a)(Σy_b)/ℓ,  Σa² = Σ y_a² − (Σy_a)²/ℓ.
 * A segment whose energy is zero up to rounding (digital silence, a constant) gets c = NaN, which never wins a
 * comparison, as in the reference.
 * @see voice-quality.ts
 */

export interface LagCorrelation {
  /**
   * Builds the prefix sums of y = x[base … base+n−1] for the following `correlate` calls.
   * @param x samples (float32, not modified)
   * @param base index in x of y[0]
   * @param n segment length in samples, ≤ the factory's capacity
   */
  prepare(x: Float32Array, base: number, n: number): void;
  /**
   * Writes c(lo + i) for i = 0 … count−1 into out[0 … count−1] (needs s + 2·(lo+count−1) ≤ n).
   * @param x the same array as given to `prepare`
   * @param s scan position inside y
   * @param lo smallest lag in samples (≥ 1)
   * @param count number of lags
   * @param out correlations, length ≥ count
   */
  correlate(x: Float32Array, s: number, lo: number, count: number, out: Float64Array): void;
}

/** Relative energy below which a segment counts as silent (double rounding noise of the prefix sums). */
const SILENT_RELATIVE_ENERGY = 1e-12;

/** Raw cross product Σ_{n<len} x[a+n]·x[b+n] in float64, four independent accumulators. */
export function crossProduct(x: Float32Array, a: number, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end4 = a + (len & ~3);
  let j = b;
  let i = a;
  for (; i < end4; i += 4, j += 4) {
    s0 += x[i] * x[j];
    s1 += x[i + 1] * x[j + 1];
    s2 += x[i + 2] * x[j + 2];
    s3 += x[i + 3] * x[j + 3];
  }
  const end = a + len;
  for (; i < end; i++, j++) s0 += x[i] * x[j];
  return (s0 + s1) + (s2 + s3);
}

/** Lag-correlation kernel with prefix-sum scratch for segments of up to `capacity` samples. */
export function createLagCorrelation(capacity: number): LagCorrelation {
  const sum1 = new Float64Array(capacity + 1);
  const sum2 = new Float64Array(capacity + 1);
  let base = 0;
  let silentEnergy = 0;

  return {
    prepare(x, b, n) {
      base = b;
      let a1 = 0;
      let a2 = 0;
      for (let i = 0; i < n; i++) {
        const v = x[b + i];
        a1 += v;
        a2 += v * v;
        sum1[i + 1] = a1;
        sum2[i + 1] = a2;
      }
      silentEnergy = SILENT_RELATIVE_ENERGY * a2;
    },
    correlate(x, s, lo, count, out) {
      for (let i = 0; i < count; i++) {
        const lag = lo + i;
        const m = s + lag;
        const e = m + lag;
        const sa = sum1[m] - sum1[s];
        const sb = sum1[e] - sum1[m];
        const ea = sum2[m] - sum2[s] - (sa * sa) / lag;
        const eb = sum2[e] - sum2[m] - (sb * sb) / lag;
        if (!(ea > silentEnergy) || !(eb > silentEnergy)) {
          out[i] = NaN;
          continue;
        }
        const cross = crossProduct(x, base + s, base + m, lag) - (sa * sb) / lag;
        out[i] = cross / (Math.sqrt(ea) * Math.sqrt(eb));
      }
    },
  };
}
