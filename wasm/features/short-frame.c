/*
 * Short-frame (20 ms) branch kernels (WebAssembly SIMD128), the per-frame bin loops of recipe 5.5–5.7, operation for
 * operation the same as the TypeScript modules they replace in the hot path (same operands, same order, float64
 * arithmetic on float32 inputs, float32 stores where TypeScript stores into a Float32Array; WebAssembly has no fused
 * multiply-add), so every result is bit-identical (test/features/short-frame-wasm.test.ts):
 *   short_time:     pcm_RMSenergy and pcm_zcr (src/features/energy.ts) and the Hamming-windowed frame
 *                   (short-frame-branch.ts);
 *   short_spectrum: |X|² and |X| from the interleaved float32 FFT output (short-frame-branch.ts), the mel band powers
 *                   (mel-filterbank.ts applyMelFilterbank), the two band energies (band-energy.ts) and the spectral
 *                   shape values of spectral-shape.ts except the entropy (its per-bin logarithm stays with V8's
 *                   Math.log in TypeScript; this kernel returns the total power it needs).
 * Sums are accumulated in the TypeScript order (sequential, never split into SIMD lanes); SIMD is used only where
 * lanes are independent: windowing, |X|²/|X|, and the zero-crossing count (an integer).
 */
#include <wasm_simd128.h>

typedef double f64;

/* Output slots of short_spectrum (float64). */
enum {
  OUT_FBAND_LOW = 0, OUT_FBAND_HIGH, OUT_ROLLOFF, OUT_FLUX = OUT_ROLLOFF + 4, OUT_CENTROID, OUT_ENTROPY_UNUSED,
  OUT_VARIANCE, OUT_SKEWNESS, OUT_KURTOSIS, OUT_SLOPE, OUT_SHARPNESS, OUT_HARMONICITY, OUT_TOTAL
};

/* Zero crossings of x[0 … n) as cMZcr counts them (energy.ts): for i = 1 … n−2, x[i−1]·x[i] < 0, or x[i] = 0 and
 * x[i−1]·x[i+1] ≤ 0. Products of float32 values are exact in float64, so the sign tests below are equivalent. */
static int zero_crossings(const float *x, int n) {
  const v128_t zero = wasm_f32x4_splat(0);
  v128_t count = wasm_i32x4_splat(0);
  int i = 1;
  for (; i + 4 <= n - 1; i += 4) {
    v128_t prev = wasm_v128_load(x + i - 1), cur = wasm_v128_load(x + i), next = wasm_v128_load(x + i + 1);
    v128_t pNeg = wasm_f32x4_lt(prev, zero), pPos = wasm_f32x4_gt(prev, zero);
    v128_t cNeg = wasm_f32x4_lt(cur, zero), cPos = wasm_f32x4_gt(cur, zero);
    v128_t nNeg = wasm_f32x4_lt(next, zero), nPos = wasm_f32x4_gt(next, zero);
    v128_t strict = wasm_v128_or(wasm_v128_and(pNeg, cPos), wasm_v128_and(pPos, cNeg));
    v128_t curZero = wasm_f32x4_eq(cur, zero);
    /* x[i−1]·x[i+1] ≤ 0: not both strictly positive and not both strictly negative */
    v128_t outerNonPositive = wasm_v128_not(wasm_v128_or(wasm_v128_and(pNeg, nNeg), wasm_v128_and(pPos, nPos)));
    v128_t crossing = wasm_v128_or(strict, wasm_v128_and(curZero, outerNonPositive));
    count = wasm_i32x4_sub(count, crossing); /* lanes are 0 or −1 */
  }
  int total = wasm_i32x4_extract_lane(count, 0) + wasm_i32x4_extract_lane(count, 1) +
              wasm_i32x4_extract_lane(count, 2) + wasm_i32x4_extract_lane(count, 3);
  for (; i < n - 1; i++) {
    f64 prev = x[i - 1], cur = x[i];
    total += (prev * cur < 0) | ((cur == 0) & (prev * (f64)x[i + 1] <= 0));
  }
  return total;
}

/* One frame's time-domain work: out[0] = RMS of x[0 … S) (√(Σx²/S), sequential float64 sum), out[1] = ZCR of
 * x[0 … L) (crossings / L), windowed[i] = float32(x[i]·w[i]) for i < S. */
