import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { padBatch } from '../../../../src/train/fit/engine/batches.ts';
import { createLstmAutoencoder, createLstmRegressor } from '../../../../src/train/fit/engine/models.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import type { Batch, LossKind, LstmNetwork, ParameterGroup } from '../../../../src/train/fit/engine/types.ts';

const test = suite('network');

/** A ragged batch of random sequences (lengths include 1 and the maximum). */
function raggedBatch(inputSize: number, outputSize: number, lengths: number[], seed: number, squash = false): Batch {
  const rng = createRng(seed);
  const seqs = lengths.map((L) => ({
    length: L,
    inputs: Float32Array.from({ length: L * inputSize }, () => (squash ? rng.uniform() : rng.gaussian())),
    targets: Float32Array.from({ length: L * outputSize }, () => rng.gaussian()),
  }));
  return padBatch(seqs, inputSize, outputSize);
}

/** Central-difference check of every parameter; returns the worst relative error per group. */
function gradientCheck(net: LstmNetwork, batch: Batch, loss: LossKind, frozen: ParameterGroup[] = []): Map<string, number> {
  const theta = net.flatParameters();
  net.lossAndGradients(batch, { loss, frozen });
  const analytic = net.flatGradients();
  const worst = new Map<string, number>();
  const eps = 1e-5;
  for (const g of net.groups()) {
    let w = 0;
    for (let i = g.offset; i < g.offset + g.length; i++) {
      const keep = theta[i];
      theta[i] = keep + eps;
      net.setFlatParameters(theta);
      const up = net.lossAndGradients(batch, { loss }).loss;
      theta[i] = keep - eps;
      net.setFlatParameters(theta);
      const down = net.lossAndGradients(batch, { loss }).loss;
      theta[i] = keep;
      const numeric = frozen.includes(g.name) ? 0 : (up - down) / (2 * eps);
      const a = analytic[i];
      w = Math.max(w, Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), 1e-6));
    }
    worst.set(g.name, w);
  }
  net.setFlatParameters(theta);
  return worst;
}

for (const loss of ['ccc', 'mse'] as const) {
  test(`regressor gradients match finite differences (${loss}, ragged masked batch)`, () => {
    const net = createLstmRegressor({ inputSize: 3, hidden: [4, 3], outputSize: 2, precision: 'f64', seed: 11 });
    // Larger weights than the U[-0.1, 0.1] init so every path carries signal.
    net.setFlatParameters(net.flatParameters().map((v) => v * 8));
    const batch = raggedBatch(3, 2, [5, 2, 7, 1, 4], 5);
    const worst = gradientCheck(net, batch, loss);
    assert.equal([...worst.keys()], ['layer1', 'layer2', 'output']);
    for (const [name, err] of worst) assert.ok(err <= 1e-4, `${name}: relative error ${err}`);
  });
}

test('autoencoder gradients match finite differences (MSE, sigmoid outputs)', () => {
  const net = createLstmAutoencoder({ inputSize: 5, hidden: [4], precision: 'f64', seed: 3 });
  net.setFlatParameters(net.flatParameters().map((v) => v * 8));
  const batch = raggedBatch(5, 0, [4, 6, 1], 9, true);
  const worst = gradientCheck(net, batch, 'mse');
  assert.equal([...worst.keys()], ['layer1', 'output']);
  for (const [name, err] of worst) assert.ok(err <= 1e-4, `${name}: relative error ${err}`);
});

test('frozen groups get zero gradient and the others are unchanged', () => {
  const net = createLstmRegressor({ inputSize: 3, hidden: [4, 3], outputSize: 2, precision: 'f64', seed: 2 });
  const batch = raggedBatch(3, 2, [6, 3, 4], 1);
  net.lossAndGradients(batch);
  const full = net.flatGradients();
  net.lossAndGradients(batch, { frozen: ['layer1'] });
  const part = net.flatGradients();
  const [l1, l2, out] = net.groups();
  assert.ok(part.subarray(l1.offset, l1.offset + l1.length).every((v) => v === 0));
  assert.ok(full.subarray(l1.offset, l1.offset + l1.length).some((v) => v !== 0));
  assert.equal(part.subarray(l2.offset), full.subarray(l2.offset));
  assert.ok(out.length === 3 * 2 + 2);
});

test('f32-wasm and f64 engines agree: forward within 1e-4, gradients loosely', () => {
  const opts = { inputSize: 20, hidden: [16, 5], outputSize: 2, seed: 4 } as const;
  const a = createLstmRegressor({ ...opts, precision: 'f32-wasm' });
  const b = createLstmRegressor({ ...opts, precision: 'f64' });
  const batch = raggedBatch(20, 2, [30, 12, 25, 1, 30, 7], 8);
  const ya = a.forward(batch), yb = b.forward(batch);
  let maxDiff = 0;
  for (let i = 0; i < ya.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ya[i] - yb[i]));
  assert.ok(maxDiff < 1e-4, `forward differs by ${maxDiff}`);
  assert.ok(Math.abs(a.lossAndGradients(batch).loss - b.lossAndGradients(batch).loss) < 1e-4);
  const ga = a.flatGradients(), gb = b.flatGradients();
  let num = 0, den = 0;
  for (let i = 0; i < ga.length; i++) {
    num += (ga[i] - gb[i]) ** 2;
    den += gb[i] ** 2;
  }
  assert.ok(Math.sqrt(num / den) < 1e-3, `relative gradient difference ${Math.sqrt(num / den)}`);
});

