import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';

const test = suite('rng');

test('same seed and stream give the same numbers; others differ', () => {
  const take = (seed: number, stream = 0): number[] => {
    const r = createRng(seed, stream);
    return Array.from({ length: 8 }, () => r.nextU32());
  };
  assert.equal(take(7), take(7));
  assert.not.equal(take(7), take(8));
  assert.not.equal(take(7, 0), take(7, 1));
});

test('uniform and gaussian have the right moments', () => {
  const r = createRng(123);
  const n = 200_000;
  let su = 0, sg = 0, sg2 = 0, lo = 1, hi = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    su += u;
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
    const g = r.gaussian();
    sg += g;
    sg2 += g * g;
  }
  assert.ok(lo >= 0 && hi < 1);
  assert.ok(Math.abs(su / n - 0.5) < 0.005);
  assert.ok(Math.abs(sg / n) < 0.01);
  assert.ok(Math.abs(sg2 / n - 1) < 0.01);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 50_000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500);
});

test.run();
