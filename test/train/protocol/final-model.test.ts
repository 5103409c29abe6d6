import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { qualifies } from '../../../src/train/protocol/final-model.ts';
import type { ConditionGeneralisation } from '../../../src/train/protocol/generalisation.ts';
import type { SetScores } from '../../../src/train/protocol/set-scores.ts';

const test = suite('train/final-model: the default rule');
const s = (perSeq: number, pooled: number, clipAuc = NaN): SetScores => ({
  sequences: 24,
  arousal: { r: perSeq, ccc: perSeq, pooledR: pooled, pooledCcc: pooled },
  valence: { r: 0, ccc: 0, pooledR: 0, pooledCcc: 0 },
  ranking: Number.isNaN(clipAuc) ? { ok: 20, of: 24 } : { ok: 0, of: 0 },
  clips: { arousalAuc: clipAuc, valenceAuc: NaN, arousalSign: NaN, valenceSign: NaN },
  range: [-1, 1],
  perSequence: new Map(),
});
const g = (lstm: SetScores, ridge: SetScores): ConditionGeneralisation => ({
  overall: { name: 'all', lstm, ridge, mean: s(0, 0), vsRidge: { r: null, ccc: null } },
  perCorpus: [], singleEmotion: [], spread: { arousal: [], valence: [] },
});

test('a model qualifies only if its held-out arousal CCC beats mean and ridge both per sequence and pooled', () => {
  assert.is(qualifies(g(s(0.65, 0.66), s(0.6, 0.6))), true);
  assert.is(qualifies(g(s(0.65, 0.55), s(0.6, 0.6))), false, 'pooled below ridge');
  assert.is(qualifies(g(s(0.55, 0.66), s(0.6, 0.6))), false, 'per sequence below ridge');
  assert.is(qualifies(g(s(-0.01, 0.2), s(-0.3, -0.2))), false, 'per sequence below the mean predictor (CCC 0)');
  assert.is(qualifies(g(s(0.6, 0.6), s(0.6, 0.6))), false, 'a tie does not beat');
});

test('clip-labelled held-out data (no sequence with high and low seconds): pooled CCC and clip arousal AUC decide', () => {
  assert.is(qualifies(g(s(0, 0.5, 0.9), s(0, 0.45, 0.85))), true, 'per-sequence CCC is 0 for every predictor');
  assert.is(qualifies(g(s(0, 0.5, 0.84), s(0, 0.45, 0.85))), false, 'clip AUC below ridge');
  assert.is(qualifies(g(s(0, 0.4, 0.9), s(0, 0.45, 0.85))), false, 'pooled CCC below ridge');
  assert.is(qualifies(g(s(0, 0.5, 0.45), s(0, -0.1, 0.4))), false, 'clip AUC below chance (the mean predictor)');
});

test.run();