test('padded steps do not influence outputs or loss', () => {
  const net = createLstmRegressor({ inputSize: 3, hidden: [4, 3], outputSize: 2, precision: 'f64', seed: 5 });
  const batch = raggedBatch(3, 2, [6, 2], 3);
  const before = net.lossAndGradients(batch).loss;
  const y = net.forward(batch);
  const dirty = { ...batch, inputs: batch.inputs.map((v, i) => (batch.mask[Math.floor(i / 3)] ? v : 99)) };
  assert.is(net.lossAndGradients(dirty).loss, before);
  for (let t = 2; t < 6; t++) assert.is(y[(t * 2 + 1) * 2], 0, 'padded outputs are zero');
  const single = net.predictSequence(batch.inputs.filter((_, i) => Math.floor(i / 3) % 2 === 0), 6);
  for (let t = 0; t < 6; t++) assert.ok(Math.abs(single[t * 2] - y[t * 2 * 2]) < 1e-12, 'predictSequence = batch column');
});

test('training is bit-for-bit repeatable for a seed (with input noise)', () => {
  const run = (seed: number): Float64Array => {
    const net = createLstmRegressor({ inputSize: 8, hidden: [10, 4], outputSize: 2, precision: 'f32-wasm', seed });
    const state = net.createSgdState();
    const batch = raggedBatch(8, 2, [9, 4, 7], 2);
    for (let i = 0; i < 5; i++) {
      net.lossAndGradients(batch, { inputNoiseSigma: 0.3 });
      net.step(state, 0.05, 0.9);
    }
    return net.flatParameters();
  };
  assert.equal(run(42), run(42));
  assert.not.equal(run(42), run(43));
});

test('frozen layer 1 stays bit-identical through training; the rest moves', () => {
  const net = createLstmRegressor({ inputSize: 8, hidden: [10, 4], outputSize: 2, precision: 'f32-wasm', seed: 6 });
  const before = net.getParameters();
  const state = net.createSgdState();
  const batch = raggedBatch(8, 2, [9, 4, 7], 2);
  for (let i = 0; i < 10; i++) {
    net.lossAndGradients(batch, { inputNoiseSigma: 0.2, frozen: ['layer1'] });
    net.step(state, 0.1, 0.9, ['layer1']);
  }
  const after = net.getParameters();
  for (const k of ['W', 'R', 'B', 'P'] as const) assert.equal(after.layers[0][k], before.layers[0][k], `layer1.${k}`);
  assert.not.equal(after.layers[1].W, before.layers[1].W);
  assert.not.equal(after.output.W, before.output.W);
});

test('ONNX-layout parameters round-trip; autoencoder layer 1 transfers into the regressor', () => {
  const dae = createLstmAutoencoder({ inputSize: 6, hidden: [5], seed: 1 });
  const reg = createLstmRegressor({ inputSize: 6, hidden: [5, 3], outputSize: 2, seed: 2 });
  const layer = dae.getParameters().layers[0];
  assert.is(layer.W.length, 4 * 5 * 6);
  assert.is(layer.B.length, 8 * 5);
  assert.ok(layer.B.subarray(20).every((v) => v === 0), 'Rb exported as zeros');
  reg.setParameters({ layers: [layer] });
  assert.equal(reg.getParameters().layers[0], layer);
  const bias = new Float32Array(40).fill(0.25);
  reg.setParameters({ layers: [{ ...layer, B: bias }] });
  assert.is(reg.getParameters().layers[0].B[0], 0.5, 'Wb + Rb folded into one bias');
  assert.throws(() => reg.setParameters({ layers: [{ ...layer, W: new Float32Array(3) }] }), /must have 120 values/);
});

test('bad options and batches throw EmostreamError codes', () => {
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      return (e as { code?: string }).code;
    }
    return undefined;
  };
  assert.is(code(() => createLstmRegressor({ hidden: [0, 3] })), 'EMO_ERR_BAD_CONFIG');
  assert.is(code(() => createLstmRegressor({ hidden: [2, 2, 2] })), 'EMO_ERR_BAD_CONFIG');
  const net = createLstmRegressor({ inputSize: 3, hidden: [4, 3], outputSize: 2, precision: 'f64', seed: 1 });
  const batch = raggedBatch(3, 2, [3, 2], 1);
  assert.is(code(() => net.forward({ ...batch, lengths: Int32Array.of(3, 4) })), 'EMO_ERR_DATASET');
  assert.is(code(() => net.lossAndGradients({ ...batch, targets: undefined })), 'EMO_ERR_DATASET');
  assert.is(code(() => net.lossAndGradients(batch, { inputNoiseSigma: -1 })), 'EMO_ERR_BAD_CONFIG');
});

test.run();
