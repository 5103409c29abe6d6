import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_STREAM_NORM } from '../../src/model/stream-norm.ts';
import { buildLstmModel, writeLstmModel, lstmGraphNodes } from '../../src/model/lstm-graph.ts';
import { encodeOnnxModel } from '../../src/model/onnx-writer.ts';
import { readModelInfo } from '../../src/model/model-info.ts';
import { createTestModelWeights, DEFAULT_TEST_LAYER_SIZES } from '../../src/model/test-model.ts';
import { permuteBlocks } from '../../src/model/gate-order.ts';
import type { LstmModelWeights, ModelMetadataInput } from '../../src/model/types.ts';
import { expectError, featureSequence, compareWithReference } from './helpers.ts';

const test = suite('model/lstm-graph');

const TOLERANCE = 1e-5;
const SIZES = [260, 48, 8, 2] as const;

function meta(n: number): ModelMetadataInput {
  return {
    featureNames: Array.from({ length: n }, (_, k) => `f${k}`),
    domain: 'music', trainingData: 'unit test', purpose: 'test-fixture', created: '2024-05-01',
  };
}

/** Peepholes of one layer rewritten from ONNX order (i, o, f) to the wrong order (i, f, o). */
function withMisorderedPeepholes(w: LstmModelWeights, layer: 'layer1' | 'layer2'): LstmModelWeights {
  const h = layer === 'layer1' ? w.hidden1 : w.hidden2;
  return { ...w, [layer]: { ...w[layer], P: permuteBlocks(w[layer].P, h, [0, 2, 1]) } };
}

test('onnxruntime equals the float64 reference within 1e-5 over 100 carried steps, batch 1 (paper sizes)', async () => {
  const weights = createTestModelWeights(11, DEFAULT_TEST_LAYER_SIZES);
  const bytes = writeLstmModel(weights, meta(260));
  const { worst, normMismatches } = await compareWithReference(bytes, weights, [featureSequence(1, 100, 260)]);
  assert.ok(worst < TOLERANCE, `max |onnx − reference| = ${worst}`);
  assert.is(normMismatches, 0, 'the graph\'s stream-normaliser state equals stream-norm.ts to the bit');
});

test('onnxruntime equals the reference within 1e-5 over 100 steps, batch 64 with distinct inputs per stream', async () => {
  const weights = createTestModelWeights(12, SIZES);
  const bytes = writeLstmModel(weights, meta(260));
  const inputs = Array.from({ length: 64 }, (_, s) => featureSequence(100 + s, 100, 260));
  const { worst, normMismatches } = await compareWithReference(bytes, weights, inputs);
  assert.ok(worst < TOLERANCE, `max |onnx − reference| = ${worst}`);
  assert.is(normMismatches, 0, 'the graph\'s stream-normaliser state equals stream-norm.ts to the bit');
});

for (const layer of ['layer1', 'layer2'] as const) {
  test(`${layer} peepholes written in i,f,o order make the 1e-5 comparison fail`, async () => {
    const weights = createTestModelWeights(13, DEFAULT_TEST_LAYER_SIZES);
    const wrong = writeLstmModel(withMisorderedPeepholes(weights, layer), meta(260));
    const { worst } = await compareWithReference(wrong, weights, [featureSequence(2, 100, 260)]);
    // Correct files deviate ~1e-8 (first test); small U[-0.1, 0.1] peepholes still move the output > 1e-4.
    assert.ok(worst > TOLERANCE, `mis-ordered P deviates only ${worst}`);
  });
}

test('swapping the forget and output gate rows of W makes the comparison fail', async () => {
  const weights = createTestModelWeights(14, SIZES);
  const h = weights.hidden1;
  const W = permuteBlocks(weights.layer1.W, h * weights.inputSize, [0, 2, 1, 3]);
  const wrong = writeLstmModel({ ...weights, layer1: { ...weights.layer1, W } }, meta(260));
  const { worst } = await compareWithReference(wrong, weights, [featureSequence(3, 10, 260)]);
  assert.ok(worst > 10 * TOLERANCE, `permuted W deviates only ${worst}`);
});

test('a graph without the feature standardisation nodes makes the comparison fail', async () => {
  const weights = createTestModelWeights(15, [20, 6, 3, 2]);
  const model = buildLstmModel(weights, meta(20));
  // Identity statistics in the file, real ones in the reference: the Sub/Div nodes must matter.
  const stripped = {
    ...model,
    initializers: model.initializers.map((t) =>
      t.name === 'feature_mean' ? { ...t, data: new Float32Array(20) } :
      t.name === 'feature_std' ? { ...t, data: new Float32Array(20).fill(1) } : t),
  };
  const { worst, normMismatches } = await compareWithReference(encodeOnnxModel(stripped), weights, [featureSequence(4, 10, 20)]);
  assert.ok(worst > 10 * TOLERANCE, `unstandardised graph deviates only ${worst}`);
  assert.ok(normMismatches > 0, 'and the normaliser sees other inputs');
});

test('writer → reader returns the exact weights and the derived layer sizes', () => {
  const weights = createTestModelWeights(16, [30, 7, 4, 2]);
  const info = readModelInfo(writeLstmModel(weights, meta(30)));
  assert.equal(info.metadata.layerSizes, [30, 7, 4, 2]);
  assert.is(info.opsetVersion, 14);
  for (const key of ['Wout', 'bout', 'featureMean', 'featureStd', 'targetMean', 'targetStd'] as const) {
    assert.equal(Array.from(info.weights[key]), Array.from(weights[key]), key);
  }
  for (const layer of ['layer1', 'layer2'] as const) {
    for (const key of ['W', 'R', 'B', 'P'] as const) {
      assert.equal(Array.from(info.weights[layer][key]), Array.from(weights[layer][key]), `${layer}.${key}`);
    }
  }
});

test('both LSTM nodes take the peephole input P in slot 7', () => {
  const lstms = lstmGraphNodes({ sizes: [260, 150, 10, 2], streamNorm: DEFAULT_STREAM_NORM, members: 1, format: '2' }).filter((n) => n.opType === 'LSTM');
  assert.is(lstms.length, 2);
  assert.equal(lstms.map((n) => n.inputs[7]), ['lstm1_P', 'lstm2_P']);
});

test('the writer rejects weights of the wrong length and NaN weights', async () => {
  const weights = createTestModelWeights(17, [10, 4, 2, 2]);
  await expectError(() => writeLstmModel({ ...weights, bout: new Float32Array(3) }, meta(10)), 'EMO_ERR_BAD_CONFIG', /bout/);
  const W = weights.layer2.W.slice();
  W[5] = NaN;
  await expectError(() => writeLstmModel({ ...weights, layer2: { ...weights.layer2, W } }, meta(10)), 'EMO_ERR_BAD_CONFIG', /layer2\.W\[5\]/);
  await expectError(() => writeLstmModel(weights, meta(11)), 'EMO_ERR_BAD_CONFIG', /11 feature names/);
});

test.run();
