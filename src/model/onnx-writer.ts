/**
 * Encodes an `OnnxModelDescription` as an ONNX ModelProto (protobuf bytes) with the hand-written schema
 * in onnx-schema.ts. Tensor payloads go to `raw_data` as little-endian bytes, as the ONNX spec requires.
 */
import { EmostreamError } from '../errors.ts';
import type { OnnxAttribute, OnnxModelDescription, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-ir.ts';
import { ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE, onnxModelType } from './onnx-schema.ts';

const encoder = new TextEncoder();

/** Little-endian bytes of a typed array (copied, independent of host endianness). */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) for (let k = 0; k < data.length; k++) view.setFloat32(k * 4, data[k], true);
  else for (let k = 0; k < data.length; k++) view.setBigInt64(k * 8, data[k], true);
  return out;
}

function tensorProto(t: OnnxTensor): Record<string, unknown> {
  if (!t.data) throw new EmostreamError('EMO_ERR_INTERNAL', `initialiser ${t.name} has no data to write`);
  const count = t.dims.reduce((a, d) => a * d, 1);
  if (count !== t.data.length) {
    throw new EmostreamError('EMO_ERR_INTERNAL', `initialiser ${t.name}: dims [${t.dims}] hold ${count} values, data has ${t.data.length}`);
  }
  return {
    name: t.name,
    dims: [...t.dims],
    data_type: t.data instanceof Float32Array ? ONNX_DATA_TYPE.FLOAT : ONNX_DATA_TYPE.INT64,
    raw_data: littleEndianBytes(t.data),
  };
}

function attributeProto(a: OnnxAttribute): Record<string, unknown> {
  switch (a.kind) {
    case 'int': return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.INT, i: a.value };
    case 'float': return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.FLOAT, f: a.value };
    case 'string': return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.STRING, s: encoder.encode(a.value) };
    case 'ints': return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.INTS, ints: [...a.value] };
    case 'floats': return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.FLOATS, floats: [...a.value] };
    case 'strings': return { name: a.name, type: ONNX_ATTRIBUTE_TYPE.STRINGS, strings: a.value.map((s) => encoder.encode(s)) };
  }
}

function nodeProto(n: OnnxNode): Record<string, unknown> {
  return {
    name: n.name,
    op_type: n.opType,
    input: [...n.inputs],
    output: [...n.outputs],
    attribute: n.attributes.map(attributeProto),
  };
}

function valueInfoProto(v: OnnxValueInfo): Record<string, unknown> {
  const elemType = v.elemType === 'int64' ? ONNX_DATA_TYPE.INT64 : ONNX_DATA_TYPE.FLOAT;
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name: v.name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

/** Serialises a model description to ONNX protobuf bytes (ModelProto, default domain only). */
export function encodeOnnxModel(model: OnnxModelDescription): Uint8Array {
  const type = onnxModelType();
  const message = type.fromObject({
    ir_version: model.irVersion,
    producer_name: model.producerName,
    producer_version: model.producerVersion,
    doc_string: model.docString,
    opset_import: [{ domain: '', version: model.opsetVersion }],
    graph: {
      name: model.graphName,
      node: model.nodes.map(nodeProto),
      initializer: model.initializers.map(tensorProto),
      input: model.inputs.map(valueInfoProto),
      output: model.outputs.map(valueInfoProto),
    },
    metadata_props: model.metadata.map(([key, value]) => ({ key, value })),
  });
  return type.encode(message).finish();
}
