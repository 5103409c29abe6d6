/*
 * Pitch-branch spectrum kernels (float64, WebAssembly SIMD128), the per-frame hot loops of recipe 5.3.1–5.3.2,
 * operation for operation the same as src/features/spectral-scale.ts and src/features/pitch-shs.ts (same operands,
 * same order; WebAssembly has no fused multiply-add, so every result is bit-identical to the TypeScript version):
 *   pitch_frame:  the Gaussian-windowed 60 ms frame float32(x·w) (the FFT's input, real-fft.c) and its energy Σ(x·w)²
 *                 (float64 products, sequential sum; pitch-branch.ts);
 *   magnitude:    |X_k| = √(re² + im²) from the interleaved float32 FFT output, in float64;
 *   octave_scale: peak enhancement, 1-2-1 smoothing, natural cubic spline onto the log2 grid (precomputed
 *                 elimination factors and interpolation weights), half-wave rectification, auditory weighting;
 *   shs_sum:      SS[j] = max(0, (Y[j] + Σ_{h≥1} c_h·Y[j + o_h]) / H) (terms with j + o_h ≥ n omitted), returns mean(SS);
 *   shs_peaks:    the K largest strict local maxima of SS.
 * Table layout of octave_scale (T = n float64 values per table, in this order): invDx, six, sig, invPiv, y2f, wa, wb,
 * ca, cb, weight; then `lo` as n int32 values.
 */
#include <wasm_simd128.h>

typedef double f64;

__attribute__((export_name("pitch_frame")))
f64 pitch_frame(const float *x, int n, const float *window, float *windowed) {
  f64 energy = 0;
  for (int i = 0; i < n; i++) {
    f64 v = (f64)x[i] * (f64)window[i]; /* exact: a product of two float32 */
    windowed[i] = (float)v;
    energy += v * v;
  }
  return energy;
}

__attribute__((export_name("magnitude")))
void magnitude(const float *spectrum, f64 *out, int bins) {
  int k = 0;
  for (; k + 2 <= bins; k += 2) {
    v128_t z = wasm_v128_load(spectrum + 2 * k); /* re0 im0 re1 im1 */
    v128_t re = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 0, 2, 0, 2));
    v128_t im = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(z, z, 1, 3, 1, 3));
    v128_t p = wasm_f64x2_add(wasm_f64x2_mul(re, re), wasm_f64x2_mul(im, im));
    wasm_v128_store(out + k, wasm_f64x2_sqrt(p));
  }
  for (; k < bins; k++) {
    f64 re = spectrum[2 * k], im = spectrum[2 * k + 1];
    out[k] = __builtin_sqrt(re * re + im * im);
  }
}

