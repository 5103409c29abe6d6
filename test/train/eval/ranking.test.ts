import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { auc, rankingMargin, signAccuracy } from '../../../src/train/eval/ranking.ts';

const test = suite('train/eval/ranking');

test('ranking margin: mean over positive-target seconds minus mean over negative ones; NaN without both', () => {
  assert.ok(Math.abs(rankingMargin([1, 1, -1, -1, 0, NaN], [0.5, 0.3, 0.1, -0.1, 9, 9]) - (0.4 - 0)) < 1e-12);
  assert.ok(rankingMargin([1, 1], [0, 0]) !== rankingMargin([1, 1], [0, 0]), 'NaN without negatives');
  assert.ok(rankingMargin([0.5, -0.5], [-1, 1]) < 0, 'reversed order is negative');
});

test('AUC equals the pairwise win rate (ties half) and is 1, 0.5, 0 at the extremes', () => {
  assert.is(auc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]), 1);
  assert.is(auc([0.8, 0.9, 0.1, 0.2], [false, false, true, true]), 0);
  assert.is(auc([0.5, 0.5], [true, false]), 0.5);
  // Brute-force pairwise count on random data.
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const s = Array.from({ length: 60 }, () => Math.round(rnd() * 10) / 10), p = s.map(() => rnd() < 0.4);
  let wins = 0, pairs = 0;
  s.forEach((a, i) => s.forEach((b, j) => { if (p[i] && !p[j]) { pairs++; wins += a > b ? 1 : a === b ? 0.5 : 0; } }));
  assert.ok(Math.abs(auc(s, p) - wins / pairs) < 1e-12);
});

test('sign accuracy ignores items without a signed label', () => {
  assert.is(signAccuracy([0.2, -0.1, 0.3, 5], [1, -1, -1, 0]), 2 / 3);
});

test.run();
