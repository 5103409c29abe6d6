/**
 * The two networks of Coutinho & Schuller 2017 on top of `createLstmNetwork`:
 * the regressor 260 → LSTM H1 → LSTM H2 → 2 linear outputs (loss 1 − CCC), and the denoising autoencoder
 * 260 → LSTM H → 260 sigmoid outputs (MSE against the clean input, Gaussian-corrupted input).
 * The autoencoder's layer 1 has the regressor's layer-1 shape, so `getParameters().layers[0]` transfers as is.
 */
import { createLstmNetwork } from './network.ts';
import type { LstmNetwork, OutputActivation, Precision } from './types.ts';

/** Options of `createLstmRegressor`. */
export interface LstmRegressorOptions {
  /** Input features per second. Default 260 (ComParE 2013 functionals). */
  readonly inputSize?: number;
  /** Cells of LSTM layers 1 and 2. Default [200, 10]. */
  readonly hidden?: readonly number[];
  /** Outputs (arousal, valence). Default 2. */
  readonly outputSize?: number;
  /** Numeric mode. Default 'f32-wasm'. */
  readonly precision?: Precision;
  /** PRNG seed (integer). Default 1. */
  readonly seed?: number;
  /** Time matrix products separately (benchmarks). Default false. */
  readonly profile?: boolean;
  /**
   * float32: large matrix products in onnxruntime's native kernels (see `LstmNetworkOptions`).
   * Default true unless EMOSTREAM_TRAIN_NATIVE=0.
   */
  readonly nativeProducts?: boolean;
}

/** Defaults of the regressor (the paper's largest configuration). */
export const DEFAULT_REGRESSOR_OPTIONS = Object.freeze({
  inputSize: 260,
  hidden: Object.freeze([200, 10]) as readonly number[],
  outputSize: 2,
  precision: 'f32-wasm' as Precision,
  seed: 1,
});

/** Options of `createLstmAutoencoder`. */
export interface LstmAutoencoderOptions {
  /** Input (= output) features. Default 260. */
  readonly inputSize?: number;
  /** Cells of its one LSTM layer, as a one-element list. Default [200]. */
  readonly hidden?: readonly number[];
  /** Output activation. Default 'sigmoid' (the paper's sigmoid output units). */
  readonly outputActivation?: OutputActivation;
  /** Numeric mode. Default 'f32-wasm'. */
  readonly precision?: Precision;
  /** PRNG seed (integer). Default 1. */
  readonly seed?: number;
  /** Time matrix products separately (benchmarks). Default false. */
  readonly profile?: boolean;
  /**
   * float32: large matrix products in onnxruntime's native kernels (see `LstmNetworkOptions`).
   * Default true unless EMOSTREAM_TRAIN_NATIVE=0.
   */
  readonly nativeProducts?: boolean;
}

/** Defaults of the denoising autoencoder. */
export const DEFAULT_AUTOENCODER_OPTIONS = Object.freeze({
  inputSize: 260,
  hidden: Object.freeze([200]) as readonly number[],
  outputActivation: 'sigmoid' as OutputActivation,
  precision: 'f32-wasm' as Precision,
  seed: 1,
});

/** 2-layer peephole-LSTM regressor with linear outputs, default loss 1 − CCC (Coutinho & Schuller 2017). */
export function createLstmRegressor(options: LstmRegressorOptions = {}): LstmNetwork {
  const o = { ...DEFAULT_REGRESSOR_OPTIONS, ...options };
  return createLstmNetwork({ ...o, outputActivation: 'linear', reconstruct: false, defaultLoss: 'ccc' });
}

/** One-layer LSTM denoising autoencoder (target: the clean input), default loss MSE. */
export function createLstmAutoencoder(options: LstmAutoencoderOptions = {}): LstmNetwork {
  const o = { ...DEFAULT_AUTOENCODER_OPTIONS, ...options };
  return createLstmNetwork({ ...o, outputSize: o.inputSize, reconstruct: true, defaultLoss: 'mse' });
}
