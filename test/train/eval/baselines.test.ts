import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fitMean, fitRidge, fitRidgeCv, predictRidge, runBaseline, type SequenceData } from '../../../src/train/eval/baselines.ts';
import { leaveOneGroupOut } from '../../../src/train/eval/folds.ts';
import { evaluateSequences } from '../../../src/train/eval/metrics.ts';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/stats-fixtures.json', import.meta.url), 'utf8'));
const test = suite('train/eval/baselines');

const seqs: SequenceData[] = fx.ridge.sequences.map((s: { id: string; group: string; count: number; features: number[]; arousal: number[]; valence: number[] }) => ({
  id: s.id,
  group: s.group,
  count: s.count,
  features: Float32Array.from(s.features),
  arousal: Float32Array.from(s.arousal),
  valence: Float32Array.from(s.valence),
}));
const train = fx.ridge.train.map((i: number) => seqs[i]!);
const testSeqs: SequenceData[] = fx.ridge.test.map((i: number) => seqs[i]!);

function assertPredictions(model: ReturnType<typeof fitRidge>, expected: { id: string; arousal: number[]; valence: number[] }[]): void {
  testSeqs.forEach((q, k) => {
    const p = predictRidge(model, q.features, q.count);
    for (const c of ['arousal', 'valence'] as const) {
      for (let w = 0; w < q.count; w++) {
        const want = expected[k]![c][w]!;
        assert.ok(Math.abs(p[c][w]! - want) < 1e-5, `${q.id} ${c}[${w}]: got ${p[c][w]}, numpy ${want}`);
      }
    }
  });
}

test('ridge with fixed λ matches numpy closed form (standardised features, constant column)', () => {
  const m = fitRidge(train, fx.ridge.fixed.lambda);
  assertPredictions(m, fx.ridge.fixed.predictions);
  assert.is(m.scale[5], 1, 'constant feature keeps SD 1');
  assert.ok(Math.abs(m.weights[10]!) < 1e-9 && Math.abs(m.weights[11]!) < 1e-9, 'constant feature has weight 0');
});

test('ridge λ chosen by inner leave-one-group-out CV matches numpy', () => {
  const m = fitRidgeCv(train, { lambdaGrid: fx.ridge.cv.grid });
  assert.equal([...m.lambda], [fx.ridge.cv.lambda.arousal, fx.ridge.cv.lambda.valence]);
  assertPredictions(m, fx.ridge.cv.predictions);
});

test('ridge beats the mean predictor on data with a linear signal; mean predictor has CCC 0', () => {
  const folds = leaveOneGroupOut(seqs.map((s) => s.group));
  const ridge = evaluateSequences(runBaseline('ridge', seqs, folds).flatMap((f) => f.predictions));
  const mean = evaluateSequences(runBaseline('mean', seqs, folds).flatMap((f) => f.predictions));
  assert.is(mean.mean.arousal.ccc, 0);
  assert.ok(ridge.pooled.arousal.rmse < mean.pooled.arousal.rmse, `ridge ${ridge.pooled.arousal.rmse} vs mean ${mean.pooled.arousal.rmse}`);
  assert.ok(ridge.pooled.arousal.ccc > 0.3, `ridge pooled arousal ccc ${ridge.pooled.arousal.ccc}`);
});

test('mean predictor is the training mean over targeted seconds (NaN skipped)', () => {
  const s: SequenceData = { id: 'x', group: 'g', count: 3, features: new Float32Array(3), arousal: Float32Array.of(0.2, NaN, 0.4), valence: Float32Array.of(-1, 0, 1) };
  const m = fitMean([s]);
  assert.ok(Math.abs(m.arousal - 0.3) < 1e-7);
  assert.ok(Math.abs(m.valence - 0) < 1e-7);
});

test('bad λ grid is rejected with a coded error', () => {
  try {
    fitRidgeCv(train, { lambdaGrid: [0] });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code: string }).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test('a missing valence (NaN) is masked per output: arousal uses every second, valence only the labelled ones', () => {
  // Valence missing in the first half of the training sequences (as BAVED's): arousal is still fitted on every
  // second, valence on the labelled half only.
  const half = Math.floor(train.length / 2);
  const masked: SequenceData[] = train.map((q: SequenceData, i: number) => (i < half ? { ...q, valence: new Float32Array(q.count).fill(NaN) } : q));
  const lambda = fx.ridge.fixed.lambda;
  const m = fitRidge(masked, lambda);
  const full = fitRidge(train, lambda);
  let arousalDiff = 0, valenceVsFull = 0;
  for (const q of testSeqs) {
    const a = predictRidge(m, q.features, q.count), f = predictRidge(full, q.features, q.count);
    for (let w = 0; w < q.count; w++) {
      arousalDiff = Math.max(arousalDiff, Math.abs(a.arousal[w]! - f.arousal[w]!));
      valenceVsFull = Math.max(valenceVsFull, Math.abs(a.valence[w]! - f.valence[w]!));
      assert.ok(Number.isFinite(a.valence[w]!), 'valence predictions stay finite');
    }
  }
  assert.ok(arousalDiff < 1e-9, `arousal unchanged by the missing valence (max diff ${arousalDiff})`);
  assert.ok(valenceVsFull > 1e-4, 'valence is fitted on fewer seconds, so it differs from the full fit');
  const mean = fitMean(masked);
  const want = masked.slice(half).reduce((acc: number[], q: SequenceData) => [acc[0]! + q.valence.reduce((x, y) => x + y, 0), acc[1]! + q.count], [0, 0]);
  assert.ok(Math.abs(mean.valence - want[0]! / want[1]!) < 1e-6, 'the mean baseline averages valence over its labelled seconds');
});

test.run();
