/*
 * Element-wise peephole-LSTM cell kernels for one time step over n packed rows (WebAssembly SIMD128),
 * gate blocks i, o, f, z (ONNX order i, o, f, c), peepholes p = [pi, po, pf]. The gate pre-activations are
 * g = G + Gr (input part G, recurrent part Gr = h₋₁·Rᵀ, both n × 4H; Gr may be null), the output gradient is
 * dh = dH + dHr (from above, and dHr = dG₊₁·R from the next step; dHr may be null):
 *   forward:  i = σ(gi + pi·c₋₁)  f = σ(gf + pf·c₋₁)  z = tanh(gz)  c = f·c₋₁ + i·z
 *             o = σ(go + po·c)    h = o·tanh(c);      G ← (i, o, f, z)
 *   backward: dgo = dh·tanh(c)·o(1−o);  dc = dh·o·(1−tanh²c) + po·dgo + carry
 *             dgi = dc·z·i(1−i);  dgf = dc·c₋₁·f(1−f);  dgz = dc·i·(1−z²)
 *             carry ← dc·f + pi·dgi + pf·dgf;  dp += (dgi·c₋₁, dgo·c, dgf·c₋₁)
 * exp is the Cephes expf polynomial (relative error ≈ 1e-7 on the clamped range [−87, 88]);
 * σ(x) = 1/(1 + e^−x), tanh(x) = 1 − 2/(1 + e^2x) (absolute error ≈ 1e-7).
 * A null pointer (0) for c₋₁ means a zero previous state; for dp, no peephole gradient.
 * Also the autoencoder's output activation over a flat array: y ← σ(y), and its backward dy ← dy·y·(1 − y).
 */
#include <wasm_simd128.h>

typedef float f32;
typedef float f4 __attribute__((vector_size(16)));
typedef int i4 __attribute__((vector_size(16)));

/* e^x: clamp, n = round(x·log2 e) by the 1.5·2²³ trick (whose bits also give 2ⁿ), Cody–Waite reduction,
 * degree-5 polynomial. pmin/pmax are plain minps/maxps (f32x4.min/max would add NaN fix-ups in V8). */
