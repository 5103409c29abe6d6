import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createReferenceForward } from '../../src/model/reference-forward.ts';
import type { LstmLayerWeights, LstmModelWeights } from '../../src/model/types.ts';
import { expectError } from './helpers.ts';

const test = suite('model/reference-forward');

const f = (...xs: number[]) => Float32Array.from(xs);
const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** One input, one cell per layer; gate weights in ONNX order i, o, f, c. */
function tiny(layer1: LstmLayerWeights, layer2: LstmLayerWeights): LstmModelWeights {
  return {
    inputSize: 1, hidden1: 1, hidden2: 1, layer1, layer2,
    Wout: f(2, -1), bout: f(0.5, 0.25),
    featureMean: f(1), featureStd: f(2), targetMean: f(0.1, -0.1), targetStd: f(0.5, 2),
  };
}

test('one cell per layer matches the peephole LSTM equations worked by hand', () => {
  const l1 = { W: f(0.5, 0.25, -0.5, 1), R: f(0.1, 0.2, 0.3, 0.4), B: f(0, 0, 0.5, 0, 0.125, 0, 0, 0), P: f(0.25, -0.5, 0.75) };
  const l2 = { W: f(1, 1, 1, 1), R: f(0, 0, 0, 0), B: new Float32Array(8), P: f(0, 0, 0) };
  const ref = createReferenceForward(tiny(l1, l2));
  const state = ref.newState();
  let h1 = 0, c1 = 0, h2 = 0, c2 = 0;
  for (const raw of [3, -1, 5]) {
    const x = (raw - 1) / 2;
    // layer 1 (ONNX order: W = [i, o, f, c], B = Wb then Rb, P = [i, o, f])
    const i = sig(0.5 * x + 0.1 * h1 + 0.125 + 0.25 * c1);
    const fg = sig(-0.5 * x + 0.3 * h1 + 0.5 + 0.75 * c1);
    c1 = fg * c1 + i * Math.tanh(1 * x + 0.4 * h1);
    const o = sig(0.25 * x + 0.2 * h1 - 0.5 * c1);
    h1 = o * Math.tanh(c1);
    // layer 2: all gates see the same pre-activation h1
    c2 = sig(h1) * c2 + sig(h1) * Math.tanh(h1);
    h2 = sig(h1) * Math.tanh(c2);
    const [a, v] = ref.step([raw], state);
    assert.ok(Math.abs(a - ((2 * h2 + 0.5) * 0.5 + 0.1)) < 1e-6, `arousal ${a}`);
    assert.ok(Math.abs(v - ((-1 * h2 + 0.25) * 2 - 0.1)) < 1e-6, `valence ${v}`);
  }
});

test('zero weights give the de-standardised output bias and leave the state at zero', () => {
  const zero = { W: new Float32Array(4), R: new Float32Array(4), B: new Float32Array(8), P: new Float32Array(3) };
  const ref = createReferenceForward(tiny(zero, zero));
  const state = ref.newState();
  const [a, v] = ref.step([42], state);
  assert.ok(Math.abs(a - (0.5 * 0.5 + 0.1)) < 1e-7 && Math.abs(v - (0.25 * 2 - 0.1)) < 1e-7);
  assert.equal(Array.from(state.c1), [0]);
});

test('a feature vector of the wrong length is refused', async () => {
  const zero = { W: new Float32Array(4), R: new Float32Array(4), B: new Float32Array(8), P: new Float32Array(3) };
  await expectError(() => createReferenceForward(tiny(zero, zero)).step([1, 2], createReferenceForward(tiny(zero, zero)).newState()), 'EMO_ERR_BAD_FEATURES');
});

test.run();
