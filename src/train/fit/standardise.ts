/**
 * Standardisation (method.md "Model"): feature and target means and population SDs over the TRAINING
 * sequences of a fold only (every window; targets over finite values only), applied as (x − mean) / sd and
 * inverted on the network's outputs before scoring. SDs below 1e-8 (constant columns) are set to 1, so the
 * column maps to 0. The shipped model carries these four vectors.
 */
import { EmostreamError } from '../../errors.ts';
import { NO_STREAM_NORM, normaliseSequence, type StreamNormConfig } from '../../model/stream-norm.ts';
import type { TrainingSequence } from './engine/index.ts';
import { finiteRuns, type LabelledSequence } from '../data/sequences.ts';

/** Feature and target statistics of a training set. */
export interface Standardisation {
  readonly featureMean: Float32Array;
  readonly featureStd: Float32Array;
  /** [arousal, valence]. */
  readonly targetMean: Float32Array;
  readonly targetStd: Float32Array;
  /**
   * The stream normaliser applied after the feature standardisation (src/model/stream-norm.ts; the exported
   * model's graph computes the same). Default NO_STREAM_NORM.
   */
  readonly streamNorm?: StreamNormConfig;
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
export function fitStandardisation(train: readonly LabelledSequence[], streamNorm: StreamNormConfig = NO_STREAM_NORM): Standardisation {
  if (train.length === 0) throw new EmostreamError('EMO_ERR_DATASET', 'standardisation needs at least one training sequence');
  const dims = train[0]!.features.length / train[0]!.T;
  const [featureMean, featureStd] = columnStats(train.map((s) => ({ data: s.features, count: s.T })), dims, false);
  const [targetMean, targetStd] = columnStats(train.map((s) => ({ data: s.targets, count: s.T })), 2, true);
  return { featureMean, featureStd, targetMean, targetStd, streamNorm };
}

/** (x − mean) / sd of row-major rows × mean.length values (a new array). */
export function standardiseRows(x: Float32Array, mean: Float32Array, sd: Float32Array): Float32Array {
  const d = mean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - mean[i % d]!) / sd[i % d]!;
  return out;
}

/**
 * The network inputs of a whole sequence: training standardisation, then the stream normaliser from the
 * sequence's start (each sequence is one stream), exactly as the exported model computes them live.
 */
export function networkInputs(s: Pick<LabelledSequence, 'features' | 'T'>, st: Pick<Standardisation, 'featureMean' | 'featureStd' | 'streamNorm'>): Float32Array {
  return normaliseSequence(s.features, s.T, st.featureMean, st.featureStd, st.streamNorm ?? NO_STREAM_NORM);
}

/** y · sd + mean of row-major rows (a new array): the inverse of `standardiseRows`. */
export function destandardiseRows(y: Float32Array, mean: Float32Array, sd: Float32Array): Float32Array {
  const d = mean.length;
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i]! * sd[i % d]! + mean[i % d]!;
  return out;
}

/**
 * Engine sequences of `seqs`: the network inputs of each whole sequence (`networkInputs`, so the stream
 * normaliser runs over the sequence as it would live), then cut at interior windows without a target
 * (`finiteRuns`), since the engine's loss needs a finite target at every step.
 */
export function trainingPieces(seqs: readonly LabelledSequence[], st: Standardisation): TrainingSequence[] {
  const out: TrainingSequence[] = [];
  for (const s of seqs) {
    const dims = s.features.length / s.T;
    const inputs = networkInputs(s, st);
    for (const [a, b] of finiteRuns(s)) {
      out.push({
        inputs: inputs.slice(a * dims, b * dims),
        targets: standardiseRows(s.targets.subarray(2 * a, 2 * b), st.targetMean, st.targetStd),
        length: b - a,
      });
    }
  }
  return out;
}

/** Unlabelled sequences (network inputs only, as `networkInputs`) for the autoencoder. */
export function unlabelledPieces(seqs: readonly Pick<LabelledSequence, 'features' | 'T'>[], st: Pick<Standardisation, 'featureMean' | 'featureStd' | 'streamNorm'>): TrainingSequence[] {
  return seqs.map((s) => ({ inputs: networkInputs(s, st), length: s.T }));
}
