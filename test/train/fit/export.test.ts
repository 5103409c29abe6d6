import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../../src/model/index.ts';
import { exportOnnx, exportRunFolder } from '../../../src/train/fit/export.ts';
import { fitRegressor } from '../../../src/train/fit/fit.ts';
import { readRunFolder, writeRunFolder, RUN_FORMAT } from '../../../src/train/fit/run-files.ts';
import { fitStandardisation, trainingPieces } from '../../../src/train/fit/standardise.ts';
import { syntheticSequences } from '../synthetic-task.ts';
import { predictSequences as predictAll } from '../../../src/train/fit/predict.ts';

const test = suite('export');
const seqs = syntheticSequences(8, 30, 260, 11);
// A stream normaliser with a short prior, so it moves the inputs a lot within these 30 s sequences.
const st = fitStandardisation(seqs.slice(0, 6), { kind: 'mean-var', priorWeight: 3, maxWeight: 20, epsilon: 0.01 });

async function onnxTrack(bytes: Uint8Array, x: Float32Array, T: number): Promise<Float32Array> {
  const model = await loadModel(bytes);
  const out = new Float32Array(T * 2);
  try {
    for (let t = 0; t < T; t++) {
      const [p] = await model.step([{ streamId: 's', features: x.subarray(t * 260, (t + 1) * 260) }]);
      out[2 * t] = p!.arousal;
      out[2 * t + 1] = p!.valence;
    }
  } finally {
    await model.release();
  }
  return out;
}

test('onnxruntime output (LSTM and stream-normaliser state carried) equals the trainer prediction within 1e-5', async () => {
  const r = await fitRegressor(trainingPieces(seqs.slice(0, 6), st), trainingPieces(seqs.slice(6, 7), st), { hidden: [12, 4], learningRate: 0.2, maxEpochs: 8, seed: 1 });
  const bytes = exportOnnx(r.network.getParameters(), st, { domain: 'speech', trainingData: 'synthetic', metrics: { note: 'test' } });
  const target = seqs[7]!;
  const [want] = predictAll(r.network, [target], st);
  const got = await onnxTrack(bytes, target.features, target.T);
  let worst = 0;
  for (let t = 0; t < target.T; t++) {
    worst = Math.max(worst, Math.abs(got[2 * t]! - Number(want!.pred.arousal[t])), Math.abs(got[2 * t + 1]! - Number(want!.pred.valence[t])));
  }
  assert.ok(worst < 1e-5, `max |onnx − trainer| = ${worst}`);
  const spread = Math.max(...Array.from(want!.pred.arousal, Number)) - Math.min(...Array.from(want!.pred.arousal, Number));
  assert.ok(spread > 1e-3, 'the prediction moves over time (a real comparison)');
  const model = await loadModel(bytes);
  assert.is(model.metadata.purpose, 'trained');
  assert.is(model.metadata.domain, 'speech');
  assert.equal(model.metadata.layerSizes, [260, 12, 4, 2]);
  assert.is(model.metadata.featureNames.length, 260);
  await model.release();
});

test('run folder round trip → exportRunFolder gives a model that loadModel accepts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-run-'));
  try {
    const r = await fitRegressor(trainingPieces(seqs.slice(0, 6), st), [], { hidden: [6, 3], learningRate: 0.2, maxEpochs: 3, seed: 2 });
    const parameters = r.network.getParameters();
    await writeRunFolder(dir, { record: { format: RUN_FORMAT, inputSize: 260, hidden: [6, 3], domain: 'music', trainingData: 'synthetic', metrics: {}, config: { a: 1 }, createdAt: new Date(0).toISOString() }, parameters, standardisation: st });
    const back = await readRunFolder(dir);
    assert.equal(Array.from(back.parameters.layers[1]!.R), Array.from(parameters.layers[1]!.R));
    assert.equal(Array.from(back.standardisation.featureStd), Array.from(st.featureStd));
    assert.equal(back.standardisation.streamNorm, st.streamNorm);
    const size = await exportRunFolder(dir, join(dir, 'm.onnx'), 'speech');
    assert.ok(size > 1000);
    const model = await loadModel(join(dir, 'm.onnx'));
    assert.is(model.metadata.domain, 'speech');
    assert.equal(model.metadata.streamNorm, st.streamNorm);
    assert.is(model.metadata.extra['emostream.trainer_config'], '{"a":1}');
    await model.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('readRunFolder rejects a folder that is not a run', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-run-'));
  try {
    const err = await readRunFolder(dir).then(() => undefined, (e: { code: string }) => e);
    assert.is(err?.code, 'EMO_ERR_MODEL');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
