/**
 * Plain TypeScript forward pass of the emostream network in float64 (the oracle for the ONNX graph),
 * one time step per call with the state carried by the caller. Equations (ONNX LSTM with peepholes,
 * gate order i, o, f, c; Coutinho & Schuller 2017, method.md):
 *   g = W x + R h₋₁ + Wb + Rb;  i = σ(g_i + p_i c₋₁);  f = σ(g_f + p_f c₋₁);  c = f c₋₁ + i tanh(g_c)
 *   o = σ(g_o + p_o c);  h = o tanh(c);   av = clip((Wout h₂ + bout) ⊙ targetStd + targetMean, −1, 1)
 * The input goes through the training standardisation and the stream normaliser first, computed by
 * stream-norm.ts in float32 exactly as the graph does (format-1 models: no normaliser, no clip).
 */
import { EmostreamError } from '../errors.ts';
import { validateWeights } from './weights.ts';
import { NO_STREAM_NORM, newStreamNormState, streamNormStep, type StreamNormState } from './stream-norm.ts';
import type { LstmLayerWeights, LstmModelWeights } from './types.ts';

/** One stream's recurrent state, float64: h1, c1 `[H1]`, h2, c2 `[H2]`. */
export interface ReferenceState {
  readonly h1: Float64Array;
  readonly c1: Float64Array;
  readonly h2: Float64Array;
  readonly c2: Float64Array;
  /** The stream normaliser's state (offsets from its prior; zero at the start). */
  readonly norm: StreamNormState;
}

/** Options of `createReferenceForward`. */
export interface ReferenceOptions {
  /** Clip outputs to [−1, 1] as format-2 graphs do. Default true. */
  readonly bounded?: boolean;
}

/** A reference network bound to one set of weights, with scratch buffers allocated once. */
export interface ReferenceForward {
  /** A fresh all-zero state. */
  newState(): ReferenceState;
  /** Advances `state` by one step on `features` `[In1]` and returns [arousal, valence]. */
  step(features: ArrayLike<number>, state: ReferenceState): [arousal: number, valence: number];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** One peephole LSTM step (ONNX layout) in place on h, c; `gates` is scratch `[4H]`. */
function lstmStep(l: LstmLayerWeights, x: Float64Array, h: Float64Array, c: Float64Array, gates: Float64Array): void {
  const nh = h.length;
  const nx = x.length;
  for (let r = 0; r < 4 * nh; r++) {
    let s = l.B[r] + l.B[4 * nh + r];
    const wRow = r * nx;
    for (let k = 0; k < nx; k++) s += l.W[wRow + k] * x[k];
    const rRow = r * nh;
    for (let k = 0; k < nh; k++) s += l.R[rRow + k] * h[k];
    gates[r] = s;
  }
  for (let j = 0; j < nh; j++) {
    const cPrev = c[j];
    const i = sigmoid(gates[j] + l.P[j] * cPrev);
    const f = sigmoid(gates[2 * nh + j] + l.P[2 * nh + j] * cPrev);
    const cNew = f * cPrev + i * Math.tanh(gates[3 * nh + j]);
    const o = sigmoid(gates[nh + j] + l.P[nh + j] * cNew);
    c[j] = cNew;
    h[j] = o * Math.tanh(cNew);
  }
}

/** Binds the float64 reference forward pass to `weights` (validated, `EMO_ERR_BAD_CONFIG` if malformed). */
export function createReferenceForward(weights: LstmModelWeights, options: ReferenceOptions = {}): ReferenceForward {
  const [n, h1, h2] = validateWeights(weights);
  const bounded = options.bounded ?? true;
  const streamNorm = weights.streamNorm ?? NO_STREAM_NORM;
  const z = new Float32Array(n);
  const zHat = new Float32Array(n);
  const x = new Float64Array(n);
  const gates1 = new Float64Array(4 * h1);
  const gates2 = new Float64Array(4 * h2);
  const hidden1 = new Float64Array(h1);
  return {
    newState: () => ({
      h1: new Float64Array(h1), c1: new Float64Array(h1), h2: new Float64Array(h2), c2: new Float64Array(h2), norm: newStreamNormState(n),
    }),
    step(features, state) {
      if (features.length !== n) throw new EmostreamError('EMO_ERR_BAD_FEATURES', `expected ${n} features, got ${features.length}`);
      for (let k = 0; k < n; k++) z[k] = Math.fround(Math.fround(features[k] - weights.featureMean[k]) / weights.featureStd[k]);
      streamNormStep(streamNorm, z, state.norm, zHat);
      for (let k = 0; k < n; k++) x[k] = zHat[k];
      lstmStep(weights.layer1, x, state.h1, state.c1, gates1);
      hidden1.set(state.h1);
      lstmStep(weights.layer2, hidden1, state.h2, state.c2, gates2);
      const out: [number, number] = [0, 0];
      for (let t = 0; t < 2; t++) {
        let s = weights.bout[t];
        for (let k = 0; k < h2; k++) s += weights.Wout[t * h2 + k] * state.h2[k];
        const y = s * weights.targetStd[t] + weights.targetMean[t];
        out[t] = bounded ? Math.min(1, Math.max(-1, y)) : y;
      }
      return out;
    },
  };
}
