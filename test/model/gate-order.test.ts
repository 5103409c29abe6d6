import { NO_STREAM_NORM } from '../../src/model/stream-norm.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fromOnnxGateOrder, permuteBlocks, toOnnxGateOrder } from '../../src/model/gate-order.ts';
import { createReferenceForward } from '../../src/model/reference-forward.ts';
import { createSeededRandom, createTestModelWeights } from '../../src/model/test-model.ts';
import type { NaturalLstmLayerWeights } from '../../src/model/types.ts';
import { featureSequence } from './helpers.ts';

const test = suite('model/gate-order');

function randomArray(random: () => number, n: number, scale = 0.5): Float32Array {
  return Float32Array.from({ length: n }, () => scale * (2 * random() - 1));
}

function naturalLayer(seed: number, inputs: number, h: number): NaturalLstmLayerWeights {
  const r = createSeededRandom(seed);
  return { W: randomArray(r, 4 * h * inputs), R: randomArray(r, 4 * h * h), b: randomArray(r, 4 * h), P: randomArray(r, 3 * h) };
}

/** The paper's equations (method.md) in natural gate order i, f, c, o, written independently of src/. */
function naturalStep(l: NaturalLstmLayerWeights, x: ArrayLike<number>, h: Float64Array, c: Float64Array): void {
  const nh = h.length;
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const pre = (gate: number, j: number) => {
    const row = gate * nh + j;
    let s = l.b[row];
    for (let k = 0; k < x.length; k++) s += l.W[row * x.length + k] * x[k];
    for (let k = 0; k < nh; k++) s += l.R[row * nh + k] * h[k];
    return s;
  };
  const next = Array.from({ length: nh }, (_, j) => {
    const i = sig(pre(0, j) + l.P[j] * c[j]);
    const f = sig(pre(1, j) + l.P[nh + j] * c[j]);
    const cNew = f * c[j] + i * Math.tanh(pre(2, j));
    const o = sig(pre(3, j) + l.P[2 * nh + j] * cNew);
    return [o * Math.tanh(cNew), cNew];
  });
  next.forEach(([hj, cj], j) => { h[j] = hj; c[j] = cj; });
}

test('ONNX-order reference matches the natural-order equations after toOnnxGateOrder', () => {
  const [n, h1, h2] = [12, 5, 3];
  const nat1 = naturalLayer(1, n, h1);
  const nat2 = naturalLayer(2, h1, h2);
  const base = createTestModelWeights(3, [n, h1, h2, 2], NO_STREAM_NORM);
  const weights = { ...base, layer1: toOnnxGateOrder(nat1), layer2: toOnnxGateOrder(nat2) };
  const reference = createReferenceForward(weights);
  const state = reference.newState();
  const h1s = new Float64Array(h1), c1s = new Float64Array(h1), h2s = new Float64Array(h2), c2s = new Float64Array(h2);
  for (const x of featureSequence(4, 20, n)) {
    const [a, v] = reference.step(x, state);
    // The standardisation is float32 arithmetic, as in the graph.
    const xs = Array.from(x, (value, k) => Math.fround(Math.fround(value - base.featureMean[k]) / base.featureStd[k]));
    naturalStep(nat1, xs, h1s, c1s);
    naturalStep(nat2, h1s, h2s, c2s);
    const out = [0, 1].map((t) => {
      let s = base.bout[t];
      for (let k = 0; k < h2; k++) s += base.Wout[t * h2 + k] * h2s[k];
      return s * base.targetStd[t] + base.targetMean[t];
    });
    assert.ok(Math.abs(a - out[0]) < 1e-12 && Math.abs(v - out[1]) < 1e-12, `reference ${[a, v]} vs natural ${out}`);
  }
});

test('fromOnnxGateOrder inverts toOnnxGateOrder and sums Wb + Rb', () => {
  const nat = naturalLayer(5, 7, 4);
  const back = fromOnnxGateOrder(toOnnxGateOrder(nat));
  for (const key of ['W', 'R', 'b', 'P'] as const) assert.equal(Array.from(back[key]), Array.from(nat[key]), key);
  const onnx = toOnnxGateOrder(nat);
  const B = onnx.B.slice();
  B[4 * 4 + 1] = 0.25; // Rb of gate i, cell 1
  assert.ok(Math.abs(fromOnnxGateOrder({ ...onnx, B }).b[1] - (nat.b[1] + 0.25)) < 1e-7);
});

test('toOnnxGateOrder puts the output gate second and the forget peephole last', () => {
  const h = 2;
  const nat: NaturalLstmLayerWeights = {
    W: Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]), // one input; blocks i=1, f=2, c=3, o=4
    R: new Float32Array(4 * h * h),
    b: Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]),
    P: Float32Array.from([1, 1, 2, 2, 3, 3]), // i=1, f=2, o=3
  };
  const onnx = toOnnxGateOrder(nat);
  assert.equal(Array.from(onnx.W), [1, 1, 4, 4, 2, 2, 3, 3]);
  assert.equal(Array.from(onnx.B), [1, 1, 4, 4, 2, 2, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(Array.from(onnx.P), [1, 1, 3, 3, 2, 2]);
});

test('permuteBlocks rejects a length that is not blocks × size', () => {
  assert.throws(() => permuteBlocks(new Float32Array(5), 2, [0, 1]), /2 blocks of 2/);
});

test.run();