__attribute__((export_name("octave_scale")))
void octave_scale(int n, f64 *a, const f64 *tables, f64 *u, f64 *y2, f64 *out, long long *flags) {
  const f64 *invDx = tables, *six = tables + n, *sig = tables + 2 * n, *invPiv = tables + 3 * n;
  const f64 *y2f = tables + 4 * n, *wa = tables + 5 * n, *wb = tables + 6 * n, *ca = tables + 7 * n;
  const f64 *cb = tables + 8 * n, *weight = tables + 9 * n;
  const int *lo = (const int *)(tables + 10 * n);
  /* a) peak enhancement, branch-free: with the maxima flagged on the original values (bin 0 if a[0] > a[1], bin n−1
   * if a[n−1] > a[n−2]), bin k lies between consecutive maxima p < q with p+3 ≤ k ≤ q−3 exactly when first+3 ≤ k ≤
   * last−3 and no maximum is within 2 bins of k. `flags` holds n + 4 int64 masks (2 of zero padding on each side). */
  long long *pk = flags + 2;
  pk[-2] = pk[-1] = pk[n] = pk[n + 1] = 0;
  pk[0] = -(long long)(a[0] > a[1]);
  int i = 1;
  for (; i + 2 <= n - 1; i += 2) {
    v128_t c = wasm_v128_load(a + i);
    wasm_v128_store(pk + i, wasm_v128_and(wasm_f64x2_gt(c, wasm_v128_load(a + i - 1)), wasm_f64x2_ge(c, wasm_v128_load(a + i + 1))));
  }
  for (; i < n - 1; i++) pk[i] = -(long long)((a[i] > a[i - 1]) & (a[i] >= a[i + 1]));
  pk[n - 1] = -(long long)(a[n - 1] > a[n - 2]);
  int first = 0, last = n - 1;
  while (first < n && !pk[first]) first++;
  while (last > first && !pk[last]) last--;
  int k = first + 3;
  for (; k + 1 <= last - 3; k += 2) {
    v128_t near = wasm_v128_or(wasm_v128_or(wasm_v128_load(pk + k - 2), wasm_v128_load(pk + k - 1)),
                               wasm_v128_or(wasm_v128_load(pk + k), wasm_v128_or(wasm_v128_load(pk + k + 1), wasm_v128_load(pk + k + 2))));
    wasm_v128_store(a + k, wasm_v128_and(wasm_v128_load(a + k), near)); /* kept only near a maximum */
  }
  for (; k <= last - 3; k++) a[k] = (pk[k - 2] | pk[k - 1] | pk[k] | pk[k + 1] | pk[k + 2]) ? a[k] : 0;
  /* b) 1-2-1 smoothing (with the original left neighbour, a[n−1] kept) fused with c) the natural spline's forward
   * sweep of the right-hand side, which only needs the smoothed values up to i+1 */
  f64 e0 = a[0], e1 = a[1], e2 = a[2];
  f64 s0 = (0 + 2 * e0 + e1) / 4;
  f64 s1 = n - 1 > 1 ? (e0 + 2 * e1 + e2) / 4 : e1;
  a[0] = s0;
  a[1] = s1;
  u[0] = 0;
  f64 slopeLeft = (s1 - s0) * invDx[0];
  f64 ui = 0;
  for (int i = 1; i < n - 1; i++) {
    f64 e3 = i + 2 < n ? a[i + 2] : 0;
    f64 s2 = i + 1 < n - 1 ? (e1 + 2 * e2 + e3) / 4 : e2; /* smoothed a[i+1] */
    a[i + 1] = s2;
    f64 slopeRight = (s2 - s1) * invDx[i];
    ui = ((slopeRight - slopeLeft) * six[i] - sig[i] * ui) * invPiv[i];
    u[i] = ui;
    slopeLeft = slopeRight;
    e1 = e2;
    e2 = e3;
    s1 = s2;
  }
  f64 next = 0;
  y2[n - 1] = 0;
  for (int i = n - 2; i >= 0; i--) {
    next = y2f[i] * next + u[i];
    y2[i] = next;
  }
  /* d) evaluation, rectification, weighting; two targets per step (lanes = targets j, j+1) */
  int j = 0;
  for (; j + 2 <= n; j += 2) {
    int l0 = lo[j], l1 = lo[j + 1];
    v128_t a0 = wasm_v128_load(a + l0), a1 = wasm_v128_load(a + l1);    /* a[l], a[l+1] of each target */
    v128_t m0 = wasm_v128_load(y2 + l0), m1 = wasm_v128_load(y2 + l1);
    v128_t v = wasm_f64x2_add(wasm_f64x2_mul(wasm_v128_load(wa + j), wasm_i64x2_shuffle(a0, a1, 0, 2)),
                              wasm_f64x2_mul(wasm_v128_load(wb + j), wasm_i64x2_shuffle(a0, a1, 1, 3)));
    v = wasm_f64x2_add(v, wasm_f64x2_mul(wasm_v128_load(ca + j), wasm_i64x2_shuffle(m0, m1, 0, 2)));
    v = wasm_f64x2_add(v, wasm_f64x2_mul(wasm_v128_load(cb + j), wasm_i64x2_shuffle(m0, m1, 1, 3)));
    v128_t w = wasm_f64x2_mul(wasm_v128_load(weight + j), v);
    wasm_v128_store(out + j, wasm_v128_and(w, wasm_f64x2_gt(v, wasm_f64x2_splat(0))));
  }
  for (; j < n; j++) {
    int l = lo[j];
    f64 v = wa[j] * a[l] + wb[j] * a[l + 1] + ca[j] * y2[l] + cb[j] * y2[l + 1];
    out[j] = v > 0 ? weight[j] * v : 0;
  }
}

