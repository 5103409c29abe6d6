/**
 * Epoch time of the trainer's engine (float32 WebAssembly SIMD): regressor 260 → 200 → 10 → 2 (1 − CCC) and
 * denoising autoencoder 260 → 200 → 260 (MSE, σ = 0.1 input noise) on ≈ 35 000 steps of random data in
 * sequences of 30–120 steps, batch 32, SGD with momentum. Median of EPOCHS epochs after one warm-up,
 * with a per-phase breakdown: gemmS = matrix products; cellS = everything else in forward + backward (LSTM cell
 * kernels, packing, input noise, weight transposes); lossS; stepS (SGD). Target: ≤ 2 s per epoch on one core.
 * Run: node --import tsx bench/train.bench.ts   (last line: RESULT {json})
 */
import { makeBatches } from '../src/train/fit/engine/batches.ts';
import { createLstmAutoencoder, createLstmRegressor } from '../src/train/fit/engine/models.ts';
import { createRng } from '../src/train/fit/engine/rng.ts';
import type { EngineProfile, LossOptions, LstmNetwork, TrainingSequence } from '../src/train/fit/engine/types.ts';

const TOTAL_STEPS = 35_000;
const BATCH = 32;
const EPOCHS = Number(process.env.EPOCHS ?? 3);
const TARGET_S = 2;

function randomSequences(seed: number): TrainingSequence[] {
  const rng = createRng(seed);
  const out: TrainingSequence[] = [];
  let total = 0;
  while (total < TOTAL_STEPS) {
    const length = Math.min(30 + rng.int(91), TOTAL_STEPS - total);
    const inputs = Float32Array.from({ length: length * 260 }, () => rng.gaussian());
    const targets = new Float32Array(length * 2);
    for (let t = 1; t < length; t++) for (let d = 0; d < 2; d++) targets[t * 2 + d] = 0.9 * targets[(t - 1) * 2 + d] + 0.1 * rng.gaussian();
    out.push({ inputs, targets, length });
    total += length;
  }
  return out;
}

interface EpochFigures {
  readonly epochS: number;
  readonly gemmS: number;
  readonly cellS: number;
  readonly lossS: number;
  readonly stepS: number;
}

function diff(a: EngineProfile, b: EngineProfile): EpochFigures {
  const forward = b.forwardMs - a.forwardMs, backward = b.backwardMs - a.backwardMs;
  const gemm = b.gemmMs - a.gemmMs;
  return {
    epochS: 0,
    gemmS: gemm / 1000,
    cellS: (forward + backward - gemm) / 1000,
    lossS: (b.lossMs - a.lossMs) / 1000,
    stepS: (b.stepMs - a.stepMs) / 1000,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function benchEpochs(name: string, net: LstmNetwork, seqs: TrainingSequence[], opts: LossOptions, lr: number): EpochFigures {
  const rng = createRng(7);
  const state = net.createSgdState();
  const runs: EpochFigures[] = [];
  for (let e = 0; e <= EPOCHS; e++) {
    const p0 = net.profile();
    const t0 = performance.now();
    for (const batch of makeBatches(seqs, BATCH, rng)) {
      net.lossAndGradients(batch, opts);
      net.step(state, lr, 0.9);
    }
    const epochS = (performance.now() - t0) / 1000;
    const f = { ...diff(p0, net.profile()), epochS };
    if (e > 0) runs.push(f); // epoch 0 warms up the JIT and sizes buffers
    console.log(`${name} epoch ${e}${e === 0 ? ' (warm-up)' : ''}: ${epochS.toFixed(3)} s  ` +
      `(gemm ${f.gemmS.toFixed(3)} s, cell ${f.cellS.toFixed(3)} s, loss ${f.lossS.toFixed(3)} s, step ${f.stepS.toFixed(3)} s)`);
  }
  const pick = (k: keyof EpochFigures): number => median(runs.map((r) => r[k]));
  return { epochS: pick('epochS'), gemmS: pick('gemmS'), cellS: pick('cellS'), lossS: pick('lossS'), stepS: pick('stepS') };
}

const seqs = randomSequences(1);
const steps = seqs.reduce((a, s) => a + s.length, 0);
console.log(`data: ${seqs.length} sequences, ${steps} steps, batch ${BATCH}, ${EPOCHS} timed epochs`);

const regressor = createLstmRegressor({ inputSize: 260, hidden: [200, 10], outputSize: 2, seed: 1, profile: true });
const reg = benchEpochs('regressor 260-200-10-2', regressor, seqs, { loss: 'ccc', inputNoiseSigma: 0.1 }, 1e-3);
const frozen = benchEpochs('regressor, layer 1 frozen', createLstmRegressor({ seed: 2, profile: true }), seqs,
  { loss: 'ccc', inputNoiseSigma: 0.1, frozen: ['layer1'] }, 1e-3);
const dae = createLstmAutoencoder({ inputSize: 260, hidden: [200], seed: 1, profile: true });
const ae = benchEpochs('autoencoder 260-200-260', dae, seqs.map((s) => ({ inputs: s.inputs, length: s.length })),
  { loss: 'mse', inputNoiseSigma: 0.1 }, 1e-3);

const summary = (f: EpochFigures): Record<string, number> => ({
  epochS: +f.epochS.toFixed(3),
  gemmS: +f.gemmS.toFixed(3),
  cellS: +f.cellS.toFixed(3),
  lossS: +f.lossS.toFixed(3),
  stepS: +f.stepS.toFixed(3),
  gemmShare: +(f.gemmS / f.epochS).toFixed(3),
  ratioToTarget: +(f.epochS / TARGET_S).toFixed(3),
});
console.log(`regressor: ${reg.epochS.toFixed(3)} s/epoch = ${(reg.epochS / TARGET_S).toFixed(2)} × the ${TARGET_S} s target; ` +
  `autoencoder: ${ae.epochS.toFixed(3)} s/epoch = ${(ae.epochS / TARGET_S).toFixed(2)} ×; frozen layer 1: ${frozen.epochS.toFixed(3)} s`);
console.log('RESULT ' + JSON.stringify({
  steps, sequences: seqs.length, batch: BATCH, epochs: EPOCHS, targetS: TARGET_S,
  regressor: summary(reg), regressorFrozenLayer1: summary(frozen), autoencoder: summary(ae),
}));
