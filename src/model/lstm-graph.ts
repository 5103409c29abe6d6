/**
 * The emostream ONNX graph (opset 14), format version 2:
 *   features ─Sub(feature_mean)─Div(feature_std)─▶ z ─[stream normaliser, graph-norm.ts]─▶ ẑ
 *   per member k: ẑ ─▶ LSTM(lstm1_*, h1_in, c1_in) ─Y_h─▶ LSTM(lstm2_*, h2_in, c2_in) ─Y_h─Squeeze(0)
 *                 ─Gemm(out_W, out_b, transB)─Mul(target_std)─Add(target_mean)─▶ av_member k
 *   one member: av = Clip(av_member0, −1, 1);  K members (graph-ensemble.ts): av = Clip(mean, −1, 1),
 *   av_sd = √(varianceFloor + spreadScale · variance of the members)
 * The normaliser (kind 'mean' or 'mean-var') adds state I/O `norm_{mean,var,count}_{in,out}`; kind 'none' has none.
 * Member names: graph-names.ts. Format 1 (read for compatibility) is one member, kind 'none' and no Clip. With one
 * time step per call, each LSTM's `Y_h` [1, B, H] equals its sequence output. Both LSTMs take peepholes (input 7,
 * `P`). Statistics and constants are initialisers, so the file alone runs the model.
 */
