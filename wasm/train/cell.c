/*
 * Element-wise peephole-LSTM cell kernels for one time step over n packed rows (WebAssembly SIMD128),
 * gate blocks i, o, f, z (ONNX order i, o, f, c), peepholes p = [pi, po, pf]:
 *   forward:  i = σ(gi + pi·c₋₁)  f = σ(gf + pf·c₋₁)  z = tanh(gz)  c = f·c₋₁ + i·z
 *             o = σ(go + po·c)    h = o·tanh(c)
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

static inline f4 vexp(f4 x) {
  x = (f4)wasm_f32x4_min(wasm_f32x4_max((v128_t)x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  f4 n = (f4)wasm_f32x4_nearest((v128_t)(x * 1.44269504088896341f));
  f4 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  f4 p = r * 1.9875691500e-4f + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  f4 y = p * r * r + r + 1.0f;
  i4 e = ((i4)wasm_i32x4_trunc_sat_f32x4((v128_t)n) + 127) << 23;
  return y * (f4)e;
}

static inline f4 vsig(f4 x) { return 1.0f / (1.0f + vexp(-x)); }
static inline f4 vtanh(f4 x) { return 1.0f - 2.0f / (1.0f + vexp(x + x)); }

/* Loads m ≤ 4 floats (zeros beyond), stores m floats. */
static inline f4 ld(const f32 *p, int m) {
  if (m == 4) return (f4)wasm_v128_load(p);
  f4 v = {0, 0, 0, 0};
  for (int k = 0; k < m; k++) v[k] = p[k];
  return v;
}
static inline void st(f32 *p, f4 v, int m) {
  if (m == 4) { wasm_v128_store(p, (v128_t)v); return; }
  for (int k = 0; k < m; k++) p[k] = v[k];
}

__attribute__((export_name("lstm_cell_forward")))
void lstm_cell_forward(int n, int H, f32 *G, const f32 *Cprev, f32 *C, f32 *TC, f32 *Hout, const f32 *P) {
  const f4 zero = {0, 0, 0, 0};
  for (int r = 0; r < n; r++) {
    f32 *g = G + (long)r * 4 * H;
    const f32 *cp = Cprev ? Cprev + (long)r * H : 0;
    f32 *c = C + (long)r * H, *tc = TC + (long)r * H, *ho = Hout + (long)r * H;
    for (int u = 0; u < H; u += 4) {
      const int m = H - u < 4 ? H - u : 4;
      const f4 cprev = cp ? ld(cp + u, m) : zero;
      const f4 ig = vsig(ld(g + u, m) + ld(P + u, m) * cprev);
      const f4 fg = vsig(ld(g + 2 * H + u, m) + ld(P + 2 * H + u, m) * cprev);
      const f4 z = vtanh(ld(g + 3 * H + u, m));
      const f4 cn = fg * cprev + ig * z;
      const f4 og = vsig(ld(g + H + u, m) + ld(P + H + u, m) * cn);
      const f4 th = vtanh(cn);
      st(g + u, ig, m);
      st(g + H + u, og, m);
      st(g + 2 * H + u, fg, m);
      st(g + 3 * H + u, z, m);
      st(c + u, cn, m);
      st(tc + u, th, m);
      st(ho + u, og * th, m);
    }
  }
}

__attribute__((export_name("lstm_cell_backward")))
void lstm_cell_backward(int n, int H, const f32 *G, f32 *dG, const f32 *C, const f32 *Cprev, const f32 *TC,
                        const f32 *dH, f32 *carry, const f32 *P, f32 *dP) {
  const f4 zero = {0, 0, 0, 0};
  for (int r = 0; r < n; r++) {
    const f32 *g = G + (long)r * 4 * H;
    f32 *dg = dG + (long)r * 4 * H;
    const f32 *cp = Cprev ? Cprev + (long)r * H : 0;
    const f32 *c = C + (long)r * H, *tc = TC + (long)r * H, *dh = dH + (long)r * H;
    f32 *cy = carry + (long)r * H;
    for (int u = 0; u < H; u += 4) {
      const int m = H - u < 4 ? H - u : 4;
      const f4 cprev = cp ? ld(cp + u, m) : zero;
      const f4 ig = ld(g + u, m), og = ld(g + H + u, m), fg = ld(g + 2 * H + u, m), z = ld(g + 3 * H + u, m);
      const f4 th = ld(tc + u, m), d = ld(dh + u, m);
      const f4 pi = ld(P + u, m), po = ld(P + H + u, m), pf = ld(P + 2 * H + u, m);
      const f4 dgo = d * th * og * (1.0f - og);
      const f4 dc = d * og * (1.0f - th * th) + dgo * po + ld(cy + u, m);
      const f4 dgi = dc * z * ig * (1.0f - ig);
      const f4 dgf = dc * cprev * fg * (1.0f - fg);
      const f4 dgz = dc * ig * (1.0f - z * z);
      st(cy + u, dc * fg + dgi * pi + dgf * pf, m);
      st(dg + u, dgi, m);
      st(dg + H + u, dgo, m);
      st(dg + 2 * H + u, dgf, m);
      st(dg + 3 * H + u, dgz, m);
      if (dP) {
        st(dP + u, ld(dP + u, m) + dgi * cprev, m);
        st(dP + H + u, ld(dP + H + u, m) + dgo * ld(c + u, m), m);
        st(dP + 2 * H + u, ld(dP + 2 * H + u, m) + dgf * cprev, m);
      }
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
  for (int i = 0; i < count; i += 4) {
    const int m = count - i < 4 ? count - i : 4;
    st(y + i, vsig(ld(y + i, m)), m);
  }
}

/* dy ← dy·y·(1 − y) for count elements (y holds σ outputs). */
__attribute__((export_name("sigmoid_backward")))
void sigmoid_backward(int count, const f32 *y, f32 *dy) {
  for (int i = 0; i < count; i += 4) {
    const int m = count - i < 4 ? count - i : 4;
    const f4 v = ld(y + i, m);
    st(dy + i, ld(dy + i, m) * (v * (1.0f - v)), m);
  }
}
