import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { readModelInfo } from '../../src/model/model-info.ts';
import { loadModel } from '../../src/model/session.ts';
import { buildLstmModel } from '../../src/model/lstm-graph.ts';
import { encodeOnnxModel } from '../../src/model/onnx-writer.ts';
import type { OnnxModelDescription } from '../../src/model/onnx-ir.ts';
import { createSeededRandom, createTestModel, createTestModelWeights } from '../../src/model/test-model.ts';
import { expectError } from './helpers.ts';

const test = suite('model/model-info');

const SIZES = [260, 12, 4, 2] as const;
const bytes = createTestModel({ seed: 31, sizes: SIZES });
const description = (): OnnxModelDescription =>
  buildLstmModel(createTestModelWeights(31, SIZES), {
    featureNames: Array.from({ length: 260 }, (_, k) => `f${k}`),
    domain: 'speech', trainingData: 'unit test', purpose: 'test-fixture', created: '2024-01-02',
  });

/** The model with one metadata value replaced (or removed when `value` is undefined). */
function withMetadata(key: string, value: string | undefined): Uint8Array {
  const d = description();
  const metadata = d.metadata.filter(([k]) => k !== key);
  return encodeOnnxModel({ ...d, metadata: value === undefined ? metadata : [...metadata, [key, value]] });
}

/** A valid ONNX model that is not ours: z = x + one. */
function foreignModel(metadata: readonly (readonly [string, string])[] = []): Uint8Array {
  return encodeOnnxModel({
    irVersion: 7, opsetVersion: 14, producerName: 'someone-else', producerVersion: '1', docString: '', graphName: 'adder',
    nodes: [{ opType: 'Add', name: 'add', inputs: ['x', 'one'], outputs: ['z'], attributes: [] }],
    initializers: [{ name: 'one', dims: [2], data: Float32Array.of(1, 1) }],
    inputs: [{ name: 'x', elemType: 'float32', shape: [2] }],
    outputs: [{ name: 'z', elemType: 'float32', shape: [2] }],
    metadata,
  });
}

test('a valid file reads back with its metadata and weights', () => {
  const info = readModelInfo(bytes);
  assert.is(info.metadata.purpose, 'test-fixture');
  assert.equal(info.metadata.layerSizes, SIZES);
  assert.is(info.weights.layer1.P.length, 3 * 12);
});

test('a file truncated at any length is rejected with EMO_ERR_MODEL', async () => {
  // Every cut, including cuts at protobuf field boundaries (which decode cleanly), must be caught.
  for (let cut = 1; cut < bytes.length; cut++) await expectError(() => readModelInfo(bytes.subarray(0, cut)), 'EMO_ERR_MODEL');
  await expectError(() => loadModel(bytes.slice(0, bytes.length >> 1)), 'EMO_ERR_MODEL', /truncated/);
  await expectError(() => loadModel(new Uint8Array(0)), 'EMO_ERR_MODEL', /empty/);
});

test('random bytes and a WAV file are rejected with EMO_ERR_MODEL', async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const random = createSeededRandom(seed);
    const junk = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    await expectError(() => loadModel(junk), 'EMO_ERR_MODEL');
  }
  const wav = readFileSync(new URL('../fixtures/golden/sine440_16k.wav', import.meta.url));
  await expectError(() => loadModel(wav), 'EMO_ERR_MODEL');
  await expectError(() => loadModel(new TextEncoder().encode('{"not": "onnx"}')), 'EMO_ERR_MODEL');
});

test('a valid foreign ONNX model is rejected as not an emostream model', async () => {
  const foreign = foreignModel();
  const session = await ort.InferenceSession.create(foreign); // onnxruntime accepts it ...
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2), [2]) });
  assert.equal(Array.from(out.z.data as Float32Array), [2, 3]);
  await session.release();
  await expectError(() => loadModel(foreign), 'EMO_ERR_MODEL', /not an emostream model/); // ... we do not.
  const disguised = foreignModel(description().metadata);
  await expectError(() => loadModel(disguised), 'EMO_ERR_MODEL', /graph inputs are \[x\]/);
});

test('bad metadata values are named in the error', async () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['emostream.format_version', '3', /unsupported format version "3"/],
    ['emostream.stream_norm', '{"kind":"median"}', /kind must be one of none\|mean\|mean-var/],
    ['emostream.stream_norm', undefined, /missing key emostream.stream_norm/],
    ['feature_names', JSON.stringify(['a', 'b']), /2 feature names but layer_sizes says 260/],
    ['feature_names', '[oops', /feature_names is not valid JSON/],
    ['domain', 'video', /domain must be music\|speech/],
    ['purpose', 'demo', /purpose must be trained\|test-fixture/],
    ['purpose', undefined, /missing key purpose/],
    ['metrics', '[1,2]', /metrics must be a JSON object/],
    ['created', 'yesterday', /created must be an ISO 8601 date/],
    ['sample_rate_hz', '-1', /sample_rate_hz/],
    ['layer_sizes', '[260,12,4,3]', /layer_sizes must be/],
  ];
  for (const [key, value, message] of cases) await expectError(() => loadModel(withMetadata(key, value)), 'EMO_ERR_MODEL', message);
});

test('metadata layer sizes that disagree with the graph are rejected', async () => {
  await expectError(() => readModelInfo(withMetadata('layer_sizes', '[260,13,4,2]')), 'EMO_ERR_MODEL', /h1_in has shape \[1,batch,12\], expected \[1,batch,13\]/);
});

test('initialisers of the wrong shape, type or value are rejected', async () => {
  const d = description();
  const replace = (name: string, dims: number[], data: Float32Array | BigInt64Array) =>
    encodeOnnxModel({ ...d, initializers: d.initializers.map((t) => (t.name === name ? { name, dims, data } : t)) });
  await expectError(() => readModelInfo(replace('lstm1_P', [1, 24], new Float32Array(24))), 'EMO_ERR_MODEL', /lstm1_P has dims \[1,24\], expected \[1,36\]/);
  await expectError(() => readModelInfo(replace('out_b', [2], BigInt64Array.of(1n, 2n))), 'EMO_ERR_MODEL', /out_b has the wrong element type/);
  const std = new Float32Array(260).fill(1);
  std[3] = 0;
  await expectError(() => readModelInfo(replace('feature_std', [260], std)), 'EMO_ERR_MODEL', /featureStd\[3\] = 0 must be > 0/);
  const missing = encodeOnnxModel({ ...d, initializers: d.initializers.filter((t) => t.name !== 'target_mean') });
  await expectError(() => readModelInfo(missing), 'EMO_ERR_MODEL', /target_mean is missing/);
});

test('a graph whose LSTM lacks the peephole input is rejected', async () => {
  const d = description();
  const nodes = d.nodes.map((n) => (n.name === 'lstm1' ? { ...n, inputs: n.inputs.slice(0, 7) } : n));
  await expectError(() => readModelInfo(encodeOnnxModel({ ...d, nodes })), 'EMO_ERR_MODEL', /graph node \d+ \(LSTM\) is wired/);
  await expectError(() => readModelInfo(encodeOnnxModel({ ...d, opsetVersion: 9 })), 'EMO_ERR_MODEL', /opset 9/);
});

test.run();
