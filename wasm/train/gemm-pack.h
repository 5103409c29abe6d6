/*
 * Operand packing for the trainer's GEMM (gemm.c), WebAssembly SIMD128.
 *
 *   pack_a: a block of op(A) (mc × kc) → 4-row strips, k-major: strip s holds op(A)(4s + r, k) at [k·4 + r];
 *           rows past mc are zero.
 *   pack_b: a block of op(B) (kc × nc) → 8-column panels, k-major: panel p holds op(B)(k, 8p + j) at
 *           [p·pstride + k·8 + j]; columns past nc are zero.
 * op(A)(i, k) = A[i·lda + k] (A row-major, "n") or A[k·lda + i] ("t"); op(B)(k, j) = B[k·ldb + j] ("n") or
 * B[j·ldb + k] ("t"). Pointers address op(·)(0, 0) of the block. Transposing copies go through 4 × 4 shuffles.
 */
#ifndef EMOSTREAM_GEMM_PACK_H
#define EMOSTREAM_GEMM_PACK_H
#include <wasm_simd128.h>

typedef float f32;
#define MR 4
#define NR 8

/* Transposes the 4 × 4 block whose rows are r0..r3 and stores its columns at d, d + ds, d + 2ds, d + 3ds. */
static inline void transpose_store(v128_t r0, v128_t r1, v128_t r2, v128_t r3, f32 *d, int ds) {
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(d, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
  wasm_v128_store(d + ds, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
  wasm_v128_store(d + 2 * ds, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
  wasm_v128_store(d + 3 * ds, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
}

/* One strip of mr ≤ 4 rows of a row-major A ("n"): dst[k·4 + r] = a[r·lda + k]. */
static void pack_a_rows(int mr, int kc, const f32 *a, int lda, f32 *dst) {
  int k = 0;
  if (mr == MR) {
    for (; k + 4 <= kc; k += 4) {
      transpose_store(wasm_v128_load(a + k), wasm_v128_load(a + lda + k), wasm_v128_load(a + 2 * lda + k),
                      wasm_v128_load(a + 3 * lda + k), dst + k * MR, MR);
    }
  }
  for (; k < kc; k++)
    for (int r = 0; r < MR; r++) dst[k * MR + r] = r < mr ? a[r * lda + k] : 0.0f;
}

/* One strip of mr ≤ 4 columns of a column-major op(A) ("t"): dst[k·4 + r] = a[k·lda + r]. */
static void pack_a_cols(int mr, int kc, const f32 *a, int lda, f32 *dst) {
  if (mr == MR) {
    for (int k = 0; k < kc; k++) wasm_v128_store(dst + k * MR, wasm_v128_load(a + k * lda));
    return;
  }
  for (int k = 0; k < kc; k++)
    for (int r = 0; r < MR; r++) dst[k * MR + r] = r < mr ? a[k * lda + r] : 0.0f;
}

static void pack_a(int transA, int mc, int kc, const f32 *a, int lda, f32 *dst) {
  for (int i = 0; i < mc; i += MR) {
    const int mr = mc - i < MR ? mc - i : MR;
    if (transA) pack_a_cols(mr, kc, a + i, lda, dst);
    else pack_a_rows(mr, kc, a + i * lda, lda, dst);
    dst += kc * MR;
  }
}

/* One panel of nr ≤ 8 columns of a row-major op(B) ("n"): dst[k·8 + j] = b[k·ldb + j]. */
static void pack_b_rows(int nr, int kc, const f32 *b, int ldb, f32 *dst) {
  if (nr == NR) {
    for (int k = 0; k < kc; k++) {
      wasm_v128_store(dst + k * NR, wasm_v128_load(b + k * ldb));
      wasm_v128_store(dst + k * NR + 4, wasm_v128_load(b + k * ldb + 4));
    }
    return;
  }
  for (int k = 0; k < kc; k++)
    for (int j = 0; j < NR; j++) dst[k * NR + j] = j < nr ? b[k * ldb + j] : 0.0f;
}

/* One panel of nr ≤ 8 columns of op(B) = Bᵀ ("t"): dst[k·8 + j] = b[j·ldb + k]. */
static void pack_b_cols(int nr, int kc, const f32 *b, int ldb, f32 *dst) {
  int k = 0;
  if (nr == NR) {
    for (; k + 4 <= kc; k += 4) {
      for (int h = 0; h < NR; h += 4) {
        const f32 *s = b + h * ldb + k;
        transpose_store(wasm_v128_load(s), wasm_v128_load(s + ldb), wasm_v128_load(s + 2 * ldb),
                        wasm_v128_load(s + 3 * ldb), dst + k * NR + h, NR);
      }
    }
  }
  for (; k < kc; k++)
    for (int j = 0; j < NR; j++) dst[k * NR + j] = j < nr ? b[j * ldb + k] : 0.0f;
}

static void pack_b(int transB, int kc, int nc, const f32 *b, int ldb, f32 *dst, int pstride) {
  for (int j = 0; j < nc; j += NR) {
    const int nr = nc - j < NR ? nc - j : NR;
    if (transB) pack_b_cols(nr, kc, b + j * ldb, ldb, dst);
    else pack_b_rows(nr, kc, b + j, ldb, dst);
    dst += pstride;
  }
}

#endif