import type { OnnxModelDescription, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-ir.ts';
import { encodeOnnxModel } from './onnx-writer.ts';
import { buildMetadataProps } from './metadata.ts';
import { validateWeights } from './weights.ts';
import { NORM_IO, normaliserInitializers, normaliserNodes } from './graph-norm.ts';
import { ensembleInitializers, ensembleNodes } from './graph-ensemble.ts';
import { GRAPH_IO, SHARED_INITIALIZERS, memberNames } from './graph-names.ts';
import { NO_STREAM_NORM, type StreamNormConfig } from './stream-norm.ts';
import type { LayerSizes, LstmMemberWeights, LstmModelWeights, ModelMetadataInput } from './types.ts';

export { GRAPH_IO } from './graph-names.ts';

/** What fixes a graph's structure: layer sizes, the stream normaliser, the ensemble size and the format version. */
export interface GraphSpec {
  readonly sizes: LayerSizes;
  readonly streamNorm: StreamNormConfig;
  /** Members K ≥ 1. */
  readonly members: number;
  /** '2' (written today) or '1' (read for compatibility: one member, no normaliser, no output Clip). */
  readonly format: '1' | '2';
}

/** ONNX opset (default domain) and IR version the writer targets. */
export const LSTM_GRAPH_OPSET = 14;
export const LSTM_GRAPH_IR_VERSION = 7;
/** Symbolic name of the batch (stream) dimension. */
export const BATCH_DIM = 'batch';

/** The output bound of format 2: arousal and valence are clipped to [−1, 1] (the circumplex's range). */
export const OUTPUT_RANGE = Object.freeze([-1, 1] as const);

const ini = SHARED_INITIALIZERS;
const node = (opType: string, name: string, inputs: string[], outputs: string[]): OnnxNode => ({ opType, name, inputs, outputs, attributes: [] });

function lstmNode(name: string, x: string, w: readonly string[], hidden: number, state: readonly string[]): OnnxNode {
  return {
    opType: 'LSTM', name,
    inputs: [x, w[0]!, w[1]!, w[2]!, '', state[0]!, state[1]!, w[3]!],
    outputs: ['', state[2]!, state[3]!],
    attributes: [
      { name: 'hidden_size', kind: 'int', value: hidden },
      { name: 'direction', kind: 'string', value: 'forward' },
    ],
  };
}

/** One member's nodes from the normalised features `x` to its de-standardised output (`memberNames(k).av`). */
function memberNodes(k: number, x: string, sizes: LayerSizes, out: string): OnnxNode[] {
  const m = memberNames(k);
  const s = k === 0 ? '' : `_m${k}`;
  return [
    lstmNode(`lstm1${s}`, x, [m.W1, m.R1, m.B1, m.P1], sizes[1], [m.h1In, m.c1In, m.h1Out, m.c1Out]),
    lstmNode(`lstm2${s}`, m.h1Out, [m.W2, m.R2, m.B2, m.P2], sizes[2], [m.h2In, m.c2In, m.h2Out, m.c2Out]),
    node('Squeeze', `drop_direction_axis${s}`, [m.h2Out, ini.squeezeAxes], [`h2_last${s}`]),
    { ...node('Gemm', `output_layer${s}`, [`h2_last${s}`, m.Wout, m.bout], [`av_standardised${s}`]),
      attributes: [{ name: 'transB', kind: 'int', value: 1 }] },
    node('Mul', `scale_targets${s}`, [`av_standardised${s}`, ini.targetStd], [`av_scaled${s}`]),
    node('Add', `shift_targets${s}`, [`av_scaled${s}`, ini.targetMean], [out]),
  ];
}

/** The graph's nodes for `spec`, in topological order. */
export function lstmGraphNodes(spec: GraphSpec): OnnxNode[] {
  const { sizes, streamNorm, format, members } = spec;
  const normalised = streamNorm.kind === 'none' ? 'features_standardised' : 'features_normalised';
  const single = members === 1;
  const nodes = [
    node('Sub', 'centre_features', [GRAPH_IO.features, ini.featureMean], ['features_centred']),
    node('Div', 'scale_features', ['features_centred', ini.featureStd], ['features_standardised']),
    ...(streamNorm.kind === 'none' ? [] : normaliserNodes(streamNorm.kind, 'features_standardised', normalised)),
  ];
  for (let k = 0; k < members; k++) {
    const out = format === '1' ? GRAPH_IO.av : single ? 'av_unbounded' : memberNames(k).av;
    nodes.push(...memberNodes(k, normalised, sizes, out));
  }
  if (format === '1') return nodes;
  if (single) return [...nodes, node('Clip', 'bound_outputs', ['av_unbounded', ini.avMin, ini.avMax], [GRAPH_IO.av])];
  return [...nodes, ...ensembleNodes(members)];
}

/** Graph inputs then outputs (name, float32, shape) for `spec`. */
export function lstmGraphIo(spec: GraphSpec): { inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] } {
  const [n, h1, h2] = spec.sizes;
  const v = (name: string, shape: (number | string)[]): OnnxValueInfo => ({ name, elemType: 'float32', shape });
  const s1 = [1, BATCH_DIM, h1], s2 = [1, BATCH_DIM, h2], sn = [1, BATCH_DIM, n], sc = [1, BATCH_DIM, 1];
  const norm = spec.streamNorm.kind !== 'none';
  const stateIn: OnnxValueInfo[] = [], stateOut: OnnxValueInfo[] = [];
  for (let k = 0; k < spec.members; k++) {
    const m = memberNames(k);
    stateIn.push(v(m.h1In, s1), v(m.c1In, s1), v(m.h2In, s2), v(m.c2In, s2));
    stateOut.push(v(m.h1Out, s1), v(m.c1Out, s1), v(m.h2Out, s2), v(m.c2Out, s2));
  }
  return {
    inputs: [v(GRAPH_IO.features, sn), ...stateIn,
      ...(norm ? [v(NORM_IO.meanIn, sn), v(NORM_IO.varIn, sn), v(NORM_IO.countIn, sc)] : [])],
    outputs: [v(GRAPH_IO.av, [BATCH_DIM, 2]), ...(spec.members > 1 ? [v(GRAPH_IO.avSd, [BATCH_DIM, 2])] : []), ...stateOut,
      ...(norm ? [v(NORM_IO.meanOut, sn), v(NORM_IO.varOut, sn), v(NORM_IO.countOut, sc)] : [])],
  };
}

