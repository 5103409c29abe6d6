import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAutoModel, isAutoModel, predictionModelLabel } from '../../src/model/auto-model.ts';
import type { ContentClassifier, ContentLabel } from '../../src/model/content-classifier.ts';
import { createTestModelWeights, loadModel, writeLstmModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { POOLED_FEATURE_NAMES } from '../../src/pool/pooler.ts';
import { modelLabel } from '../../src/pipeline/infer.ts';
import { tempDir } from '../pipeline/helpers.ts';

const test = suite('model/auto-model');
const dir = tempDir('auto');
let speech: EmotionModel;
let music: EmotionModel;

async function testModel(domain: 'speech' | 'music', seed: number): Promise<EmotionModel> {
  const path = join(dir.path, `${domain}.onnx`);
  writeFileSync(path, writeLstmModel(createTestModelWeights(seed), {
    featureNames: POOLED_FEATURE_NAMES, domain, trainingData: 'none', purpose: 'test-fixture', modelVersion: `t${seed}`, created: '2000-01-01T00:00:00.000Z',
  }));
  return loadModel(path);
}
test.before.each(async () => { speech = await testModel('speech', 1); music = await testModel('music', 2); });
test.after.each(async () => { await speech.release().catch(() => undefined); await music.release().catch(() => undefined); });
test.after(() => dir.cleanup());

/** A classifier whose label is feature 0 as an index (0 speech, 1 music, 2 silence, 3 mixed). */
const scripted: ContentClassifier = {
  labels: ['speech', 'music', 'silence', 'mixed'], inputSize: 260, file: {} as never,
  classify(f) {
    if (!Number.isFinite(f[0]!)) throw Object.assign(new Error('bad'), { code: 'EMO_ERR_BAD_FEATURES' });
    const label = (['speech', 'music', 'silence', 'mixed'] as ContentLabel[])[f[0]!]!;
    return { label, probability: 0.95, probabilities: { speech: 0, music: 0, silence: 0, mixed: 0, [label]: 0.95 } };
  },
};
const features = (label: number, k: number) => { const f = new Float32Array(260).fill(0.01 * k); f[0] = label; return f; };

test('routes each stream by its content with hysteresis; each prediction names its model; a switch starts from zero state', async () => {
  const auto = createAutoModel({ speech, music, classifier: scripted });
  assert.ok(isAutoModel(auto));
  assert.is(modelLabel(auto), 'auto(speech@t1,music@t2)');
  // stream x: music from the start (first evidence decides), then 3 s of speech switch it; stream y stays on speech.
  const seq = [1, 1, 0, 0, 0, 0];
  const labels: string[] = [];
  for (let k = 0; k < seq.length; k++) {
    const out = await auto.step([{ streamId: 'x', features: features(seq[k]!, k) }, { streamId: 'y', features: features(0, k) }]);
    labels.push(`${predictionModelLabel(out[0]!)}|${predictionModelLabel(out[1]!)}`);
    if (k === 1) assert.ok(music.has('x') && !speech.has('x'), 'x lives in the music model only');
  }
  assert.equal(labels, ['music@t2|speech@t1', 'music@t2|speech@t1', 'music@t2|speech@t1', 'music@t2|speech@t1', 'speech@t1|speech@t1', 'speech@t1|speech@t1']);
  assert.ok(speech.has('x') && !music.has('x'), 'after the switch the music model dropped x');
  // The switch reset: x's prediction on the switch second equals a fresh stream's on the same features.
  const fresh = await speech.step([{ streamId: 'fresh', features: features(0, 4) }]);
  const again = createAutoModel({ speech, music, classifier: scripted });
  const viaAuto = await again.step([{ streamId: 'z', features: features(0, 4) }]);
  assert.is(viaAuto[0]!.arousal, fresh[0]!.arousal);
});

test('a bad feature vector throws before any state changes; snapshot / restore keep the route; release frees both models', async () => {
  const auto = createAutoModel({ speech, music, classifier: scripted });
  await auto.step([{ streamId: 'a', features: features(1, 0) }]);
  const bad = features(0, 1);
  bad[0] = NaN;
  await auto.step([{ streamId: 'a', features: features(0, 1) }, { streamId: 'b', features: bad }]).then(() => assert.unreachable(), (e) => assert.is(e.code, 'EMO_ERR_BAD_FEATURES'));
  assert.is(auto.routeOf('a'), 'music');
  assert.is(auto.has('b'), false);
  const snap = auto.snapshot('a')!;
  assert.match(snap.layout, /^auto\/music\//);
  const next = await auto.step([{ streamId: 'a', features: features(1, 2) }]);
  auto.restore('a2', snap);
  const restored = await auto.step([{ streamId: 'a2', features: features(1, 2) }]);
  assert.is(restored[0]!.arousal, next[0]!.arousal, 'restored state continues like the original');
  assert.throws(() => auto.restore('c', { layout: 'auto/jazz/x', values: new Float32Array(3) }), /cannot restore/);
  await auto.release();
  await speech.step([{ streamId: 'q', features: features(0, 0) }]).then(() => assert.unreachable(), () => undefined);
});

test('needs a speech and a music model', () => {
  assert.throws(() => createAutoModel({ speech: music, music: speech, classifier: scripted }), /needs a speech and a music model/);
});

test.run();
