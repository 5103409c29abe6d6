/**
 * Fitting the content classifier (the network of src/model/content-classifier.ts): standardised inputs, dense
 * layers with ReLU, softmax output, class-weighted cross-entropy
 *
 *   L = Σₙ w_{yₙ} · (−log p_{yₙ}(xₙ)) / Σₙ w_{yₙ}  +  (λ/2) Σ ‖W‖²      w_c = N / (K · N_c)   (balanced classes)
 *
 * minimised by Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) on shuffled mini-batches; He-normal initial weights from a seeded
 * Gaussian, zero biases. Plain TypeScript (Float64Array): a 260→32→4 network over ~45 000 windows takes about a
 * second per epoch on one core.
 */
import { createGaussian } from '../../audio/augment/index.ts';
import { softmaxInPlace, type ContentLayer } from '../../model/content-classifier.ts';
import { mulberry32 } from '../../random.ts';
import { shuffled } from './split.ts';

/** Options of `fitNetwork`. */
export interface FitOptions {
  /** Hidden layer widths; [] = multinomial logistic regression. */
  readonly hidden: readonly number[];
  /** L2 penalty λ on the weights (not the biases). */
  readonly l2: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
}

/** Defaults of `fitNetwork`. */
export const DEFAULT_FIT_OPTIONS: Readonly<FitOptions> = Object.freeze({ hidden: [32], l2: 1e-4, epochs: 30, batchSize: 128, learningRate: 1e-3, seed: 7 });

/** x to 7 significant digits (what the model file stores; scores are computed with the stored values). */
export const round7 = (x: number): number => Number(x.toPrecision(7));

/** Mean and standard deviation (population; 1 where a column is constant) of the given rows, to 7 digits. */
export function standardisation(x: Float32Array, dims: number, rows: ArrayLike<number>): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  for (let k = 0; k < rows.length; k++) {
    const o = rows[k]! * dims;
    for (let d = 0; d < dims; d++) mean[d]! += x[o + d]!;
  }
  for (let d = 0; d < dims; d++) mean[d]! /= rows.length;
  for (let k = 0; k < rows.length; k++) {
    const o = rows[k]! * dims;
    for (let d = 0; d < dims; d++) sq[d]! += (x[o + d]! - mean[d]!) ** 2;
  }
  const std = sq.map((s) => Math.sqrt(s / rows.length)).map((s) => (s > 1e-9 ? round7(s) : 1));
  return { mean: mean.map(round7), std };
}

/** Standardised copy of all rows. */
export function standardise(x: Float32Array, dims: number, mean: Float64Array, std: Float64Array): Float32Array {
  const z = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) z[i] = (x[i]! - mean[i % dims]!) / std[i % dims]!;
  return z;
}

interface Param { readonly w: Float64Array; readonly b: Float64Array; readonly inputs: number; readonly outputs: number }
interface Moments { readonly mw: Float64Array; readonly vw: Float64Array; readonly mb: Float64Array; readonly vb: Float64Array }

function initLayers(sizes: readonly number[], seed: number): Param[] {
  const gauss = createGaussian(seed);
  return sizes.slice(1).map((outputs, k) => {
    const inputs = sizes[k]!;
    const scale = Math.sqrt(2 / inputs);
    return { inputs, outputs, w: Float64Array.from({ length: inputs * outputs }, () => gauss() * scale), b: new Float64Array(outputs) };
  });
}

/** Layer outputs for a batch (activations[0] = input), ReLU on hidden layers, softmax on the last. */
function forward(layers: readonly Param[], input: Float64Array, batch: number): Float64Array[] {
  const acts = [input];
  layers.forEach((L, l) => {
    const x = acts[l]!;
    const y = new Float64Array(batch * L.outputs);
    for (let n = 0; n < batch; n++) {
      const xo = n * L.inputs, yo = n * L.outputs;
      for (let o = 0; o < L.outputs; o++) {
        let s = L.b[o]!;
        const wo = o * L.inputs;
        for (let i = 0; i < L.inputs; i++) s += L.w[wo + i]! * x[xo + i]!;
        y[yo + o] = s;
      }
      if (l < layers.length - 1) for (let o = 0; o < L.outputs; o++) y[yo + o] = Math.max(0, y[yo + o]!);
      else softmaxInPlace(y.subarray(yo, yo + L.outputs));
    }
    acts.push(y);
  });
  return acts;
}