static inline f4 vexp(f4 x) {
  x = (f4)wasm_f32x4_pmin(wasm_f32x4_pmax((v128_t)x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  const f4 t = x * 1.44269504088896341f + 12582912.0f; /* 1.5·2²³ + n, n = round(x·log2 e) */
  const f4 n = t - 12582912.0f;
  f4 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const f4 r2 = r * r; /* Estrin's scheme: a shorter dependency chain than Horner's */
  const f4 lo = r * 1.6666665459e-1f + 5.0000001201e-1f, mid = r * 8.3334519073e-3f + 4.1665795894e-2f;
  const f4 hi = r * 1.9875691500e-4f + 1.3981999507e-3f;
  const f4 p = lo + r2 * (mid + r2 * hi);
  f4 y = p * r2 + r + 1.0f;
  const i4 e = ((i4)t + 127) << 23; /* the bits of t are 0x4B400000 + n; the high part shifts out */
  return y * (f4)e;
}

static inline f4 vsig(f4 x) { return 1.0f / (1.0f + vexp(-x)); }
static inline f4 vtanh(f4 x) { return 1.0f - 2.0f / (1.0f + vexp(x + x)); }

/* Loads m ≤ 4 floats (zeros beyond) / stores m floats: the slow path for the last H mod 4 units. */
static f4 ld_part(const f32 *p, int m) {
  f4 v = {0, 0, 0, 0};
  for (int k = 0; k < m; k++) v[k] = p[k];
  return v;
}
static void st_part(f32 *p, f4 v, int m) {
  for (int k = 0; k < m; k++) p[k] = v[k];
}
#define LD(p) ((f4)wasm_v128_load(p))
#define ST(p, v) wasm_v128_store((p), (v128_t)(v))

/* Forward of 4 units from gate pre-activations gi, go, gf, gz, the previous cell state and the peepholes. */
static inline void fwd_math(f4 gi, f4 go, f4 gf, f4 gz, f4 cprev, f4 pi, f4 po, f4 pf,
                            f4 *ig, f4 *og, f4 *fg, f4 *z, f4 *cn, f4 *th) {
  *ig = vsig(gi + pi * cprev);
  *fg = vsig(gf + pf * cprev);
  *z = vtanh(gz);
  *cn = *fg * cprev + *ig * *z;
  *og = vsig(go + po * *cn);
  *th = vtanh(*cn);
}

/* The last m < 4 units (from u) of one row. */
__attribute__((noinline)) static void fwd_tail(int m, int u, int H, f32 *g, const f32 *gr, const f32 *cp, const f32 *P,
                                               f32 *c, f32 *tc, f32 *ho) {
  const f4 zero = {0, 0, 0, 0};
  f4 pre[4];
  for (int q = 0; q < 4; q++) pre[q] = ld_part(g + q * H + u, m) + (gr ? ld_part(gr + q * H + u, m) : zero);
  f4 ig, og, fg, z, cn, th;
  fwd_math(pre[0], pre[1], pre[2], pre[3], cp ? ld_part(cp + u, m) : zero, ld_part(P + u, m), ld_part(P + H + u, m),
           ld_part(P + 2 * H + u, m), &ig, &og, &fg, &z, &cn, &th);
  st_part(g + u, ig, m), st_part(g + H + u, og, m), st_part(g + 2 * H + u, fg, m), st_part(g + 3 * H + u, z, m);
  st_part(c + u, cn, m), st_part(tc + u, th, m), st_part(ho + u, og * th, m);
}

/* One row, in two passes over the units (i, f, z, c; then o, tanh c, h), so that each pass's iterations are independent
 * and the out-of-order core overlaps their exp/division chains. has_gr / has_cp are constants at each call site. */
static inline void fwd_row(int H, f32 *g, const f32 *gr, const f32 *cp, const f32 *P, f32 *c, f32 *tc, f32 *ho,
                           const int has_gr, const int has_cp) {
  const f4 zero = {0, 0, 0, 0};
  const int full = H & ~3;
  for (int u = 0; u < full; u += 4) {
    f4 gi = LD(g + u), gf = LD(g + 2 * H + u), gz = LD(g + 3 * H + u);
    if (has_gr) gi += LD(gr + u), gf += LD(gr + 2 * H + u), gz += LD(gr + 3 * H + u);
    const f4 cprev = has_cp ? LD(cp + u) : zero;
    const f4 ig = vsig(gi + LD(P + u) * cprev), fg = vsig(gf + LD(P + 2 * H + u) * cprev), z = vtanh(gz);
    ST(g + u, ig), ST(g + 2 * H + u, fg), ST(g + 3 * H + u, z), ST(c + u, fg * cprev + ig * z);
  }
  for (int u = 0; u < full; u += 4) {
    f4 go = LD(g + H + u);
    if (has_gr) go += LD(gr + H + u);
    const f4 cn = LD(c + u);
    const f4 og = vsig(go + LD(P + H + u) * cn), th = vtanh(cn);
    ST(g + H + u, og), ST(tc + u, th), ST(ho + u, og * th);
  }
  if (full < H) fwd_tail(H - full, full, H, g, has_gr ? gr : 0, has_cp ? cp : 0, P, c, tc, ho);
}

__attribute__((export_name("lstm_cell_forward")))
void lstm_cell_forward(int n, int H, f32 *G, const f32 *Gr, const f32 *Cprev, f32 *C, f32 *TC, f32 *Hout, const f32 *P) {
  for (int r = 0; r < n; r++) {
    f32 *g = G + r * 4 * H, *c = C + r * H, *tc = TC + r * H, *ho = Hout + r * H;
    const f32 *gr = Gr ? Gr + r * 4 * H : 0, *cp = Cprev ? Cprev + r * H : 0;
    if (gr && cp) fwd_row(H, g, gr, cp, P, c, tc, ho, 1, 1);
    else if (cp) fwd_row(H, g, gr, cp, P, c, tc, ho, 0, 1);
    else if (gr) fwd_row(H, g, gr, cp, P, c, tc, ho, 1, 0);
    else fwd_row(H, g, gr, cp, P, c, tc, ho, 0, 0);
  }
}

/* Backward of 4 units: gate gradients from dh, the carried dc and the forward values; returns the new carry. */
static inline f4 bwd_math(f4 ig, f4 og, f4 fg, f4 z, f4 th, f4 d, f4 carry, f4 cprev, f4 pi, f4 po, f4 pf,
                          f4 *dgi, f4 *dgo, f4 *dgf, f4 *dgz) {
  *dgo = d * th * og * (1.0f - og);
  const f4 dc = d * og * (1.0f - th * th) + *dgo * po + carry;
  *dgi = dc * z * ig * (1.0f - ig);
  *dgf = dc * cprev * fg * (1.0f - fg);
  *dgz = dc * ig * (1.0f - z * z);
  return dc * fg + *dgi * pi + *dgf * pf;
}

/* The last m < 4 units (from u) of one row. */
__attribute__((noinline)) static void bwd_tail(int m, int u, int H, const f32 *g, f32 *dg, const f32 *c, const f32 *cp,
                                               const f32 *tc, const f32 *dh, const f32 *dhr, f32 *cy, const f32 *P, f32 *dP) {
  const f4 zero = {0, 0, 0, 0};
  const f4 cprev = cp ? ld_part(cp + u, m) : zero;
  const f4 d = ld_part(dh + u, m) + (dhr ? ld_part(dhr + u, m) : zero);
  f4 dgi, dgo, dgf, dgz;
  const f4 carry = bwd_math(ld_part(g + u, m), ld_part(g + H + u, m), ld_part(g + 2 * H + u, m), ld_part(g + 3 * H + u, m),
                            ld_part(tc + u, m), d, ld_part(cy + u, m), cprev, ld_part(P + u, m), ld_part(P + H + u, m),
                            ld_part(P + 2 * H + u, m), &dgi, &dgo, &dgf, &dgz);
  st_part(cy + u, carry, m);
  st_part(dg + u, dgi, m), st_part(dg + H + u, dgo, m), st_part(dg + 2 * H + u, dgf, m), st_part(dg + 3 * H + u, dgz, m);
  if (dP) {
    st_part(dP + u, ld_part(dP + u, m) + dgi * cprev, m);
    st_part(dP + H + u, ld_part(dP + H + u, m) + dgo * ld_part(c + u, m), m);
    st_part(dP + 2 * H + u, ld_part(dP + 2 * H + u, m) + dgf * cprev, m);
  }
}

/* One row; has_dhr / has_cp / has_dp are constants at each call site. */
static inline void bwd_row(int H, const f32 *g, f32 *dg, const f32 *c, const f32 *cp, const f32 *tc, const f32 *dh,
                           const f32 *dhr, f32 *cy, const f32 *P, f32 *dP, const int has_dhr, const int has_cp, const int has_dp) {
  const f4 zero = {0, 0, 0, 0};
  int u = 0;
  for (; u + 4 <= H; u += 4) {
    const f4 cprev = has_cp ? LD(cp + u) : zero;
    const f4 d = has_dhr ? LD(dh + u) + LD(dhr + u) : LD(dh + u);
    f4 dgi, dgo, dgf, dgz;
    ST(cy + u, bwd_math(LD(g + u), LD(g + H + u), LD(g + 2 * H + u), LD(g + 3 * H + u), LD(tc + u), d, LD(cy + u), cprev,
                        LD(P + u), LD(P + H + u), LD(P + 2 * H + u), &dgi, &dgo, &dgf, &dgz));
    ST(dg + u, dgi), ST(dg + H + u, dgo), ST(dg + 2 * H + u, dgf), ST(dg + 3 * H + u, dgz);
    if (has_dp) {
      ST(dP + u, LD(dP + u) + dgi * cprev);
      ST(dP + H + u, LD(dP + H + u) + dgo * LD(c + u));
      ST(dP + 2 * H + u, LD(dP + 2 * H + u) + dgf * cprev);
    }
  }
  if (u < H) bwd_tail(H - u, u, H, g, dg, c, has_cp ? cp : 0, tc, dh, has_dhr ? dhr : 0, cy, P, has_dp ? dP : 0);
}

__attribute__((export_name("lstm_cell_backward")))
void lstm_cell_backward(int n, int H, const f32 *G, f32 *dG, const f32 *C, const f32 *Cprev, const f32 *TC,
                        const f32 *dH, const f32 *dHr, f32 *carry, const f32 *P, f32 *dP) {
  for (int r = 0; r < n; r++) {
    const f32 *g = G + r * 4 * H, *c = C + r * H, *tc = TC + r * H, *dh = dH + r * H;
    const f32 *cp = Cprev ? Cprev + r * H : 0, *dhr = dHr ? dHr + r * H : 0;
    f32 *dg = dG + r * 4 * H, *cy = carry + r * H;
    if (cp && dP) {
      if (dhr) bwd_row(H, g, dg, c, cp, tc, dh, dhr, cy, P, dP, 1, 1, 1);
      else bwd_row(H, g, dg, c, cp, tc, dh, dhr, cy, P, dP, 0, 1, 1);
    } else {
      bwd_row(H, g, dg, c, cp, tc, dh, dhr, cy, P, dP, dhr != 0, cp != 0, dP != 0);
    }
  }
}

/* dst[j] += Σ_r src[r·cols + j]: bias gradients from gate gradients. */
__attribute__((export_name("col_sum")))
void col_sum(int rows, int cols, const f32 *src, f32 *dst) {
  for (int r = 0; r < rows; r++) {
    const f32 *s = src + (long)r * cols;
    int j = 0;
    for (; j + 4 <= cols; j += 4) wasm_v128_store(dst + j, wasm_f32x4_add(wasm_v128_load(dst + j), wasm_v128_load(s + j)));
    for (; j < cols; j++) dst[j] += s[j];
  }
}

/* y ← σ(y) for count elements. */
__attribute__((export_name("sigmoid")))
void sigmoid(int count, f32 *y) {
  int i = 0;
  for (; i + 4 <= count; i += 4) ST(y + i, vsig(LD(y + i)));
  if (i < count) st_part(y + i, vsig(ld_part(y + i, count - i)), count - i);
}

/* dy ← dy·y·(1 − y) for count elements (y holds σ outputs). */
__attribute__((export_name("sigmoid_backward")))
void sigmoid_backward(int count, const f32 *y, f32 *dy) {
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const f4 v = LD(y + i);
    ST(dy + i, LD(dy + i) * (v * (1.0f - v)));
  }
  if (i < count) {
    const int m = count - i;
    const f4 v = ld_part(y + i, m);
    st_part(dy + i, ld_part(dy + i, m) * (v * (1.0f - v)), m);
  }
}
