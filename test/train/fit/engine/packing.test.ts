import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { padBatch } from '../../../../src/train/fit/engine/batches.ts';
import { createPacking, packRows, unpackRows } from '../../../../src/train/fit/engine/packing.ts';

const test = suite('packing');

const batch = padBatch(
  [2, 4, 1, 4].map((length, i) => ({ length, inputs: Float32Array.from({ length }, (_, t) => 10 * i + t + 1) })),
  1,
  0,
);

test('orders sequences by decreasing length and counts live rows per step', () => {
  const pk = createPacking(batch);
  assert.equal(Array.from(pk.order), [1, 3, 0, 2]);
  assert.equal(Array.from(pk.counts), [4, 3, 2, 2]);
  assert.equal(Array.from(pk.starts), [0, 4, 7, 9, 11]);
  assert.is(pk.N, 11);
});

test('pack then unpack restores live values and zero padding', () => {
  const pk = createPacking(batch);
  const h = new Float32Array(pk.N);
  packRows(pk, batch.inputs, 1, h, 0);
  assert.equal(Array.from(h.subarray(0, 4)), [11, 31, 1, 21]);
  assert.equal(unpackRows(pk, h, 0, 1), batch.inputs);
});

test.run();
