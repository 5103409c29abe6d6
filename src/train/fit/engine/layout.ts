/**
 * Flat parameter layout of a stacked peephole LSTM + dense output, and conversion to/from ONNX layout.
 * Per layer l (input size In, H cells): W [4H×In], R [4H×H], bias [4H], P [3H], gate blocks i, o, f, c
 * (ONNX `LSTM`); then the output layer W [Out×H_last], b [Out]. Offsets are relative to the vector start.
 */
import { EmostreamError } from '../../../errors.ts';
import type { GroupRange, NetworkParameters, OnnxLstmParameters, ParameterGroup } from './types.ts';

/** Offsets of one LSTM layer inside the flat vector. */
export interface LayerSlots {
  readonly inputSize: number;
  readonly hidden: number;
  readonly W: number;
  readonly R: number;
  readonly bias: number;
  readonly P: number;
  readonly end: number;
}

/** Offsets of the whole network. */
export interface ParameterLayout {
  readonly layers: readonly LayerSlots[];
  readonly outW: number;
  readonly outB: number;
  readonly outputSize: number;
  readonly total: number;
  readonly groups: readonly GroupRange[];
}

/** Lays out parameters for inputSize → hidden[0] → … → outputSize. */
export function createLayout(inputSize: number, hidden: readonly number[], outputSize: number): ParameterLayout {
  const layers: LayerSlots[] = [];
  const groups: GroupRange[] = [];
  let at = 0;
  let inSize = inputSize;
  hidden.forEach((H, l) => {
    const W = at;
    const R = W + 4 * H * inSize;
    const bias = R + 4 * H * H;
    const P = bias + 4 * H;
    const end = P + 3 * H;
    layers.push({ inputSize: inSize, hidden: H, W, R, bias, P, end });
    groups.push({ name: `layer${l + 1}` as ParameterGroup, offset: W, length: end - W });
    at = end;
    inSize = H;
  });
  const outW = at;
  const outB = outW + outputSize * inSize;
  const total = outB + outputSize;
  groups.push({ name: 'output', offset: outW, length: total - outW });
  return { layers, outW, outB, outputSize, total, groups };
}

type Numbers = { [i: number]: number; readonly length: number };

/** Copies one layer out of the flat vector `src` (starting at `base`) into ONNX arrays. */
export function readLayer(src: Numbers, base: number, s: LayerSlots): OnnxLstmParameters {
  const H = s.hidden;
  const W = new Float32Array(4 * H * s.inputSize);
  const R = new Float32Array(4 * H * H);
  const B = new Float32Array(8 * H);
  const P = new Float32Array(3 * H);
  for (let i = 0; i < W.length; i++) W[i] = src[base + s.W + i];
  for (let i = 0; i < R.length; i++) R[i] = src[base + s.R + i];
  for (let i = 0; i < 4 * H; i++) B[i] = src[base + s.bias + i];
  for (let i = 0; i < P.length; i++) P[i] = src[base + s.P + i];
  return { W, R, B, P };
}

/** Writes ONNX arrays of one layer into the flat vector (bias = Wb + Rb), after checking shapes. */
export function writeLayer(dst: Numbers, base: number, s: LayerSlots, p: OnnxLstmParameters, index: number): void {
  const H = s.hidden;
  expectLength(`layers[${index}].W`, p.W, 4 * H * s.inputSize);
  expectLength(`layers[${index}].R`, p.R, 4 * H * H);
  expectLength(`layers[${index}].B`, p.B, 8 * H);
  expectLength(`layers[${index}].P`, p.P, 3 * H);
  for (let i = 0; i < p.W.length; i++) dst[base + s.W + i] = p.W[i];
  for (let i = 0; i < p.R.length; i++) dst[base + s.R + i] = p.R[i];
  for (let i = 0; i < 4 * H; i++) dst[base + s.bias + i] = p.B[i] + p.B[4 * H + i];
  for (let i = 0; i < p.P.length; i++) dst[base + s.P + i] = p.P[i];
}

/** Copies the whole network out of the flat vector into ONNX layout. */
export function readParameters(src: Numbers, base: number, lay: ParameterLayout): NetworkParameters {
  const W = new Float32Array(lay.outB - lay.outW);
  const b = new Float32Array(lay.outputSize);
  for (let i = 0; i < W.length; i++) W[i] = src[base + lay.outW + i];
  for (let i = 0; i < b.length; i++) b[i] = src[base + lay.outB + i];
  return { layers: lay.layers.map((s) => readLayer(src, base, s)), output: { W, b } };
}

/** Writes the output layer (W [Out×H_last], b [Out]) into the flat vector. */
export function writeOutput(dst: Numbers, base: number, lay: ParameterLayout, out: NetworkParameters['output']): void {
  expectLength('output.W', out.W, lay.outB - lay.outW);
  expectLength('output.b', out.b, lay.outputSize);
  for (let i = 0; i < out.W.length; i++) dst[base + lay.outW + i] = out.W[i];
  for (let i = 0; i < out.b.length; i++) dst[base + lay.outB + i] = out.b[i];
}

function expectLength(name: string, a: ArrayLike<number>, n: number): void {
  if (!a || a.length !== n) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${name} must have ${n} values, got ${a ? a.length : 'none'}`);
  }
}
