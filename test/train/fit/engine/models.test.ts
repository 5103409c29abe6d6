import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { makeBatches, padBatch } from '../../../../src/train/fit/engine/batches.ts';
import { createLstmAutoencoder, createLstmRegressor, DEFAULT_REGRESSOR_OPTIONS } from '../../../../src/train/fit/engine/models.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import type { TrainingSequence } from '../../../../src/train/fit/engine/types.ts';

const test = suite('models');

const IN = 4;

/** Targets are smoothed, lagged functions of the inputs: the network must remember and integrate. */
function lagTask(count: number, seed: number): TrainingSequence[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const length = 30 + rng.int(31);
    const inputs = Float32Array.from({ length: length * IN }, () => rng.gaussian());
    const targets = new Float32Array(length * 2);
    let a = 0, v = 0;
    for (let t = 0; t < length; t++) {
      const x2 = t >= 2 ? inputs.subarray((t - 2) * IN, (t - 1) * IN) : new Float32Array(IN);
      const x1 = t >= 1 ? inputs.subarray((t - 1) * IN, t * IN) : new Float32Array(IN);
      a = 0.7 * a + 0.3 * Math.tanh(x2[0] + 0.5 * x2[1]);
      v = 0.6 * v + 0.4 * 0.5 * (x1[2] - x1[3]);
      targets[t * 2] = a;
      targets[t * 2 + 1] = v;
    }
    return { inputs, targets, length };
  });
}

test('regressor learns a smoothed lagged sequence task (1 − CCC falls, held-out CCC high)', () => {
  const net = createLstmRegressor({ inputSize: IN, hidden: [16, 6], outputSize: 2, seed: 3 });
  const train = lagTask(48, 1);
  const held = padBatch(lagTask(12, 2), IN, 2);
  const state = net.createSgdState();
  const rng = createRng(5);
  const first = net.lossAndGradients(held).loss;
  let steps = 0;
  for (let epoch = 0; epoch < 50; epoch++) {
    for (const batch of makeBatches(train, 8, rng)) {
      net.lossAndGradients(batch, { inputNoiseSigma: 0.05 });
      net.step(state, 0.05, 0.9);
      steps++;
    }
  }
  const last = net.lossAndGradients(held);
  assert.ok(first > 0.9, `untrained held-out loss ${first}`);
  assert.ok(last.loss < 0.25, `held-out loss ${last.loss}`);
  assert.ok(last.perOutput[0] > 0.7 && last.perOutput[1] > 0.7, `held-out CCC ${last.perOutput}`);
});

test('autoencoder learns to reconstruct clean inputs from noisy ones', () => {
  const rng = createRng(9);
  const seqs = Array.from({ length: 24 }, () => {
    const length = 20 + rng.int(20);
    const inputs = new Float32Array(length * 6);
    for (let t = 0; t < length; t++) {
      const s = rng.uniform();
      for (let k = 0; k < 6; k++) inputs[t * 6 + k] = 0.5 + 0.4 * Math.sin(3 * s + k);
    }
    return { inputs, length };
  });
  const dae = createLstmAutoencoder({ inputSize: 6, hidden: [8], seed: 4 });
  const held = padBatch(seqs.slice(20), 6, 0);
  const state = dae.createSgdState();
  const before = dae.lossAndGradients(held).loss;
  for (let epoch = 0; epoch < 150; epoch++) {
    for (const batch of makeBatches(seqs.slice(0, 20), 5, rng)) {
      dae.lossAndGradients(batch, { inputNoiseSigma: 0.1 });
      dae.step(state, 0.5, 0.9);
    }
  }
  const after = dae.lossAndGradients(held).loss;
  assert.ok(after < before / 10, `reconstruction MSE ${before} → ${after}`);
});

test('defaults are the paper-sized regressor', () => {
  const net = createLstmRegressor({ precision: 'f64' });
  assert.equal(net.hidden, [...DEFAULT_REGRESSOR_OPTIONS.hidden]);
  assert.is(net.inputSize, 260);
  assert.is(net.parameterCount, 4 * 200 * (260 + 200 + 1) + 600 + 4 * 10 * (200 + 10 + 1) + 30 + 2 * 10 + 2);
  assert.ok(Object.isFrozen(DEFAULT_REGRESSOR_OPTIONS));
});

test.run();
