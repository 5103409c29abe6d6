/**
 * The model contract of emostream: weight layout, metadata and the runtime interface.
 * Implementation lives in the sibling files (`lstm-graph.ts`, `session.ts`, ...); this file holds types only.
 *
 * Network (Coutinho & Schuller 2017, see ../../../shared/spec/method.md):
 *   z = (x − featureMean) / featureStd                                   (standardised 260 features)
 *   x̂ = streamNorm(z)  (per-stream running statistics seeded with the training set; stream-norm.ts)
 *   layer k ∈ {1, 2}: peephole LSTM, ONNX `LSTM` semantics (activations σ, tanh, tanh):
 *     g = W x + R h₋₁ + Wb + Rb                       (4H pre-activations, ONNX gate order i, o, f, c)
 *     i = σ(g_i + p_i ⊙ c₋₁);  f = σ(g_f + p_f ⊙ c₋₁);  c = f ⊙ c₋₁ + i ⊙ tanh(g_c)
 *     o = σ(g_o + p_o ⊙ c);    h = o ⊙ tanh(c)
 *   ŷ = Wout h₂ + bout;  [arousal, valence] = clip(ŷ ⊙ targetStd + targetMean, −1, 1)   (de-standardised, bounded)
 *
 * ## Weight layout (all `Float32Array`, row-major, ONNX gate order)
 * For a layer with input width `In` and `H` cells, rows are grouped in blocks of `H` per gate:
 * - `W` `[4H, In]`: rows `[0,H)` input gate i, `[H,2H)` output gate o, `[2H,3H)` forget gate f,
 *   `[3H,4H)` cell candidate c. Element (r, k) is at `W[r * In + k]`.
 * - `R` `[4H, H]`: same row blocks (i, o, f, c), columns index h₋₁.
 * - `B` `[8H]`: `Wb` (i, o, f, c; 4H values) followed by `Rb` (i, o, f, c; 4H values). Only the sum matters.
 * - `P` `[3H]`: peephole weights `p_i` `[0,H)`, `p_o` `[H,2H)`, `p_f` `[2H,3H)` (ONNX order i, o, f).
 * Output layer: `Wout` `[2, H2]` (row 0 arousal, row 1 valence), `bout` `[2]`.
 * Statistics: `featureMean`, `featureStd` `[In1]` (std > 0); `targetMean`, `targetStd` `[2]` (arousal, valence).
 * Use `toOnnxGateOrder` / `fromOnnxGateOrder` (gate-order.ts) to convert from the natural order i, f, c, o.
 *
 * ## ONNX graph I/O (opset 14, IR 7; format 2)
 * Inputs: `features` float32 `[1, B, In1]` (one 1 s step, B streams), `h1_in`, `c1_in` `[1, B, H1]`,
 * `h2_in`, `c2_in` `[1, B, H2]`, and with a stream normaliser `norm_mean_in`, `norm_var_in` `[1, B, In1]`,
 * `norm_count_in` `[1, B, 1]`. Outputs: `av` `[B, 2]` (arousal, valence in [−1, 1]), then each state input's
 * `*_out` twin (same shape). Every state is zero for a new stream (the normaliser stores offsets from its prior).
 */
import type { StreamNormConfig } from './stream-norm.ts';

/** Typed-array type of each tensor dtype this package exchanges with onnxruntime. */
export interface TensorDataTypeMap {
  readonly float32: Float32Array;
  readonly int64: BigInt64Array;
}

/** Tensor element types used in the model files. */
export type TensorDataType = keyof TensorDataTypeMap;

/** Weights of one peephole LSTM layer in ONNX gate order (see the file header for the exact layout). */
export interface LstmLayerWeights {
  /** Input weights `[4H, In]`, gate blocks i, o, f, c. */
  readonly W: Float32Array;
  /** Recurrent weights `[4H, H]`, gate blocks i, o, f, c. */
  readonly R: Float32Array;
  /** Biases `[8H]`: Wb (i, o, f, c) then Rb (i, o, f, c). */
  readonly B: Float32Array;
  /** Peepholes `[3H]`: i, o, f. */
  readonly P: Float32Array;
}

