/*
 * Single-precision matrix products of the emostream trainer (WebAssembly SIMD128, no libc):
 *
 *   gemm(form, add, M, N, K, A, lda, B, ldb, C, ldc, bias):
 *     C[i][j] = (add ? C[i][j] : 0) + (bias ? bias[j] : 0) + Σ_k op(A)(i, k) · op(B)(k, j)
 *     form bit 0: op(A) = Aᵀ (A is K×M) instead of A (M×K); bit 1: op(B) = Bᵀ (B is N×K) instead of B (K×N).
 *   pack_b_full(transB, K, N, B, ldb, Bp): op(B) → full-depth 8-column panels (panel p at Bp + p·K·8), once per
 *     weight update, so that the per-time-step products below need no packing of B.
 *   gemm_packed(add, M, N, K, A, lda, Bp, C, ldc): the same product with A row-major and op(B) from pack_b_full.
 *   copy_rows(rows, cols, src, lds, dst, ldd): dst[r·ldd + j] = src[r·lds + j] (strided block copy).
 *
 * All matrices are row-major float32 in linear memory. Blocking follows GotoBLAS/BLIS: KC × NC blocks of op(B) in
 * 8-column panels, MC × KC blocks of op(A) in 4-row strips (gemm-pack.h), and a 4 × 8 register tile (8 f32x4
 * accumulators: the largest tile V8's x64 register allocator keeps in xmm registers without spilling) streaming one
 * strip against one panel. Edge tiles run on a zero-padded local 4 × 8 copy. Summation over k runs in increasing k
 * in blocks of KC, so results depend only on the shapes and are bit-for-bit repeatable.
 * Build: wasm/train/build.sh (-mllvm -disable-lsr keeps V8's addressing modes simple in the tile loop).
 */
#include "gemm-pack.h"

#define KC 256 /* depth block */
#define MC 128 /* rows of a packed A block (multiple of MR) */
#define NC 512 /* columns of a packed B block (multiple of NR) */

static f32 packed_a[MC * KC] __attribute__((aligned(16)));
static f32 packed_b[KC * NC] __attribute__((aligned(16)));

/* One 4 × 8 tile of C (ldc) += kc rank-1 updates. (Starting from C always, with no branch before the loop, lets V8
 * keep each accumulator in one register across iterations; zero or bias starts are written into C beforehand.) */
static inline void tile(int kc, const f32 *ap, const f32 *bp, f32 *c, int ldc) {
  v128_t c00 = wasm_v128_load(c), c01 = wasm_v128_load(c + 4);
  v128_t c10 = wasm_v128_load(c + ldc), c11 = wasm_v128_load(c + ldc + 4);
  v128_t c20 = wasm_v128_load(c + 2 * ldc), c21 = wasm_v128_load(c + 2 * ldc + 4);
  v128_t c30 = wasm_v128_load(c + 3 * ldc), c31 = wasm_v128_load(c + 3 * ldc + 4);
  for (const f32 *end = ap + kc * MR; ap < end; ap += MR, bp += NR) {
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t a = wasm_v128_load32_splat(ap);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a, b0)), c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(ap + 1);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a, b0)), c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(ap + 2);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a, b0)), c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(ap + 3);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a, b0)), c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a, b1));
  }
  wasm_v128_store(c, c00), wasm_v128_store(c + 4, c01);
  wasm_v128_store(c + ldc, c10), wasm_v128_store(c + ldc + 4, c11);
  wasm_v128_store(c + 2 * ldc, c20), wasm_v128_store(c + 2 * ldc + 4, c21);
  wasm_v128_store(c + 3 * ldc, c30), wasm_v128_store(c + 3 * ldc + 4, c31);
}

