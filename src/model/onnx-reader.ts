/**
 * Decodes ONNX ModelProto bytes into an `OnnxModelDescription` (header, graph I/O, nodes, dense
 * initialisers, metadata). Throws `EMO_ERR_MODEL` for bytes that are not a decodable ONNX model.
 */
import { EmostreamError } from '../errors.ts';
import type { OnnxAttribute, OnnxModelDescription, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-ir.ts';
import { ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE, onnxModelType } from './onnx-schema.ts';

/* Decoded protobuf objects are untyped JSON-like trees; these helpers read them defensively. */
type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asStr = (v: unknown): string => (typeof v === 'string' ? v : '');
const asNum = (v: unknown): number => (typeof v === 'number' ? v : 0);
const decoder = new TextDecoder();

function asBytes(v: unknown): Uint8Array | null {
  return v instanceof Uint8Array && v.length > 0 ? v : null;
}

function decodeTensor(t: Obj): OnnxTensor {
  const name = asStr(t.name);
  const dims = asList(t.dims).map(asNum);
  const count = dims.reduce((a, d) => a * d, 1);
  const raw = asBytes(t.raw_data);
  const dataType = asNum(t.data_type);
  let data: Float32Array | BigInt64Array | null = null;
  if (dataType === ONNX_DATA_TYPE.FLOAT) {
    if (raw) {
      if (raw.length !== count * 4) throw modelError(`initialiser ${name}: ${raw.length} bytes for ${count} float32 values`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      data = new Float32Array(count);
      for (let k = 0; k < count; k++) data[k] = view.getFloat32(k * 4, true);
    } else {
      const values = asList(t.float_data).map(asNum);
      if (values.length !== count) throw modelError(`initialiser ${name}: ${values.length} float values for ${count}`);
      data = Float32Array.from(values);
    }
  } else if (dataType === ONNX_DATA_TYPE.INT64) {
    if (raw) {
      if (raw.length !== count * 8) throw modelError(`initialiser ${name}: ${raw.length} bytes for ${count} int64 values`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      data = new BigInt64Array(count);
      for (let k = 0; k < count; k++) data[k] = view.getBigInt64(k * 8, true);
    } else {
      data = BigInt64Array.from(asList(t.int64_data).map((v) => BigInt(asNum(v))));
    }
  }
  return { name, dims, data };
}

function decodeAttribute(a: Obj): OnnxAttribute {
  const name = asStr(a.name);
  switch (asNum(a.type)) {
    case ONNX_ATTRIBUTE_TYPE.INT: return { name, kind: 'int', value: asNum(a.i) };
    case ONNX_ATTRIBUTE_TYPE.FLOAT: return { name, kind: 'float', value: asNum(a.f) };
    case ONNX_ATTRIBUTE_TYPE.STRING: return { name, kind: 'string', value: decoder.decode(asBytes(a.s) ?? new Uint8Array()) };
    case ONNX_ATTRIBUTE_TYPE.INTS: return { name, kind: 'ints', value: asList(a.ints).map(asNum) };
    case ONNX_ATTRIBUTE_TYPE.FLOATS: return { name, kind: 'floats', value: asList(a.floats).map(asNum) };
    case ONNX_ATTRIBUTE_TYPE.STRINGS:
      return { name, kind: 'strings', value: asList(a.strings).map((s) => decoder.decode(asBytes(s) ?? new Uint8Array())) };
    default: return { name, kind: 'strings', value: [] };
  }
}

function decodeNode(n: Obj): OnnxNode {
  return {
    opType: asStr(n.op_type),
    name: asStr(n.name),
    inputs: asList(n.input).map(asStr),
    outputs: asList(n.output).map(asStr),
    attributes: asList(n.attribute).map((a) => decodeAttribute(asObj(a))),
  };
}

function decodeValueInfo(v: Obj): OnnxValueInfo {
  const tensorType = asObj(asObj(v.type).tensor_type);
  const elem = asNum(tensorType.elem_type);
  const shape = asList(asObj(tensorType.shape).dim).map((d) => {
    const dim = asObj(d);
    return typeof dim.dim_value === 'number' ? dim.dim_value : asStr(dim.dim_param);
  });
  const elemType = elem === ONNX_DATA_TYPE.FLOAT ? 'float32' : elem === ONNX_DATA_TYPE.INT64 ? 'int64' : null;
  return { name: asStr(v.name), elemType, shape };
}

function modelError(message: string, cause?: unknown): EmostreamError {
  return new EmostreamError('EMO_ERR_MODEL', message, cause === undefined ? undefined : { cause });
}

/** Decodes ONNX protobuf bytes into a plain description (throws `EMO_ERR_MODEL` if not a decodable ONNX model). */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModelDescription {
  if (bytes.length === 0) throw modelError('model file is empty');
  const type = onnxModelType();
  let root: Obj;
  try {
    root = asObj(type.toObject(type.decode(bytes), { longs: Number, arrays: true, defaults: false }));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw modelError(`model file is not valid ONNX protobuf (truncated or another format): ${why}`, err);
  }
  if (!root.graph || typeof root.ir_version !== 'number') {
    throw modelError('model file is not an ONNX model (no graph or IR version)');
  }
  const graph = asObj(root.graph);
  const opsets = asList(root.opset_import).map(asObj);
  const defaultOpset = opsets.find((o) => asStr(o.domain) === '' || asStr(o.domain) === 'ai.onnx');
  return {
    irVersion: asNum(root.ir_version),
    opsetVersion: defaultOpset ? asNum(defaultOpset.version) : 0,
    producerName: asStr(root.producer_name),
    producerVersion: asStr(root.producer_version),
    docString: asStr(root.doc_string),
    graphName: asStr(graph.name),
    nodes: asList(graph.node).map((n) => decodeNode(asObj(n))),
    initializers: asList(graph.initializer).map((t) => decodeTensor(asObj(t))),
    inputs: asList(graph.input).map((v) => decodeValueInfo(asObj(v))),
    outputs: asList(graph.output).map((v) => decodeValueInfo(asObj(v))),
    metadata: asList(root.metadata_props).map((e) => [asStr(asObj(e).key), asStr(asObj(e).value)] as const),
  };
}
