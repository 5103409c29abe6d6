/*
 * Forward real FFT (WebAssembly SIMD128) computing exactly what KissFFT's kiss_fftr computes in float32 (the
 * algorithm of Mark Borgerding's KissFFT, re-implemented; bit-identical, test/features/real-fft-wasm.test.ts):
 *   X_k = Σ_n x[n]·e^{−2πikn/N}, k = 0 … N/2, unnormalised, N = 2n a power of two ≥ 8.
 * The N reals are read as n complex values z[j] = x[2j] + i·x[2j+1]; a mixed-radix (4, then 2) decimation-in-time
 * complex FFT of size n gives Z; the split step X_k = ½((Z_k + Z*_{n−k}) + W_k·(Z_k − Z*_{n−k})) with the "super
 * twiddles" W_k = e^{−iπ((k)/n + ½)} gives the half spectrum. Every butterfly performs KissFFT's float32 operations
 * in KissFFT's order (kf_bfly4, kf_bfly2, kiss_fftr), with its twiddles (cos/sin of the same phases, built in
 * TypeScript: real-fft-wasm.ts), so each output value is the same float32.
 *
 * Plan (built once per size by real-fft-wasm.ts): perm[q] = complex input index of leaf position q (KissFFT's
 * recursive reordering); levels from the deepest (last factor) to the top, level l with radix[l] ∈ {2, 4} and span
 * m = span[l]; per level its twiddles as contiguous float32 runs (radix 4: W1r W1i W2r W2i W3r W3i, radix 2: W1r W1i,
 * m values each, W_j[k] = e^{−2πi·j·k·stride/n}); superTwiddles: n/2 complex values (re, im interleaved).
 * Work arrays re/im: n float32 each (split real and imaginary parts, so butterflies vectorise over k).
 */
#include <wasm_simd128.h>

/* 4 radix-4 butterflies (k … k+3 of a group), the KissFFT kf_bfly4 forward sequence lane by lane. */
static void bfly4_simd(float *re, float *im, int k, int m, const float *w) {
  v128_t a0r = wasm_v128_load(re + k), a0i = wasm_v128_load(im + k);
  v128_t a1r = wasm_v128_load(re + k + m), a1i = wasm_v128_load(im + k + m);
  v128_t a2r = wasm_v128_load(re + k + 2 * m), a2i = wasm_v128_load(im + k + 2 * m);
  v128_t a3r = wasm_v128_load(re + k + 3 * m), a3i = wasm_v128_load(im + k + 3 * m);
  v128_t w1r = wasm_v128_load(w + k), w1i = wasm_v128_load(w + m + k);
  v128_t w2r = wasm_v128_load(w + 2 * m + k), w2i = wasm_v128_load(w + 3 * m + k);
  v128_t w3r = wasm_v128_load(w + 4 * m + k), w3i = wasm_v128_load(w + 5 * m + k);
  /* scratch0..2 = C_MUL(F[m], tw1), C_MUL(F[2m], tw2), C_MUL(F[3m], tw3): r = ar·br − ai·bi, i = ar·bi + ai·br */
  v128_t s0r = wasm_f32x4_sub(wasm_f32x4_mul(a1r, w1r), wasm_f32x4_mul(a1i, w1i));
  v128_t s0i = wasm_f32x4_add(wasm_f32x4_mul(a1r, w1i), wasm_f32x4_mul(a1i, w1r));
  v128_t s1r = wasm_f32x4_sub(wasm_f32x4_mul(a2r, w2r), wasm_f32x4_mul(a2i, w2i));
  v128_t s1i = wasm_f32x4_add(wasm_f32x4_mul(a2r, w2i), wasm_f32x4_mul(a2i, w2r));
  v128_t s2r = wasm_f32x4_sub(wasm_f32x4_mul(a3r, w3r), wasm_f32x4_mul(a3i, w3i));
  v128_t s2i = wasm_f32x4_add(wasm_f32x4_mul(a3r, w3i), wasm_f32x4_mul(a3i, w3r));
  v128_t s5r = wasm_f32x4_sub(a0r, s1r), s5i = wasm_f32x4_sub(a0i, s1i);
  a0r = wasm_f32x4_add(a0r, s1r);
  a0i = wasm_f32x4_add(a0i, s1i);
  v128_t s3r = wasm_f32x4_add(s0r, s2r), s3i = wasm_f32x4_add(s0i, s2i);
  v128_t s4r = wasm_f32x4_sub(s0r, s2r), s4i = wasm_f32x4_sub(s0i, s2i);
  wasm_v128_store(re + k + 2 * m, wasm_f32x4_sub(a0r, s3r));
  wasm_v128_store(im + k + 2 * m, wasm_f32x4_sub(a0i, s3i));
  wasm_v128_store(re + k, wasm_f32x4_add(a0r, s3r));
  wasm_v128_store(im + k, wasm_f32x4_add(a0i, s3i));
  wasm_v128_store(re + k + m, wasm_f32x4_add(s5r, s4i));
  wasm_v128_store(im + k + m, wasm_f32x4_sub(s5i, s4r));
  wasm_v128_store(re + k + 3 * m, wasm_f32x4_sub(s5r, s4i));
  wasm_v128_store(im + k + 3 * m, wasm_f32x4_add(s5i, s4r));
}

