/**
 * Training loops (method.md "Training"): the regressor 260 → LSTM H1 → LSTM H2 → 2 and the denoising
 * autoencoder 260 → LSTM H → 260 sigmoid outputs. Per epoch: a seeded shuffle of the training sequences
 * (stream 1000 + epoch of the fit seed, so a resumed run shuffles as the uninterrupted one would), mini-batches
 * of `batchSize`, Gaussian input noise σ, SGD with momentum, then the validation loss (noise off). Early stopping
 * after `patience` epochs without a strictly lower validation loss, at most `maxEpochs`; the best parameters
 * are restored at the end. `freezeLayer1` keeps layer 1 (e.g. from a DAE) bit-identical.
 * Between epochs the loop yields to the event loop, so a SIGINT handler can ask it to stop (`shouldStop`);
 * the returned `state` is the checkpoint that `resume` continues from.
 */
import { EmostreamError } from '../../errors.ts';
import {
  createLstmNetwork,
  createLstmRegressor,
  createRng,
  makeBatches,
  type Batch,
  type LossKind,
  type LstmNetwork,
  type OnnxLstmParameters,
  type ParameterGroup,
  type Precision,
  type TrainingSequence,
} from './engine/index.ts';

/** Options shared by both fits. */
export interface CommonFitOptions {
  /** SGD learning rate (engine scale: loss is a mean per sequence; see docs/trainer.md). Required. */
  readonly learningRate: number;
  /** SD of the Gaussian input noise during training. Default 0. */
  readonly noiseSigma?: number;
  /** Sequences per mini-batch. Default 8. */
  readonly batchSize?: number;
  /** Epochs at most. Default 500 (regressor) / 300 (autoencoder). */
  readonly maxEpochs?: number;
  /** Epochs without validation improvement before stopping. Default 20. */
  readonly patience?: number;
  /** SGD momentum. Default 0.9. */
  readonly momentum?: number;
  /** L2 weight decay λ (the SGD gradient gets + λ·θ). Default 0 (the paper has none). */
  readonly weightDecay?: number;
  /** Seed of initialisation, noise and shuffling (integer). Default 1. */
  readonly seed?: number;
  /** Numeric mode. Default 'f32-wasm'. */
  readonly precision?: Precision;
  /** Asked after every epoch; true stops the fit with `stoppedBy: 'interrupted'`. */
  readonly shouldStop?: () => boolean;
  /** Called after every epoch. */
  readonly onEpoch?: (report: EpochReport) => void;
  /** Checkpoint to continue from (same options and data). */
  readonly resume?: FitState;
}

/** Options of `fitRegressor`. */
export interface FitOptions extends CommonFitOptions {
  /** Cells of LSTM layers 1 and 2. Required. */
  readonly hidden: readonly [number, number];
  /** Loss. Default 'ccc' (1 − CCC). */
  readonly loss?: LossKind;
  /** Layer-1 parameters to start from (e.g. a DAE's layer). Default: random U[−0.1, 0.1]. */
  readonly initLayer1?: OnnxLstmParameters;
  /** Keep layer 1 frozen (transfer learning). Default false. */
  readonly freezeLayer1?: boolean;
}

/** Options of `fitAutoencoder`. */
export interface AutoencoderFitOptions extends CommonFitOptions {
  /** Cells of the one LSTM layer. Required. */
  readonly hidden: number;
}

/** Defaults of the fits. */
export const DEFAULT_FIT_OPTIONS = Object.freeze({
  noiseSigma: 0, batchSize: 8, maxEpochs: 500, patience: 20, momentum: 0.9, weightDecay: 0, seed: 1, precision: 'f32-wasm' as Precision, loss: 'ccc' as LossKind,
});

/** Default epoch limit of the autoencoder (method.md). */
export const DEFAULT_AUTOENCODER_MAX_EPOCHS = 300;

/** One epoch's numbers. */
export interface EpochReport {
  /** 1-based epoch. */
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
}

/** Everything needed to continue a fit (the checkpoint). */
export interface FitState {
  /** Epochs completed. */
  readonly epoch: number;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  readonly sinceBest: number;
  readonly curves: { readonly train: readonly number[]; readonly validation: readonly number[] };
  readonly parameters: Float64Array;
  readonly velocity: Float64Array;
  readonly bestParameters: Float64Array;
  /** Position of the network's input-noise generator (absent in checkpoints from before it was saved). */
  readonly noiseState?: readonly number[];
}