/* Sums harmonics 1 … m−1 onto acc for lanes j, j+1. */
static inline v128_t sum2(v128_t acc, const f64 *y, int j, int m, const int *off, const f64 *fac) {
  for (int h = 1; h < m; h++) {
    acc = wasm_f64x2_add(acc, wasm_f64x2_mul(wasm_f64x2_splat(fac[h]), wasm_v128_load(y + j + off[h])));
  }
  return acc;
}

static inline f64 clampAdd(v128_t acc, v128_t inv, f64 *ss, int j, f64 mean) {
  v128_t v = wasm_f64x2_div(acc, inv);
  v = wasm_v128_and(v, wasm_f64x2_gt(v, wasm_f64x2_splat(0))); /* v > 0 ? v : 0 (NaN → 0) */
  wasm_v128_store(ss + j, v);
  mean += wasm_f64x2_extract_lane(v, 0);
  return mean + wasm_f64x2_extract_lane(v, 1);
}

__attribute__((export_name("shs_sum")))
f64 shs_sum(int n, const f64 *y, int H, const int *off, const f64 *fac, f64 *ss) {
  const f64 harmonics = H;
  const v128_t inv = wasm_f64x2_splat(harmonics);
  f64 mean = 0;
  int j = 0;
  /* Region m: harmonics 0 … m−1 lie inside the grid, i.e. j < n − off[m−1] (offsets ascend). */
  for (int m = H; m >= 1; m--) {
    int end = n - off[m - 1];
    for (; j + 4 <= end; j += 4) {
      v128_t a0 = sum2(wasm_v128_load(y + j), y, j, m, off, fac);
      v128_t a1 = sum2(wasm_v128_load(y + j + 2), y, j + 2, m, off, fac);
      mean = clampAdd(a0, inv, ss, j, mean);
      mean = clampAdd(a1, inv, ss, j + 2, mean);
    }
    for (; j < end; j++) {
      f64 acc = y[j];
      for (int h = 1; h < m; h++) acc += fac[h] * y[j + off[h]];
      f64 v = acc / harmonics;
      v = v > 0 ? v : 0;
      ss[j] = v;
      mean += v;
    }
  }
  return mean / n;
}

/*
 * The K largest strict local maxima of ss (j = 1 … n−2) in descending order, equal values in ascending index order;
 * returns how many (≤ K). `maxima` is scratch of n int32.
 */
__attribute__((export_name("shs_peaks")))
int shs_peaks(int n, const f64 *ss, int K, int *maxima, int *topIndex, f64 *topValue) {
  int m = 0;
  for (int j = 1; j < n - 1; j++) {
    f64 v = ss[j];
    maxima[m] = j;
    m += (v > ss[j - 1]) & (v > ss[j + 1]);
  }
  int count = 0;
  for (int q = 0; q < m; q++) {
    int j = maxima[q];
    f64 v = ss[j];
    if (count == K && !(v > topValue[K - 1])) continue;
    int pos = count < K ? count++ : K - 1;
    while (pos > 0 && topValue[pos - 1] < v) {
      topValue[pos] = topValue[pos - 1];
      topIndex[pos] = topIndex[pos - 1];
      pos--;
    }
    topValue[pos] = v;
    topIndex[pos] = j;
  }
  return count;
}