/** Initialiser dims by name for `spec` (ONNX LSTM adds a leading num_directions = 1). */
export function initializerDims(spec: GraphSpec): Readonly<Record<string, readonly number[]>> {
  const [n, h1, h2] = spec.sizes;
  const dims: Record<string, readonly number[]> = {
    [ini.featureMean]: [n], [ini.featureStd]: [n], [ini.squeezeAxes]: [1], [ini.targetStd]: [2], [ini.targetMean]: [2],
  };
  for (let k = 0; k < spec.members; k++) {
    const m = memberNames(k);
    Object.assign(dims, {
      [m.W1]: [1, 4 * h1, n], [m.R1]: [1, 4 * h1, h1], [m.B1]: [1, 8 * h1], [m.P1]: [1, 3 * h1],
      [m.W2]: [1, 4 * h2, h1], [m.R2]: [1, 4 * h2, h2], [m.B2]: [1, 8 * h2], [m.P2]: [1, 3 * h2],
      [m.Wout]: [2, h2], [m.bout]: [2],
    });
  }
  if (spec.format === '2') Object.assign(dims, { [ini.avMin]: [], [ini.avMax]: [] });
  if (spec.members > 1) Object.assign(dims, { [ini.memberCount]: [1], [ini.spreadScale]: [2], [ini.varianceFloor]: [2] });
  for (const t of spec.streamNorm.kind === 'none' ? [] : normaliserInitializers(spec.streamNorm)) dims[t.name] = t.dims;
  return dims;
}

/** Member k's weights (member 0: the top-level fields). */
export function memberWeights(w: LstmModelWeights, k: number): LstmMemberWeights {
  return k === 0 ? w : w.moreMembers![k - 1]!;
}

function initializers(w: LstmModelWeights, spec: GraphSpec): OnnxTensor[] {
  const dims = initializerDims(spec);
  const data: Record<string, Float32Array | BigInt64Array> = {
    [ini.featureMean]: w.featureMean, [ini.featureStd]: w.featureStd, [ini.squeezeAxes]: BigInt64Array.of(0n),
    [ini.targetStd]: w.targetStd, [ini.targetMean]: w.targetMean,
    [ini.avMin]: Float32Array.of(OUTPUT_RANGE[0]), [ini.avMax]: Float32Array.of(OUTPUT_RANGE[1]),
  };
  for (let k = 0; k < spec.members; k++) {
    const m = memberNames(k);
    const mw = memberWeights(w, k);
    Object.assign(data, {
      [m.W1]: mw.layer1.W, [m.R1]: mw.layer1.R, [m.B1]: mw.layer1.B, [m.P1]: mw.layer1.P,
      [m.W2]: mw.layer2.W, [m.R2]: mw.layer2.R, [m.B2]: mw.layer2.B, [m.P2]: mw.layer2.P, [m.Wout]: mw.Wout, [m.bout]: mw.bout,
    });
  }
  if (spec.members > 1) for (const t of ensembleInitializers(spec.members, w.uncertainty!)) data[t.name] = t.data as Float32Array;
  for (const t of spec.streamNorm.kind === 'none' ? [] : normaliserInitializers(spec.streamNorm)) data[t.name] = t.data as Float32Array;
  return Object.keys(dims).map((name) => ({ name, dims: dims[name]!, data: data[name]! }));
}

/** The full model description (graph + metadata) for validated weights; see `writeLstmModel`. */
export function buildLstmModel(weights: LstmModelWeights, meta: ModelMetadataInput): OnnxModelDescription {
  const sizes = validateWeights(weights, 'EMO_ERR_BAD_CONFIG');
  const members = 1 + (weights.moreMembers?.length ?? 0);
  const spec: GraphSpec = { sizes, streamNorm: weights.streamNorm ?? NO_STREAM_NORM, members, format: '2' };
  const metadata = buildMetadataProps(meta, sizes, spec.streamNorm, members);
  const { inputs, outputs } = lstmGraphIo(spec);
  return {
    irVersion: LSTM_GRAPH_IR_VERSION,
    opsetVersion: LSTM_GRAPH_OPSET,
    producerName: meta.producer ?? 'emostream',
    producerVersion: '1',
    docString: `emostream arousal/valence model: standardise → stream-normalise → ${members > 1 ? `${members} × ` : ''}(peephole LSTM → peephole LSTM → linear → de-standardise)${members > 1 ? ' → mean, calibrated SD' : ''} → clip to [-1, 1]`,
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
