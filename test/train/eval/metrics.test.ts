import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ccc, evaluateSequences, pearson, rmse, scoreTrack } from '../../../src/train/eval/metrics.ts';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/stats-fixtures.json', import.meta.url), 'utf8'));
const test = suite('train/eval/metrics');

const close = (got: number, want: number, tol: number, what: string): void =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);

test('rmse, r and CCC match numpy/scipy (population moments)', () => {
  for (const c of fx.metrics) {
    close(rmse(c.pred, c.gold), c.rmse, 1e-12, 'rmse');
    close(pearson(c.pred, c.gold), c.r, 1e-12, 'r');
    close(ccc(c.pred, c.gold), c.ccc, 1e-12, 'ccc');
  }
});

test('CCC penalises bias and scale that r ignores', () => {
  const g = Array.from({ length: 50 }, (_, i) => Math.sin((2 * Math.PI * i) / 25)); // two whole periods: mean 0
  const shifted = g.map((x) => 2 * x + 0.5);
  close(pearson(shifted, g), 1, 1e-12, 'r of an affine copy');
  const v = g.reduce((a, x) => a + x * x, 0) / g.length; // population variance (mean 0)
  close(ccc(shifted, g), (2 * 2 * v) / (4 * v + v + 0.25), 1e-12, 'ccc = 2cov/(vx+vy+(mx-my)^2)');
  assert.ok(ccc(shifted, g) < 0.75);
  close(ccc(g, g), 1, 1e-12, 'ccc of identity');
  close(ccc(g.map((x) => -x), g), -1, 1e-12, 'ccc of negation');
});

test('constant predictions: r = 0, CCC = 0 (mean predictor), NaN gold skipped', () => {
  const g = [0.1, 0.3, NaN, -0.2, 0.4];
  const s = scoreTrack([0.15, 0.15, 99, 0.15, 0.15], g);
  assert.is(s.n, 4);
  assert.is(s.r, 0);
  assert.is(s.ccc, 0);
  close(s.rmse, Math.sqrt((0.05 ** 2 + 0.15 ** 2 + 0.35 ** 2 + 0.25 ** 2) / 4), 1e-12, 'rmse');
});

test('evaluateSequences: mean over sequences differs from pooled scores', () => {
  // Two sequences with different levels: each sequence's prediction is flat, but pooled they track the level.
  const a = { id: 'a', gold: { arousal: [0.1, 0.2, 0.3], valence: [0, 0.1, 0] }, pred: { arousal: [0.2, 0.2, 0.2], valence: [0.05, 0.05, 0.05] } };
  const b = { id: 'b', gold: { arousal: [0.7, 0.8, 0.9], valence: [0.5, 0.6, 0.5] }, pred: { arousal: [0.8, 0.8, 0.8], valence: [0.55, 0.55, 0.55] } };
  const e = evaluateSequences([a, b]);
  assert.is(e.perSequence.length, 2);
  assert.is(e.mean.arousal.ccc, 0);
  assert.ok(e.pooled.arousal.ccc > 0.9, `pooled ccc ${e.pooled.arousal.ccc}`);
  close(e.pooled.arousal.ccc, ccc([0.2, 0.2, 0.2, 0.8, 0.8, 0.8], [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]), 1e-12, 'pooled = concatenated');
  close(e.mean.valence.rmse, (rmse(a.pred.valence, a.gold.valence) + rmse(b.pred.valence, b.gold.valence)) / 2, 1e-12, 'mean rmse');
});

test('missing valence: per-sequence NaN, mean over the sequences that have it, pooled over its seconds', () => {
  const a = { id: 'a', gold: { arousal: [0.1, 0.4, 0.2], valence: [0.2, NaN, 0.6] }, pred: { arousal: [0.2, 0.3, 0.2], valence: [0.1, 0.9, 0.5] } };
  const b = { id: 'b', gold: { arousal: [0.8, 0.6, 0.9], valence: [NaN, NaN, NaN] }, pred: { arousal: [0.7, 0.7, 0.8], valence: [0.3, 0.2, 0.1] } };
  const e = evaluateSequences([a, b]);
  const vb = e.perSequence[1]!.valence;
  assert.equal([vb.rmse, vb.r, vb.ccc, vb.n], [NaN, NaN, NaN, 0]);
  const va = scoreTrack(a.pred.valence, a.gold.valence);
  assert.is(va.n, 2);
  assert.equal(e.mean.valence, va, 'the mean over sequences is sequence a alone');
  close(e.mean.arousal.ccc, (ccc(a.pred.arousal, a.gold.arousal) + ccc(b.pred.arousal, b.gold.arousal)) / 2, 1e-12, 'arousal keeps both');
  assert.equal(e.pooled.valence, scoreTrack([0.1, 0.5], [0.2, 0.6]), 'pooled: only the seconds with valence');
  assert.is(e.pooled.arousal.n, 6);
  const none = evaluateSequences([b]);
  assert.ok(Number.isNaN(none.mean.valence.ccc) && none.mean.valence.n === 0, 'no sequence has valence: NaN');
  assert.ok(Number.isNaN(none.pooled.valence.rmse) && none.pooled.valence.n === 0);
  assert.ok(Number.isFinite(none.mean.arousal.rmse));
});

test('length mismatch and empty input throw coded errors', () => {
  for (const f of [() => rmse([1, 2], [1]), () => evaluateSequences([]), () => ccc([1], [NaN])]) {
    try {
      f();
      assert.unreachable();
    } catch (e) {
      assert.match((e as { code: string }).code, /^EMO_ERR_/);
    }
  }
});

test.run();
