/**
 * Frame-wise baselines on the same folds as the LSTM (data README, "Baselines already measured"):
 * - mean predictor: the training fold's mean arousal and valence over all its target seconds;
 * - ridge regression on features standardised with the training fold's mean and population SD
 *   (constant features get SD 1, i.e. weight 0): w = (XsᵀXs + λI)⁻¹ Xsᵀ(y − ȳ), prediction ȳ + xs·w,
 *   solved in closed form by Cholesky (linalg.ts). λ is chosen per output from `lambdaGrid` by inner
 *   leave-one-group-out CV over the training groups (chunks of groups beyond MAX_INNER_FOLDS groups),
 *   minimising the pooled squared error of the held-out seconds (ties → larger λ). A fold's training set is
 *   its train ∪ validation sequences.
 * Missing targets (NaN, e.g. BAVED's valence) are masked per output: each output is fitted on the seconds
 * labelled for it, and the mean baseline averages each output over its labelled seconds.
 * Sums of x, xxᵀ, y and xy are accumulated once per inner-fold block, so every inner fold's normal equations
 * are sums of blocks (features are shifted by the all-data mean first for numerical stability).
 * @see ridge-sums.ts (the block sums and the normal equations)
 */
import { EmostreamError } from '../../errors.ts';
import type { Fold } from './folds.ts';
import { addSums, allDataShift, dimsOf, groupSums, solveFromSums } from './ridge-sums.ts';
import type { SequencePrediction } from './metrics.ts';

/** One sequence for the baselines: row-major count × dims features, per-window targets (NaN = none). */
export interface SequenceData {
  readonly id: string;
  readonly group: string;
  readonly features: Float32Array;
  readonly count: number;
  readonly arousal: Float32Array;
  readonly valence: Float32Array;
}

/** Options of the ridge baseline. */
export interface RidgeOptions {
  /** Candidate λ values (> 0). Default DEFAULT_LAMBDA_GRID. */
  readonly lambdaGrid?: readonly number[];
  /** λ used when the training set has fewer than 2 groups (no inner CV possible). Default 100. */
  readonly fallbackLambda?: number;
}

/** Inner CV folds of `fitRidgeCv` at most: leave-one-group-out up to this many groups, chunks of groups beyond. */
export const MAX_INNER_FOLDS = 20;

/** Default λ grid: 10^-1 … 10^6. */
export const DEFAULT_LAMBDA_GRID: readonly number[] = Object.freeze([0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6]);

/** A fitted ridge model (both outputs). */
export interface RidgeModel {
  readonly dims: number;
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** dims × 2 row-major weights on standardised features (column 0 arousal, 1 valence). */
  readonly weights: Float64Array;
  readonly intercept: readonly [number, number];
  readonly lambda: readonly [number, number];
}

/** Per-fold baseline output. */
export interface BaselineFoldResult {
  readonly fold: number;
  readonly predictions: SequencePrediction[];
  /** Chosen λ per output (ridge only). */
  readonly lambda?: { readonly arousal: number; readonly valence: number };
}

/** Predicts arousal and valence for each window of a count × dims feature matrix. */
export function predictRidge(m: RidgeModel, features: Float32Array, count: number): { arousal: Float32Array; valence: Float32Array } {
  const d = m.dims;
  const arousal = new Float32Array(count), valence = new Float32Array(count);
  for (let w = 0; w < count; w++) {
    let a = m.intercept[0], v = m.intercept[1];
    for (let i = 0; i < d; i++) {
      const z = (features[w * d + i]! - m.mean[i]!) / m.scale[i]!;
      a += z * m.weights[i * 2]!;
      v += z * m.weights[i * 2 + 1]!;
    }
    arousal[w] = a;
    valence[w] = v;
  }
  return { arousal, valence };
}

function sse(m: RidgeModel, seqs: readonly SequenceData[]): [number, number] {
  let ea = 0, ev = 0;
  for (const q of seqs) {
    const p = predictRidge(m, q.features, q.count);
    for (let w = 0; w < q.count; w++) {
      if (!Number.isNaN(q.arousal[w]!)) ea += (p.arousal[w]! - q.arousal[w]!) ** 2;
      if (!Number.isNaN(q.valence[w]!)) ev += (p.valence[w]! - q.valence[w]!) ** 2;
    }
  }
  return [ea, ev];
}

