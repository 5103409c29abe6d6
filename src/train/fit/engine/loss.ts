/**
 * Sequence losses on packed outputs, with exact gradients.
 * CCC (Lin 1989), per sequence s and output d, population statistics:
 *   ccc = 2·cov(y, z) / (var(y) + var(z) + (ȳ − z̄)² + ε),   loss = 1 − mean_{s,d} ccc
 *   ∂ccc/∂y_t = (2/L)·[(z_t − z̄)/D − cov·2·((y_t − ȳ) + (ȳ − z̄))/D²]
 * MSE: loss = mean_s [ (1/(L·Out)) Σ_t Σ_d (y − z)² ].  ε = 1e-12 keeps constant sequences finite.
 * Each sequence weighs the same, whatever its length (as in per-sequence CCC training).
 */
import type { Heap } from './backend.ts';
import type { Packing } from './packing.ts';
import type { LossKind, LossResult } from './types.ts';

const EPS = 1e-12;

/**
 * Loss of packed predictions Y against packed targets Z (both N × Out at heap offsets y, z);
 * writes ∂loss/∂Y to heap offset dy (N × Out).
 */
export function sequenceLoss(kind: LossKind, h: Heap, pk: Packing, out: number, y: number, z: number, dy: number): LossResult {
  const S = pk.B;
  const perOutput = new Float64Array(out);
  let total = 0;
  for (let j = 0; j < S; j++) {
    const L = pk.lengths[j];
    for (let d = 0; d < out; d++) {
      if (kind === 'mse') {
        let se = 0;
        const scale = 2 / (S * L * out);
        for (let t = 0; t < L; t++) {
          const r = (pk.starts[t] + j) * out + d;
          const e = h[y + r] - h[z + r];
          se += e * e;
          h[dy + r] = scale * e;
        }
        perOutput[d] += se / L / S;
        total += se / (L * out) / S;
        continue;
      }
      let my = 0, mz = 0;
      for (let t = 0; t < L; t++) {
        const r = (pk.starts[t] + j) * out + d;
        my += h[y + r];
        mz += h[z + r];
      }
      my /= L;
      mz /= L;
      let vy = 0, vz = 0, cov = 0;
      for (let t = 0; t < L; t++) {
        const r = (pk.starts[t] + j) * out + d;
        const ey = h[y + r] - my, ez = h[z + r] - mz;
        vy += ey * ey;
        vz += ez * ez;
        cov += ey * ez;
      }
      vy /= L;
      vz /= L;
      cov /= L;
      const D = vy + vz + (my - mz) * (my - mz) + EPS;
      const ccc = (2 * cov) / D;
      perOutput[d] += ccc / S;
      total += (1 - ccc) / (S * out);
      const scale = -2 / (L * S * out);
      for (let t = 0; t < L; t++) {
        const r = (pk.starts[t] + j) * out + d;
        const g = (h[z + r] - mz) / D - (2 * cov * (h[y + r] - my + (my - mz))) / (D * D);
        h[dy + r] = scale * g;
      }
    }
  }
  return { loss: total, perOutput };
}
