import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMetadataProps, METADATA_KEYS, parseMetadataProps } from '../../src/model/metadata.ts';
import { writeLstmModel } from '../../src/model/lstm-graph.ts';
import { readModelInfo } from '../../src/model/model-info.ts';
import { createTestModelWeights } from '../../src/model/test-model.ts';
import type { ModelMetadataInput } from '../../src/model/types.ts';
import { expectError } from './helpers.ts';

const test = suite('model/metadata');

const names = Array.from({ length: 8 }, (_, k) => `pcm_fftMag_mfcc_sma[${k}]_amean`);
const input: ModelMetadataInput = {
  featureNames: names,
  sampleRateHz: 16000,
  domain: 'speech',
  trainingData: 'RECOLA train split (16 speakers, 4800 s)',
  metrics: { arousal: { rmse: 0.105, r: 0.821, ccc: 0.749 }, valence: { ccc: 0.332 } },
  created: '2024-06-30T12:00:00Z',
  purpose: 'trained',
  modelVersion: '1.2.0',
  producer: 'emostream-train 0.1',
  license: 'CC-BY-4.0',
  extra: { 'train.noise_sigma': '0.4', 'train.lr': '5e-6' },
};

test('every field survives writer → ONNX bytes → reader', () => {
  const weights = createTestModelWeights(41, [8, 5, 3, 2]);
  const streamNorm = { kind: 'mean-var', priorWeight: 12.5, maxWeight: Infinity, epsilon: 0.02 } as const;
  const { metadata, weights: back } = readModelInfo(writeLstmModel({ ...weights, streamNorm }, input));
  assert.is(metadata.formatVersion, '2');
  assert.equal(metadata.streamNorm, streamNorm);
  assert.equal(back.streamNorm, streamNorm);
  assert.equal(metadata.featureNames, names);
  assert.is(metadata.sampleRateHz, 16000);
  assert.equal(metadata.layerSizes, [8, 5, 3, 2]);
  assert.is(metadata.domain, 'speech');
  assert.is(metadata.trainingData, input.trainingData);
  assert.equal(metadata.metrics, input.metrics);
  assert.is(metadata.created, input.created);
  assert.is(metadata.purpose, 'trained');
  assert.is(metadata.modelVersion, '1.2.0');
  assert.is(metadata.producer, 'emostream-train 0.1');
  assert.is(metadata.license, 'CC-BY-4.0');
  assert.equal(metadata.extra, input.extra);
});

test('defaults: 16 kHz, created now, producer emostream, empty metrics', () => {
  const before = Date.now();
  const pairs = buildMetadataProps({ featureNames: ['a', 'b'], domain: 'music', trainingData: 'x', purpose: 'test-fixture' }, [2, 3, 2, 2]);
  const meta = parseMetadataProps(pairs);
  assert.is(meta.sampleRateHz, 16000);
  assert.is(meta.producer, 'emostream');
  assert.equal(meta.metrics, {});
  const created = Date.parse(meta.created);
  assert.ok(created >= before - 1000 && created <= Date.now() + 1000, meta.created);
  assert.is(new Map(pairs).get(METADATA_KEYS.layerSizes), '[2,3,2,2]');
});

test('the writer rejects bad metadata input with EMO_ERR_BAD_CONFIG', async () => {
  const sizes = [8, 5, 3, 2] as const;
  const bad: [Partial<ModelMetadataInput>, RegExp][] = [
    [{ featureNames: names.slice(1) }, /7 feature names for an input of 8/],
    [{ featureNames: [...names.slice(1), names[0]].map((n, k) => (k === 7 ? names[1] : n)) }, /unique/],
    [{ sampleRateHz: 16000.5 }, /sampleRateHz/],
    [{ domain: 'film' as never }, /domain/],
    [{ purpose: 'demo' as never }, /purpose/],
    [{ created: '30/06/2024' }, /ISO 8601/],
    [{ extra: { domain: 'music' } }, /clashes/],
  ];
  for (const [patch, message] of bad) await expectError(() => buildMetadataProps({ ...input, ...patch }, sizes), 'EMO_ERR_BAD_CONFIG', message);
});

test('a missing format version marks the file as foreign', async () => {
  const pairs = buildMetadataProps(input, [8, 5, 3, 2]).filter(([k]) => k !== METADATA_KEYS.formatVersion);
  await expectError(() => parseMetadataProps(pairs), 'EMO_ERR_MODEL', /not an emostream model/);
});

test.run();