/** Why a fit ended. */
export type StopReason = 'patience' | 'max-epochs' | 'interrupted' | 'diverged';

/** Result of a fit: the network holds the best parameters. */
export interface FitResult {
  readonly network: LstmNetwork;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  readonly epochs: number;
  readonly stoppedBy: StopReason;
  readonly curves: { readonly train: readonly number[]; readonly validation: readonly number[] };
  /** Final state (for checkpoints; `parameters` are the last epoch's, not the best). */
  readonly state: FitState;
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `fit: ${what}`);
}

/** Mean loss over the sequences of `batches` (noise off, no gradients). */
export function evaluateLoss(net: LstmNetwork, batches: readonly Batch[], loss: LossKind): number {
  let sum = 0, n = 0;
  const frozen: ParameterGroup[] = ['layer1', 'layer2', 'output'];
  for (const b of batches) {
    sum += net.lossAndGradients(b, { loss, inputNoiseSigma: 0, frozen }).loss * b.B;
    n += b.B;
  }
  return n > 0 ? sum / n : NaN;
}

interface LoopSpec {
  readonly net: LstmNetwork;
  readonly train: readonly TrainingSequence[];
  readonly validation: readonly TrainingSequence[];
  readonly loss: LossKind;
  readonly frozen: readonly ParameterGroup[];
  readonly o: Required<Omit<CommonFitOptions, 'shouldStop' | 'onEpoch' | 'resume'>> & Pick<CommonFitOptions, 'shouldStop' | 'onEpoch' | 'resume'>;
}

async function trainLoop(s: LoopSpec): Promise<FitResult> {
  const { net, o, loss, frozen } = s;
  check(s.train.length > 0, 'no training sequences');
  check(Number.isFinite(o.learningRate) && o.learningRate > 0, `learningRate must be > 0, got ${o.learningRate}`);
  check(o.noiseSigma >= 0, `noiseSigma must be ≥ 0, got ${o.noiseSigma}`);
  check(Number.isInteger(o.maxEpochs) && o.maxEpochs >= 1, `maxEpochs must be a positive integer, got ${o.maxEpochs}`);
  check(Number.isInteger(o.patience) && o.patience >= 1, `patience must be a positive integer, got ${o.patience}`);
  const sgd = net.createSgdState();
  // Without a validation set, early stopping watches the training loss (documented in docs/trainer.md).
  const valBatches = s.validation.length > 0 ? makeBatches(s.validation, o.batchSize) : undefined;
  const train: number[] = [], validation: number[] = [];
  let epoch = 0, bestEpoch = 0, best = Infinity, sinceBest = 0;
  let bestParameters = net.flatParameters();
  if (o.resume) {
    const r = o.resume;
    check(r.parameters.length === net.parameterCount, 'checkpoint belongs to another network size');
    net.setFlatParameters(r.parameters);
    sgd.velocity.set(r.velocity);
    bestParameters = Float64Array.from(r.bestParameters);
    ({ epoch, bestEpoch, sinceBest } = r);
    best = r.bestValidationLoss ?? Infinity;
    train.push(...r.curves.train);
    validation.push(...r.curves.validation);
    if (r.noiseState) net.restoreNoiseState(r.noiseState);
  }
  let stoppedBy: StopReason = 'max-epochs';
  while (epoch < o.maxEpochs) {
    if (sinceBest >= o.patience) {
      stoppedBy = 'patience';
      break;
    }
    if (o.shouldStop?.()) {
      stoppedBy = 'interrupted';
      break;
    }
    const batches = makeBatches(s.train, o.batchSize, createRng(o.seed, 1000 + epoch));
    let sum = 0, n = 0;
    for (const b of batches) {
      sum += net.lossAndGradients(b, { loss, inputNoiseSigma: o.noiseSigma, frozen }).loss * b.B;
      n += b.B;
      net.step(sgd, o.learningRate, o.momentum, frozen, o.weightDecay);
    }
    const tl = sum / n;
    const vl = valBatches ? evaluateLoss(net, valBatches, loss) : tl;
    epoch++;
    train.push(tl);
    validation.push(vl);
    if (!Number.isFinite(tl) || !Number.isFinite(vl)) {
      stoppedBy = 'diverged';
      break;
    }
    if (vl < best) {
      best = vl;
      bestEpoch = epoch;
      sinceBest = 0;
      bestParameters = net.flatParameters();
    } else sinceBest++;
    o.onEpoch?.({ epoch, trainLoss: tl, validationLoss: vl, bestEpoch, bestValidationLoss: best });
    await new Promise<void>((r) => setImmediate(r));
  }
  if (stoppedBy === 'max-epochs' && sinceBest >= o.patience) stoppedBy = 'patience';
  const state: FitState = {
    epoch, bestEpoch, bestValidationLoss: best, sinceBest, curves: { train: [...train], validation: [...validation] },
    parameters: net.flatParameters(), velocity: Float64Array.from(sgd.velocity), bestParameters: Float64Array.from(bestParameters),
    noiseState: net.noiseState(),
  };
  if (bestEpoch > 0) net.setFlatParameters(bestParameters);
  return { network: net, bestEpoch, bestValidationLoss: best, epochs: epoch, stoppedBy, curves: state.curves, state };
}