/** Weights of one peephole LSTM layer in the natural gate order i, f, c, o (peepholes i, f, o). */
export interface NaturalLstmLayerWeights {
  /** Input weights `[4H, In]`, gate blocks i, f, c, o. */
  readonly W: Float32Array;
  /** Recurrent weights `[4H, H]`, gate blocks i, f, c, o. */
  readonly R: Float32Array;
  /** One bias per gate `[4H]`, blocks i, f, c, o (written to ONNX as Wb with Rb = 0). */
  readonly b: Float32Array;
  /** Peepholes `[3H]`: i, f, o. */
  readonly P: Float32Array;
}

/** One ensemble member's networks weights (same layer sizes as member 0). */
export interface LstmMemberWeights {
  readonly layer1: LstmLayerWeights;
  readonly layer2: LstmLayerWeights;
  /** Output weights `[2, H2]`. */
  readonly Wout: Float32Array;
  /** Output bias `[2]`. */
  readonly bout: Float32Array;
}

/**
 * Calibrated uncertainty of an ensemble, per output [arousal, valence]: predictive variance
 * = varianceFloor + spreadScale · (variance of the members' outputs), fitted on held-out data.
 */
export interface UncertaintyCalibration {
  /** `[2]`, ≥ 0. */
  readonly spreadScale: Float32Array;
  /** `[2]`, > 0. */
  readonly varianceFloor: Float32Array;
}

/**
 * Everything needed to run the network: two LSTM layers, the linear output and the standardisation statistics
 * (member 0 of an ensemble), plus optional further members whose outputs are averaged.
 */
export interface LstmModelWeights {
  /** Width of the feature vector In1 (260 for ComParE 2013 functionals). */
  readonly inputSize: number;
  /** Cells in layer 1 (H1, paper: 50–200). */
  readonly hidden1: number;
  /** Cells in layer 2 (H2, paper: 2–10). */
  readonly hidden2: number;
  readonly layer1: LstmLayerWeights;
  readonly layer2: LstmLayerWeights;
  /** Output weights `[2, H2]`, row 0 arousal, row 1 valence. */
  readonly Wout: Float32Array;
  /** Output bias `[2]`. */
  readonly bout: Float32Array;
  /** Training-set feature means `[In1]`. */
  readonly featureMean: Float32Array;
  /** Training-set feature standard deviations `[In1]`, all > 0. */
  readonly featureStd: Float32Array;
  /** Training-set target means `[2]` (arousal, valence). */
  readonly targetMean: Float32Array;
  /** Training-set target standard deviations `[2]`, both > 0. */
  readonly targetStd: Float32Array;
  /** Per-stream normalisation of the standardised features. Default NO_STREAM_NORM (kind 'none'). */
  readonly streamNorm?: StreamNormConfig;
  /** Members 1 … K−1 of an ensemble (same sizes; each has its own LSTM state). Default none (K = 1). */
  readonly moreMembers?: readonly LstmMemberWeights[];
  /** Required with `moreMembers`: turns the members' spread into calibrated standard deviations. */
  readonly uncertainty?: UncertaintyCalibration;
}

/** Layer sizes as stored in metadata `layer_sizes`: [In1, H1, H2, 2]. */
export type LayerSizes = readonly [inputSize: number, hidden1: number, hidden2: number, outputs: number];

/** Which audio domain a model was trained on. */
export type ModelDomain = 'music' | 'speech';

/** `'trained'`: a real model; `'test-fixture'`: deterministic random weights, never to be presented as meaningful. */
export type ModelPurpose = 'trained' | 'test-fixture';

/** What the writer needs besides the weights; `layer_sizes` and `emostream.format_version` are derived. */
export interface ModelMetadataInput {
  /** Names of the input features, in column order; length must equal `inputSize`. */
  readonly featureNames: readonly string[];
  /** Audio sample rate the features were computed at, Hz. Default 16000. */
  readonly sampleRateHz?: number;
  readonly domain: ModelDomain;
  /** Free text: which data the model was trained on (corpus names, sizes). */
  readonly trainingData: string;
  /** Evaluation results (JSON-serialisable), e.g. `{ "arousal": { "ccc": 0.7 } }`. Default `{}`. */
  readonly metrics?: Readonly<Record<string, unknown>>;
  /** Creation date, ISO 8601. Default: now. */
  readonly created?: string;
  readonly purpose: ModelPurpose;
  /** Model version shown in results (`"speech@<version>"`). Default `"0"`. */
  readonly modelVersion?: string;
  /** Producer string. Default `"emostream"`. */
  readonly producer?: string;
  /** Licence of the weights. Default `"unspecified"`. */
  readonly license?: string;
  /** Further string key/values to store (keys must not clash with the ones above). */
  readonly extra?: Readonly<Record<string, string>>;
}

