import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/session.ts';
import { createReferenceForward } from '../../src/model/reference-forward.ts';
import { createTestModel, createTestModelWeights } from '../../src/model/test-model.ts';
import { writeLstmModel } from '../../src/model/lstm-graph.ts';
import type { StreamPrediction } from '../../src/model/types.ts';
import { expectError, featureSequence } from './helpers.ts';

const test = suite('model/session');

const SIZES = [260, 40, 6, 2] as const;
const SEED = 21;
const bytes = createTestModel({ seed: SEED, sizes: SIZES });
const weights = createTestModelWeights(SEED, SIZES);

const byId = (out: StreamPrediction[], id: string) => out.find((p) => p.streamId === id)!;

test('step carries per-stream state and matches the reference for 64 streams over 100 steps', async () => {
  const model = await loadModel(bytes);
  const reference = createReferenceForward(weights);
  const ids = Array.from({ length: 64 }, (_, s) => `s${s}`);
  const inputs = ids.map((_, s) => featureSequence(500 + s, 100, 260));
  const states = ids.map(() => reference.newState());
  let worst = 0;
  for (let t = 0; t < 100; t++) {
    const out = await model.step(ids.map((streamId, s) => ({ streamId, features: inputs[s][t] })));
    assert.equal(out.map((p) => p.streamId), ids);
    out.forEach((p, s) => {
      const [a, v] = reference.step(inputs[s][t], states[s]);
      worst = Math.max(worst, Math.abs(p.arousal - a), Math.abs(p.valence - v));
    });
  }
  assert.ok(worst < 1e-5, `max |model − reference| = ${worst}`);
  assert.is(model.streamCount, 64);
  await model.release();
});

test('a stream gives the same outputs whether or not another stream shares its batches', async () => {
  const model = await loadModel(bytes);
  const a = featureSequence(1, 20, 260);
  const b = featureSequence(2, 20, 260);
  const alone: number[] = [];
  const shared: number[] = [];
  for (let t = 0; t < 20; t++) {
    alone.push(byId(await model.step([{ streamId: 'alone', features: a[t] }]), 'alone').arousal);
    // B joins only every other second, in front of A, to shuffle batch positions as well.
    const batch = t % 2 ? [{ streamId: 'B', features: b[t] }, { streamId: 'A', features: a[t] }] : [{ streamId: 'A', features: a[t] }];
    shared.push(byId(await model.step(batch), 'A').arousal);
  }
  alone.forEach((x, t) => assert.ok(Math.abs(x - shared[t]) < 1e-6, `step ${t}: ${x} vs ${shared[t]}`));
  // And the state does matter: the same input at t = 19 from zero state gives a different output.
  const fresh = byId(await model.step([{ streamId: 'fresh', features: a[19] }]), 'fresh').arousal;
  assert.ok(Math.abs(fresh - alone[19]) > 1e-6, 'state changes the output');
  await model.release();
});

test('reset restarts a stream from zero state; drop frees it; unknown ids are no-ops', async () => {
  const model = await loadModel(bytes);
  const x = featureSequence(3, 5, 260);
  const first = byId(await model.step([{ streamId: 'a', features: x[0] }]), 'a');
  for (let t = 1; t < 5; t++) await model.step([{ streamId: 'a', features: x[t] }]);
  const carried = byId(await model.step([{ streamId: 'a', features: x[0] }]), 'a');
  assert.ok(Math.abs(carried.arousal - first.arousal) > 1e-6, 'carried state differs from zero state');
  model.reset('a');
  assert.ok(model.has('a'));
  const restarted = byId(await model.step([{ streamId: 'a', features: x[0] }]), 'a');
  assert.is(restarted.arousal, first.arousal);
  assert.is(restarted.valence, first.valence);
  model.drop('a');
  assert.not.ok(model.has('a'));
  assert.is(model.streamCount, 0);
  model.reset('nobody');
  model.drop('nobody');
  assert.is(model.streamCount, 0);
  await model.release();
});

