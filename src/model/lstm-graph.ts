/**
 * The emostream ONNX graph (opset 14), format version 2:
 *   features ─Sub(feature_mean)─Div(feature_std)─▶ z ─[stream normaliser, graph-norm.ts]─▶ ẑ ─▶ LSTM(lstm1_*, h1_in, c1_in)
 *   ─Y_h=h1_out─▶ LSTM(lstm2_*, h2_in, c2_in) ─Y_h=h2_out─Squeeze(0)─Gemm(out_W, out_b, transB)─Mul(target_std)
 *   ─Add(target_mean)─Clip(−1, 1)─▶ av
 * The normaliser (kind 'mean' or 'mean-var') adds state I/O `norm_{mean,var,count}_{in,out}`; kind 'none' has none.
 * Format 1 (read for compatibility) is format 2 with kind 'none' and no Clip. With one time step per call, each
 * LSTM's `Y_h` [1, B, H] equals its sequence output, so it feeds the next layer directly. Both LSTMs take
 * peepholes (input 7, `P`). Statistics and constants are initialisers, so the file alone runs the model.
 */
import type { OnnxModelDescription, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-ir.ts';
import { encodeOnnxModel } from './onnx-writer.ts';
import { buildMetadataProps } from './metadata.ts';
import { validateWeights } from './weights.ts';
import { NORM_IO, normaliserInitializers, normaliserNodes } from './graph-norm.ts';
import { NO_STREAM_NORM, type StreamNormConfig } from './stream-norm.ts';
import type { LayerSizes, LstmModelWeights, ModelMetadataInput } from './types.ts';

/** What fixes a graph's structure: layer sizes, the stream normaliser and the format version. */
export interface GraphSpec {
  readonly sizes: LayerSizes;
  readonly streamNorm: StreamNormConfig;
  /** '2' (written today) or '1' (read for compatibility: no normaliser, no output Clip). */
  readonly format: '1' | '2';
}

/** ONNX opset (default domain) and IR version the writer targets. */
export const LSTM_GRAPH_OPSET = 14;
export const LSTM_GRAPH_IR_VERSION = 7;
/** Symbolic name of the batch (stream) dimension. */
export const BATCH_DIM = 'batch';

/** Graph input and output names (the runtime contract). */
export const GRAPH_IO = Object.freeze({
  features: 'features',
  h1In: 'h1_in', c1In: 'c1_in', h2In: 'h2_in', c2In: 'c2_in',
  av: 'av',
  h1Out: 'h1_out', c1Out: 'c1_out', h2Out: 'h2_out', c2Out: 'c2_out',
} as const);

/** Initialiser names. */
export const INITIALIZERS = Object.freeze({
  featureMean: 'feature_mean', featureStd: 'feature_std',
  W1: 'lstm1_W', R1: 'lstm1_R', B1: 'lstm1_B', P1: 'lstm1_P',
  W2: 'lstm2_W', R2: 'lstm2_R', B2: 'lstm2_B', P2: 'lstm2_P',
  squeezeAxes: 'squeeze_axes', Wout: 'out_W', bout: 'out_b', targetStd: 'target_std', targetMean: 'target_mean',
  avMin: 'av_min', avMax: 'av_max',
} as const);

/** The output bound of format 2: arousal and valence are clipped to [−1, 1] (the circumplex's range). */
export const OUTPUT_RANGE = Object.freeze([-1, 1] as const);

const io = GRAPH_IO;
const ini = INITIALIZERS;

function lstmNode(name: string, x: string, k: 1 | 2, hidden: number, h: string, c: string, hOut: string, cOut: string): OnnxNode {
  const p = k === 1 ? [ini.W1, ini.R1, ini.B1, ini.P1] : [ini.W2, ini.R2, ini.B2, ini.P2];
  return {
    opType: 'LSTM', name,
    inputs: [x, p[0], p[1], p[2], '', h, c, p[3]],
    outputs: ['', hOut, cOut],
    attributes: [
      { name: 'hidden_size', kind: 'int', value: hidden },
      { name: 'direction', kind: 'string', value: 'forward' },
    ],
  };
}

/** The graph's nodes for `spec`, in topological order. */
export function lstmGraphNodes(spec: GraphSpec): OnnxNode[] {
  const { sizes, streamNorm, format } = spec;
  const node = (opType: string, name: string, inputs: string[], outputs: string[]): OnnxNode =>
    ({ opType, name, inputs, outputs, attributes: [] });
  const normalised = streamNorm.kind === 'none' ? 'features_standardised' : 'features_normalised';
  return [
    node('Sub', 'centre_features', [io.features, ini.featureMean], ['features_centred']),
    node('Div', 'scale_features', ['features_centred', ini.featureStd], ['features_standardised']),
    ...(streamNorm.kind === 'none' ? [] : normaliserNodes(streamNorm.kind, 'features_standardised', normalised)),
    lstmNode('lstm1', normalised, 1, sizes[1], io.h1In, io.c1In, io.h1Out, io.c1Out),
    lstmNode('lstm2', io.h1Out, 2, sizes[2], io.h2In, io.c2In, io.h2Out, io.c2Out),
    node('Squeeze', 'drop_direction_axis', [io.h2Out, ini.squeezeAxes], ['h2_last']),
    { ...node('Gemm', 'output_layer', ['h2_last', ini.Wout, ini.bout], ['av_standardised']),
      attributes: [{ name: 'transB', kind: 'int', value: 1 }] },
    node('Mul', 'scale_targets', ['av_standardised', ini.targetStd], ['av_scaled']),
    ...(format === '1'
      ? [node('Add', 'shift_targets', ['av_scaled', ini.targetMean], [io.av])]
      : [node('Add', 'shift_targets', ['av_scaled', ini.targetMean], ['av_unbounded']),
        node('Clip', 'bound_outputs', ['av_unbounded', ini.avMin, ini.avMax], [io.av])]),
  ];
}

/** Graph inputs then outputs (name, float32, shape) for `spec`. */
export function lstmGraphIo(spec: GraphSpec): { inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] } {
  const [n, h1, h2] = spec.sizes;
  const v = (name: string, shape: (number | string)[]): OnnxValueInfo => ({ name, elemType: 'float32', shape });
  const s1 = [1, BATCH_DIM, h1];
  const s2 = [1, BATCH_DIM, h2];
  const sn = [1, BATCH_DIM, n];
  const sc = [1, BATCH_DIM, 1];
  const norm = spec.streamNorm.kind !== 'none';
  return {
    inputs: [v(io.features, sn), v(io.h1In, s1), v(io.c1In, s1), v(io.h2In, s2), v(io.c2In, s2),
      ...(norm ? [v(NORM_IO.meanIn, sn), v(NORM_IO.varIn, sn), v(NORM_IO.countIn, sc)] : [])],
    outputs: [v(io.av, [BATCH_DIM, 2]), v(io.h1Out, s1), v(io.c1Out, s1), v(io.h2Out, s2), v(io.c2Out, s2),
      ...(norm ? [v(NORM_IO.meanOut, sn), v(NORM_IO.varOut, sn), v(NORM_IO.countOut, sc)] : [])],
  };
}

