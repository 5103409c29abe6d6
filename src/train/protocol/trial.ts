/**
 * One trial of the protocol: fit one configuration on one fold with one seed and score it. Pure function of the
 * dataset and the job, so it runs the same in this thread or in a worker (trial-pool.ts). Standardisation comes
 * from the fold's training sequences; the test predictions are de-standardised (method.md "Model").
 */
import type { LossKind, NetworkParameters, OnnxLstmParameters, TrainingSequence } from '../fit/engine/index.ts';
import { NO_STREAM_NORM, type StreamNormConfig } from '../../model/stream-norm.ts';
import { fitRegressor } from '../fit/fit.ts';
import { predictSequences } from '../fit/predict.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { fitStandardisation, trainingPieces, type Standardisation } from '../fit/standardise.ts';

/** A hyper-parameter configuration. */
export interface TrialConfig {
  readonly layer1: number;
  readonly layer2: number;
  readonly learningRate: number;
  readonly noiseSigma: number;
}

/** One unit of work: indices into the shared dataset. */
export interface TrialJob {
  readonly id: number;
  readonly config: TrialConfig;
  readonly seed: number;
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
  readonly batchSize: number;
  readonly maxEpochs: number;
  readonly patience: number;
  /** Frozen layer 1 (transfer); its size must equal `config.layer1`. */
  readonly layer1?: OnnxLstmParameters;
  /** Return the parameters and standardisation (for exporting). Default false. */
  readonly keepModel?: boolean;
  /** Stream normaliser applied to every sequence (src/model/stream-norm.ts). Default NO_STREAM_NORM. */
  readonly streamNorm?: StreamNormConfig;
  /** Training loss. Default 'ccc'. */
  readonly loss?: LossKind;
  /** Training pieces are cut into chunks of at most this many seconds (≥ 10; Infinity = whole). Default Infinity. */
  readonly chunkSeconds?: number;
  /** Standardisation to use instead of the training sequences' own (ensemble members share one). */
  readonly standardisation?: Standardisation;
  /** L2 weight decay. Default 0. */
  readonly weightDecay?: number;
}

/** Cuts training pieces into chunks of at most `maxLength` steps (a shorter last chunk under 10 steps is dropped). */
export function chunkPieces(pieces: readonly TrainingSequence[], maxLength: number): TrainingSequence[] {
  if (!Number.isFinite(maxLength)) return [...pieces];
  return pieces.flatMap((p) => {
    const d = p.inputs.length / p.length;
    const out: TrainingSequence[] = [];
    for (let a = 0; a < p.length; a += maxLength) {
      const b = Math.min(p.length, a + maxLength);
      if (b - a < 10 && out.length > 0) break;
      out.push({ inputs: p.inputs.slice(a * d, b * d), targets: p.targets?.slice(2 * a, 2 * b), length: b - a });
    }
    return out;
  });
}

/** What a trial returns (plain data, transferable between threads). */
export interface TrialResult {
  readonly id: number;
  readonly bestValidationLoss: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly curves: { readonly train: readonly number[]; readonly validation: readonly number[] };
  /** Test predictions in the order of `job.test`: [arousal, valence] tracks. */
  readonly predictions: readonly { readonly arousal: Float32Array; readonly valence: Float32Array }[];
  readonly model?: { readonly parameters: NetworkParameters; readonly standardisation: Standardisation };
}

/** Runs one trial (see the module header). */
export async function runTrial(data: readonly LabelledSequence[], job: TrialJob): Promise<TrialResult> {
  const pick = (ix: readonly number[]) => ix.map((i) => data[i]!);
  const train = pick(job.train);
  const st = job.standardisation ?? fitStandardisation(train, job.streamNorm ?? NO_STREAM_NORM);
  const fit = await fitRegressor(chunkPieces(trainingPieces(train, st), job.chunkSeconds ?? Infinity), trainingPieces(pick(job.validation), st), {
    hidden: [job.config.layer1, job.config.layer2], learningRate: job.config.learningRate, noiseSigma: job.config.noiseSigma,
    batchSize: job.batchSize, maxEpochs: job.maxEpochs, patience: job.patience, seed: job.seed, loss: job.loss ?? 'ccc', weightDecay: job.weightDecay ?? 0,
    initLayer1: job.layer1, freezeLayer1: job.layer1 !== undefined,
  });
  const preds = predictSequences(fit.network, pick(job.test), st);
  return {
    id: job.id, bestValidationLoss: fit.bestValidationLoss, epochs: fit.epochs, bestEpoch: fit.bestEpoch, curves: fit.curves,
    predictions: preds.map((p) => ({ arousal: p.pred.arousal as Float32Array, valence: p.pred.valence as Float32Array })),
    model: job.keepModel ? { parameters: fit.network.getParameters(), standardisation: st } : undefined,
  };
}
