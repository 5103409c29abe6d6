import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSeededRandom, createTestModel, createTestModelWeights, DEFAULT_TEST_LAYER_SIZES } from '../../src/model/test-model.ts';
import { readModelInfo } from '../../src/model/model-info.ts';
import { expectError } from './helpers.ts';

const test = suite('model/test-model');

test('the PRNG is deterministic per seed and roughly uniform on [0, 1)', () => {
  const a = createSeededRandom(7);
  const b = createSeededRandom(7);
  const c = createSeededRandom(8);
  const xs = Array.from({ length: 20000 }, () => a());
  assert.equal(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.not.equal(xs.slice(0, 5), Array.from({ length: 5 }, () => c()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
});

test('weights lie in U[-0.1, 0.1] and statistics in their documented ranges', () => {
  const w = createTestModelWeights(3);
  assert.equal([w.inputSize, w.hidden1, w.hidden2], [260, 150, 10]);
  for (const a of [w.layer1.W, w.layer1.R, w.layer1.B, w.layer1.P, w.layer2.W, w.layer2.R, w.layer2.B, w.layer2.P, w.Wout, w.bout]) {
    assert.ok(a.every((v) => v >= -0.1 && v <= 0.1));
  }
  assert.ok(w.featureStd.every((v) => v >= 0.5 && v <= 2));
  assert.ok(w.targetStd.every((v) => v >= 0.2 && v <= 0.5));
});

test('same seed → identical bytes; another seed → other weights; marked test-fixture', () => {
  const sizes = [16, 4, 2, 2] as const;
  const one = createTestModel({ seed: 5, sizes });
  assert.equal(createTestModel({ seed: 5, sizes }), one);
  const other = readModelInfo(createTestModel({ seed: 6, sizes }));
  const info = readModelInfo(one);
  assert.not.equal(Array.from(other.weights.layer1.W), Array.from(info.weights.layer1.W));
  assert.is(info.metadata.purpose, 'test-fixture');
  assert.is(info.metadata.featureNames[15], 'feature_15');
  assert.equal(readModelInfo(createTestModel({ seed: 1 })).metadata.layerSizes, DEFAULT_TEST_LAYER_SIZES);
});

test('bad seeds and sizes are refused', async () => {
  await expectError(() => createTestModelWeights(1.5), 'EMO_ERR_BAD_CONFIG', /seed/);
  await expectError(() => createTestModelWeights(1, [10, 0, 2, 2]), 'EMO_ERR_BAD_CONFIG', /sizes/);
  await expectError(() => createTestModelWeights(1, [10, 4, 2, 3]), 'EMO_ERR_BAD_CONFIG', /sizes/);
});

test.run();
