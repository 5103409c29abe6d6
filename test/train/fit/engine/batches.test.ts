import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeBatches } from '../../../../src/train/fit/engine/batches.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';

const test = suite('batches');

const seqs = [3, 1, 4, 2, 5].map((length, i) => ({
  length,
  inputs: Float32Array.from({ length: length * 2 }, (_, k) => 100 * i + k + 1),
  targets: Float32Array.from({ length }, (_, t) => -(100 * i + t + 1)),
}));

test('pads time-major, masks ragged lengths, keeps every sequence once', () => {
  const batches = makeBatches(seqs, 2, createRng(1));
  assert.equal(batches.map((b) => b.B), [2, 2, 1]);
  const seen: number[] = [];
  for (const b of batches) {
    assert.is(b.T, Math.max(...b.lengths));
    for (let j = 0; j < b.B; j++) {
      const i = Math.floor((b.inputs[j * 2] - 1) / 100);
      seen.push(i);
      assert.is(b.lengths[j], seqs[i].length);
      for (let t = 0; t < b.T; t++) {
        const live = t < b.lengths[j];
        assert.is(b.mask[t * b.B + j], live ? 1 : 0);
        assert.is(b.inputs[(t * b.B + j) * 2 + 1], live ? seqs[i].inputs[t * 2 + 1] : 0);
        assert.is(b.targets![t * b.B + j], live ? seqs[i].targets[t] : 0);
      }
    }
  }
  assert.equal(seen.sort(), [0, 1, 2, 3, 4]);
});

test('order is random but repeatable per seed; no rng keeps order', () => {
  const first = (seed: number): number[] => Array.from(makeBatches(seqs, 5, createRng(seed))[0].lengths);
  assert.equal(first(3), first(3));
  const orders = new Set([1, 2, 3, 4, 5, 6].map((s) => first(s).join()));
  assert.ok(orders.size > 1);
  assert.equal(Array.from(makeBatches(seqs, 5)[0].lengths), [3, 1, 4, 2, 5]);
});

test('rejects bad sizes with EmostreamError codes', () => {
  assert.throws(() => makeBatches(seqs, 0), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
  const bad = [...seqs, { length: 2, inputs: new Float32Array(3), targets: new Float32Array(2) }];
  assert.throws(() => makeBatches(bad, 2), (e: { code?: string }) => e.code === 'EMO_ERR_DATASET');
  assert.equal(makeBatches([], 4), []);
});

test.run();
