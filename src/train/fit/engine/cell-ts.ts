/**
 * Element-wise peephole-LSTM cell of one time step over n packed rows, in plain TypeScript on any heap
 * (the float64 reference; the float32 engine runs the same equations in wasm/train/cell.c). Gate pre-activations
 * are g = G + Gr (input part and recurrent part h₋₁·Rᵀ, n × 4H each), the output gradient dh = dH + dHr (from above
 * and from the next step, dG₊₁·R):
 *   forward:  i = σ(gi + pi·c₋₁)  f = σ(gf + pf·c₋₁)  z = tanh(gz)  c = f·c₋₁ + i·z  o = σ(go + po·c)  h = o·tanh(c)
 *   backward: dgo = dh·tanh(c)·o(1−o);  dc = dh·o·(1−tanh²c) + po·dgo + carry;  dgi = dc·z·i(1−i)
 *             dgf = dc·c₋₁·f(1−f);  dgz = dc·i·(1−z²);  carry ← dc·f + pi·dgi + pf·dgf
 * Offsets are heap element offsets; −1 for Gr or dHr means none, for c₋₁ a zero previous state, for dP no
 * peephole gradients.
 * Also the autoencoder's output activation: y = σ(y) = 1/(1 + e^−y), and its backward dy ← dy·y·(1 − y).
 * @see lstmForward
 */
import type { Heap } from './backend.ts';

/** Gate activations in place of the input pre-activations G (n × 4H), writes C, TC = tanh(C) and H (n × H). */
export function cellForwardTs(
  h: Heap, n: number, H: number, G: number, Gr: number, cPrev: number, C: number, TC: number, Hout: number, P: number,
): void {
  const pi = P, po = P + H, pf = P + 2 * H;
  for (let j = 0; j < n; j++) {
    const g = G + j * 4 * H, c = C + j * H, tc = TC + j * H, ho = Hout + j * H;
    const gr = Gr >= 0 ? Gr + j * 4 * H : -1;
    const cp = cPrev >= 0 ? cPrev + j * H : -1;
    for (let u = 0; u < H; u++) {
      const cp0 = cp >= 0 ? h[cp + u] : 0;
      const gi = h[g + u] + (gr >= 0 ? h[gr + u] : 0), go = h[g + H + u] + (gr >= 0 ? h[gr + H + u] : 0);
      const gf = h[g + 2 * H + u] + (gr >= 0 ? h[gr + 2 * H + u] : 0), gz = h[g + 3 * H + u] + (gr >= 0 ? h[gr + 3 * H + u] : 0);
      const ig = 1 / (1 + Math.exp(-(gi + h[pi + u] * cp0)));
      const fg = 1 / (1 + Math.exp(-(gf + h[pf + u] * cp0)));
      const z = Math.tanh(gz);
      h[c + u] = fg * cp0 + ig * z;
      const cs = h[c + u]; // as stored
      const og = 1 / (1 + Math.exp(-(go + h[po + u] * cs)));
      const th = Math.tanh(cs);
      h[g + u] = ig;
      h[g + H + u] = og;
      h[g + 2 * H + u] = fg;
      h[g + 3 * H + u] = z;
      h[tc + u] = th;
      h[ho + u] = og * th;
    }
  }
}

/** Gate gradients dG (n × 4H) from dH + dHr and the carried cell gradient; updates carry and adds to dP. */
export function cellBackwardTs(
  h: Heap, n: number, H: number, G: number, dG: number, C: number, cPrev: number, TC: number,
  dH: number, dHr: number, carry: number, P: number, dP: number,
): void {
  const pi = P, po = P + H, pf = P + 2 * H;
  for (let j = 0; j < n; j++) {
    const g = G + j * 4 * H, dg = dG + j * 4 * H;
    const c = C + j * H, tc = TC + j * H, dh = dH + j * H, cy = carry + j * H;
    const dhr = dHr >= 0 ? dHr + j * H : -1;
    const cp = cPrev >= 0 ? cPrev + j * H : -1;
    for (let u = 0; u < H; u++) {
      const cp0 = cp >= 0 ? h[cp + u] : 0;
      const ig = h[g + u], og = h[g + H + u], fg = h[g + 2 * H + u], z = h[g + 3 * H + u];
      const th = h[tc + u], d = h[dh + u] + (dhr >= 0 ? h[dhr + u] : 0);
      const dgo = d * th * og * (1 - og);
      const dc = d * og * (1 - th * th) + dgo * h[po + u] + h[cy + u];
      const dgi = dc * z * ig * (1 - ig);
      const dgf = dc * cp0 * fg * (1 - fg);
      const dgz = dc * ig * (1 - z * z);
      h[cy + u] = dc * fg + dgi * h[pi + u] + dgf * h[pf + u];
      h[dg + u] = dgi;
      h[dg + H + u] = dgo;
      h[dg + 2 * H + u] = dgf;
      h[dg + 3 * H + u] = dgz;
      if (dP >= 0) {
        h[dP + u] += dgi * cp0;
        h[dP + H + u] += dgo * h[c + u];
        h[dP + 2 * H + u] += dgf * cp0;
      }
    }
  }
}

/** dst[j] += Σ_r src[r·cols + j]. */
export function colSumTs(h: Heap, rows: number, cols: number, src: number, dst: number): void {
  for (let r = 0; r < rows; r++) {
    const s = src + r * cols;
    for (let j = 0; j < cols; j++) h[dst + j] += h[s + j];
  }
}

/** y ← σ(y) = 1/(1 + e^−y) for `count` elements at y. */
export function sigmoidTs(h: Heap, count: number, y: number): void {
  for (let i = y, e = y + count; i < e; i++) h[i] = 1 / (1 + Math.exp(-h[i]));
}

/** dy ← dy·y·(1 − y) for `count` elements, y holding σ outputs. */
export function sigmoidBackwardTs(h: Heap, count: number, y: number, dy: number): void {
  for (let i = 0; i < count; i++) {
    const v = h[y + i];
    h[dy + i] *= v * (1 - v);
  }
}