/** Fits ridge on `train` with λ per output chosen by inner leave-one-group-out CV (module header). */
export function fitRidgeCv(train: readonly SequenceData[], options: RidgeOptions = {}): RidgeModel {
  const grid = options.lambdaGrid ?? DEFAULT_LAMBDA_GRID;
  if (grid.length === 0 || grid.some((l) => !(l > 0))) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `ridge: lambdaGrid must hold positive numbers (got ${grid.join(', ')})`);
  const d = dimsOf(train);
  const shift = allDataShift(train, d);
  const groups = [...new Set(train.map((s) => s.group))];
  // Inner folds: one per group (leave-one-group-out) up to MAX_INNER_FOLDS groups, else that many chunks of groups.
  const k = Math.min(groups.length, MAX_INNER_FOLDS);
  const blockOf = new Map(groups.map((g, i) => [g, Math.floor((i * k) / groups.length)]));
  const blocks = Array.from({ length: k }, (_, b) => train.filter((s) => blockOf.get(s.group) === b));
  const sums = blocks.map((b) => groupSums(b, d, shift));
  const total = addSums(sums, d);
  if (groups.length < 2) {
    const l = options.fallbackLambda ?? 100;
    return solveFromSums(total, d, shift, [[l, l]])[0]!;
  }
  const err = grid.map(() => [0, 0]);
  for (let b = 0; b < k; b++) {
    const models = solveFromSums(addSums(sums.filter((_, j) => j !== b), d), d, shift, grid.map((l) => [l, l] as const));
    const held = blocks[b]!;
    models.forEach((m, k) => {
      const [ea, ev] = sse(m, held);
      err[k]![0]! += ea;
      err[k]![1]! += ev;
    });
  }
  const pick = (c: 0 | 1): number => {
    let best = 0;
    for (let k = 1; k < grid.length; k++) if (err[k]![c]! <= err[best]![c]!) best = k;
    return grid[best]!;
  };
  return solveFromSums(total, d, shift, [[pick(0), pick(1)]])[0]!;
}

/** Fits ridge on `train` with fixed λ values (arousal, valence). */
export function fitRidge(train: readonly SequenceData[], lambdaArousal: number, lambdaValence = lambdaArousal): RidgeModel {
  const d = dimsOf(train);
  const shift = allDataShift(train, d);
  return solveFromSums(groupSums(train, d, shift), d, shift, [[lambdaArousal, lambdaValence]])[0]!;
}

/** Training-set mean of each target over all seconds with a target. */
export function fitMean(train: readonly SequenceData[]): { arousal: number; valence: number } {
  let na = 0, nv = 0, a = 0, v = 0;
  for (const q of train) {
    for (let w = 0; w < q.count; w++) {
      if (!Number.isNaN(q.arousal[w]!)) { na++; a += q.arousal[w]!; }
      if (!Number.isNaN(q.valence[w]!)) { nv++; v += q.valence[w]!; }
    }
  }
  if (na + nv === 0) throw new EmostreamError('EMO_ERR_DATASET', 'mean baseline: no training targets');
  return { arousal: na ? a / na : 0, valence: nv ? v / nv : 0 };
}

/** Runs the mean or ridge baseline on every fold (training on train ∪ validation) and predicts its test sequences. */
export function runBaseline(kind: 'mean' | 'ridge', data: readonly SequenceData[], folds: readonly Fold[], options: RidgeOptions = {}): BaselineFoldResult[] {
  return folds.map((fold) => {
    const train = [...fold.train, ...fold.validation].map((i) => data[i]!);
    const test = fold.test.map((i) => data[i]!);
    const gold = (q: SequenceData) => ({ arousal: q.arousal, valence: q.valence });
    if (kind === 'mean') {
      const m = fitMean(train);
      return {
        fold: fold.index,
        predictions: test.map((q) => ({ id: q.id, gold: gold(q), pred: { arousal: new Float32Array(q.count).fill(m.arousal), valence: new Float32Array(q.count).fill(m.valence) } })),
      };
    }
    const model = fitRidgeCv(train, options);
    return {
      fold: fold.index,
      lambda: { arousal: model.lambda[0], valence: model.lambda[1] },
      predictions: test.map((q) => ({ id: q.id, gold: gold(q), pred: predictRidge(model, q.features, q.count) })),
    };
  });
}
