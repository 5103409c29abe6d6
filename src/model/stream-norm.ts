/**
 * Stream normalisation: each stream's standardised features are re-centred (and re-scaled) online by running
 * statistics from the stream's own start, seeded with the training statistics, so a new speaker, microphone, room
 * or recording level is centred as it goes. Part of the model contract (lstm-graph.ts computes it in the ONNX graph;
 * the trainer calls `normaliseSequence`, the same float32 arithmetic, on every training and test sequence).
 *
 * On the training-standardised features z = (x − featureMean) / featureStd, per feature, at step t = 1, 2, …:
 *   n_t = min(n_{t−1} + 1, maxWeight),  n_0 = priorWeight            (weight of the statistics, in windows = seconds)
 *   α = 1 / n_t;  δ = z − m_{t−1};  m_t = m_{t−1} + α·δ;  v_t = (1 − α)·(v_{t−1} + α·δ²),   m_0 = 0, v_0 = 1
 *   ẑ = (z − m_t) / √(v_t + ε)            ('mean-var');   ẑ = z − m_t   ('mean');   ẑ = z   ('none')
 * With maxWeight = ∞ these are the exact mean and population variance of the prior's `priorWeight` pseudo-windows
 * (mean 0, variance 1: the training set) plus the stream's windows so far (Welford / West 1979 update); a finite
 * maxWeight turns them into exponentially weighted statistics after warm-up, so a long call follows a new speaker.
 *
 * State is stored as offsets from the prior (m, v − 1, n − priorWeight), so the all-zero state of a new or reset
 * stream is the prior: exactly how the LSTM state starts. Every operation is rounded to float32 (Math.fround) in
 * the order the graph's nodes apply them, so this code and onnxruntime agree to the bit or within rounding.
 */
import { EmostreamError } from '../errors.ts';

/** Which statistics a stream normaliser adapts: none (plain training standardisation), the mean, or mean and variance. */
export type StreamNormKind = 'none' | 'mean' | 'mean-var';

/** Stream-normaliser constants (stored in the model's metadata and graph). */
export interface StreamNormConfig {
  readonly kind: StreamNormKind;
  /** Weight of the training statistics at the stream's start, in windows (seconds); > 0. Default 30. */
  readonly priorWeight: number;
  /** Largest weight the running statistics reach (≥ priorWeight; Infinity = cumulative). Default 300. */
  readonly maxWeight: number;
  /** Added to the variance before the square root (standardised units²; > 0). Default 0.01. */
  readonly epsilon: number;
}

/** Default stream normaliser (the choice is measured in docs/results.md). */
export const DEFAULT_STREAM_NORM: Readonly<StreamNormConfig> = Object.freeze({ kind: 'mean-var', priorWeight: 30, maxWeight: 300, epsilon: 0.01 });

/** No stream normalisation: the training standardisation alone (format-1 models). */
export const NO_STREAM_NORM: Readonly<StreamNormConfig> = Object.freeze({ kind: 'none', priorWeight: 1, maxWeight: Infinity, epsilon: 0.01 });

const KINDS: readonly StreamNormKind[] = ['none', 'mean', 'mean-var'];

/** Validates a stream-normaliser config (throws `code`, default EMO_ERR_BAD_CONFIG, naming the field). */
export function validateStreamNorm(c: StreamNormConfig, code: 'EMO_ERR_BAD_CONFIG' | 'EMO_ERR_MODEL' = 'EMO_ERR_BAD_CONFIG'): StreamNormConfig {
  const fail = (m: string) => new EmostreamError(code, `stream normalisation: ${m}`);
  if (!c || typeof c !== 'object') throw fail('must be an object');
  if (!KINDS.includes(c.kind)) throw fail(`kind must be one of ${KINDS.join('|')}, got ${String(c.kind)}`);
  if (!(typeof c.priorWeight === 'number' && c.priorWeight > 0 && Number.isFinite(c.priorWeight))) throw fail(`priorWeight must be a finite number > 0, got ${c.priorWeight}`);
  if (!(typeof c.maxWeight === 'number' && c.maxWeight >= c.priorWeight)) throw fail(`maxWeight must be ≥ priorWeight (${c.priorWeight}), got ${c.maxWeight}`);
  if (!(typeof c.epsilon === 'number' && c.epsilon > 0 && Number.isFinite(c.epsilon))) throw fail(`epsilon must be a finite number > 0, got ${c.epsilon}`);
  return Object.freeze({ kind: c.kind, priorWeight: c.priorWeight, maxWeight: c.maxWeight, epsilon: c.epsilon });
}

