/**
 * Public contract of the trainer's numeric engine: batches, network options, ONNX-layout parameters
 * and the network handle (forward, loss + gradients by BPTT, SGD step). Implementation: `network.ts`.
 * Gate order follows ONNX `LSTM`: W/R/B rows are i, o, f, c; peepholes P are i, o, f.
 */

/**
 * Numeric mode: float32 with WebAssembly SIMD kernels (large matrix products through onnxruntime's native CPU kernels
 * when available, see `LstmNetworkOptions.nativeProducts`), or float64 plain TypeScript (gradient checks).
 */
export type Precision = 'f32-wasm' | 'f64';

/**
 * Training loss: 'ccc' = 1 − CCC per sequence and output (the paper's); 'ccc-batch' = 1 − CCC per output over all
 * steps of the mini-batch's sequences pooled (one CCC per output and batch); 'mse' = mean squared error per sequence.
 */
export type LossKind = 'ccc' | 'ccc-batch' | 'mse';

/** Output activation of the final linear layer. */
export type OutputActivation = 'linear' | 'sigmoid';

/** A parameter group: one LSTM layer (1-based) or the output layer. */
export type ParameterGroup = 'layer1' | 'layer2' | 'output';

/**
 * A padded, masked batch of B sequences, time-major.
 * Sequence b occupies steps t < lengths[b]; padded steps must hold zeros and mask 0.
 */
export interface Batch {
  /** Inputs, shape (T, B, inputSize), row-major. */
  readonly inputs: Float32Array;
  /** Targets, shape (T, B, outputSize); omitted for the autoencoder (its target is `inputs`). */
  readonly targets?: Float32Array;
  /** 1 where step t of sequence b is real, shape (T, B). */
  readonly mask: Uint8Array;
  /** Length of each sequence, each in [1, T]. */
  readonly lengths: Int32Array;
  /** Number of time steps (the longest length). */
  readonly T: number;
  /** Number of sequences. */
  readonly B: number;
}

/** One training sequence (a piece or recording) before batching. */
export interface TrainingSequence {
  /** Inputs, shape (length, inputSize). */
  readonly inputs: Float32Array;
  /** Targets, shape (length, outputSize); omitted for unsupervised (autoencoder) data. */
  readonly targets?: Float32Array;
  /** Number of time steps, ≥ 1. */
  readonly length: number;
}

/** One LSTM layer in ONNX layout (a copy; the ONNX writer takes these arrays as they are). */
export interface OnnxLstmParameters {
  /** Input weights, shape [4H, inputSize], gate blocks i, o, f, c. */
  readonly W: Float32Array;
  /** Recurrent weights, shape [4H, H], gate blocks i, o, f, c. */
  readonly R: Float32Array;
  /** Biases [8H] = Wb [4H] then Rb [4H]; the engine trains one bias, exported as Wb with Rb = 0. */
  readonly B: Float32Array;
  /** Peepholes, shape [3H], blocks i, o, f. */
  readonly P: Float32Array;
}

/** All parameters of a network, ONNX layout. */
export interface NetworkParameters {
  readonly layers: readonly OnnxLstmParameters[];
  /** Output layer: W [outputSize, H_last] (y = W·h + b) and b [outputSize]. */
  readonly output: { readonly W: Float32Array; readonly b: Float32Array };
}

/** Where one parameter group lives in the flat parameter vector. */
export interface GroupRange {
  readonly name: ParameterGroup;
  readonly offset: number;
  readonly length: number;
}

/** Options of `lossAndGradients`. */
export interface LossOptions {
  /** Loss kind. Default 'ccc' for the regressor, 'mse' for the autoencoder. */
  readonly loss?: LossKind;
  /** Standard deviation of Gaussian noise added to the inputs (training only). Default 0. */
  readonly inputNoiseSigma?: number;
  /** Groups whose gradients are not needed (frozen): their gradient stays 0 and work below them is skipped. */
  readonly frozen?: readonly ParameterGroup[];
}

/** Loss of one batch. */
export interface LossResult {
  /** Mean over sequences (and outputs) of 1 − CCC, or of the per-sequence MSE. */
  readonly loss: number;
  /** Per output dimension: mean CCC over sequences ('ccc') or mean per-sequence MSE ('mse'). */
  readonly perOutput: Float64Array;
}

/** SGD-with-momentum state: one velocity per parameter. */
export interface SgdState {
  readonly velocity: Float64Array;
}

/** Cumulative wall-clock milliseconds per phase since creation (`gemmMs` only with `profile: true`). */
export interface EngineProfile {
  /** Packing, forward pass and output layer. */
  readonly forwardMs: number;
  /** Loss and its gradient. */
  readonly lossMs: number;
  /** Back-propagation through time and weight gradients. */
  readonly backwardMs: number;
  /** SGD updates. */
  readonly stepMs: number;
  /** Time inside matrix products (part of forward and backward). */
  readonly gemmMs: number;
}

/** A trainable stacked peephole-LSTM network with a dense output layer. */
export interface LstmNetwork {
  readonly precision: Precision;
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly outputSize: number;
  /** Total number of trainable parameters. */
  readonly parameterCount: number;
  /** Outputs for a batch, shape (T, B, outputSize), zeros at padded steps. */
  forward(batch: Batch): Float32Array;
  /** Loss of the batch; gradients are kept inside (see `flatGradients`, `step`). */
  lossAndGradients(batch: Batch, options?: LossOptions): LossResult;
  /** v ← momentum·v − lr·g; θ ← θ + v, for every group not in `frozen` (frozen arrays stay bit-identical). */
  step(state: SgdState, learningRate: number, momentum?: number, frozen?: readonly ParameterGroup[], weightDecay?: number): void;
  /** A fresh optimiser state (zero velocity). */
  createSgdState(): SgdState;
  /** Outputs for one sequence x (T × inputSize) from a zero state, shape (T, outputSize). */
  predictSequence(x: Float32Array, T: number): Float32Array;
  /** Copies of all parameters in ONNX layout. */
  getParameters(): NetworkParameters;
  /** Replaces layers (by index, `undefined` keeps a layer) and/or the output layer. */
  setParameters(params: {
    readonly layers?: readonly (OnnxLstmParameters | undefined)[];
    readonly output?: NetworkParameters['output'];
  }): void;
  /** Flat parameter vector (a copy, float64). */
  flatParameters(): Float64Array;
  /** Overwrites the flat parameter vector. */
  setFlatParameters(theta: Float64Array): void;
  /** Flat gradient of the last `lossAndGradients` (a copy, float64). */
  flatGradients(): Float64Array;
  /** Group ranges inside the flat vectors. */
  groups(): readonly GroupRange[];
  /** Position of the input-noise generator (saved in checkpoints, so a resumed run adds the same noise). */
  noiseState(): readonly number[];
  /** Continues the input-noise generator from a `noiseState()`. */
  restoreNoiseState(state: readonly number[]): void;
  /** Time spent per phase so far. */
  profile(): EngineProfile;
}