/** Gradients of the batch loss; `delta` starts as ∂L/∂(output logits). */
function backward(layers: readonly Param[], acts: readonly Float64Array[], delta: Float64Array, batch: number): { gw: Float64Array; gb: Float64Array }[] {
  const grads = layers.map((L) => ({ gw: new Float64Array(L.w.length), gb: new Float64Array(L.outputs) }));
  for (let l = layers.length - 1; l >= 0; l--) {
    const L = layers[l]!, x = acts[l]!, g = grads[l]!;
    const prev = l > 0 ? new Float64Array(batch * L.inputs) : undefined;
    for (let n = 0; n < batch; n++) {
      const xo = n * L.inputs, d0 = n * L.outputs;
      for (let o = 0; o < L.outputs; o++) {
        const d = delta[d0 + o]!;
        if (d === 0) continue;
        g.gb[o]! += d;
        const wo = o * L.inputs;
        for (let i = 0; i < L.inputs; i++) {
          g.gw[wo + i]! += d * x[xo + i]!;
          if (prev) prev[xo + i]! += d * L.w[wo + i]!;
        }
      }
      if (prev) for (let i = 0; i < L.inputs; i++) if (x[xo + i]! <= 0) prev[xo + i] = 0; // ReLU'
    }
    if (prev) delta = prev;
  }
  return grads;
}

function adam(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, lr: number, t: number): void {
  const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t;
  for (let i = 0; i < p.length; i++) {
    m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
    v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
    p[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
  }
}

/** Balanced class weights N / (K · N_c) over `rows` (0 for an absent class). */
export function classWeights(labels: Uint8Array, rows: ArrayLike<number>, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (let k = 0; k < rows.length; k++) counts[labels[rows[k]!]!]!++;
  return counts.map((c) => (c > 0 ? rows.length / (classes * c) : 0));
}

/** Trains the network on standardised rows `z[rows]` with labels in [0, classes); returns its layers. */
export function fitNetwork(z: Float32Array, dims: number, labels: Uint8Array, rows: ArrayLike<number>, classes: number, options: Partial<FitOptions> = {}): ContentLayer[] {
  const o = { ...DEFAULT_FIT_OPTIONS, ...options };
  const layers = initLayers([dims, ...o.hidden, classes], o.seed);
  const moments: Moments[] = layers.map((L) => ({ mw: new Float64Array(L.w.length), vw: new Float64Array(L.w.length), mb: new Float64Array(L.outputs), vb: new Float64Array(L.outputs) }));
  const weights = classWeights(labels, rows, classes);
  const order = Array.from(rows);
  const u = mulberry32(o.seed ^ 0x5bd1e995);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const perm = shuffled(order, Math.floor(u() * 2 ** 31));
    for (let at = 0; at < perm.length; at += o.batchSize) {
      const idx = perm.slice(at, at + o.batchSize);
      const B = idx.length;
      const input = new Float64Array(B * dims);
      idx.forEach((r, n) => { for (let d = 0; d < dims; d++) input[n * dims + d] = z[r * dims + d]!; });
      const acts = forward(layers, input, B);
      const p = acts[acts.length - 1]!;
      let wsum = 0;
      for (const r of idx) wsum += weights[labels[r]!]!;
      const delta = new Float64Array(B * classes);
      idx.forEach((r, n) => {
        const w = weights[labels[r]!]! / wsum;
        for (let c = 0; c < classes; c++) delta[n * classes + c] = w * (p[n * classes + c]! - (c === labels[r] ? 1 : 0));
      });
      const grads = backward(layers, acts, delta, B);
      step++;
      layers.forEach((L, l) => {
        const g = grads[l]!;
        for (let i = 0; i < L.w.length; i++) g.gw[i]! += o.l2 * L.w[i]!;
        adam(L.w, g.gw, moments[l]!.mw, moments[l]!.vw, o.learningRate, step);
        adam(L.b, g.gb, moments[l]!.mb, moments[l]!.vb, o.learningRate, step);
      });
    }
  }
  return layers.map((L) => ({ inputs: L.inputs, outputs: L.outputs, weights: Array.from(L.w, round7), bias: Array.from(L.b, round7) }));
}

/** Most probable class of each of `rows` of standardised `z`. */
export function predictClasses(layers: readonly ContentLayer[], z: Float32Array, dims: number, rows: ArrayLike<number>): Uint8Array {
  const params: Param[] = layers.map((L) => ({ inputs: L.inputs, outputs: L.outputs, w: Float64Array.from(L.weights), b: Float64Array.from(L.bias) }));
  const out = new Uint8Array(rows.length);
  const chunk = 1024;
  for (let at = 0; at < rows.length; at += chunk) {
    const B = Math.min(chunk, rows.length - at);
    const input = new Float64Array(B * dims);
    for (let n = 0; n < B; n++) for (let d = 0; d < dims; d++) input[n * dims + d] = z[rows[at + n]! * dims + d]!;
    const p = forward(params, input, B).at(-1)!;
    const K = params.at(-1)!.outputs;
    for (let n = 0; n < B; n++) {
      let best = 0;
      for (let c = 1; c < K; c++) if (p[n * K + c]! > p[n * K + best]!) best = c;
      out[at + n] = best;
    }
  }
  return out;
}