test('a reset during an in-flight step wins over the step\'s state write-back', async () => {
  const model = await loadModel(bytes);
  const x = featureSequence(4, 2, 260);
  const first = byId(await model.step([{ streamId: 'a', features: x[0] }]), 'a');
  const pending = model.step([{ streamId: 'a', features: x[1] }]);
  model.reset('a');
  await pending;
  const after = byId(await model.step([{ streamId: 'a', features: x[0] }]), 'a');
  assert.is(after.arousal, first.arousal);
  await model.release();
});

test('bad features are rejected per stream, naming it, without touching any state', async () => {
  const model = await loadModel(bytes);
  const x = featureSequence(5, 3, 260);
  await model.step([{ streamId: 'good', features: x[0] }]);
  const nan = x[1].slice();
  nan[7] = NaN;
  await expectError(() => model.step([{ streamId: 'good', features: x[1] }, { streamId: 'bad', features: nan }]),
    'EMO_ERR_BAD_FEATURES', /stream "bad": feature 7 \(feature_7\) is NaN/);
  const inf = x[1].slice();
  inf[0] = -Infinity;
  await expectError(() => model.step([{ streamId: 'bad', features: inf }]), 'EMO_ERR_BAD_FEATURES', /-Infinity/);
  await expectError(() => model.step([{ streamId: 'short', features: new Float32Array(259) }]), 'EMO_ERR_BAD_FEATURES', /260 features, got 259/);
  await expectError(() => model.step([{ streamId: 'dup', features: x[1] }, { streamId: 'dup', features: x[2] }]), 'EMO_ERR_BAD_FEATURES', /twice/);
  assert.not.ok(model.has('bad') || model.has('short') || model.has('dup'), 'rejected streams hold no state');
  // "good" advanced exactly once: its next output equals a clean run's second step.
  const control = await loadModel(bytes);
  await control.step([{ streamId: 'good', features: x[0] }]);
  const expected = byId(await control.step([{ streamId: 'good', features: x[1] }]), 'good');
  const got = byId(await model.step([{ streamId: 'good', features: x[1] }]), 'good');
  assert.is(got.arousal, expected.arousal);
  assert.equal(await model.step([]), []);
  await control.release();
  await model.release();
});

