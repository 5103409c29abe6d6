/**
 * Mini-batching of training sequences: random order (a seeded Fisher–Yates shuffle, as the paper presents
 * sequences in random order), then groups of `batchSize` padded with zeros to the longest member and masked.
 */
import { EmostreamError } from '../../../errors.ts';
import type { Rng } from './rng.ts';
import type { Batch, TrainingSequence } from './types.ts';

/** Pads one group of sequences into a time-major batch (T, B, ·). */
export function padBatch(group: readonly TrainingSequence[], inputSize: number, outputSize: number): Batch {
  const B = group.length;
  if (B === 0) throw new EmostreamError('EMO_ERR_DATASET', 'a batch needs at least one sequence');
  const T = Math.max(...group.map((s) => s.length));
  const inputs = new Float32Array(T * B * inputSize);
  const hasTargets = outputSize > 0 && group.every((s) => s.targets);
  const targets = hasTargets ? new Float32Array(T * B * outputSize) : undefined;
  const mask = new Uint8Array(T * B);
  const lengths = new Int32Array(B);
  group.forEach((s, b) => {
    lengths[b] = s.length;
    for (let t = 0; t < s.length; t++) {
      mask[t * B + b] = 1;
      inputs.set(s.inputs.subarray(t * inputSize, (t + 1) * inputSize), (t * B + b) * inputSize);
      if (targets && s.targets) targets.set(s.targets.subarray(t * outputSize, (t + 1) * outputSize), (t * B + b) * outputSize);
    }
  });
  return { inputs, targets, mask, lengths, T, B };
}

/**
 * Shuffles `sequences` with `rng` (or keeps their order when `rng` is undefined) and pads them into
 * batches of `batchSize` (the last may be smaller). Sizes are taken from the first sequence.
 */
export function makeBatches(sequences: readonly TrainingSequence[], batchSize: number, rng?: Rng): Batch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `batchSize must be a positive integer, got ${batchSize}`);
  }
  if (sequences.length === 0) return [];
  const first = sequences[0];
  const inputSize = first.inputs.length / first.length;
  const outputSize = first.targets ? first.targets.length / first.length : 0;
  sequences.forEach((s, i) => {
    if (!Number.isInteger(s.length) || s.length < 1) throw new EmostreamError('EMO_ERR_DATASET', `sequence ${i} has length ${s.length}`);
    if (s.inputs.length !== s.length * inputSize || !Number.isInteger(inputSize)) {
      throw new EmostreamError('EMO_ERR_DATASET', `sequence ${i}: inputs must be length × ${inputSize}`);
    }
    if (outputSize > 0 && s.targets?.length !== s.length * outputSize) {
      throw new EmostreamError('EMO_ERR_DATASET', `sequence ${i}: targets must be length × ${outputSize}`);
    }
  });
  const order = sequences.map((_, i) => i);
  if (rng) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  const out: Batch[] = [];
  for (let k = 0; k < order.length; k += batchSize) {
    out.push(padBatch(order.slice(k, k + batchSize).map((i) => sequences[i]), inputSize, outputSize));
  }
  return out;
}
