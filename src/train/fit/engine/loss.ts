/**
 * Sequence losses on packed outputs, with exact gradients and **missing-target masking**.
 * A target that is not finite (NaN: a dimension the data does not label, e.g. BAVED's valence) is no
 * target: that step of that output is left out of the statistics and gets zero gradient. A pair
 * (sequence s, output d) with no finite target at all contributes nothing; losses are means over the
 * pairs P that are present. With every target finite this is exactly the unmasked loss.
 * CCC (Lin 1989) per pair over its L_sd finite steps, population statistics:
 *   ccc = 2·cov(y, z) / (var(y) + var(z) + (ȳ − z̄)² + ε),   loss = 1 − mean_{(s,d)∈P} ccc
 *   ∂ccc/∂y_t = (2/L_sd)·[(z_t − z̄)/D − cov·2·((y_t − ȳ) + (ȳ − z̄))/D²]
 * MSE: loss = mean_{(s,d)∈P} (1/L_sd) Σ_t (y − z)².  ε = 1e-12 keeps constant sequences finite.
 * Each pair weighs the same, whatever its length (as in per-sequence CCC training).
 * `perOutput[d]` is the mean CCC (or MSE) over the sequences that have output d (NaN if none).
 * Batch-pooled CCC ('ccc-batch'): the same CCC and gradient with every finite step of every sequence of the
 * batch in one sample per output d; loss = 1 − mean_{d present} ccc_d.
 */
import { EmostreamError } from '../../../errors.ts';
import type { Heap } from './backend.ts';
import type { Packing } from './packing.ts';
import type { LossKind, LossResult } from './types.ts';

const EPS = 1e-12;

/** Finite targets per (packed sequence j, output d), row-major S × Out. */
function finiteCounts(h: Heap, pk: Packing, out: number, z: number): Int32Array {
  const counts = new Int32Array(pk.B * out);
  for (let j = 0; j < pk.B; j++) {
    for (let t = 0; t < pk.lengths[j]; t++) {
      const r = (pk.starts[t] + j) * out;
      for (let d = 0; d < out; d++) if (Number.isFinite(h[z + r + d])) counts[j * out + d]++;
    }
  }
  return counts;
}

/**
 * Loss of packed predictions Y against packed targets Z (both N × Out at heap offsets y, z);
 * writes ∂loss/∂Y to heap offset dy (N × Out), 0 where the target is missing.
 * Throws EMO_ERR_DATASET when no target of the batch is finite.
 */
export function sequenceLoss(kind: LossKind, h: Heap, pk: Packing, out: number, y: number, z: number, dy: number): LossResult {
  if (kind === 'ccc-batch') return pooledCccLoss(h, pk, out, y, z, dy);
  const S = pk.B;
  const counts = finiteCounts(h, pk, out, z);
  const P = counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);
  if (P === 0) throw new EmostreamError('EMO_ERR_DATASET', 'loss: no finite target in the batch (every dimension of every step is missing)');
  const present = new Float64Array(out);
  for (let j = 0; j < S; j++) for (let d = 0; d < out; d++) if (counts[j * out + d]! > 0) present[d]++;
  const perOutput = new Float64Array(out);
  let total = 0;
  for (let j = 0; j < S; j++) {
    const L = pk.lengths[j];
    for (let d = 0; d < out; d++) {
      const n = counts[j * out + d]!;
      if (n < L) for (let t = 0; t < L; t++) h[dy + (pk.starts[t] + j) * out + d] = 0;
      if (n === 0) continue;
      const Sd = present[d]!;
      if (kind === 'mse') {
        let se = 0;
        const scale = 2 / (P * n);
        for (let t = 0; t < L; t++) {
          const r = (pk.starts[t] + j) * out + d;
          if (!Number.isFinite(h[z + r])) continue;
          const e = h[y + r] - h[z + r];
          se += e * e;
          h[dy + r] = scale * e;
        }
        perOutput[d] += se / n / Sd;
        total += se / n / P;
        continue;
      }
      let my = 0, mz = 0;
      for (let t = 0; t < L; t++) {
        const r = (pk.starts[t] + j) * out + d;
        if (!Number.isFinite(h[z + r])) continue;
        my += h[y + r];
        mz += h[z + r];
      }
      my /= n;
      mz /= n;
      let vy = 0, vz = 0, cov = 0;
      for (let t = 0; t < L; t++) {
        const r = (pk.starts[t] + j) * out + d;
        if (!Number.isFinite(h[z + r])) continue;
        const ey = h[y + r] - my, ez = h[z + r] - mz;
        vy += ey * ey;
        vz += ez * ez;
        cov += ey * ez;
      }
      vy /= n;
      vz /= n;
      cov /= n;
      const D = vy + vz + (my - mz) * (my - mz) + EPS;
      const ccc = (2 * cov) / D;
      perOutput[d] += ccc / Sd;
      total += (1 - ccc) / P;
      const scale = -2 / (n * P);
      for (let t = 0; t < L; t++) {
        const r = (pk.starts[t] + j) * out + d;
        if (!Number.isFinite(h[z + r])) continue;
        const g = (h[z + r] - mz) / D - (2 * cov * (h[y + r] - my + (my - mz))) / (D * D);
        h[dy + r] = scale * g;
      }
    }
  }
  for (let d = 0; d < out; d++) if (present[d] === 0) perOutput[d] = NaN;
  return { loss: total, perOutput };
}

