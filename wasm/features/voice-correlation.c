/*
 * Adjacent-segment lag correlation of the voice-quality period scan (recipe 5.4 step 3), operation for operation the
 * same as src/features/voice-quality-correlation.ts (bit-identical, test/features/voice-correlation-wasm.test.ts):
 *   lag_prepare:   prefix sums of y and y² (float64, sequential) of the scan segment y[0 … n);
 *   lag_correlate: c(ℓ) = (Σ y_a y_b − Σy_a Σy_b/ℓ) / (√(Σy_a² − (Σy_a)²/ℓ) · √(Σy_b² − (Σy_b)²/ℓ)) for ℓ = lo … lo+count−1,
 *                  NaN where a segment's energy is not above `silent`. The raw cross product keeps the TypeScript
 *                  grouping: four accumulators over n mod 4 = 0 … 3 (two float64x2 lanes pairs), tail into the first,
 *                  summed as (s0 + s1) + (s2 + s3).
 */
#include <wasm_simd128.h>

typedef double f64;

/* Σ_{k<len} y[a+k]·y[b+k] with crossProduct's accumulator grouping. */
static f64 cross_product(const float *y, int a, int b, int len) {
  v128_t s01 = wasm_f64x2_splat(0), s23 = wasm_f64x2_splat(0);
  int k = 0;
  for (; k + 4 <= len; k += 4) {
    v128_t ya = wasm_v128_load(y + a + k), yb = wasm_v128_load(y + b + k);
    s01 = wasm_f64x2_add(s01, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(ya), wasm_f64x2_promote_low_f32x4(yb)));
    v128_t ha = wasm_i32x4_shuffle(ya, ya, 2, 3, 2, 3), hb = wasm_i32x4_shuffle(yb, yb, 2, 3, 2, 3);
    s23 = wasm_f64x2_add(s23, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(ha), wasm_f64x2_promote_low_f32x4(hb)));
  }
  f64 s0 = wasm_f64x2_extract_lane(s01, 0), s1 = wasm_f64x2_extract_lane(s01, 1);
  f64 s2 = wasm_f64x2_extract_lane(s23, 0), s3 = wasm_f64x2_extract_lane(s23, 1);
  for (; k < len; k++) s0 += (f64)y[a + k] * (f64)y[b + k];
  return (s0 + s1) + (s2 + s3);
}

/* sum1[i+1] = Σ_{j≤i} y[j], sum2[i+1] = Σ_{j≤i} y[j]² (sum1[0], sum2[0] untouched); returns Σy² of the segment. */
__attribute__((export_name("lag_prepare")))
f64 lag_prepare(const float *y, int n, f64 *sum1, f64 *sum2) {
  f64 a1 = 0, a2 = 0;
  for (int i = 0; i < n; i++) {
    f64 v = y[i];
    a1 += v;
    a2 += v * v;
    sum1[i + 1] = a1;
    sum2[i + 1] = a2;
  }
  return a2;
}

__attribute__((export_name("lag_correlate")))
void lag_correlate(const float *y, const f64 *sum1, const f64 *sum2, int s, int lo, int count, f64 silent, f64 *out) {
  for (int i = 0; i < count; i++) {
    int lag = lo + i, m = s + lag, e = m + lag;
    f64 sa = sum1[m] - sum1[s], sb = sum1[e] - sum1[m];
    f64 ea = sum2[m] - sum2[s] - (sa * sa) / lag;
    f64 eb = sum2[e] - sum2[m] - (sb * sb) / lag;
    if (!(ea > silent) || !(eb > silent)) {
      out[i] = __builtin_nan("");
      continue;
    }
    f64 cross = cross_product(y, s, m, lag) - (sa * sb) / lag;
    out[i] = cross / (__builtin_sqrt(ea) * __builtin_sqrt(eb));
  }
}
