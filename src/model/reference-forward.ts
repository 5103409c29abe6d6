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
import type { LstmLayerWeights, LstmMemberWeights, LstmModelWeights } from './types.ts';

/** One stream's recurrent state, float64: h1, c1 `[H1]`, h2, c2 `[H2]`. */
export interface ReferenceState {
  readonly h1: Float64Array;
  readonly c1: Float64Array;
  readonly h2: Float64Array;
  readonly c2: Float64Array;
  /** The stream normaliser's state (offsets from its prior; zero at the start). */
  readonly norm: StreamNormState;
  /** LSTM states of ensemble members 1 … K−1. */
  readonly more: readonly { readonly h1: Float64Array; readonly c1: Float64Array; readonly h2: Float64Array; readonly c2: Float64Array }[];
}

/** One member's recurrent state. */
type LstmState = { readonly h1: Float64Array; readonly c1: Float64Array; readonly h2: Float64Array; readonly c2: Float64Array };

/** Options of `createReferenceForward`. */
export interface ReferenceOptions {
  /** Clip outputs to [−1, 1] as format-2 graphs do. Default true. */
  readonly bounded?: boolean;
}

/** A reference network bound to one set of weights, with scratch buffers allocated once. */
export interface ReferenceForward {
  /** A fresh all-zero state. */
  newState(): ReferenceState;
  /** Advances `state` by one step on `features` `[In1]` and returns [arousal, valence] (the ensemble mean). */
  step(features: ArrayLike<number>, state: ReferenceState): [arousal: number, valence: number];
  /** The calibrated SDs [arousal, valence] of the last `step` (ensembles; undefined for one member). */
  lastSd(): [arousalSd: number, valenceSd: number] | undefined;
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
  const members = 1 + (weights.moreMembers?.length ?? 0);
  const lstmState = (): LstmState => ({ h1: new Float64Array(h1), c1: new Float64Array(h1), h2: new Float64Array(h2), c2: new Float64Array(h2) });
  const outs = Array.from({ length: members }, () => [0, 0]);
  let sd: [number, number] | undefined;
  /** One member's de-standardised, unbounded output. */
  const memberStep = (m: LstmMemberWeights, s: LstmState, out: number[]): void => {
    lstmStep(m.layer1, x, s.h1, s.c1, gates1);
    hidden1.set(s.h1);
    lstmStep(m.layer2, hidden1, s.h2, s.c2, gates2);
    for (let t = 0; t < 2; t++) {
      let acc = m.bout[t];
      for (let k = 0; k < h2; k++) acc += m.Wout[t * h2 + k] * s.h2[k];
      out[t] = acc * weights.targetStd[t] + weights.targetMean[t];
    }
  };
  return {
    newState: () => ({ ...lstmState(), norm: newStreamNormState(n), more: Array.from({ length: members - 1 }, lstmState) }),
    lastSd: () => sd,
    step(features, state) {
      if (features.length !== n) throw new EmostreamError('EMO_ERR_BAD_FEATURES', `expected ${n} features, got ${features.length}`);
      for (let k = 0; k < n; k++) z[k] = Math.fround(Math.fround(features[k] - weights.featureMean[k]) / weights.featureStd[k]);
      streamNormStep(streamNorm, z, state.norm, zHat);
      for (let k = 0; k < n; k++) x[k] = zHat[k];
      memberStep(weights, state, outs[0]!);
      for (let k = 1; k < members; k++) memberStep(weights.moreMembers![k - 1]!, state.more[k - 1]!, outs[k]!);
      const out: [number, number] = [0, 0];
      const spread: [number, number] = [0, 0];
      for (let t = 0; t < 2; t++) {
        const mean = outs.reduce((a, o) => a + o[t]!, 0) / members;
        spread[t] = outs.reduce((a, o) => a + (o[t]! - mean) ** 2, 0) / members;
        out[t] = bounded ? Math.min(1, Math.max(-1, mean)) : mean;
      }
      const u = weights.uncertainty;
      sd = members > 1 && u ? [Math.sqrt(u.varianceFloor[0]! + u.spreadScale[0]! * spread[0]), Math.sqrt(u.varianceFloor[1]! + u.spreadScale[1]! * spread[1])] : undefined;
      return out;
    },
  };
}