/* One radix-4 butterfly k of a group (same operations as bfly4_simd, one lane). */
static void bfly4_scalar(float *re, float *im, int k, int m, const float *w) {
  float a0r = re[k], a0i = im[k], a1r = re[k + m], a1i = im[k + m];
  float a2r = re[k + 2 * m], a2i = im[k + 2 * m], a3r = re[k + 3 * m], a3i = im[k + 3 * m];
  float w1r = w[k], w1i = w[m + k], w2r = w[2 * m + k], w2i = w[3 * m + k], w3r = w[4 * m + k], w3i = w[5 * m + k];
  float s0r = a1r * w1r - a1i * w1i, s0i = a1r * w1i + a1i * w1r;
  float s1r = a2r * w2r - a2i * w2i, s1i = a2r * w2i + a2i * w2r;
  float s2r = a3r * w3r - a3i * w3i, s2i = a3r * w3i + a3i * w3r;
  float s5r = a0r - s1r, s5i = a0i - s1i;
  a0r += s1r;
  a0i += s1i;
  float s3r = s0r + s2r, s3i = s0i + s2i, s4r = s0r - s2r, s4i = s0i - s2i;
  re[k + 2 * m] = a0r - s3r;
  im[k + 2 * m] = a0i - s3i;
  re[k] = a0r + s3r;
  im[k] = a0i + s3i;
  re[k + m] = s5r + s4i;
  im[k + m] = s5i - s4r;
  re[k + 3 * m] = s5r - s4i;
  im[k + 3 * m] = s5i + s4r;
}

/* One radix-2 butterfly k of a group (kf_bfly2): t = F[m]·tw1, F[m] = F − t, F = F + t. */
static void bfly2_scalar(float *re, float *im, int k, int m, const float *w) {
  float br = re[k + m], bi = im[k + m], wr = w[k], wi = w[m + k];
  float tr = br * wr - bi * wi, ti = br * wi + bi * wr;
  re[k + m] = re[k] - tr;
  im[k + m] = im[k] - ti;
  re[k] += tr;
  im[k] += ti;
}

/* The radix-4 butterfly of bfly4_simd on 4 lanes already gathered (a_j = element j of each lane's butterfly) with
 * per-lane twiddles w1 … w3; results back into a0 … a3. */
