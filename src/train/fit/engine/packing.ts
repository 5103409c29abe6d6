/**
 * Packed-sequence layout of a padded batch (as PyTorch's PackedSequence): sequences are ordered by
 * decreasing length, so at step t the live sequences are the first counts[t] columns, and the live rows
 * of all steps are stored back to back (row starts[t] + j = step t of the j-th longest sequence).
 * Padded steps are never computed; big input-side products run once over all N = Σ lengths rows.
 */
import { EmostreamError } from '../../../errors.ts';
import type { Heap } from './backend.ts';
import type { Batch } from './types.ts';

/** Packed layout of one batch. */
export interface Packing {
  readonly T: number;
  readonly B: number;
  /** Total live rows Σ lengths. */
  readonly N: number;
  /** order[j] = batch column of the j-th longest sequence (ties keep batch order). */
  readonly order: Int32Array;
  /** Lengths in packed order (non-increasing). */
  readonly lengths: Int32Array;
  /** counts[t] = number of sequences longer than t. */
  readonly counts: Int32Array;
  /** starts[t] = first packed row of step t; starts[T] = N. */
  readonly starts: Int32Array;
}

/** Checks a batch's shapes against the network sizes (targets only when `outputSize` > 0). */
export function validateBatch(batch: Batch, inputSize: number, outputSize: number): void {
  const { T, B } = batch;
  const bad = (msg: string): never => {
    throw new EmostreamError('EMO_ERR_DATASET', `bad batch: ${msg}`);
  };
  if (!Number.isInteger(T) || T < 1 || !Number.isInteger(B) || B < 1) bad(`T=${T}, B=${B} must be positive integers`);
  if (batch.inputs.length !== T * B * inputSize) bad(`inputs has ${batch.inputs.length} values, expected T·B·${inputSize}`);
  if (batch.lengths.length !== B) bad(`lengths has ${batch.lengths.length} entries, expected B=${B}`);
  if (batch.mask.length !== T * B) bad(`mask has ${batch.mask.length} entries, expected T·B=${T * B}`);
  for (let b = 0; b < B; b++) {
    const L = batch.lengths[b];
    if (!Number.isInteger(L) || L < 1 || L > T) bad(`lengths[${b}]=${L} is outside [1, ${T}]`);
  }
  if (outputSize > 0) {
    if (!batch.targets) bad('targets are missing');
    else if (batch.targets.length !== T * B * outputSize) {
      bad(`targets has ${batch.targets.length} values, expected T·B·${outputSize}`);
    }
  }
}

/** Builds the packed layout of a (validated) batch. */
export function createPacking(batch: Batch): Packing {
  const { T, B } = batch;
  const idx = Array.from({ length: B }, (_, b) => b);
  idx.sort((a, b) => batch.lengths[b] - batch.lengths[a] || a - b);
  const order = Int32Array.from(idx);
  const lengths = Int32Array.from(idx, (b) => batch.lengths[b]);
  const counts = new Int32Array(T);
  const starts = new Int32Array(T + 1);
  let n = B;
  for (let t = 0; t < T; t++) {
    while (n > 0 && lengths[n - 1] <= t) n--;
    counts[t] = n;
    starts[t + 1] = starts[t] + n;
  }
  return { T, B, N: starts[T], order, lengths, counts, starts };
}

/** Copies rows of a (T, B, width) array into packed rows at heap offset `dst` (input noise: `Backend.addNoise`). */
export function packRows(pk: Packing, src: Float32Array, width: number, h: Heap, dst: number): void {
  for (let t = 0; t < pk.T; t++) {
    const n = pk.counts[t];
    for (let j = 0; j < n; j++) {
      const from = (t * pk.B + pk.order[j]) * width;
      h.set(src.subarray(from, from + width), dst + (pk.starts[t] + j) * width);
    }
  }
}

/** Copies packed rows back to a zero-padded (T, B, width) Float32Array. */
export function unpackRows(pk: Packing, h: Heap, src: number, width: number): Float32Array {
  const out = new Float32Array(pk.T * pk.B * width);
  for (let t = 0; t < pk.T; t++) {
    const n = pk.counts[t];
    for (let j = 0; j < n; j++) {
      const from = src + (pk.starts[t] + j) * width;
      const to = (t * pk.B + pk.order[j]) * width;
      for (let k = 0; k < width; k++) out[to + k] = h[from + k];
    }
  }
  return out;
}
