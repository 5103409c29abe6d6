/**
 * Frame-wise baselines on the same folds as the LSTM (data README, "Baselines already measured"):
 * - mean predictor: the training fold's mean arousal and valence over all its target seconds;
 * - ridge regression on features standardised with the training fold's mean and population SD
 *   (constant features get SD 1, i.e. weight 0): w = (XsᵀXs + λI)⁻¹ Xsᵀ(y − ȳ), prediction ȳ + xs·w,
 *   solved in closed form by Cholesky (linalg.ts). λ is chosen per output from `lambdaGrid` by inner
 *   leave-one-group-out CV over the training groups, minimising the pooled squared error of the
 *   held-out seconds (ties → larger λ). A fold's training set is its train ∪ validation sequences.
 * Sums of x, xxᵀ, y and xy are accumulated once per group, so every inner fold's normal equations
 * are sums of group blocks (features are shifted by the all-data mean first for numerical stability).
 */
import { EmostreamError } from '../../errors.ts';
import type { Fold } from './folds.ts';
import { choleskyInPlace, choleskySolveInPlace } from './linalg.ts';
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

interface Sums {
  n: number;
  sx: Float64Array;
  sxx: Float64Array;
  sy: Float64Array;
  sxy: Float64Array;
}

function dimsOf(data: readonly SequenceData[]): number {
  const s = data[0];
  if (!s || s.count === 0) throw new EmostreamError('EMO_ERR_DATASET', 'baseline: empty training data');
  const d = s.features.length / s.count;
  for (const x of data) {
    if (x.features.length !== x.count * d || x.arousal.length !== x.count || x.valence.length !== x.count) {
      throw new EmostreamError('EMO_ERR_DATASET', `baseline: sequence ${x.id} has inconsistent shapes`);
    }
  }
  return d;
}

function groupSums(seqs: readonly SequenceData[], d: number, shift: Float64Array): Sums {
  const s: Sums = { n: 0, sx: new Float64Array(d), sxx: new Float64Array(d * d), sy: new Float64Array(2), sxy: new Float64Array(d * 2) };
  const x = new Float64Array(d);
  for (const q of seqs) {
    for (let w = 0; w < q.count; w++) {
      const a = q.arousal[w]!, v = q.valence[w]!;
      if (Number.isNaN(a) || Number.isNaN(v)) continue;
      for (let i = 0; i < d; i++) x[i] = q.features[w * d + i]! - shift[i]!;
      s.n++;
      s.sy[0]! += a;
      s.sy[1]! += v;
      for (let i = 0; i < d; i++) {
        const xi = x[i]!;
        s.sx[i]! += xi;
        s.sxy[i * 2]! += xi * a;
        s.sxy[i * 2 + 1]! += xi * v;
        const row = i * d;
        for (let j = 0; j <= i; j++) s.sxx[row + j]! += xi * x[j]!;
      }
    }
  }
  return s;
}

function addSums(list: readonly Sums[], d: number): Sums {
  const t: Sums = { n: 0, sx: new Float64Array(d), sxx: new Float64Array(d * d), sy: new Float64Array(2), sxy: new Float64Array(d * 2) };
  for (const s of list) {
    t.n += s.n;
    for (let i = 0; i < d; i++) t.sx[i]! += s.sx[i]!;
    for (let i = 0; i < d * d; i++) t.sxx[i]! += s.sxx[i]!;
    t.sy[0]! += s.sy[0]!;
    t.sy[1]! += s.sy[1]!;
    for (let i = 0; i < 2 * d; i++) t.sxy[i]! += s.sxy[i]!;
  }
  return t;
}