__attribute__((export_name("short_time")))
void short_time(const float *x, int S, int L, const float *window, float *windowed, f64 *out) {
  f64 sum = 0;
  for (int i = 0; i < S; i++) sum += (f64)x[i] * (f64)x[i];
  out[0] = __builtin_sqrt(sum / S);
  out[1] = (f64)zero_crossings(x, L) / L;
  int i = 0;
  for (; i + 4 <= S; i += 4) {
    wasm_v128_store(windowed + i, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(window + i)));
  }
  for (; i < S; i++) windowed[i] = x[i] * window[i]; /* float32 product = the float64 product rounded once */
}

/* |X_k|² (float64 then stored as float32) and |X_k| = float32(√ of the float64 power) for k < bins. */
static void power_and_magnitude(const float *spectrum, int bins, float *power, float *magnitude) {
  int k = 0;
  for (; k + 2 <= bins; k += 2) {
    v128_t z = wasm_v128_load(spectrum + 2 * k); /* re0 im0 re1 im1 */
    v128_t re = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 0, 2, 0, 2));
    v128_t im = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 1, 3, 1, 3));
    v128_t p = wasm_f64x2_add(wasm_f64x2_mul(re, re), wasm_f64x2_mul(im, im));
    wasm_v128_store64_lane(power + k, wasm_f32x4_demote_f64x2_zero(p), 0);
    wasm_v128_store64_lane(magnitude + k, wasm_f32x4_demote_f64x2_zero(wasm_f64x2_sqrt(p)), 0);
  }
  for (; k < bins; k++) {
    f64 re = spectrum[2 * k], im = spectrum[2 * k + 1];
    f64 p = re * re + im * im;
    power[k] = (float)p;
    magnitude[k] = (float)__builtin_sqrt(p);
  }
}

/* Mel band powers M_b = Σ_k w_{b,k}·P_k (applyMelFilterbank): bins first … end−1, lower band b = lower[k−first]
 * (−1: none) with weight w, band b+1 with 1 − w, accumulated in ascending k. */
static void mel_bands(const float *power, int first, int end, const int *lower, const f64 *weight, int bands, f64 *mel) {
  for (int b = 0; b < bands; b++) mel[b] = 0;
  for (int k = first; k < end; k++) {
    int i = k - first, b = lower[i];
    f64 p = power[k], w = weight[i];
    if (b >= 0) mel[b] += p * w;
    if (b + 1 < bands) mel[b + 1] += p * (1 - w);
  }
}

/* Band energy (wl·P_l + Σ_{l<k<r} P_k + wr·P_r) / divisor (band-energy.ts). */
static f64 band_energy(const float *power, int left, f64 leftWeight, int right, f64 rightWeight, f64 divisor) {
  f64 sum = leftWeight * power[left] + rightWeight * power[right];
  for (int k = left + 1; k < right; k++) sum += power[k];
  return sum / divisor;
}

/* Spectral harmonicity (spectral-shape.ts spectralHarmonicity): Σ|P(e_i) − P(e_{i−1})| / 2 / last over the strict
 * 5-point extrema e_i of P, k = 3 … last−2, last = bins − 1. */
static f64 harmonicity(const float *power, int bins) {
  int last = bins - 1;
  f64 sum = 0, previous = -1;
  f64 m2 = power[1], m1 = power[2], p = power[3], p1 = power[4];
  for (int k = 3; k < last - 1; k++) {
    f64 p2 = power[k + 2];
    int extremum = ((m2 < p) & (m1 < p) & (p > p1) & (p > p2)) | ((m2 > p) & (m1 > p) & (p < p1) & (p < p2));
    /* selects, not branches: extrema are unpredictable (adding +0.0 leaves the non-negative sum unchanged) */
    f64 step = __builtin_fabs(p - previous);
    sum += (extremum & (previous >= 0)) ? step : 0.0;
    previous = extremum ? p : previous;
    m2 = m1; m1 = p; p = p1; p1 = p2;
  }
  return sum / 2 / last;
}