static void bfly4_lanes(v128_t *ar, v128_t *ai, v128_t w1r, v128_t w1i, v128_t w2r, v128_t w2i, v128_t w3r, v128_t w3i) {
  v128_t s0r = wasm_f32x4_sub(wasm_f32x4_mul(ar[1], w1r), wasm_f32x4_mul(ai[1], w1i));
  v128_t s0i = wasm_f32x4_add(wasm_f32x4_mul(ar[1], w1i), wasm_f32x4_mul(ai[1], w1r));
  v128_t s1r = wasm_f32x4_sub(wasm_f32x4_mul(ar[2], w2r), wasm_f32x4_mul(ai[2], w2i));
  v128_t s1i = wasm_f32x4_add(wasm_f32x4_mul(ar[2], w2i), wasm_f32x4_mul(ai[2], w2r));
  v128_t s2r = wasm_f32x4_sub(wasm_f32x4_mul(ar[3], w3r), wasm_f32x4_mul(ai[3], w3i));
  v128_t s2i = wasm_f32x4_add(wasm_f32x4_mul(ar[3], w3i), wasm_f32x4_mul(ai[3], w3r));
  v128_t s5r = wasm_f32x4_sub(ar[0], s1r), s5i = wasm_f32x4_sub(ai[0], s1i);
  v128_t a0r = wasm_f32x4_add(ar[0], s1r), a0i = wasm_f32x4_add(ai[0], s1i);
  v128_t s3r = wasm_f32x4_add(s0r, s2r), s3i = wasm_f32x4_add(s0i, s2i);
  v128_t s4r = wasm_f32x4_sub(s0r, s2r), s4i = wasm_f32x4_sub(s0i, s2i);
  ar[2] = wasm_f32x4_sub(a0r, s3r);
  ai[2] = wasm_f32x4_sub(a0i, s3i);
  ar[0] = wasm_f32x4_add(a0r, s3r);
  ai[0] = wasm_f32x4_add(a0i, s3i);
  ar[1] = wasm_f32x4_add(s5r, s4i);
  ai[1] = wasm_f32x4_sub(s5i, s4r);
  ar[3] = wasm_f32x4_sub(s5r, s4i);
  ai[3] = wasm_f32x4_add(s5i, s4r);
}