/* The last 1–3 rows of a strip against a full panel: tile_rows_R, R accumulator pairs, same loop as `tile`. */
#define ROWS_TILE(R)                                                                                  \
  static inline void tile_rows_##R(int kc, const f32 *ap, const f32 *bp, f32 *c, int ldc) {           \
    v128_t acc[R][2];                                                                                 \
    _Pragma("unroll") for (int r = 0; r < R; r++) {                                                  \
      acc[r][0] = wasm_v128_load(c + r * ldc), acc[r][1] = wasm_v128_load(c + r * ldc + 4);           \
    }                                                                                                 \
    for (const f32 *end = ap + kc * MR; ap < end; ap += MR, bp += NR) {                               \
      const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);                              \
      _Pragma("unroll") for (int r = 0; r < R; r++) {                                                \
        const v128_t a = wasm_v128_load32_splat(ap + r);                                              \
        acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(a, b0));                                 \
        acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(a, b1));                                 \
      }                                                                                               \
    }                                                                                                 \
    _Pragma("unroll") for (int r = 0; r < R; r++) {                                                  \
      wasm_v128_store(c + r * ldc, acc[r][0]), wasm_v128_store(c + r * ldc + 4, acc[r][1]);           \
    }                                                                                                 \
  }
ROWS_TILE(1)
ROWS_TILE(2)
ROWS_TILE(3)

/* A tile with fewer than 8 valid columns: computed on a zero-padded copy, then the valid part is written back. */
__attribute__((noinline)) static void edge_tile(int kc, const f32 *ap, const f32 *bp, f32 *c, int ldc, int mr, int nr) {
  f32 t[MR * NR] __attribute__((aligned(16)));
  for (int r = 0; r < MR; r++)
    for (int j = 0; j < NR; j++) t[r * NR + j] = r < mr && j < nr ? c[r * ldc + j] : 0.0f;
  tile(kc, ap, bp, t, NR);
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = t[r * NR + j];
}

/* The last mr < 4 rows of a strip against a full panel. */
__attribute__((noinline)) static void row_tail(int kc, const f32 *ap, const f32 *bp, f32 *c, int ldc, int mr) {
  if (mr == 3) tile_rows_3(kc, ap, bp, c, ldc);
  else if (mr == 2) tile_rows_2(kc, ap, bp, c, ldc);
  else tile_rows_1(kc, ap, bp, c, ldc);
}

/* C block (mc × nc) += packed strips ap (depth kc) × panels bp (panel stride pstride). */
static void block(int mc, int nc, int kc, const f32 *ap, const f32 *bp, int pstride, f32 *c, int ldc) {
  for (int j = 0; j < nc; j += NR) {
    const int nr = nc - j < NR ? nc - j : NR;
    const f32 *panel = bp + (j / NR) * pstride;
    for (int i = 0; i < mc; i += MR) {
      const int mr = mc - i < MR ? mc - i : MR;
      const f32 *strip = ap + i * kc;
      if (nr < NR) edge_tile(kc, strip, panel, c + i * ldc + j, ldc, mr, nr);
      else if (mr < MR) row_tail(kc, strip, panel, c + i * ldc + j, ldc, mr);
      else tile(kc, strip, panel, c + i * ldc + j, ldc);
    }
  }
}

/* The start of a product: C = (add ? C : 0) + bias (bias may be null). */
static void start_c(int add, int M, int N, f32 *C, int ldc, const f32 *bias) {
  if (add && !bias) return;
  for (int i = 0; i < M; i++) {
    f32 *c = C + i * ldc;
    int j = 0;
    if (!add && !bias) {
      for (; j + 4 <= N; j += 4) wasm_v128_store(c + j, wasm_f32x4_splat(0.0f));
      for (; j < N; j++) c[j] = 0.0f;
    } else if (!add) {
      for (; j + 4 <= N; j += 4) wasm_v128_store(c + j, wasm_v128_load(bias + j));
      for (; j < N; j++) c[j] = bias[j];
    } else {
      for (; j + 4 <= N; j += 4) wasm_v128_store(c + j, wasm_f32x4_add(wasm_v128_load(c + j), wasm_v128_load(bias + j)));
      for (; j < N; j++) c[j] += bias[j];
    }
  }
}