/** JSON form of a config (Infinity written as null). */
export function streamNormToJson(c: StreamNormConfig): string {
  return JSON.stringify({ ...c, maxWeight: Number.isFinite(c.maxWeight) ? c.maxWeight : null });
}

/** Parses `streamNormToJson` output (EMO_ERR_MODEL when malformed). */
export function streamNormFromJson(text: string): StreamNormConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new EmostreamError('EMO_ERR_MODEL', 'stream normalisation metadata is not valid JSON');
  }
  const r = raw as Record<string, unknown>;
  return validateStreamNorm({ ...(r as object), maxWeight: r?.maxWeight === null ? Infinity : r?.maxWeight } as StreamNormConfig, 'EMO_ERR_MODEL');
}

/** One stream's normaliser state (offsets from the prior; all zero at the start): mean, variance − 1, weight − prior. */
export interface StreamNormState {
  readonly mean: Float32Array;
  readonly variance: Float32Array;
  /** One value (the weight is shared by all features). */
  readonly count: Float32Array;
}

const f = Math.fround;

/**
 * One step in place: standardised features `z` [n] → `out` [n] (may alias `z`), updating `state`
 * (see the module header; float32 operation by operation).
 */
export function streamNormStep(c: StreamNormConfig, z: ArrayLike<number>, state: StreamNormState, out: Float32Array): void {
  const n = out.length;
  if (c.kind === 'none') {
    for (let k = 0; k < n; k++) out[k] = z[k];
    return;
  }
  const weight = Math.min(f(f(state.count[0] + f(c.priorWeight)) + 1), f(c.maxWeight));
  const alpha = f(1 / weight);
  const keep = f(1 - alpha);
  const eps = f(c.epsilon);
  state.count[0] = f(weight - f(c.priorWeight));
  for (let k = 0; k < n; k++) {
    const zk = z[k];
    const mPrev = state.mean[k];
    const delta = f(zk - mPrev);
    const m = f(mPrev + f(alpha * delta));
    state.mean[k] = m;
    const centred = f(zk - m);
    if (c.kind === 'mean') {
      out[k] = centred;
      continue;
    }
    const vPrev = f(state.variance[k] + 1);
    const v = f(keep * f(vPrev + f(alpha * f(delta * delta))));
    state.variance[k] = f(v - 1);
    out[k] = f(centred / f(Math.sqrt(f(v + eps))));
  }
}

/** A zero (prior) state for `n` features. */
export function newStreamNormState(n: number): StreamNormState {
  return { mean: new Float32Array(n), variance: new Float32Array(n), count: new Float32Array(1) };
}

/**
 * Training standardisation then stream normalisation of a whole sequence from its start (row-major T × n):
 * exactly what the model graph computes step by step for a stream of these windows. Returns a new array.
 */
export function normaliseSequence(
  features: Float32Array, T: number, featureMean: Float32Array, featureStd: Float32Array, c: StreamNormConfig,
): Float32Array {
  const n = featureMean.length;
  if (features.length !== T * n) throw new EmostreamError('EMO_ERR_INTERNAL', `normaliseSequence: ${features.length} values for ${T} × ${n}`);
  const out = new Float32Array(T * n);
  const state = newStreamNormState(n);
  const z = new Float32Array(n);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < n; k++) z[k] = f(f(features[t * n + k] - featureMean[k]) / featureStd[k]);
    streamNormStep(c, z, state, out.subarray(t * n, (t + 1) * n));
  }
  return out;
}
