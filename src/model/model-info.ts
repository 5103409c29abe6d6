/**
 * Reads and validates an emostream model file: ONNX decode, metadata, graph I/O, node structure and
 * initialiser shapes against the format-1/2 contract (lstm-graph.ts). Any mismatch throws
 * `EMO_ERR_MODEL` with a one-line reason.
 */
import { EmostreamError } from '../errors.ts';
import { decodeOnnxModel } from './onnx-reader.ts';
import type { OnnxModelDescription, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-ir.ts';
import { parseMetadataProps } from './metadata.ts';
import { LSTM_GRAPH_OPSET, initializerDims, lstmGraphIo, lstmGraphNodes, type GraphSpec } from './lstm-graph.ts';
import { SHARED_INITIALIZERS as INITIALIZERS, memberNames } from './graph-names.ts';
import { normaliserInitializers } from './graph-norm.ts';
import { validateWeights } from './weights.ts';
import type { LayerSizes, LstmModelWeights, ModelMetadata } from './types.ts';

/** A validated model file: metadata, weights (types.ts layout) and the ONNX header fields. */
export interface ModelInfo {
  readonly metadata: ModelMetadata;
  readonly weights: LstmModelWeights;
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
}

function fail(message: string): EmostreamError {
  return new EmostreamError('EMO_ERR_MODEL', message);
}

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

function checkValueInfos(kind: string, actual: readonly OnnxValueInfo[], expected: readonly OnnxValueInfo[]): void {
  const names = actual.map((v) => v.name);
  if (!sameList(names, expected.map((v) => v.name))) {
    throw fail(`graph ${kind}s are [${names.join(', ')}], expected [${expected.map((v) => v.name).join(', ')}] (not an emostream model)`);
  }
  actual.forEach((v, k) => {
    const want = expected[k];
    if (v.elemType !== 'float32') throw fail(`graph ${kind} ${v.name} must be float32`);
    const ok = v.shape.length === want.shape.length && v.shape.every((d, j) => typeof want.shape[j] === 'string' || d === want.shape[j]);
    if (!ok) throw fail(`graph ${kind} ${v.name} has shape [${v.shape}], expected [${want.shape}]`);
  });
}

function attrInt(node: OnnxNode, name: string): number | undefined {
  const a = node.attributes.find((x) => x.name === name);
  return a && a.kind === 'int' ? a.value : undefined;
}

function checkNodes(actual: readonly OnnxNode[], spec: GraphSpec): void {
  const expected = lstmGraphNodes(spec);
  const describe = (ns: readonly OnnxNode[]) => ns.map((n) => n.opType).join('→');
  if (actual.length !== expected.length) throw fail(`graph has nodes ${describe(actual)}, expected ${describe(expected)}`);
  expected.forEach((want, k) => {
    const got = actual[k];
    if (got.opType !== want.opType || !sameList(got.inputs, want.inputs) || !sameList(got.outputs, want.outputs)) {
      throw fail(`graph node ${k} (${got.opType}) is wired [${got.inputs}]→[${got.outputs}], expected ${want.opType} [${want.inputs}]→[${want.outputs}]`);
    }
    for (const name of ['hidden_size', 'transB']) {
      if (attrInt(got, name) !== attrInt(want, name)) throw fail(`graph node ${want.name}: attribute ${name} is ${attrInt(got, name)}, expected ${attrInt(want, name)}`);
    }
  });
}

function tensorsByName(model: OnnxModelDescription, spec: GraphSpec): Map<string, OnnxTensor> {
  const sizes = spec.sizes;
  const byName = new Map(model.initializers.map((t) => [t.name, t]));
  for (const [name, dims] of Object.entries(initializerDims(spec))) {
    const t = byName.get(name);
    if (!t) throw fail(`initialiser ${name} is missing`);
    if (!sameList(t.dims, dims)) throw fail(`initialiser ${name} has dims [${t.dims}], expected [${dims}] for layer_sizes [${sizes}]`);
    const wantInt = name === INITIALIZERS.squeezeAxes;
    if (wantInt ? !(t.data instanceof BigInt64Array) : !(t.data instanceof Float32Array)) {
      throw fail(`initialiser ${name} has the wrong element type (expected ${wantInt ? 'int64' : 'float32'})`);
    }
  }
  const axes = byName.get(INITIALIZERS.squeezeAxes)!.data as BigInt64Array;
  if (axes[0] !== 0n) throw fail(`initialiser ${INITIALIZERS.squeezeAxes} must be [0]`);
  if (spec.format === '2') {
    const lo = (byName.get(INITIALIZERS.avMin)!.data as Float32Array)[0], hi = (byName.get(INITIALIZERS.avMax)!.data as Float32Array)[0];
    if (lo !== -1 || hi !== 1) throw fail(`output bound is [${lo}, ${hi}], expected [-1, 1]`);
  }
  if (spec.members > 1 && (byName.get(INITIALIZERS.memberCount)!.data as Float32Array)[0] !== spec.members) {
    throw fail(`initialiser ${INITIALIZERS.memberCount} does not equal the metadata's ensemble size ${spec.members}`);
  }
  // The normaliser's constants must be the ones its metadata describes.
  for (const want of spec.streamNorm.kind === 'none' ? [] : normaliserInitializers(spec.streamNorm)) {
    const got = byName.get(want.name)!.data as Float32Array;
    if (got[0] !== (want.data as Float32Array)[0]) throw fail(`initialiser ${want.name} is ${got[0]}, but the metadata's stream normaliser says ${(want.data as Float32Array)[0]}`);
  }
  return byName;
}

function weightsFrom(byName: Map<string, OnnxTensor>, spec: GraphSpec): LstmModelWeights {
  const sizes = spec.sizes;
  const f = (name: string) => byName.get(name)!.data as Float32Array;
  const i = INITIALIZERS;
  const member = (k: number) => {
    const m = memberNames(k);
    return {
      layer1: { W: f(m.W1), R: f(m.R1), B: f(m.B1), P: f(m.P1) },
      layer2: { W: f(m.W2), R: f(m.R2), B: f(m.B2), P: f(m.P2) },
      Wout: f(m.Wout), bout: f(m.bout),
    };
  };
  const more = Array.from({ length: spec.members - 1 }, (_, k) => member(k + 1));
  return {
    inputSize: sizes[0], hidden1: sizes[1], hidden2: sizes[2],
    ...member(0),
    featureMean: f(i.featureMean), featureStd: f(i.featureStd),
    targetMean: f(i.targetMean), targetStd: f(i.targetStd),
    streamNorm: spec.streamNorm,
    ...(more.length ? { moreMembers: more, uncertainty: { spreadScale: f(i.spreadScale), varianceFloor: f(i.varianceFloor) } } : {}),
  };
}

/** Validated metadata and weights of an emostream model file (throws `EMO_ERR_MODEL` with the reason). */
export function readModelInfo(bytes: Uint8Array): ModelInfo {
  const model = decodeOnnxModel(bytes);
  const metadata = parseMetadataProps(model.metadata);
  const sizes = metadata.layerSizes;
  if (model.opsetVersion !== LSTM_GRAPH_OPSET) throw fail(`model uses ONNX opset ${model.opsetVersion}, expected ${LSTM_GRAPH_OPSET}`);
  const spec: GraphSpec = { sizes, streamNorm: metadata.streamNorm, members: metadata.ensembleSize, format: metadata.formatVersion };
  const { inputs, outputs } = lstmGraphIo(spec);
  checkValueInfos('input', model.inputs, inputs);
  checkValueInfos('output', model.outputs, outputs);
  checkNodes(model.nodes, spec);
  const weights = weightsFrom(tensorsByName(model, spec), spec);
  validateWeights(weights, 'EMO_ERR_MODEL');
  return { metadata, weights, irVersion: model.irVersion, opsetVersion: model.opsetVersion, producerName: model.producerName };
}
