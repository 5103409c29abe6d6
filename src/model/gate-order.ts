/**
 * Gate-order conversion between the natural LSTM layout (gates i, f, c, o; peepholes i, f, o) and the
 * ONNX `LSTM` layout (gates i, o, f, c; peepholes i, o, f; bias Wb ‖ Rb). See types.ts for both layouts.
 */
import { EmostreamError } from '../errors.ts';
import type { LstmLayerWeights, NaturalLstmLayerWeights } from './types.ts';

/** ONNX gate block k holds natural gate block `ONNX_FROM_NATURAL_GATES[k]` (natural i=0, f=1, c=2, o=3). */
export const ONNX_FROM_NATURAL_GATES: readonly number[] = Object.freeze([0, 3, 1, 2]);
/** ONNX peephole block k holds natural peephole block `ONNX_FROM_NATURAL_PEEPHOLES[k]` (natural i=0, f=1, o=2). */
export const ONNX_FROM_NATURAL_PEEPHOLES: readonly number[] = Object.freeze([0, 2, 1]);

/** Copies row blocks of `blockSize` values: `out` block k = `src` block `order[k]`. */
export function permuteBlocks(src: Float32Array, blockSize: number, order: readonly number[]): Float32Array {
  if (src.length !== blockSize * order.length) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `expected ${order.length} blocks of ${blockSize} values, got ${src.length} values`);
  }
  const out = new Float32Array(src.length);
  for (let k = 0; k < order.length; k++) out.set(src.subarray(order[k] * blockSize, (order[k] + 1) * blockSize), k * blockSize);
  return out;
}

function inverse(order: readonly number[]): number[] {
  const inv = new Array<number>(order.length);
  order.forEach((from, to) => (inv[from] = to));
  return inv;
}

function hiddenOf(peepholes: Float32Array): number {
  if (peepholes.length === 0 || peepholes.length % 3 !== 0) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `peephole vector length ${peepholes.length} is not 3·H`);
  }
  return peepholes.length / 3;
}

/** Converts natural-order (i, f, c, o) layer weights to the ONNX layout (i, o, f, c; Rb = 0). */
export function toOnnxGateOrder(layer: NaturalLstmLayerWeights): LstmLayerWeights {
  const h = hiddenOf(layer.P);
  const inputSize = layer.W.length / (4 * h);
  const B = new Float32Array(8 * h);
  B.set(permuteBlocks(layer.b, h, ONNX_FROM_NATURAL_GATES), 0);
  return {
    W: permuteBlocks(layer.W, h * inputSize, ONNX_FROM_NATURAL_GATES),
    R: permuteBlocks(layer.R, h * h, ONNX_FROM_NATURAL_GATES),
    B,
    P: permuteBlocks(layer.P, h, ONNX_FROM_NATURAL_PEEPHOLES),
  };
}

/** Converts ONNX-layout layer weights to natural order (i, f, c, o); the bias is Wb + Rb. */
export function fromOnnxGateOrder(layer: LstmLayerWeights): NaturalLstmLayerWeights {
  const h = hiddenOf(layer.P);
  const inputSize = layer.W.length / (4 * h);
  const bias = new Float32Array(4 * h);
  for (let k = 0; k < 4 * h; k++) bias[k] = layer.B[k] + layer.B[4 * h + k];
  const gates = inverse(ONNX_FROM_NATURAL_GATES);
  return {
    W: permuteBlocks(layer.W, h * inputSize, gates),
    R: permuteBlocks(layer.R, h * h, gates),
    b: permuteBlocks(bias, h, gates),
    P: permuteBlocks(layer.P, h, inverse(ONNX_FROM_NATURAL_PEEPHOLES)),
  };
}
