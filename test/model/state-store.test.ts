import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStateStore } from '../../src/model/state-store.ts';

const test = suite('model/state-store');

// Parts as in a model with H1 = 3, H2 = 2 and a stream normaliser over 4 features: h1, c1, h2, c2, mean, var, count.
const WIDTHS = [3, 3, 2, 2, 4, 4, 1];

/** Batch outputs (one buffer per part) where stream b's every value in part k is `base + 10k + b`. */
function outputs(b: number, base: number): Float32Array[] {
  return WIDTHS.map((w, k) => Float32Array.from({ length: b * w }, (_, i) => base + 10 * k + Math.floor(i / w)));
}

test('new streams gather zero state; scattered outputs come back at the stream\'s own batch row', () => {
  const store = createStateStore(WIDTHS);
  assert.is(store.width, 19);
  const ids = ['a', 'b'];
  const tokens = store.acquire(ids);
  const zero = store.gather(tokens);
  assert.ok(zero.every((x) => x.every((v) => v === 0)));
  assert.equal(zero.map((x) => x.length), WIDTHS.map((w) => 2 * w));
  store.scatter(ids, tokens, outputs(2, 100));
  // Gather in the opposite order: each stream's values follow it to its new row.
  const swapped = store.gather(store.acquire(['b', 'a']));
  assert.equal(Array.from(swapped[0]), [101, 101, 101, 100, 100, 100]);
  assert.equal(Array.from(swapped[3]), [131, 131, 130, 130]);
  assert.equal(Array.from(swapped[6]), [161, 160]);
  assert.is(store.size, 2);
});

test('reset and drop after acquire keep the step\'s write-back out', () => {
  const store = createStateStore(WIDTHS);
  store.scatter(['a', 'b'], store.acquire(['a', 'b']), outputs(2, 1));
  const tokens = store.acquire(['a', 'b']);
  store.reset('a');
  store.drop('b');
  store.scatter(['a', 'b'], tokens, outputs(2, 50));
  assert.ok(store.gather(store.acquire(['a']))[0].every((v) => v === 0), 'a stays reset');
  assert.ok(store.has('a'));
  assert.not.ok(store.has('b'), 'b stays dropped');
  // The token still holds the pre-reset state, so an already issued step computes on what it saw.
  assert.equal(Array.from(store.gather(tokens)[0]), [1, 1, 1, 2, 2, 2]);
});

test('read returns a copy of the packed state; write replaces it (and a step issued before write cannot overwrite it)', () => {
  const store = createStateStore(WIDTHS);
  assert.is(store.read('x'), undefined);
  store.scatter(['x'], store.acquire(['x']), outputs(1, 5));
  const snap = store.read('x')!;
  assert.equal(Array.from(snap.subarray(0, 4)), [5, 5, 5, 15]);
  assert.is(snap[18], 65);
  snap[0] = 999; // a copy
  assert.is(store.read('x')![0], 5);
  const inFlight = store.acquire(['x']);
  const restored = Float32Array.from({ length: 19 }, (_, i) => i);
  store.write('y', restored);
  store.write('x', restored);
  store.scatter(['x'], inFlight, outputs(1, 70));
  assert.equal(Array.from(store.read('x')!), Array.from(restored));
  assert.equal(Array.from(store.read('y')!), Array.from(restored));
});

test('two steps acquired back to back chain through the same token', () => {
  const store = createStateStore(WIDTHS);
  const first = store.acquire(['a']);
  const second = store.acquire(['a']);
  store.scatter(['a'], first, outputs(1, 7));
  assert.equal(Array.from(store.gather(second)[3]), [37, 37]);
  store.clear();
  assert.is(store.size, 0);
});

test.run();
