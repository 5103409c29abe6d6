/**
 * Standardisation (method.md "Model"): feature and target means and population SDs over the TRAINING
 * sequences of a fold only (every window; targets over finite values only), applied as (x − mean) / sd and
 * inverted on the network's outputs before scoring. SDs below 1e-8 (constant columns) are set to 1, so the
 * column maps to 0. The shipped model carries these four vectors.
 */
import { EmostreamError } from '../../errors.ts';
import type { TrainingSequence } from './engine/index.ts';
import { finiteRuns, type LabelledSequence } from '../data/sequences.ts';

/** Feature and target statistics of a training set. */
export interface Standardisation {
  readonly featureMean: Float32Array;
  readonly featureStd: Float32Array;
  /** [arousal, valence]. */
  readonly targetMean: Float32Array;
  readonly targetStd: Float32Array;
}

const MIN_STD = 1e-8;

function columnStats(rows: readonly { data: Float32Array; count: number }[], dims: number, finiteOnly: boolean): [Float32Array, Float32Array] {
  const sum = new Float64Array(dims), n = new Float64Array(dims);
  for (const { data, count } of rows) {
    for (let t = 0; t < count; t++) {
      for (let d = 0; d < dims; d++) {
        const v = data[t * dims + d]!;
        if (finiteOnly && !Number.isFinite(v)) continue;
        sum[d] += v;
        n[d]++;
      }
    }
  }
  const mean = new Float64Array(dims).map((_, d) => (n[d]! > 0 ? sum[d]! / n[d]! : 0));
  const ss = new Float64Array(dims);
  for (const { data, count } of rows) {
    for (let t = 0; t < count; t++) {
      for (let d = 0; d < dims; d++) {
        const v = data[t * dims + d]!;
        if (finiteOnly && !Number.isFinite(v)) continue;
        ss[d] += (v - mean[d]!) ** 2;
      }
    }
  }
  const sd = new Float32Array(dims).map((_, d) => {
    const s = n[d]! > 0 ? Math.sqrt(ss[d]! / n[d]!) : 0;
    return s > MIN_STD ? s : 1;
  });
  return [Float32Array.from(mean), sd];
}

/** Mean and population SD of features and targets over `train` (see the module header). */
export function fitStandardisation(train: readonly LabelledSequence[]): Standardisation {
  if (train.length === 0) throw new EmostreamError('EMO_ERR_DATASET', 'standardisation needs at least one training sequence');
  const dims = train[0]!.features.length / train[0]!.T;
  const [featureMean, featureStd] = columnStats(train.map((s) => ({ data: s.features, count: s.T })), dims, false);
  const [targetMean, targetStd] = columnStats(train.map((s) => ({ data: s.targets, count: s.T })), 2, true);
  return { featureMean, featureStd, targetMean, targetStd };
}

/** (x − mean) / sd of row-major rows × mean.length values (a new array). */
export function standardiseRows(x: Float32Array, mean: Float32Array, sd: Float32Array): Float32Array {
  const d = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - mean[i % d]!) / sd[i % d]!;
  return out;
}

/** y · sd + mean of row-major rows (a new array): the inverse of `standardiseRows`. */
export function destandardiseRows(y: Float32Array, mean: Float32Array, sd: Float32Array): Float32Array {
  const d = mean.length;
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i]! * sd[i % d]! + mean[i % d]!;
  return out;
}

/**
 * Standardised engine sequences of `seqs`: each sequence is cut at interior windows without a target
 * (`finiteRuns`), since the engine's loss needs a finite target at every step.
 */
export function trainingPieces(seqs: readonly LabelledSequence[], st: Standardisation): TrainingSequence[] {
  const out: TrainingSequence[] = [];
  for (const s of seqs) {
    const dims = s.features.length / s.T;
    for (const [a, b] of finiteRuns(s)) {
      out.push({
        inputs: standardiseRows(s.features.subarray(a * dims, b * dims), st.featureMean, st.featureStd),
        targets: standardiseRows(s.targets.subarray(2 * a, 2 * b), st.targetMean, st.targetStd),
        length: b - a,
      });
    }
  }
  return out;
}

/** Standardised unlabelled sequences (features only) for the autoencoder. */
export function unlabelledPieces(seqs: readonly Pick<LabelledSequence, 'features' | 'T'>[], st: Pick<Standardisation, 'featureMean' | 'featureStd'>): TrainingSequence[] {
  return seqs.map((s) => ({ inputs: standardiseRows(s.features, st.featureMean, st.featureStd), length: s.T }));
}