/** Solves the standardised ridge normal equations from sums for each λ pair in `lambdas`. */
function solveFromSums(s: Sums, d: number, shift: Float64Array, lambdas: readonly (readonly [number, number])[]): RidgeModel[] {
  if (s.n < 2) throw new EmostreamError('EMO_ERR_DATASET', `baseline: only ${s.n} training seconds`);
  const mu = Float64Array.from(s.sx, (v) => v / s.n);
  const sd = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = s.sxx[i * d + i]! / s.n - mu[i]! ** 2;
    sd[i] = v > 1e-12 * (s.sxx[i * d + i]! / s.n + 1e-30) && v > 0 ? Math.sqrt(v) : 1;
  }
  const ybar = [s.sy[0]! / s.n, s.sy[1]! / s.n] as const;
  const gram = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const g = (s.sxx[i * d + j]! - s.n * mu[i]! * mu[j]!) / (sd[i]! * sd[j]!);
      gram[i * d + j] = g;
      gram[j * d + i] = g;
    }
  }
  const rhs = new Float64Array(d * 2);
  for (let i = 0; i < d; i++) for (let c = 0; c < 2; c++) rhs[i * 2 + c] = (s.sxy[i * 2 + c]! - s.n * mu[i]! * ybar[c]!) / sd[i]!;
  const mean = Float64Array.from(mu, (m, i) => m + shift[i]!);
  const cache = new Map<number, Float64Array>();
  const solveOne = (lambda: number): Float64Array => {
    let w = cache.get(lambda);
    if (!w) {
      const a = gram.slice();
      for (let i = 0; i < d; i++) a[i * d + i]! += lambda;
      choleskyInPlace(a, d);
      w = rhs.slice();
      choleskySolveInPlace(a, d, w, 2);
      cache.set(lambda, w);
    }
    return w;
  };
  return lambdas.map(([la, lv]) => {
    const wa = solveOne(la), wv = solveOne(lv);
    const weights = new Float64Array(d * 2);
    for (let i = 0; i < d; i++) {
      weights[i * 2] = wa[i * 2]!;
      weights[i * 2 + 1] = wv[i * 2 + 1]!;
    }
    return { dims: d, mean, scale: sd, weights, intercept: ybar, lambda: [la, lv] as const };
  });
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

function allDataShift(data: readonly SequenceData[], d: number): Float64Array {
  const shift = new Float64Array(d);
  let n = 0;
  for (const q of data) for (let w = 0; w < q.count; w++, n++) for (let i = 0; i < d; i++) shift[i]! += q.features[w * d + i]!;
  return shift.map((x) => x / Math.max(1, n));
}

function sse(m: RidgeModel, seqs: readonly SequenceData[]): [number, number] {
  let ea = 0, ev = 0;
  for (const q of seqs) {
    const p = predictRidge(m, q.features, q.count);
    for (let w = 0; w < q.count; w++) {
      if (Number.isNaN(q.arousal[w]!) || Number.isNaN(q.valence[w]!)) continue;
      ea += (p.arousal[w]! - q.arousal[w]!) ** 2;
      ev += (p.valence[w]! - q.valence[w]!) ** 2;
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
  const sums = new Map(groups.map((g) => [g, groupSums(train.filter((s) => s.group === g), d, shift)]));
  const total = addSums([...sums.values()], d);
  if (groups.length < 2) {
    const l = options.fallbackLambda ?? 100;
    return solveFromSums(total, d, shift, [[l, l]])[0]!;
  }
  const err = grid.map(() => [0, 0]);
  for (const g of groups) {
    const models = solveFromSums(addSums(groups.filter((h) => h !== g).map((h) => sums.get(h)!), d), d, shift, grid.map((l) => [l, l] as const));
    const held = train.filter((s) => s.group === g);
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
  let n = 0, a = 0, v = 0;
  for (const q of train) {
    for (let w = 0; w < q.count; w++) {
      if (Number.isNaN(q.arousal[w]!) || Number.isNaN(q.valence[w]!)) continue;
      n++;
      a += q.arousal[w]!;
      v += q.valence[w]!;
    }
  }
  if (n === 0) throw new EmostreamError('EMO_ERR_DATASET', 'mean baseline: no training targets');
  return { arousal: a / n, valence: v / n };
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