/* 4×4 transpose of v[0..3] (rows ↔ columns of 32-bit lanes). */
static void transpose4(v128_t *v) {
  v128_t t0 = wasm_i32x4_shuffle(v[0], v[1], 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(v[0], v[1], 2, 6, 3, 7);
  v128_t t2 = wasm_i32x4_shuffle(v[2], v[3], 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(v[2], v[3], 2, 6, 3, 7);
  v[0] = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
  v[1] = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  v[2] = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
  v[3] = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
}

/* Radix-4 level with span m = 1: four groups (16 consecutive values from g) at once, one group per lane. */
static void bfly4_m1_x4(float *re, float *im, int g, const float *w) {
  v128_t ar[4], ai[4];
  for (int j = 0; j < 4; j++) {
    ar[j] = wasm_v128_load(re + g + 4 * j);
    ai[j] = wasm_v128_load(im + g + 4 * j);
  }
  transpose4(ar);
  transpose4(ai);
  bfly4_lanes(ar, ai, wasm_f32x4_splat(w[0]), wasm_f32x4_splat(w[1]), wasm_f32x4_splat(w[2]), wasm_f32x4_splat(w[3]),
              wasm_f32x4_splat(w[4]), wasm_f32x4_splat(w[5]));
  transpose4(ar);
  transpose4(ai);
  for (int j = 0; j < 4; j++) {
    wasm_v128_store(re + g + 4 * j, ar[j]);
    wasm_v128_store(im + g + 4 * j, ai[j]);
  }
}

/* Radix-4 level with span m = 2: two groups (16 values from g), lanes (group 0 k 0, g0 k1, g1 k0, g1 k1). */
static void bfly4_m2_x2(float *re, float *im, int g, const float *w) {
  v128_t ar[4], ai[4];
  for (int j = 0; j < 4; j++) {
    ar[j] = wasm_i64x2_shuffle(wasm_v128_load64_zero(re + g + 2 * j), wasm_v128_load64_zero(re + g + 8 + 2 * j), 0, 2);
    ai[j] = wasm_i64x2_shuffle(wasm_v128_load64_zero(im + g + 2 * j), wasm_v128_load64_zero(im + g + 8 + 2 * j), 0, 2);
  }
  v128_t tw[6];
  for (int t = 0; t < 6; t++) {
    v128_t pair = wasm_v128_load64_zero(w + 2 * t); /* W[k = 0], W[k = 1] of one table */
    tw[t] = wasm_i64x2_shuffle(pair, pair, 0, 0);
  }
  bfly4_lanes(ar, ai, tw[0], tw[1], tw[2], tw[3], tw[4], tw[5]);
  for (int j = 0; j < 4; j++) {
    wasm_v128_store64_lane(re + g + 2 * j, ar[j], 0);
    wasm_v128_store64_lane(re + g + 8 + 2 * j, ar[j], 1);
    wasm_v128_store64_lane(im + g + 2 * j, ai[j], 0);
    wasm_v128_store64_lane(im + g + 8 + 2 * j, ai[j], 1);
  }
}

/* Radix-2 level with span m = 1: four groups (8 values from g), one group per lane (kf_bfly2 lane by lane). */
static void bfly2_m1_x4(float *re, float *im, int g, const float *w) {
  v128_t r0 = wasm_v128_load(re + g), r1 = wasm_v128_load(re + g + 4);
  v128_t i0 = wasm_v128_load(im + g), i1 = wasm_v128_load(im + g + 4);
  v128_t ar = wasm_i32x4_shuffle(r0, r1, 0, 2, 4, 6), br = wasm_i32x4_shuffle(r0, r1, 1, 3, 5, 7);
  v128_t ai = wasm_i32x4_shuffle(i0, i1, 0, 2, 4, 6), bi = wasm_i32x4_shuffle(i0, i1, 1, 3, 5, 7);
  v128_t wr = wasm_f32x4_splat(w[0]), wi = wasm_f32x4_splat(w[1]);
  v128_t tr = wasm_f32x4_sub(wasm_f32x4_mul(br, wr), wasm_f32x4_mul(bi, wi));
  v128_t ti = wasm_f32x4_add(wasm_f32x4_mul(br, wi), wasm_f32x4_mul(bi, wr));
  v128_t nbr = wasm_f32x4_sub(ar, tr), nbi = wasm_f32x4_sub(ai, ti);
  v128_t nar = wasm_f32x4_add(ar, tr), nai = wasm_f32x4_add(ai, ti);
  wasm_v128_store(re + g, wasm_i32x4_shuffle(nar, nbr, 0, 4, 1, 5));
  wasm_v128_store(re + g + 4, wasm_i32x4_shuffle(nar, nbr, 2, 6, 3, 7));
  wasm_v128_store(im + g, wasm_i32x4_shuffle(nai, nbi, 0, 4, 1, 5));
  wasm_v128_store(im + g + 4, wasm_i32x4_shuffle(nai, nbi, 2, 6, 3, 7));
}

/* The complex FFT of size n: leaves gathered by perm, then the levels bottom-up over every group. */
static void complex_fft(const float *input, int n, const int *perm, int levels, const int *radix, const int *span,
                        const float *twiddles, float *re, float *im) {
  for (int q = 0; q < n; q++) {
    re[q] = input[2 * perm[q]];
    im[q] = input[2 * perm[q] + 1];
  }
  const float *w = twiddles;
  for (int l = levels - 1; l >= 0; l--) {
    int p = radix[l], m = span[l], group = p * m;
    int g = 0;
    /* short spans: several groups per SIMD step (the lanes hold different groups; same operations per lane) */
    if (p == 4 && m == 1) for (; g + 4 * group <= n; g += 4 * group) bfly4_m1_x4(re, im, g, w);
    if (p == 4 && m == 2) for (; g + 2 * group <= n; g += 2 * group) bfly4_m2_x2(re, im, g, w);
    if (p == 2 && m == 1) for (; g + 4 * group <= n; g += 4 * group) bfly2_m1_x4(re, im, g, w);
    for (; g < n; g += group) {
      float *gr = re + g, *gi = im + g;
      if (p == 4) {
        int k = 0;
        for (; k + 4 <= m; k += 4) bfly4_simd(gr, gi, k, m, w);
        for (; k < m; k++) bfly4_scalar(gr, gi, k, m, w);
      } else {
        for (int k = 0; k < m; k++) bfly2_scalar(gr, gi, k, m, w);
      }
    }
    w += (p == 4 ? 6 : 2) * m;
  }
}

/* out (2n + 2 float32, interleaved re/im of X_0 … X_n) = the real FFT of input (2n float32), as kiss_fftr. */
__attribute__((export_name("real_fft")))
void real_fft(const float *input, float *out, int n, const int *perm, int levels, const int *radix, const int *span,
              const float *twiddles, const float *superTwiddles, float *re, float *im) {
  complex_fft(input, n, perm, levels, radix, span, twiddles, re, im);
  float dcr = re[0], dci = im[0];
  out[0] = dcr + dci;
  out[2 * n] = dcr - dci;
  out[1] = 0;
  out[2 * n + 1] = 0;
  int k = 1;
  /* four k at a time while k + 3 < n/2 (the positions k and n−k of different k never coincide there) */
  const v128_t half = wasm_f32x4_splat(0.5f);
  for (; k + 3 < n / 2; k += 4) {
    v128_t pkr = wasm_v128_load(re + k), pki = wasm_v128_load(im + k);
    v128_t nr = wasm_v128_load(re + n - k - 3), ni = wasm_v128_load(im + n - k - 3);
    v128_t pnr = wasm_i32x4_shuffle(nr, nr, 3, 2, 1, 0); /* lane j: Z_{n−k−j} */
    v128_t pni = wasm_f32x4_neg(wasm_i32x4_shuffle(ni, ni, 3, 2, 1, 0));
    v128_t f1r = wasm_f32x4_add(pkr, pnr), f1i = wasm_f32x4_add(pki, pni);
    v128_t f2r = wasm_f32x4_sub(pkr, pnr), f2i = wasm_f32x4_sub(pki, pni);
    v128_t w0 = wasm_v128_load(superTwiddles + 2 * (k - 1)), w1 = wasm_v128_load(superTwiddles + 2 * (k - 1) + 4);
    v128_t wr = wasm_i32x4_shuffle(w0, w1, 0, 2, 4, 6), wi = wasm_i32x4_shuffle(w0, w1, 1, 3, 5, 7);
    v128_t tr = wasm_f32x4_sub(wasm_f32x4_mul(f2r, wr), wasm_f32x4_mul(f2i, wi));
    v128_t ti = wasm_f32x4_add(wasm_f32x4_mul(f2r, wi), wasm_f32x4_mul(f2i, wr));
    v128_t lowR = wasm_f32x4_mul(wasm_f32x4_add(f1r, tr), half), lowI = wasm_f32x4_mul(wasm_f32x4_add(f1i, ti), half);
    wasm_v128_store(out + 2 * k, wasm_i32x4_shuffle(lowR, lowI, 0, 4, 1, 5));
    wasm_v128_store(out + 2 * k + 4, wasm_i32x4_shuffle(lowR, lowI, 2, 6, 3, 7));
    v128_t highR = wasm_f32x4_mul(wasm_f32x4_sub(f1r, tr), half), highI = wasm_f32x4_mul(wasm_f32x4_sub(ti, f1i), half);
    highR = wasm_i32x4_shuffle(highR, highR, 3, 2, 1, 0); /* ascending positions n−k−3 … n−k */
    highI = wasm_i32x4_shuffle(highI, highI, 3, 2, 1, 0);
    wasm_v128_store(out + 2 * (n - k - 3), wasm_i32x4_shuffle(highR, highI, 0, 4, 1, 5));
    wasm_v128_store(out + 2 * (n - k - 3) + 4, wasm_i32x4_shuffle(highR, highI, 2, 6, 3, 7));
  }
  for (; k <= n / 2; k++) {
    float pkr = re[k], pki = im[k], pnr = re[n - k], pni = -im[n - k];
    float f1r = pkr + pnr, f1i = pki + pni, f2r = pkr - pnr, f2i = pki - pni;
    float wr = superTwiddles[2 * (k - 1)], wi = superTwiddles[2 * (k - 1) + 1];
    float tr = f2r * wr - f2i * wi, ti = f2r * wi + f2i * wr;
    out[2 * k] = (f1r + tr) * 0.5f;
    out[2 * k + 1] = (f1i + ti) * 0.5f;
    out[2 * (n - k)] = (f1r - tr) * 0.5f;
    out[2 * (n - k) + 1] = (ti - f1i) * 0.5f;
  }
}
