/*
 * Single-precision GEMM kernels for the emostream trainer (WebAssembly SIMD128, no libc).
 *
 *   gemm(transA, M, N, K, A, lda, B, ldb, C, ldc):   C[M×N] += op(A)[M×K] · B[K×N]
 *   op(A)(i, k) = A[i·lda + k]   when transA = 0   (A is M×K, row-major: C += A·B)
 *   op(A)(i, k) = A[k·lda + i]   when transA = 1   (A is K×M, row-major: C += Aᵀ·B)
 * (C += A·Bᵀ is done by the caller as A·(Bᵀ) with a pre-transposed weight copy.)
 *
 * All matrices are row-major float32 in linear memory; unaligned access is fine. The loop nest blocks
 * N (NB columns) and K (KB steps) so a KB×NB panel of B stays in cache while MR rows of op(A) stream
 * past it; the micro-kernel keeps an MR × 4·NV tile of C in registers (4 × 8 measured fastest under V8:
 * larger tiles spill). The summation order depends only on (M, N, K): results are bit-for-bit repeatable.
 * Build: wasm/train/build.sh.
 */
#include <wasm_simd128.h>

#define MR 4   /* rows of the register tile */
#define NV 2   /* 4-lane vectors per tile row (8 columns) */
#define NB 256 /* column block */
#define KB 128 /* depth block */
#define NR (4 * NV)
typedef float f32;

/* MR × NR tile over k in [0, kn): a = &op(A)(i, k0) with strides sai (rows) and sak (depth). */
static inline void tile(const f32 *a, int sai, int sak, const f32 *b, int ldb, f32 *c, int ldc, int kn) {
  v128_t acc[MR][NV];
#pragma unroll
  for (int r = 0; r < MR; r++)
#pragma unroll
    for (int v = 0; v < NV; v++) acc[r][v] = wasm_v128_load(c + r * ldc + 4 * v);
  for (int k = 0; k < kn; k++) {
    v128_t bv[NV];
#pragma unroll
    for (int v = 0; v < NV; v++) bv[v] = wasm_v128_load(b + 4 * v);
#pragma unroll
    for (int r = 0; r < MR; r++) {
      v128_t av = wasm_v128_load32_splat(a + r * sai);
#pragma unroll
      for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(av, bv[v]));
    }
    a += sak; b += ldb;
  }
#pragma unroll
  for (int r = 0; r < MR; r++)
#pragma unroll
    for (int v = 0; v < NV; v++) wasm_v128_store(c + r * ldc + 4 * v, acc[r][v]);
}
/* One row × 4 columns. */
static inline void tile_14(const f32 *a, int sak, const f32 *b, int ldb, f32 *c, int kn) {
  v128_t c0 = wasm_v128_load(c);
  for (int k = 0; k < kn; k++) { c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(wasm_v128_load32_splat(a), wasm_v128_load(b))); a += sak; b += ldb; }
  wasm_v128_store(c, c0);
}
/* One row × 1 column. */
static inline void tile_11(const f32 *a, int sak, const f32 *b, int ldb, f32 *c, int kn) {
  f32 s = *c; for (int k = 0; k < kn; k++) { s += *a * *b; a += sak; b += ldb; } *c = s;
}
/* Columns [j0, j1) of one row (tails). */
static void row_block(const f32 *a, int sak, const f32 *b, int ldb, f32 *c, int j0, int j1, int kn) {
  int j = j0;
  for (; j + 4 <= j1; j += 4) tile_14(a, sak, b + j, ldb, c + j, kn);
  for (; j < j1; j++) tile_11(a, sak, b + j, ldb, c + j, kn);
}
__attribute__((export_name("gemm")))
void gemm(int transA, int M, int N, int K, const f32 *A, int lda, const f32 *B, int ldb, f32 *C, int ldc) {
  const int sai = transA ? 1 : lda, sak = transA ? lda : 1;
  for (int j0 = 0; j0 < N; j0 += NB) {
    const int j1 = j0 + NB < N ? j0 + NB : N;
    for (int k0 = 0; k0 < K; k0 += KB) {
      const int kn = k0 + KB < K ? KB : K - k0;
      const f32 *bk = B + (long)k0 * ldb;
      int i = 0;
      for (; i + MR <= M; i += MR) {
        const f32 *ai = A + (long)i * sai + (long)k0 * sak;
        f32 *ci = C + (long)i * ldc;
        int j = j0;
        for (; j + NR <= j1; j += NR) tile(ai, sai, sak, bk + j, ldb, ci + j, ldc, kn);
        if (j < j1) for (int r = 0; r < MR; r++) row_block(ai + r * sai, sak, bk, ldb, ci + r * ldc, j, j1, kn);
      }
      for (; i < M; i++) row_block(A + (long)i * sai + (long)k0 * sak, sak, bk, ldb, C + (long)i * ldc, j0, j1, kn);
    }
  }
}
