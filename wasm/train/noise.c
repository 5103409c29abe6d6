/*
 * Gaussian input noise for the emostream trainer (WebAssembly SIMD128, no libc):
 *
 *   noise_add(count, dst, sigma, state): dst[i] += sigma · g_i for i < count, where g_0, g_1, … are standard normal
 *   values from the xoshiro128** stream whose four words are at state[0..3] (advanced in place), by Box–Muller:
 *     words x, y → u = 1 − x·2⁻³², v = y·2⁻³²,  r = √(−2 ln u),  g = r·cos 2πv, then r·sin 2πv.
 *   If count is odd, the unused r·sin 2πv of the last pair is stored at state[4] (as a float), else state[4] = NaN.
 * This is the TypeScript `createRng` stream (rng.ts) word for word, so a generator position moves freely between
 * the two; only the transform runs in float32: ln, sin and cos are Cephes-style minimax polynomials (relative error
 * ≈ 1e-7 on the reduced ranges), u is formed from 2³² − x without cancellation, so u ∈ [2⁻³², 1].
 */
#include <wasm_simd128.h>

typedef float f32;
typedef unsigned int u32;
typedef float f4 __attribute__((vector_size(16)));
typedef int i4 __attribute__((vector_size(16)));

static inline u32 rotl(u32 x, int k) { return (x << k) | (x >> (32 - k)); }

/* The xoshiro128** state, kept in locals (registers) while a call runs. */
typedef struct { u32 a, b, c, d; } xoshiro;

/* One xoshiro128** output. */
static inline u32 next(xoshiro *s) {
  const u32 r = rotl(s->b * 5, 7) * 9, t = s->b << 9;
  s->c ^= s->a;
  s->d ^= s->b;
  s->b ^= s->c;
  s->a ^= s->d;
  s->c ^= t;
  s->d = rotl(s->d, 11);
  return r;
}

/* Four (x, y) word pairs, drawn x₀, y₀, x₁, y₁, … as rng.ts draws them; pairs ≥ `pairs` are 0 and not drawn. */
static inline void draw_pairs(xoshiro *s, int pairs, v128_t *xv, v128_t *yv) {
  u32 x[4], y[4];
  for (int k = 0; k < 4; k++) x[k] = k < pairs ? next(s) : 0, y[k] = k < pairs ? next(s) : 0;
  *xv = wasm_u32x4_make(x[0], x[1], x[2], x[3]);
  *yv = wasm_u32x4_make(y[0], y[1], y[2], y[3]);
}

/* ln x for x in (0, 1]: x = m·2^e with m in [√½, √2), ln(1 + f) = f − f²/2 + f³·P(f). */
static inline f4 vlog(f4 x) {
  i4 bits = (i4)x;
  i4 e = ((bits >> 23) & 0xff) - 126;
  f4 m = (f4)((bits & 0x007fffff) | 0x3f000000); /* in [0.5, 1) */
  const i4 small = (i4)(m < 0.707106781186547524f);
  e = e + small; /* small is −1 where true */
  m = (f4)wasm_v128_bitselect((v128_t)(m + m), (v128_t)m, (v128_t)small);
  const f4 f = m - 1.0f, z = f * f;
  f4 p = f * 7.0376836292e-2f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  const f4 fe = (f4)wasm_f32x4_convert_i32x4((v128_t)e);
  f4 y = p * f * z + fe * -2.12194440e-4f - 0.5f * z;
  return f + y + fe * 0.693359375f;
}