__attribute__((export_name("gemm")))
void gemm(int form, int add, int M, int N, int K, const f32 *A, int lda, const f32 *B, int ldb, f32 *C, int ldc,
          const f32 *bias) {
  const int transA = form & 1, transB = (form >> 1) & 1;
  start_c(add, M, N, C, ldc, bias);
  for (int jc = 0; jc < N; jc += NC) {
    const int nc = N - jc < NC ? N - jc : NC;
    for (int pc = 0; pc < K; pc += KC) {
      const int kc = K - pc < KC ? K - pc : KC;
      pack_b(transB, kc, nc, transB ? B + jc * ldb + pc : B + pc * ldb + jc, ldb, packed_b, kc * NR);
      for (int ic = 0; ic < M; ic += MC) {
        const int mc = M - ic < MC ? M - ic : MC;
        pack_a(transA, mc, kc, transA ? A + pc * lda + ic : A + ic * lda + pc, lda, packed_a);
        block(mc, nc, kc, packed_a, packed_b, kc * NR, C + ic * ldc + jc, ldc);
      }
    }
  }
}

__attribute__((export_name("pack_b_full")))
void pack_b_full(int transB, int K, int N, const f32 *B, int ldb, f32 *Bp) {
  pack_b(transB, K, N, B, ldb, Bp, K * NR);
}

__attribute__((export_name("gemm_packed")))
void gemm_packed(int add, int M, int N, int K, const f32 *A, int lda, const f32 *Bp, f32 *C, int ldc) {
  start_c(add, M, N, C, ldc, 0);
  for (int pc = 0; pc < K; pc += KC) {
    const int kc = K - pc < KC ? K - pc : KC;
    for (int ic = 0; ic < M; ic += MC) {
      const int mc = M - ic < MC ? M - ic : MC;
      pack_a(0, mc, kc, A + ic * lda + pc, lda, packed_a);
      block(mc, N, kc, packed_a, Bp + pc * NR, K * NR, C + ic * ldc, ldc);
    }
  }
}

__attribute__((export_name("copy_rows")))
void copy_rows(int rows, int cols, const f32 *src, int lds, f32 *dst, int ldd) {
  for (int r = 0; r < rows; r++) {
    const f32 *s = src + r * lds;
    f32 *d = dst + r * ldd;
    int j = 0;
    for (; j + 4 <= cols; j += 4) wasm_v128_store(d + j, wasm_v128_load(s + j));
    for (; j < cols; j++) d[j] = s[j];
  }
}

/* One 4 × 4 block: rows s, s + lds, s + 2·lds, s + 3·lds (4 floats each) to the columns of rows d … d + 3·ldd. */
static inline void transpose4(const f32 *s, int lds, f32 *d, int ldd) {
  const v128_t a = wasm_v128_load(s), b = wasm_v128_load(s + lds);
  const v128_t x = wasm_v128_load(s + 2 * lds), y = wasm_v128_load(s + 3 * lds);
  const v128_t ab_lo = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), ab_hi = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  const v128_t xy_lo = wasm_i32x4_shuffle(x, y, 0, 4, 1, 5), xy_hi = wasm_i32x4_shuffle(x, y, 2, 6, 3, 7);
  wasm_v128_store(d, wasm_i64x2_shuffle(ab_lo, xy_lo, 0, 2));
  wasm_v128_store(d + ldd, wasm_i64x2_shuffle(ab_lo, xy_lo, 1, 3));
  wasm_v128_store(d + 2 * ldd, wasm_i64x2_shuffle(ab_hi, xy_hi, 0, 2));
  wasm_v128_store(d + 3 * ldd, wasm_i64x2_shuffle(ab_hi, xy_hi, 1, 3));
}

/* dst[c·ldd + r] = src[r·lds + c] for r < rows, c < cols (regions must not overlap): 4 × 4 SIMD blocks, scalar edges
 * (16-row passes, giving each destination row 64 contiguous bytes, measured slower). Lets the float32 back end hand
 * onnxruntime Aᵀ·B as a plain A·B (MLAS transposes A slowly while packing it). */
__attribute__((export_name("transpose")))
void transpose(int rows, int cols, const f32 *src, int lds, f32 *dst, int ldd) {
  const int cols4 = cols & ~3;
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    const f32 *s = src + r * lds;
    for (int c = 0; c < cols4; c += 4) transpose4(s + c, lds, dst + c * ldd + r, ldd);
  }
  for (int q = r; q < rows; q++) {
    const f32 *s = src + q * lds;
    for (int c = 0; c < cols4; c++) dst[c * ldd + q] = s[c];
  }
  for (int c = cols4; c < cols; c++) {
    for (int q = 0; q < rows; q++) dst[c * ldd + q] = src[q * lds + c];
  }
}
