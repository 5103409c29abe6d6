import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStateStore, type StateBatch } from '../../src/model/state-store.ts';

const test = suite('model/state-store');

const H1 = 3;
const H2 = 2;

/** Batch outputs where stream b's every value is `base + b`. */
function outputs(b: number, base: number): StateBatch {
  const fill = (h: number, offset: number) => Float32Array.from({ length: b * h }, (_, k) => base + offset + Math.floor(k / h));
  return { h1: fill(H1, 0), c1: fill(H1, 10), h2: fill(H2, 20), c2: fill(H2, 30) };
}

test('new streams gather zero state; scattered outputs come back at the stream\'s own batch row', () => {
  const store = createStateStore(H1, H2);
  const ids = ['a', 'b'];
  const tokens = store.acquire(ids);
  const zero = store.gather(tokens);
  assert.ok([zero.h1, zero.c1, zero.h2, zero.c2].every((x) => x.every((v) => v === 0)));
  assert.is(zero.h1.length, 2 * H1);
  store.scatter(ids, tokens, outputs(2, 100));
  // Gather in the opposite order: each stream's values follow it to its new row.
  const swapped = store.gather(store.acquire(['b', 'a']));
  assert.equal(Array.from(swapped.h1), [101, 101, 101, 100, 100, 100]);
  assert.equal(Array.from(swapped.c1), [111, 111, 111, 110, 110, 110]);
  assert.equal(Array.from(swapped.h2), [121, 121, 120, 120]);
  assert.equal(Array.from(swapped.c2), [131, 131, 130, 130]);
  assert.is(store.size, 2);
});

test('reset and drop after acquire keep the step\'s write-back out', () => {
  const store = createStateStore(H1, H2);
  store.scatter(['a', 'b'], store.acquire(['a', 'b']), outputs(2, 1));
  const tokens = store.acquire(['a', 'b']);
  store.reset('a');
  store.drop('b');
  store.scatter(['a', 'b'], tokens, outputs(2, 50));
  assert.ok(store.gather(store.acquire(['a']))[`h1`].every((v) => v === 0), 'a stays reset');
  assert.ok(store.has('a'));
  assert.not.ok(store.has('b'), 'b stays dropped');
  // The token still holds the pre-reset state, so an already issued step computes on what it saw.
  assert.equal(Array.from(store.gather(tokens).h1), [1, 1, 1, 2, 2, 2]);
});

test('two steps acquired back to back chain through the same token', () => {
  const store = createStateStore(H1, H2);
  const first = store.acquire(['a']);
  const second = store.acquire(['a']);
  store.scatter(['a'], first, outputs(1, 7));
  assert.equal(Array.from(store.gather(second).c2), [37, 37]);
  store.clear();
  assert.is(store.size, 0);
});

test.run();
