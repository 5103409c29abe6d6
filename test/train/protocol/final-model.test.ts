import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { qualifies } from '../../../src/train/protocol/final-model.ts';
import type { ConditionDetail, HeldOutScores } from '../../../src/train/protocol/held-out.ts';

const test = suite('train/final-model: the default rule');
const s = (perSeq: number, pooled: number): HeldOutScores => {
  const p = (a: number) => ({ arousal: { rmse: 0.5, r: a, ccc: a }, valence: { rmse: 0.5, r: 0, ccc: 0 } });
  return { mean: p(perSeq), pooled: p(pooled), cccCi: { arousal: null, valence: null } };
};
const detail = (model: HeldOutScores, ridge: HeldOutScores): ConditionDetail => ({
  condition: 'S2S', config: { layer1: 50, layer2: 4, learningRate: 0.2, noiseSigma: 0 }, folds: 4, testSequences: 24,
  model, baselines: { mean: s(0, 0), ridge }, vsRidge: { arousal: null, valence: null },
});

test('a model qualifies only if its arousal CCC beats mean and ridge both per sequence and pooled', () => {
  assert.is(qualifies(detail(s(0.65, 0.66), s(0.6, 0.6))), true);
  assert.is(qualifies(detail(s(0.65, 0.55), s(0.6, 0.6))), false, 'pooled below ridge');
  assert.is(qualifies(detail(s(0.55, 0.66), s(0.6, 0.6))), false, 'per sequence below ridge');
  assert.is(qualifies(detail(s(-0.01, 0.2), s(-0.3, -0.2))), false, 'per sequence below the mean predictor (CCC 0)');
  assert.is(qualifies(detail(s(0.6, 0.6), s(0.6, 0.6))), false, 'a tie does not beat');
});

test.run();
