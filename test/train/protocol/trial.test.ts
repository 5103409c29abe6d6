import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLstmRegressor } from '../../../src/train/fit/engine/index.ts';
import { runTrial, type TrialJob } from '../../../src/train/protocol/trial.ts';
import { syntheticSequences } from '../synthetic-task.ts';

// Regression check for a reported doubt: in a transfer (frozen layer 1) search, layer-2 sizes 4 and 10 scored the same.
const test = suite('train/trial: the configuration reaches the network');
const data = syntheticSequences(8, 30, 6, 4);
const frozen = createLstmRegressor({ inputSize: 6, hidden: [5, 2], seed: 9 }).getParameters().layers[0]!;
const job = (layer2: number, extraTest: number[] = []): TrialJob => ({
  id: layer2, config: { layer1: 5, layer2, learningRate: 0.2, noiseSigma: 0 }, seed: 3, train: [0, 1, 2, 3, 4], validation: [5], test: [6, ...extraTest],
  batchSize: 4, maxEpochs: 6, patience: 6, layer1: frozen, keepModel: true,
});

test('with a frozen layer 1, layer-2 sizes give networks of those sizes and different validation losses', async () => {
  const [a, b] = [await runTrial(data, job(2)), await runTrial(data, job(7))];
  assert.is(a.model!.parameters.layers[1]!.P.length, 3 * 2);
  assert.is(b.model!.parameters.layers[1]!.P.length, 3 * 7);
  assert.equal(Array.from(a.model!.parameters.layers[0]!.W), Array.from(frozen.W), 'layer 1 not frozen');
  assert.is.not(a.bestValidationLoss, b.bestValidationLoss);
});

test('extra test sequences (outside tests) are predicted after the fold test, without changing the fit', async () => {
  const [a, b] = [await runTrial(data, job(3)), await runTrial(data, job(3, [7]))];
  assert.is(b.predictions.length, 2);
  assert.is(a.bestValidationLoss, b.bestValidationLoss);
  assert.equal(Array.from(a.predictions[0]!.arousal), Array.from(b.predictions[0]!.arousal));
  assert.is(b.predictions[1]!.arousal.length, data[7]!.T);
});

test.run();