function common(o: CommonFitOptions, maxEpochs: number) {
  const d = DEFAULT_FIT_OPTIONS;
  return {
    learningRate: o.learningRate, noiseSigma: o.noiseSigma ?? d.noiseSigma, batchSize: o.batchSize ?? d.batchSize,
    maxEpochs: o.maxEpochs ?? maxEpochs, patience: o.patience ?? d.patience, momentum: o.momentum ?? d.momentum, weightDecay: o.weightDecay ?? d.weightDecay,
    seed: o.seed ?? d.seed, precision: o.precision ?? d.precision, shouldStop: o.shouldStop, onEpoch: o.onEpoch, resume: o.resume,
  };
}

/** Trains the 2-layer regressor on standardised sequences with early stopping on `validation` (see the module header). */
export async function fitRegressor(train: readonly TrainingSequence[], validation: readonly TrainingSequence[], options: FitOptions): Promise<FitResult> {
  check(Array.isArray(options.hidden) && options.hidden.length === 2, 'hidden must be [layer1, layer2]');
  check(train.length > 0, 'no training sequences');
  const o = common(options, DEFAULT_FIT_OPTIONS.maxEpochs);
  const inputSize = train[0]!.inputs.length / train[0]!.length;
  const net = createLstmRegressor({ inputSize, hidden: options.hidden, outputSize: 2, precision: o.precision, seed: o.seed });
  if (options.initLayer1) net.setParameters({ layers: [options.initLayer1] });
  check(!options.freezeLayer1 || options.initLayer1 !== undefined, 'freezeLayer1 needs initLayer1');
  const frozen: ParameterGroup[] = options.freezeLayer1 ? ['layer1'] : [];
  return trainLoop({ net, train, validation, loss: options.loss ?? DEFAULT_FIT_OPTIONS.loss, frozen, o });
}

/** logistic(z): the autoencoder's target for a standardised feature z (sigmoid outputs need targets in (0, 1)). */
export function logistic(z: Float32Array): Float32Array {
  return z.map((v) => 1 / (1 + Math.exp(-v)));
}

/**
 * Trains the denoising autoencoder on standardised unlabelled sequences: input z + N(0, σ²), output 260
 * sigmoid units, target logistic(z) of the clean input, loss MSE (reconstruction; `validation` picks the best epoch).
 */
export async function fitAutoencoder(pool: readonly TrainingSequence[], validation: readonly TrainingSequence[], options: AutoencoderFitOptions): Promise<FitResult> {
  check(Number.isInteger(options.hidden) && options.hidden >= 1, `hidden must be a positive integer, got ${options.hidden}`);
  check(pool.length > 0, 'no training sequences');
  const o = common(options, DEFAULT_AUTOENCODER_MAX_EPOCHS);
  const inputSize = pool[0]!.inputs.length / pool[0]!.length;
  const withTargets = (xs: readonly TrainingSequence[]) => xs.map((s) => ({ inputs: s.inputs, targets: logistic(s.inputs), length: s.length }));
  const net = createLstmNetwork({
    inputSize, hidden: [options.hidden], outputSize: inputSize, outputActivation: 'sigmoid', precision: o.precision, seed: o.seed,
    reconstruct: false, defaultLoss: 'mse',
  });
  return trainLoop({ net, train: withTargets(pool), validation: withTargets(validation), loss: 'mse', frozen: [], o });
}
