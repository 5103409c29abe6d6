/**
 * Protocol building blocks: the folds of each condition over the combined dataset [music…, speech…]
 * (method.md "Experiments") and the DAE layer of the transfer conditions.
 * - ID (M2M, S2S): nested leave-k-groups-out within the domain: test chunk c, validation chunk c + 1, train the rest.
 * - CD (S2M, M2S) and CDTL: the source domain's group chunks take turns as the validation set (LOO model
 *   selection), the rest trains, and every fold is tested on all of the target domain.
 * - DAE: one autoencoder per layer-1 size, trained on the unlabelled pool (every plan sequence plus `extraPool`),
 *   standardised with the pool's own statistics, 10 % of the pool's sequences (≥ 1) held out for early stopping.
 */
import { EmostreamError } from '../../errors.ts';
import { createRng, type OnnxLstmParameters } from '../fit/engine/index.ts';
import { groupFolds, type Fold } from '../eval/index.ts';
import type { Condition } from './results.ts';
import { fitAutoencoder } from '../fit/fit.ts';
import type { PlanDae } from './plan.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { fitStandardisation, unlabelledPieces } from '../fit/standardise.ts';

/** Folds of `condition` as indices into `data` (see the module header), at most `maxFolds`. */
export function conditionFolds(condition: Condition, data: readonly LabelledSequence[], k: { music: number; speech: number }, maxFolds: number): Fold[] {
  const idx = (d: 'music' | 'speech') => data.map((s, i) => (s.domain === d ? i : -1)).filter((i) => i >= 0);
  const testDomain = condition === 'M2M' || condition.startsWith('S2M') ? 'music' : 'speech';
  const sourceDomain = condition === 'M2M' || condition.startsWith('M2S') ? 'music' : 'speech';
  const source = idx(sourceDomain);
  const map = (ix: readonly number[]) => ix.map((i) => source[i]!);
  let folds: Fold[];
  if (testDomain === sourceDomain) {
    folds = groupFolds(source.map((i) => data[i]!.group), { testGroupsPerFold: k[sourceDomain], validation: 'next' })
      .map((f) => ({ ...f, train: map(f.train), validation: map(f.validation), test: map(f.test) }));
  } else {
    const target = idx(testDomain);
    folds = groupFolds(source.map((i) => data[i]!.group), { testGroupsPerFold: k[sourceDomain], validation: 'none' })
      .map((f) => ({ index: f.index, name: `val ${f.name.replace(/^test /, '')} / test all ${testDomain}`, train: map(f.train), validation: map(f.test), test: target }));
  }
  if (folds.length === 0) throw new EmostreamError('EMO_ERR_DATASET', `${condition}: no folds`);
  return folds.slice(0, maxFolds);
}

/** The trained DAE layer of one size and its reconstruction score. */
export interface DaeLayer {
  readonly hidden: number;
  readonly layer1: OnnxLstmParameters;
  /** Best validation MSE of logistic(z) reconstruction. */
  readonly validationMse: number;
  readonly epochs: number;
}

/** Trains the DAE of `hidden` cells on `pool` (see the module header). */
export async function trainDae(pool: readonly LabelledSequence[], hidden: number, o: PlanDae & { batchSize: number; seed: number }): Promise<DaeLayer> {
  if (pool.length < 2) throw new EmostreamError('EMO_ERR_DATASET', 'the DAE pool needs at least 2 sequences');
  const order = pool.map((_, i) => i);
  const rng = createRng(o.seed, 77);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nVal = Math.max(1, Math.round(0.1 * pool.length));
  const val = order.slice(0, nVal).map((i) => pool[i]!), train = order.slice(nVal).map((i) => pool[i]!);
  const st = fitStandardisation(train);
  const r = await fitAutoencoder(unlabelledPieces(train, st), unlabelledPieces(val, st), {
    hidden, learningRate: o.learningRate, noiseSigma: o.noiseSigma, maxEpochs: o.maxEpochs, patience: o.patience, batchSize: o.batchSize, seed: o.seed,
  });
  return { hidden, layer1: r.network.getParameters().layers[0]!, validationMse: r.bestValidationLoss, epochs: r.epochs };
}
