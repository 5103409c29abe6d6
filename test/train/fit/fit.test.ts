import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateSequences, fitMean } from '../../../src/train/eval/index.ts';
import { fitAutoencoder, fitRegressor, logistic } from '../../../src/train/fit/fit.ts';
import { fitStandardisation, trainingPieces, unlabelledPieces } from '../../../src/train/fit/standardise.ts';
import { syntheticSequences } from '../synthetic-task.ts';
import { predictSequences as predictAll } from '../../../src/train/fit/predict.ts';

const test = suite('fit');
const all = syntheticSequences(40, 50, 20, 3);
const train = all.slice(0, 24), val = all.slice(24, 32), held = all.slice(32);
const st = fitStandardisation(train);
const trP = trainingPieces(train, st), vaP = trainingPieces(val, st);

test('learns a smoothed, lagged function of the inputs (held-out CCC ≥ 0.9; mean predictor ≈ 0)', async () => {
  const r = await fitRegressor(trP, vaP, { hidden: [16, 6], learningRate: 0.3, maxEpochs: 300, seed: 1 });
  const e = evaluateSequences(predictAll(r.network, held, st));
  assert.ok(e.mean.arousal.ccc >= 0.9, `arousal CCC ${e.mean.arousal.ccc}`);
  assert.ok(e.mean.valence.ccc >= 0.9, `valence CCC ${e.mean.valence.ccc}`);
  const m = fitMean(train.map((s) => ({ id: s.id, group: s.group, features: s.features, count: s.T, arousal: s.targets.filter((_, i) => i % 2 === 0), valence: s.targets.filter((_, i) => i % 2 === 1) })));
  const meanPred = evaluateSequences(held.map((s) => ({
    id: s.id, gold: { arousal: s.targets.filter((_, i) => i % 2 === 0), valence: s.targets.filter((_, i) => i % 2 === 1) },
    pred: { arousal: new Float32Array(s.T).fill(m.arousal), valence: new Float32Array(s.T).fill(m.valence) },
  })));
  assert.ok(Math.abs(meanPred.mean.arousal.ccc) < 1e-6 && Math.abs(meanPred.mean.valence.ccc) < 1e-6);
  assert.is(r.curves.train.length, r.epochs);
  assert.ok(r.bestValidationLoss < r.curves.validation[0]!, 'validation loss fell');
});

test('early stopping: stops `patience` epochs after the best and restores the best parameters', async () => {
  const r = await fitRegressor(trP, vaP, { hidden: [8, 4], learningRate: 2, maxEpochs: 200, patience: 5, seed: 2 });
  if (r.stoppedBy === 'patience') assert.is(r.epochs, r.bestEpoch + 5);
  const reval = await fitRegressor(trP, vaP, { hidden: [8, 4], learningRate: 2, maxEpochs: 200, patience: 5, seed: 2 });
  assert.equal(reval.network.flatParameters(), r.network.flatParameters());
  assert.ok(['patience', 'diverged', 'max-epochs'].includes(r.stoppedBy));
});

test('same seed → bit-identical parameters and curves; another seed differs', async () => {
  const o = { hidden: [8, 4] as [number, number], learningRate: 0.1, maxEpochs: 15, noiseSigma: 0.2, seed: 7 };
  const a = await fitRegressor(trP, vaP, o);
  const b = await fitRegressor(trP, vaP, o);
  const c = await fitRegressor(trP, vaP, { ...o, seed: 8 });
  assert.equal(a.curves, b.curves);
  assert.equal(a.network.flatParameters(), b.network.flatParameters());
  assert.not.equal(a.curves.train, c.curves.train);
});

test('freezeLayer1 keeps layer 1 bit-identical while the rest trains', async () => {
  const dae = await fitAutoencoder(unlabelledPieces(train, st), unlabelledPieces(val, st), { hidden: 8, learningRate: 0.1, maxEpochs: 5, seed: 3 });
  const layer1 = dae.network.getParameters().layers[0]!;
  const r = await fitRegressor(trP, vaP, { hidden: [8, 4], learningRate: 0.3, maxEpochs: 20, seed: 4, initLayer1: layer1, freezeLayer1: true });
  const p = r.network.getParameters();
  for (const k of ['W', 'R', 'B', 'P'] as const) assert.equal(Array.from(p.layers[0]![k]), Array.from(layer1[k]), `layer1.${k}`);
  const fresh = await fitRegressor(trP, vaP, { hidden: [8, 4], learningRate: 0.3, maxEpochs: 1, seed: 4, initLayer1: layer1, freezeLayer1: true });
  assert.not.equal(Array.from(p.layers[1]!.W), Array.from(fresh.network.getParameters().layers[1]!.W), 'layer 2 trained');
  assert.ok(r.bestValidationLoss < r.curves.validation[0]! + 1e-9);
});

test('autoencoder: reconstruction error of logistic(z) falls over training', async () => {
  const r = await fitAutoencoder(unlabelledPieces(train, st), unlabelledPieces(val, st), { hidden: 16, learningRate: 5, noiseSigma: 0.1, maxEpochs: 40, seed: 5 });
  const first = r.curves.validation[0]!, best = r.bestValidationLoss;
  assert.ok(best < 0.5 * first, `validation MSE ${first} → ${best}`);
  assert.ok(r.curves.train.at(-1)! < r.curves.train[0]!);
  assert.ok(logistic(Float32Array.of(0))[0] === 0.5);
});

test('resume from a mid-run state continues to the same epoch count and keeps the curves', async () => {
  let stopAt = 0;
  const o = { hidden: [8, 4] as [number, number], learningRate: 0.1, maxEpochs: 12, seed: 9 };
  const part = await fitRegressor(trP, vaP, { ...o, shouldStop: () => ++stopAt > 6 });
  assert.is(part.stoppedBy, 'interrupted');
  assert.is(part.epochs, 6);
  const rest = await fitRegressor(trP, vaP, { ...o, resume: part.state });
  assert.is(rest.epochs, 12);
  assert.equal(rest.curves.train.slice(0, 6), part.curves.train);
});

test('rejects bad options', async () => {
  const code = async (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: { code?: string; message: string }) => `${e.code}: ${e.message}`);
  assert.match(await code(fitRegressor(trP, vaP, { hidden: [8, 4], learningRate: 0 })), /^EMO_ERR_BAD_CONFIG: .*learningRate/);
  assert.match(await code(fitRegressor([], vaP, { hidden: [8, 4], learningRate: 0.1 })), /^EMO_ERR_BAD_CONFIG: .*no training/);
  assert.match(await code(fitRegressor(trP, vaP, { hidden: [8, 4], learningRate: 0.1, freezeLayer1: true })), /^EMO_ERR_BAD_CONFIG: .*initLayer1/);
});

test.run();