/* cos 2πv and sin 2πv for v in [0, 1]: quarter-turn reduction, then polynomials on [−π/4, π/4]. */
static inline void vsincos2pi(f4 v, f4 *c, f4 *s) {
  const f4 w = v - (f4)wasm_f32x4_nearest((v128_t)v);            /* [−½, ½] */
  const f4 q = (f4)wasm_f32x4_nearest((v128_t)(w * 4.0f));       /* quarter turns, −2…2 */
  const f4 x = (w - q * 0.25f) * 6.28318530717958648f;          /* [−π/4, π/4] */
  const f4 z = x * x;
  const f4 sx = x + x * z * ((z * -1.9515295891e-4f + 8.3321608736e-3f) * z - 1.6666654611e-1f);
  const f4 cx = 1.0f - 0.5f * z + z * z * ((z * 2.443315711809948e-5f - 1.388731625493765e-3f) * z + 4.166664568298827e-2f);
  const i4 qi = (i4)wasm_i32x4_trunc_sat_f32x4((v128_t)q) & 3;
  const v128_t swap = (v128_t)((qi & 1) != 0);
  const f4 cr = (f4)wasm_v128_bitselect((v128_t)sx, (v128_t)cx, swap);
  const f4 sr = (f4)wasm_v128_bitselect((v128_t)cx, (v128_t)sx, swap);
  const i4 sign = (i4){(int)0x80000000, (int)0x80000000, (int)0x80000000, (int)0x80000000};
  *c = (f4)((i4)cr ^ (((qi == 1) | (qi == 2)) & sign));
  *s = (f4)((i4)sr ^ ((qi >= 2) & sign));
}

/* Box–Muller on four word pairs (x[k], y[k]): lo, hi = r0·cos, r0·sin, r1·cos, r1·sin | r2·cos, …, r3·sin. */
static inline void box_muller(v128_t xv, v128_t yv, f4 *lo, f4 *hi) {
  const v128_t minus = wasm_i32x4_sub(wasm_i32x4_splat(0), xv); /* 2³² − x (0 for x = 0, where u = 1) */
  f4 u = (f4)wasm_f32x4_convert_u32x4(minus) * 2.3283064365386963e-10f;
  u = (f4)wasm_v128_bitselect(wasm_f32x4_splat(1.0f), (v128_t)u, wasm_i32x4_eq(xv, wasm_i32x4_splat(0)));
  const f4 v = (f4)wasm_f32x4_convert_u32x4(yv) * 2.3283064365386963e-10f;
  const f4 r = (f4)wasm_f32x4_sqrt((v128_t)(vlog(u) * -2.0f));
  f4 c, s;
  vsincos2pi(v, &c, &s);
  c = r * c, s = r * s;
  *lo = (f4)wasm_i32x4_shuffle((v128_t)c, (v128_t)s, 0, 4, 1, 5);
  *hi = (f4)wasm_i32x4_shuffle((v128_t)c, (v128_t)s, 2, 6, 3, 7);
}

__attribute__((export_name("noise_add")))
void noise_add(int count, f32 *dst, f32 sigma, u32 *state) {
  xoshiro st = {state[0], state[1], state[2], state[3]};
  const f4 sg = {sigma, sigma, sigma, sigma};
  f32 *spare = (f32 *)(state + 4);
  *spare = __builtin_nanf("");
  v128_t xv, yv;
  f4 lo, hi;
  int i = 0;
  for (; i + 8 <= count; i += 8) {
    draw_pairs(&st, 4, &xv, &yv);
    box_muller(xv, yv, &lo, &hi);
    wasm_v128_store(dst + i, (v128_t)((f4)wasm_v128_load(dst + i) + sg * lo));
    wasm_v128_store(dst + i + 4, (v128_t)((f4)wasm_v128_load(dst + i + 4) + sg * hi));
  }
  if (i < count) { /* draws only the pairs the tail needs */
    draw_pairs(&st, (count - i + 1) / 2, &xv, &yv);
    f32 g[8] __attribute__((aligned(16)));
    box_muller(xv, yv, &lo, &hi);
    wasm_v128_store(g, (v128_t)lo);
    wasm_v128_store(g + 4, (v128_t)hi);
    for (int k = 0; i + k < count; k++) dst[i + k] += sigma * g[k];
    if ((count - i) & 1) *spare = g[count - i];
  }
  state[0] = st.a, state[1] = st.b, state[2] = st.c, state[3] = st.d;
}