/** 1 − CCC per output over all finite steps of the batch pooled (see the module header). */
function pooledCccLoss(h: Heap, pk: Packing, out: number, y: number, z: number, dy: number): LossResult {
  const perOutput = new Float64Array(out);
  const forEachStep = (fn: (r: number) => void): void => {
    for (let j = 0; j < pk.B; j++) for (let t = 0; t < pk.lengths[j]; t++) fn((pk.starts[t] + j) * out);
  };
  const stats = Array.from({ length: out }, () => ({ n: 0, my: 0, mz: 0, vy: 0, vz: 0, cov: 0 }));
  forEachStep((r) => {
    for (let d = 0; d < out; d++) {
      h[dy + r + d] = 0;
      if (!Number.isFinite(h[z + r + d])) continue;
      const s = stats[d]!;
      s.n++;
      s.my += h[y + r + d];
      s.mz += h[z + r + d];
    }
  });
  const present = stats.filter((s) => s.n > 0).length;
  if (present === 0) throw new EmostreamError('EMO_ERR_DATASET', 'loss: no finite target in the batch (every dimension of every step is missing)');
  for (const s of stats) if (s.n > 0) { s.my /= s.n; s.mz /= s.n; }
  forEachStep((r) => {
    for (let d = 0; d < out; d++) {
      if (!Number.isFinite(h[z + r + d])) continue;
      const s = stats[d]!;
      const ey = h[y + r + d] - s.my, ez = h[z + r + d] - s.mz;
      s.vy += ey * ey;
      s.vz += ez * ez;
      s.cov += ey * ez;
    }
  });
  let total = 0;
  const D = new Float64Array(out), scale = new Float64Array(out);
  stats.forEach((s, d) => {
    if (s.n === 0) { perOutput[d] = NaN; return; }
    s.vy /= s.n; s.vz /= s.n; s.cov /= s.n;
    D[d] = s.vy + s.vz + (s.my - s.mz) ** 2 + EPS;
    const ccc = (2 * s.cov) / D[d]!;
    perOutput[d] = ccc;
    total += (1 - ccc) / present;
    scale[d] = -2 / (s.n * present);
  });
  forEachStep((r) => {
    for (let d = 0; d < out; d++) {
      if (!Number.isFinite(h[z + r + d])) continue;
      const s = stats[d]!;
      const g = (h[z + r + d] - s.mz) / D[d]! - (2 * s.cov * (h[y + r + d] - s.my + (s.my - s.mz))) / (D[d]! * D[d]!);
      h[dy + r + d] = scale[d]! * g;
    }
  });
  return { loss: total, perOutput };
}
