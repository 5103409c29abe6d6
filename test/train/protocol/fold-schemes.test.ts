import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { conditionFolds } from '../../../src/train/protocol/protocol-setup.ts';
import { parsePlan } from '../../../src/train/protocol/plan.ts';
import { channelAugmentation } from '../../../src/train/protocol/plan-data.ts';
import type { LabelledSequence } from '../../../src/train/data/sequences.ts';

const test = suite('train/protocol: fold schemes and plan fields');

/** Sequences of `groups` speakers in `corpus`, each with one augmented copy. */
function corpus(corpus: string, domain: 'music' | 'speech', groups: number): LabelledSequence[] {
  return Array.from({ length: groups }, (_, g) => {
    const base = { group: `${corpus}:g${g}`, domain, corpus, features: new Float32Array(260 * 3), targets: new Float32Array(6), T: 3 };
    return [{ ...base, id: `${corpus}-${g}` }, { ...base, id: `${corpus}-${g}~aug0`, augmentation: { sourceId: `${corpus}-${g}`, copy: 0, recipe: [] } }];
  }).flat() as unknown as LabelledSequence[];
}

const data = [...corpus('mus', 'music', 10), ...corpus('a', 'speech', 6), ...corpus('b', 'speech', 4), ...corpus('c', 'speech', 5)];
const ids = (ix: readonly number[]) => ix.map((i) => data[i]!.id);

test('leave one corpus out: each speech corpus is one fold\'s test set; copies only train; validation every n-th group', () => {
  const folds = conditionFolds('S2S', data, { testGroupsPerFold: { music: 1, speech: 1 }, maxFolds: Infinity, schemes: { speech: 'corpus' }, validationEvery: 3 });
  assert.is(folds.length, 3);
  folds.forEach((f, k) => {
    const test = new Set(f.test.map((i) => data[i]!.corpus));
    assert.is(test.size, 1, 'one corpus per test set');
    assert.is([...test][0], ['a', 'b', 'c'][k]);
    assert.ok(f.test.every((i) => !data[i]!.augmentation) && f.validation.every((i) => !data[i]!.augmentation), 'no copy validates or tests');
    const groups = (ix: readonly number[]) => new Set(ix.map((i) => data[i]!.group));
    const [tr, va, te] = [groups(f.train), groups(f.validation), groups(f.test)];
    for (const g of va) assert.not.ok(tr.has(g) || te.has(g), `validation group ${g} is in no other role`);
    for (const g of te) assert.not.ok(tr.has(g), `test group ${g} never trains`);
    assert.ok(f.train.some((i) => data[i]!.augmentation), 'copies of training groups train');
    assert.ok(!ids(f.train).some((id) => id.startsWith([...test][0]!)), 'the left-out corpus is absent from training');
  });
});

test('chunks of groups: k folds cover every clean sequence once as a test sequence', () => {
  const folds = conditionFolds('M2M', data, { testGroupsPerFold: { music: 1, speech: 1 }, maxFolds: Infinity, schemes: { music: { chunks: 4 } }, validationEvery: 4 });
  assert.is(folds.length, 4);
  const tested = folds.flatMap((f) => ids(f.test)).sort();
  assert.equal(tested, data.filter((s) => s.domain === 'music' && !s.augmentation).map((s) => s.id).sort());
});

test('cross-domain with a scheme: at most crossDomainFolds validation rotations, tested on all of the other domain', () => {
  const folds = conditionFolds('S2M', data, { testGroupsPerFold: { music: 1, speech: 1 }, maxFolds: Infinity, schemes: { speech: 'corpus' }, validationEvery: 8, crossDomainFolds: 2 });
  assert.is(folds.length, 2);
  for (const f of folds) assert.is(f.test.length, 10, 'every clean music sequence');
  assert.not.equal(ids(folds[0]!.validation), ids(folds[1]!.validation));
});

test('plan fields: fold schemes, stream normaliser, losses, weight decay, channel tests — and clear errors', () => {
  const base = { music: ['m.json'], speech: ['s.json'], grids: { layer1: [8], layer2: [3], learningRate: [0.2], noiseSigma: [0] }, out: 'r' };
  const p = parsePlan({
    ...base, folds: { speech: 'corpus', music: { chunks: 5 } }, streamNorm: { kind: 'mean-var', priorWeight: 30, maxWeight: null },
    loss: { speech: 'ccc', music: 'ccc-batch' }, weightDecay: { speech: 0.003 }, chunkSeconds: 60,
    channelTests: [{ name: 'telephone', channel: 'telephone' }, { name: '−12 dB', channel: -12 }], singleEmotion: true, crossDomainFolds: 2,
  });
  assert.equal(p.folds, { speech: 'corpus', music: { chunks: 5 } });
  assert.is(p.streamNorm.maxWeight, Infinity);
  assert.equal(p.loss, { speech: 'ccc', music: 'ccc-batch' });
  assert.equal(p.weightDecay, { speech: 0.003, music: 0 });
  assert.is(p.channelTests[1]!.channel, -12);
  assert.throws(() => parsePlan({ ...base, folds: { speech: 'speaker' } }), /folds\.speech: must be an object/);
  assert.throws(() => parsePlan({ ...base, streamNorm: { kind: 'median' } }), /streamNorm: .*kind must be one of/);
  assert.throws(() => parsePlan({ ...base, loss: 'l1' }), /loss: must be one of ccc, ccc-batch, mse/);
  assert.throws(() => parsePlan({ ...base, channelTests: [{ name: 'x', channel: 'radio' }] }), /channelTests\[0\]\.channel/);
});

test('a channel test is a one-transform augmentation: telephone μ-law, or exactly that gain', () => {
  const t = channelAugmentation({ name: 'tel', channel: 'telephone' }, 1);
  assert.is(t.copies, 1);
  assert.is(t.transforms.telephone.probability, 1);
  assert.equal([...t.transforms.telephone.codecs], ['mulaw']);
  assert.ok(Object.entries(t.transforms).every(([k, v]) => k === 'telephone' || v.probability === 0));
  const g = channelAugmentation({ name: '−12 dB', channel: -12 }, 1);
  assert.equal([...g.transforms.gain.db], [-12, -12]);
  assert.is(g.transforms.gain.probability, 1);
});

test.run();
