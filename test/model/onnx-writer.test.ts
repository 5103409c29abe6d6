import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeOnnxModel } from '../../src/model/onnx-writer.ts';
import { decodeOnnxModel } from '../../src/model/onnx-reader.ts';
import type { OnnxModelDescription } from '../../src/model/onnx-ir.ts';
import { expectError } from './helpers.ts';

const test = suite('model/onnx-writer');

const model: OnnxModelDescription = {
  irVersion: 7, opsetVersion: 14, producerName: 'p', producerVersion: '2', docString: 'doc', graphName: 'g',
  nodes: [{
    opType: 'Custom', name: 'n0', inputs: ['x', '', 'w'], outputs: ['y'],
    attributes: [
      { name: 'i', kind: 'int', value: -7 }, { name: 'f', kind: 'float', value: 0.5 },
      { name: 's', kind: 'string', value: 'forward' }, { name: 'is', kind: 'ints', value: [1, 2, 3] },
      { name: 'fs', kind: 'floats', value: [0.25, -1] }, { name: 'ss', kind: 'strings', value: ['Sigmoid', 'Tanh'] },
    ],
  }],
  initializers: [
    { name: 'w', dims: [2, 2], data: Float32Array.of(1.5, -2, 3.25, Math.fround(0.1)) },
    { name: 'axes', dims: [2], data: BigInt64Array.of(0n, -1n) },
  ],
  inputs: [{ name: 'x', elemType: 'float32', shape: [1, 'batch', 4] }],
  outputs: [{ name: 'y', elemType: 'int64', shape: ['batch'] }],
  metadata: [['k', 'v'], ['json', '[1,"ü"]']],
};

test('every field of the description survives encode → decode', () => {
  assert.equal(decodeOnnxModel(encodeOnnxModel(model)), model);
});

test('tensor payloads are little-endian raw_data', () => {
  const bytes = encodeOnnxModel({ ...model, nodes: [], inputs: [], outputs: [], metadata: [],
    initializers: [{ name: 't', dims: [1], data: Float32Array.of(1) }] });
  // float32 1.0 = 0x3f800000, little-endian 00 00 80 3f, behind the raw_data tag (field 9, wire type 2) and length 4.
  const hex = Buffer.from(bytes).toString('hex');
  assert.ok(hex.includes('4a040000803f'), hex);
});

test('a tensor whose data does not fill its dims is refused', async () => {
  await expectError(() => encodeOnnxModel({ ...model, initializers: [{ name: 'w', dims: [3], data: new Float32Array(2) }] }), 'EMO_ERR_INTERNAL', /dims \[3\]/);
});

test('an empty buffer and a message without a graph are not ONNX models', async () => {
  await expectError(() => decodeOnnxModel(new Uint8Array(0)), 'EMO_ERR_MODEL', /empty/);
  await expectError(() => decodeOnnxModel(Uint8Array.of(0x12, 0x01, 0x61)), 'EMO_ERR_MODEL', /no graph/); // producer_name = "a"
});

test.run();
