/**
 * Plain data description of the small ONNX subset emostream writes and reads (no protobuf objects):
 * what `encodeOnnxModel` takes and what `decodeOnnxModel` returns.
 */
import type { TensorDataType } from './types.ts';

/** A dense initialiser; `data` is `null` after decoding a dtype this reader does not handle. */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array | null;
}

/** One node attribute (the kinds the LSTM graph needs). */
export type OnnxAttribute =
  | { readonly name: string; readonly kind: 'int'; readonly value: number }
  | { readonly name: string; readonly kind: 'float'; readonly value: number }
  | { readonly name: string; readonly kind: 'string'; readonly value: string }
  | { readonly name: string; readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly name: string; readonly kind: 'strings'; readonly value: readonly string[] };

/** A graph node; an empty string in `inputs`/`outputs` marks an omitted optional slot. */
export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** A graph input or output: tensor element type and shape (number = fixed, string = symbolic dim). */
export interface OnnxValueInfo {
  readonly name: string;
  /** `null` when the file declares an element type this reader does not name. */
  readonly elemType: TensorDataType | null;
  readonly shape: readonly (number | string)[];
}

/** A whole model: header, one graph and the string metadata. */
export interface OnnxModelDescription {
  readonly irVersion: number;
  /** Default-domain opset version (`ai.onnx`). */
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly graphName: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** `metadata_props`, in file order. */
  readonly metadata: readonly (readonly [key: string, value: string])[];
}