/* Roll-offs, flux, centroid, moments, slope, sharpness and harmonicity (spectralShapeInto without the entropy) of
 * P = power, |X| = magnitude over k = 1 … n (n = bins − 1), into out[OUT_ROLLOFF …]; out[OUT_TOTAL] = S = Σ P_k. */
static void spectral_shape(const float *power, const float *magnitude, const float *previous, int bins,
                           const f64 *frequencyHz, const f64 *sharpnessWeight, f64 sumHz, f64 slopeDenominator,
                           const f64 *rollOff, f64 *out) {
  int n = bins - 1;
  f64 total = 0, sumFP = 0, sumSharp = 0;
  for (int k = 1; k <= n; k++) {
    f64 p = power[k];
    total += p;
    sumFP += frequencyHz[k] * p;
    sumSharp += sharpnessWeight[k] * p;
  }
  int r = 0;
  f64 cumulative = 0;
  for (int k = 1; k <= n && r < 4; k++) {
    cumulative += power[k];
    while (r < 4 && cumulative >= rollOff[r] * total) out[OUT_ROLLOFF + r++] = frequencyHz[k];
  }
  while (r < 4) out[OUT_ROLLOFF + r++] = frequencyHz[n];

  f64 flux = 0;
  if (previous) {
    f64 sum = 0;
    for (int k = 1; k <= n; k++) {
      f64 d = (f64)magnitude[k] - (f64)previous[k];
      sum += d * d;
    }
    flux = __builtin_sqrt(sum / n);
  }
  out[OUT_FLUX] = flux;

  f64 centroid = 0, variance = 0, skewness = 0, kurtosis = 0, slope = 0, sharpness = 0;
  if (total > 0) {
    centroid = sumFP / total;
    f64 m2 = 0, m3 = 0, m4 = 0;
    for (int k = 1; k <= n; k++) {
      f64 d = frequencyHz[k] - centroid;
      f64 d2p = d * d * (f64)power[k];
      m2 += d2p;
      m3 += d * d2p;
      m4 += d * d * d2p;
    }
    variance = m2 / total;
    if (variance > 0) {
      skewness = m3 / (total * variance * __builtin_sqrt(variance));
      kurtosis = m4 / (total * variance * variance);
    }
    slope = ((n * sumFP - sumHz * total) / slopeDenominator) * (n - 1);
    sharpness = sumSharp / total;
  }
  out[OUT_CENTROID] = centroid;
  out[OUT_VARIANCE] = variance;
  out[OUT_SKEWNESS] = skewness;
  out[OUT_KURTOSIS] = kurtosis;
  out[OUT_SLOPE] = slope;
  out[OUT_SHARPNESS] = sharpness;
  out[OUT_HARMONICITY] = harmonicity(power, bins);
  out[OUT_TOTAL] = total;
}

/* One frame's spectral work (see the header). `previous` is the previous frame's |X| or 0 (first frame: flux 0).
 * bandInts = {left0, right0, left1, right1}, bandDoubles = {leftWeight0, rightWeight0, leftWeight1, rightWeight1,
 * divisor}, shapeDoubles = {sumHz, slopeDenominator, rollOff[4]}. */
__attribute__((export_name("short_spectrum")))
void short_spectrum(const float *spectrum, int bins, float *power, float *magnitude, const float *previous,
                    int melFirst, int melEnd, const int *melLower, const f64 *melWeight, int bandCount, f64 *mel,
                    const int *bandInts, const f64 *bandDoubles, const f64 *frequencyHz, const f64 *sharpnessWeight,
                    const f64 *shapeDoubles, f64 *out) {
  power_and_magnitude(spectrum, bins, power, magnitude);
  mel_bands(power, melFirst, melEnd, melLower, melWeight, bandCount, mel);
  out[OUT_FBAND_LOW] = band_energy(power, bandInts[0], bandDoubles[0], bandInts[1], bandDoubles[1], bandDoubles[4]);
  out[OUT_FBAND_HIGH] = band_energy(power, bandInts[2], bandDoubles[2], bandInts[3], bandDoubles[3], bandDoubles[4]);
  spectral_shape(power, magnitude, previous, bins, frequencyHz, sharpnessWeight, shapeDoubles[0], shapeDoubles[1],
                 shapeDoubles + 2, out);
}
