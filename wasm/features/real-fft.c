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
    for (int g = 0; g < n; g += group) {
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
  for (int k = 1; k <= n / 2; k++) {
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