/** Validated metadata read back from a model file. */
export interface ModelMetadata {
  /** `emostream.format_version`: `"2"` (current) or `"1"` (no stream normaliser, unbounded outputs). */
  readonly formatVersion: '1' | '2';
  /** The stream normaliser (kind 'none' for format 1). */
  readonly streamNorm: StreamNormConfig;
  /** Ensemble members K (1 for a single network); K > 1 models report calibrated uncertainty. */
  readonly ensembleSize: number;
  readonly featureNames: readonly string[];
  readonly sampleRateHz: number;
  readonly layerSizes: LayerSizes;
  readonly domain: ModelDomain;
  readonly trainingData: string;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly created: string;
  readonly purpose: ModelPurpose;
  readonly modelVersion: string;
  readonly producer: string;
  readonly license: string;
  /** Every metadata key not listed above. */
  readonly extra: Readonly<Record<string, string>>;
}

/** One stream's feature vector for one 1 s step. */
export interface StreamFeatures {
  readonly streamId: string;
  /** Pooled features `[In1]`, all finite. */
  readonly features: Float32Array;
}

/** One stream's prediction for one step (de-standardised; within [−1, 1] for format-2 models). */
export interface StreamPrediction {
  readonly streamId: string;
  /** Ensemble mean (the single network's output for K = 1). */
  readonly arousal: number;
  readonly valence: number;
  /**
   * Calibrated standard deviations of the two outputs (same units as arousal/valence), when the model estimates
   * its uncertainty (e.g. the spread of an ensemble of fold models inside one graph); absent otherwise.
   */
  readonly uncertainty?: { readonly arousalSd: number; readonly valenceSd: number };
}

/** A stream's packed model state: [h1 ‖ c1 ‖ h2 ‖ c2 ‖ norm mean ‖ norm variance ‖ norm count]. */
export interface StreamStateSnapshot {
  /** `layer_sizes` and stream-normaliser kind of the model that produced it, e.g. "260,150,10,2/mean-var". */
  readonly layout: string;
  readonly values: Float32Array;
}

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** onnxruntime intra-op threads. Default 1. */
  readonly intraOpThreads?: number;
}

/**
 * A loaded model with a per-stream state store. Calls to `step` are serialised internally;
 * `release()` frees the native session and all states, after which `step` throws.
 */
export interface EmotionModel {
  readonly metadata: ModelMetadata;
  /** Feature width In1 expected by `step`. */
  readonly inputSize: number;
  /** Number of streams that currently hold state. */
  readonly streamCount: number;
  /**
   * Runs one batched step for all given streams (unique ids), carrying each stream's (h1, c1, h2, c2).
   * New ids start from zero state. Throws `EMO_ERR_BAD_FEATURES` naming the stream before any state changes
   * if a vector has the wrong length or a NaN/Inf.
   */
  step(batch: readonly StreamFeatures[]): Promise<StreamPrediction[]>;
  /** Whether a stream currently holds state. */
  has(streamId: string): boolean;
  /** Sets a stream's state back to zero (no-op for unknown ids). */
  reset(streamId: string): void;
  /**
   * A copy of a stream's whole state (LSTM and stream normaliser) after its last completed step, or undefined for
   * unknown ids. Steps issued but not finished are not included: await them first.
   */
  snapshot(streamId: string): StreamStateSnapshot | undefined;
  /** Sets a stream's state from a snapshot of the same model (EMO_ERR_MODEL if its layout does not match). */
  restore(streamId: string, snapshot: StreamStateSnapshot): void;
  /** Frees a stream's state (no-op for unknown ids). */
  drop(streamId: string): void;
  /** Releases the native session and all stream states. */
  release(): Promise<void>;
}
