/**
 * Predictions per fold, by index into the pool's dataset `all`, for the held-out tests:
 * - the LSTM ensemble of a condition: per fold, the mean of its reported (best-K) trials' predictions, and the
 *   variance between them (the spread the uncertainty calibration uses);
 * - the baselines on the same folds and the same inputs as the LSTM: the mean predictor and ridge regression,
 *   fitted on the fold's train ∪ validation sequences (augmented copies included, as the LSTM trains on them)
 *   on the network inputs (training standardisation + the plan's stream normaliser, fit/standardise.ts), so a
 *   baseline sees exactly what the network sees.
 */
import { fitMean, fitRidgeCv, predictRidge, type Fold, type SequenceData } from '../eval/index.ts';
import { fitStandardisation, networkInputs } from '../fit/standardise.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import type { StreamNormConfig } from '../../model/stream-norm.ts';
import type { Tracks } from './set-scores.ts';
import type { TrialResult } from './trial.ts';

/** One fold's predictions by index into `all`. */
export type FoldPredictions = ReadonlyMap<number, Tracks>;

const col = (x: Float32Array, k: number) => x.filter((_, i) => i % 2 === k);

/** Per fold: ensemble mean and between-trial variance of the reported trials, for the fold's `tested(k)` indices. */
export function ensemblePredictions(
  folds: readonly Fold[], top: readonly (readonly TrialResult[])[], tested: (k: number) => readonly number[],
): { mean: FoldPredictions[]; variance: FoldPredictions[] } {
  const mean: Map<number, Tracks>[] = [], variance: Map<number, Tracks>[] = [];
  folds.forEach((_, k) => {
    const m = new Map<number, Tracks>(), v = new Map<number, Tracks>();
    tested(k).forEach((index, j) => {
      const each = top.map((rs) => rs[k]!.predictions[j]!);
      const T = each[0]!.arousal.length;
      const mu: Tracks = { arousal: new Float32Array(T), valence: new Float32Array(T) };
      const va: Tracks = { arousal: new Float32Array(T), valence: new Float32Array(T) };
      for (const d of ['arousal', 'valence'] as const) {
        for (let t = 0; t < T; t++) {
          let s = 0;
          for (const e of each) s += e[d][t]!;
          const avg = s / each.length;
          let q = 0;
          for (const e of each) q += (e[d][t]! - avg) ** 2;
          mu[d][t] = avg;
          va[d][t] = q / each.length;
        }
      }
      m.set(index, mu);
      v.set(index, va);
    });
    mean.push(m);
    variance.push(v);
  });
  return { mean, variance };
}

/** Mean and ridge predictions per fold for `tested(k)` on the network inputs (see the module header). */
export function baselinePredictions(
  all: readonly LabelledSequence[], folds: readonly Fold[], streamNorm: StreamNormConfig, tested: (k: number) => readonly number[],
): { mean: FoldPredictions[]; ridge: FoldPredictions[] } {
  const mean: Map<number, Tracks>[] = [], ridge: Map<number, Tracks>[] = [];
  for (const [k, fold] of folds.entries()) {
    const trainIdx = [...fold.train, ...fold.validation];
    const st = fitStandardisation(trainIdx.map((i) => all[i]!), streamNorm);
    const asData = (i: number): SequenceData => {
      const s = all[i]!;
      return { id: s.id, group: s.group, features: networkInputs(s, st), count: s.T, arousal: col(s.targets, 0), valence: col(s.targets, 1) };
    };
    const train = trainIdx.map(asData);
    const m = fitMean(train), r = fitRidgeCv(train);
    const pm = new Map<number, Tracks>(), pr = new Map<number, Tracks>();
    for (const i of tested(k)) {
      const d = asData(i);
      pm.set(i, { arousal: new Float32Array(d.count).fill(m.arousal), valence: new Float32Array(d.count).fill(m.valence) });
      pr.set(i, predictRidge(r, d.features, d.count));
    }
    mean.push(pm);
    ridge.push(pr);
  }
  return { mean, ridge };
}