/** Initialiser dims by name for `spec` (ONNX LSTM adds a leading num_directions = 1). */
export function initializerDims(spec: GraphSpec): Readonly<Record<string, readonly number[]>> {
  const [n, h1, h2] = spec.sizes;
  return {
    [ini.featureMean]: [n], [ini.featureStd]: [n],
    [ini.W1]: [1, 4 * h1, n], [ini.R1]: [1, 4 * h1, h1], [ini.B1]: [1, 8 * h1], [ini.P1]: [1, 3 * h1],
    [ini.W2]: [1, 4 * h2, h1], [ini.R2]: [1, 4 * h2, h2], [ini.B2]: [1, 8 * h2], [ini.P2]: [1, 3 * h2],
    [ini.squeezeAxes]: [1], [ini.Wout]: [2, h2], [ini.bout]: [2], [ini.targetStd]: [2], [ini.targetMean]: [2],
    ...(spec.format === '2' ? { [ini.avMin]: [], [ini.avMax]: [] } : {}),
    ...(spec.streamNorm.kind === 'none' ? {} : Object.fromEntries(normaliserInitializers(spec.streamNorm).map((t) => [t.name, t.dims]))),
  };
}

function initializers(w: LstmModelWeights, spec: GraphSpec): OnnxTensor[] {
  const dims = initializerDims(spec);
  const data: Record<string, Float32Array | BigInt64Array> = {
    [ini.featureMean]: w.featureMean, [ini.featureStd]: w.featureStd,
    [ini.W1]: w.layer1.W, [ini.R1]: w.layer1.R, [ini.B1]: w.layer1.B, [ini.P1]: w.layer1.P,
    [ini.W2]: w.layer2.W, [ini.R2]: w.layer2.R, [ini.B2]: w.layer2.B, [ini.P2]: w.layer2.P,
    [ini.squeezeAxes]: BigInt64Array.of(0n), [ini.Wout]: w.Wout, [ini.bout]: w.bout,
    [ini.targetStd]: w.targetStd, [ini.targetMean]: w.targetMean,
    [ini.avMin]: Float32Array.of(OUTPUT_RANGE[0]), [ini.avMax]: Float32Array.of(OUTPUT_RANGE[1]),
  };
  for (const t of spec.streamNorm.kind === 'none' ? [] : normaliserInitializers(spec.streamNorm)) data[t.name] = t.data as Float32Array;
  return Object.keys(dims).map((name) => ({ name, dims: dims[name], data: data[name] }));
}

/** The full model description (graph + metadata) for validated weights; see `writeLstmModel`. */
export function buildLstmModel(weights: LstmModelWeights, meta: ModelMetadataInput): OnnxModelDescription {
  const sizes = validateWeights(weights, 'EMO_ERR_BAD_CONFIG');
  const spec: GraphSpec = { sizes, streamNorm: weights.streamNorm ?? NO_STREAM_NORM, format: '2' };
  const metadata = buildMetadataProps(meta, sizes, spec.streamNorm);
  const { inputs, outputs } = lstmGraphIo(spec);
  return {
    irVersion: LSTM_GRAPH_IR_VERSION,
    opsetVersion: LSTM_GRAPH_OPSET,
    producerName: meta.producer ?? 'emostream',
    producerVersion: '1',
    docString: 'emostream arousal/valence model: standardise → stream-normalise → peephole LSTM → peephole LSTM → linear → de-standardise → clip to [-1, 1]',
    graphName: 'emostream_lstm',
    nodes: lstmGraphNodes(spec),
    initializers: initializers(weights, spec),
    inputs,
    outputs,
    metadata,
  };
}

/** ONNX bytes of the emostream network for the given weights (types.ts layout) and metadata. */
export function writeLstmModel(weights: LstmModelWeights, meta: ModelMetadataInput): Uint8Array {
  return encodeOnnxModel(buildLstmModel(weights, meta));
}
