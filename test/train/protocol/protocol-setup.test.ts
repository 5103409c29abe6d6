import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePlan } from '../../../src/train/protocol/plan.ts';
import { conditionFolds } from '../../../src/train/protocol/protocol-setup.ts';
import { destandardiseRows, fitStandardisation, standardiseRows, trainingPieces } from '../../../src/train/fit/standardise.ts';
import { parseTrainConfig, splitSequences } from '../../../src/train/protocol/train-run.ts';
import { syntheticSequences } from '../synthetic-task.ts';

const test = suite('protocol setup');
const music = syntheticSequences(5, 10, 4, 1, 'music');
const speech = syntheticSequences(6, 10, 4, 2, 'speech').map((s) => ({ ...s, id: `sp-${s.id}`, group: `spk${s.group}` }));
const data = [...music, ...speech];

test('ID folds stay inside the domain; no group in two roles; every group tested once', () => {
  const folds = conditionFolds('S2S', data, { testGroupsPerFold: { music: 1, speech: 2 }, maxFolds: Infinity });
  assert.is(folds.length, 3);
  const tested = folds.flatMap((f) => f.test);
  assert.equal([...tested].sort((a, b) => a - b), [5, 6, 7, 8, 9, 10]);
  for (const f of folds) {
    const g = (ix: readonly number[]) => new Set(ix.map((i) => data[i]!.group));
    const [tr, va, te] = [g(f.train), g(f.validation), g(f.test)];
    for (const x of te) assert.ok(!tr.has(x) && !va.has(x));
    for (const x of va) assert.ok(!tr.has(x));
    assert.ok([...f.train, ...f.validation, ...f.test].every((i) => data[i]!.domain === 'speech'));
  }
});

test('CD folds train/validate on the source domain and test all of the target', () => {
  const folds = conditionFolds('M2S-TL', data, { testGroupsPerFold: { music: 1, speech: 1 }, maxFolds: 3 });
  assert.is(folds.length, 3);
  for (const f of folds) {
    assert.equal(f.test, [5, 6, 7, 8, 9, 10]);
    assert.ok([...f.train, ...f.validation].every((i) => data[i]!.domain === 'music'));
    assert.is(f.validation.length, 1);
  }
});

test('standardisation uses the training sequences only and inverts exactly', () => {
  const st = fitStandardisation(music);
  const z = standardiseRows(music[0]!.features, st.featureMean, st.featureStd);
  const back = destandardiseRows(z, st.featureMean, st.featureStd);
  for (let i = 0; i < z.length; i++) assert.ok(Math.abs(back[i]! - music[0]!.features[i]!) < 1e-5);
  const all = trainingPieces(music, st).flatMap((p) => Array.from(p.inputs.filter((_, i) => i % 4 === 0)));
  assert.ok(Math.abs(all.reduce((a, b) => a + b, 0) / all.length) < 1e-5, 'feature 0 has mean 0 over the training set');
});

test('a sequence is cut only at interior windows where both targets are missing', () => {
  const s = { ...music[0]!, targets: music[0]!.targets.slice() };
  s.targets[2 * 4] = NaN;
  s.targets[2 * 4 + 1] = NaN;
  s.targets[2 * 6] = NaN; // arousal only: stays in the piece, masked by the loss
  s.targets[2 * 7 + 1] = NaN; // valence only
  const pieces = trainingPieces([s], fitStandardisation(music));
  assert.equal(pieces.map((p) => p.length), [4, s.T - 5]);
  const second = pieces[1]!.targets!;
  assert.ok(Number.isNaN(second[2 * 1]!) && Number.isFinite(second[2 * 1 + 1]!), 'window 6: arousal NaN, valence kept');
  assert.ok(Number.isFinite(second[2 * 2]!) && Number.isNaN(second[2 * 2 + 1]!), 'window 7: valence NaN, arousal kept');
});

test('plan: --quick overrides, unknown fields and bad grids are rejected with EMO_ERR_BAD_CONFIG', () => {
  const plan = { music: ['m.json'], speech: ['s.json'], grids: { layer1: [50], layer2: [4], learningRate: [0.04], noiseSigma: [0] }, out: 'o', quick: { trials: 2, bestK: 1 } };
  assert.is(parsePlan(plan).trials, 10);
  assert.is(parsePlan(plan, true).trials, 2);
  assert.equal(parsePlan(plan).conditions, ['M2M', 'S2M', 'S2M-TL', 'S2S', 'M2S', 'M2S-TL']);
  const code = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return `${(e as { code: string }).code} ${(e as Error).message}`; } };
  assert.match(code(() => parsePlan({ ...plan, trails: 3 })), /EMO_ERR_BAD_CONFIG .*unknown field "trails"/);
  assert.match(code(() => parsePlan({ ...plan, grids: { ...plan.grids, layer1: [0] } })), /EMO_ERR_BAD_CONFIG plan grids.layer1\[0\]/);
  assert.match(code(() => parsePlan({ ...plan, speech: undefined, conditions: ['S2S'] })), /EMO_ERR_BAD_CONFIG plan conditions\[0\]/);
});

test('train config: split by named groups or by fold', () => {
  const c = parseTrainConfig({ corpora: ['x.json'], hidden: [8, 2], learningRate: 0.1, out: 'o', split: { testGroups: ['g1'], validationGroups: ['g2'] } });
  const s = splitSequences(music, c.split);
  assert.equal(s.test.map((q) => q.group), ['g1']);
  assert.equal(s.validation.map((q) => q.group), ['g2']);
  assert.is(s.train.length, 3);
  const f = splitSequences(music, { fold: 0 });
  assert.is(f.test.length + f.validation.length + f.train.length, 5);
  assert.throws(() => splitSequences(music, { testGroups: ['nope'] }), /unknown group/);
});

test.run();