test('loads from a path; release frees the session and later steps fail with EMO_ERR_MODEL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emostream-model-'));
  try {
    const path = join(dir, 'test.onnx');
    writeFileSync(path, bytes);
    const model = await loadModel(path, { intraOpThreads: 1 });
    assert.is(model.inputSize, 260);
    assert.is(model.metadata.purpose, 'test-fixture');
    await model.step([{ streamId: 'a', features: featureSequence(6, 1, 260)[0] }]);
    await model.release();
    assert.is(model.streamCount, 0);
    await expectError(() => model.step([{ streamId: 'a', features: new Float32Array(260) }]), 'EMO_ERR_MODEL', /released/);
    await expectError(() => loadModel(join(dir, 'missing.onnx')), 'EMO_ERR_MODEL', /not found/);
    await expectError(() => loadModel(bytes, { intraOpThreads: 0 }), 'EMO_ERR_BAD_CONFIG');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('snapshot → restore under another id continues the stream exactly; a foreign snapshot is refused', async () => {
  const model = await loadModel(bytes);
  const x = featureSequence(9, 12, 260);
  assert.is(model.snapshot('nobody'), undefined);
  for (let t = 0; t < 6; t++) await model.step([{ streamId: 'a', features: x[t] }]);
  const snap = model.snapshot('a')!;
  assert.is(snap.layout, '260,40,6,2/mean-var');
  assert.is(snap.values.length, 2 * 40 + 2 * 6 + 2 * 260 + 1);
  assert.is(snap.values[snap.values.length - 1], 6, 'the normaliser has seen 6 windows');
  model.restore('b', snap);
  for (let t = 6; t < 12; t++) {
    const out = await model.step([{ streamId: 'a', features: x[t] }, { streamId: 'b', features: x[t] }]);
    assert.is(byId(out, 'a').arousal, byId(out, 'b').arousal, `step ${t}`);
    assert.is(byId(out, 'a').valence, byId(out, 'b').valence, `step ${t}`);
  }
  await expectError(() => model.restore('c', { layout: '260,40,6,2/none', values: snap.values }), 'EMO_ERR_MODEL', /does not fit this model/);
  const bad = snap.values.slice();
  bad[3] = NaN;
  await expectError(() => model.restore('c', { layout: snap.layout, values: bad }), 'EMO_ERR_MODEL', /not finite/);
  assert.not.ok(model.has('c'));
  await model.release();
});

test('outputs of a format-2 model are clipped to [−1, 1] where the unbounded network leaves it', async () => {
  const w = { ...createTestModelWeights(4, [260, 8, 3, 2]), targetStd: Float32Array.of(40, 40) };
  const model = await loadModel(writeLstmModel(w, { featureNames: Array.from({ length: 260 }, (_, k) => `f${k}`), domain: 'speech', trainingData: 'test', purpose: 'test-fixture' }));
  const unbounded = createReferenceForward(w, { bounded: false });
  const state = unbounded.newState();
  let outside = 0;
  for (const x of featureSequence(5, 20, 260)) {
    const [p] = await model.step([{ streamId: 'x', features: x }]);
    const [a, v] = unbounded.step(x, state);
    if (Math.abs(a) > 1 || Math.abs(v) > 1) outside++;
    assert.ok(Math.abs(p.arousal) <= 1 && Math.abs(p.valence) <= 1, `${p.arousal}, ${p.valence}`);
    assert.ok(Math.abs(p.arousal - Math.max(-1, Math.min(1, a))) < 1e-4, `clip(${a}) vs ${p.arousal}`);
  }
  assert.ok(outside > 5, `the unbounded outputs leave [−1, 1] in ${outside} of 20 steps`);
  await model.release();
});

test('a 3-member ensemble: mean and calibrated SD match the reference for 8 streams over 40 steps; snapshots carry every member', async () => {
  const sizes = [260, 16, 4, 2] as const;
  const w = createTestModelWeights(31, sizes, undefined, 3);
  const model = await loadModel(createTestModel({ seed: 31, sizes, members: 3 }));
  assert.is(model.metadata.ensembleSize, 3);
  const reference = createReferenceForward(w);
  const ids = Array.from({ length: 8 }, (_, s) => `e${s}`);
  const inputs = ids.map((_, s) => featureSequence(700 + s, 40, 260));
  const states = ids.map(() => reference.newState());
  let worst = 0, worstSd = 0, minSd = Infinity;
  for (let t = 0; t < 40; t++) {
    const out = await model.step(ids.map((streamId, s) => ({ streamId, features: inputs[s][t] })));
    out.forEach((p, s) => {
      const [a, v] = reference.step(inputs[s][t], states[s]);
      const [sa, sv] = reference.lastSd()!;
      worst = Math.max(worst, Math.abs(p.arousal - a), Math.abs(p.valence - v));
      worstSd = Math.max(worstSd, Math.abs(p.uncertainty!.arousalSd - sa), Math.abs(p.uncertainty!.valenceSd - sv));
      minSd = Math.min(minSd, p.uncertainty!.arousalSd);
    });
  }
  assert.ok(worst < 1e-5, `mean: max |model − reference| = ${worst}`);
  assert.ok(worstSd < 1e-5, `sd: max |model − reference| = ${worstSd}`);
  assert.ok(minSd >= Math.sqrt(0.01) - 1e-6, 'the SD never falls below the calibrated floor');
  const snap = model.snapshot('e0')!;
  assert.is(snap.layout, '260,16,4,2/mean-var/x3');
  assert.is(snap.values.length, 3 * (2 * 16 + 2 * 4) + 2 * 260 + 1);
  await model.release();
});

test.run();
