import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createContentClassifier, shippedContentClassifier, validateContentModel, CONTENT_MODEL_FORMAT, type ContentModelFile } from '../../src/model/content-classifier.ts';
import { extractWindowMatrix } from '../../src/pool/window-extractor.ts';
import { decodeWav } from '../../src/audio/wav.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('model/content-classifier');

/** A hand-made 2-feature model: logits speech = 2·z0, music = 2·z1, silence = 0. */
const tiny: ContentModelFile = {
  format: CONTENT_MODEL_FORMAT, labels: ['speech', 'music', 'silence'], features: 'test', mean: [1, 0], std: [2, 1],
  layers: [{ inputs: 2, outputs: 3, weights: [2, 0, 0, 2, 0, 0], bias: [0, 0, 0] }], trainingData: 'none', metrics: {}, created: '2000-01-01',
};

test('softmax over the standardised features, in label order; absent labels are 0', () => {
  const c = createContentClassifier(validateContentModel(tiny));
  const e = c.classify(Float32Array.of(3, 0)); // z = (1, 0): logits (2, 0, 0)
  const p = Math.exp(2) / (Math.exp(2) + 2);
  assert.is(e.label, 'speech');
  assert.ok(Math.abs(e.probability - p) < 1e-12);
  assert.ok(Math.abs(e.probabilities.music - 1 / (Math.exp(2) + 2)) < 1e-12);
  assert.is(e.probabilities.mixed, 0);
  assert.is(c.classify(Float32Array.of(1, 2)).label, 'music');
});

test('bad files and bad features get clear errors', () => {
  const bad = (f: object, re: RegExp) => assert.throws(() => validateContentModel({ ...tiny, ...f }, 'x.json'), re);
  bad({ format: 'other' }, /not an emostream content model/);
  bad({ labels: ['speech', 'talk'] }, /labels must be/);
  bad({ std: [1, 0] }, /std > 0/);
  bad({ layers: [{ inputs: 3, outputs: 3, weights: [], bias: [] }] }, /layer 0: inputs must be 2/);
  bad({ layers: [{ inputs: 2, outputs: 2, weights: [0, 0, 0, 0], bias: [0, 0] }] }, /2 outputs for 3 labels/);
  const c = createContentClassifier(tiny);
  assert.throws(() => c.classify(Float32Array.of(1)), (e: { code: string }) => e.code === 'EMO_ERR_BAD_FEATURES');
  assert.throws(() => c.classify(Float32Array.of(1, NaN)), /feature 1 is NaN/);
});

/** Labels the shipped classifier gives each second of 16 kHz samples. */
async function labels(samples: Float32Array): Promise<string[]> {
  const c = shippedContentClassifier();
  const { windows, count } = await extractWindowMatrix(samples, { inputRateHz: 16000, name: 't' });
  return Array.from({ length: count }, (_, w) => c.classify(windows.subarray(w * 260, (w + 1) * 260)).label);
}

test('the shipped model: digital silence and steady low noise are silence, a speech recording is speech', async () => {
  const random = seededRandom(3);
  const noise = Float32Array.from({ length: 16000 * 6 }, () => 0.003 * (2 * random() - 1));
  assert.equal(await labels(new Float32Array(16000 * 5)), ['silence', 'silence', 'silence', 'silence']);
  assert.ok((await labels(noise)).every((l) => l === 'silence'), 'low noise');
  const speech = decodeWav(readFileSync(new URL('../fixtures/golden/speech2_16k.wav', import.meta.url)));
  const got = await labels(speech.channels[0]!);
  assert.ok(got.filter((l) => l === 'speech').length >= got.length - 1, `speech fixture: ${got}`);
});

test.run();
