/**
 * The stream-normaliser part of the emostream ONNX graph (format 2; equations in stream-norm.ts), node by node in
 * the order stream-norm.ts rounds them, on the standardised features `z` [1, B, In]:
 *   weight = Min(count_in + prior + 1, max);  α = 1 / weight;  count_out = weight − prior
 *   δ = z − mean_in;  mean_out = mean_in + α·δ;  centred = z − mean_out
 *   'mean-var': v = (1 − α)·((var_in + 1) + α·δ²);  var_out = v − 1;  ẑ = centred / √(v + ε)
 *   'mean':     var_out = var_in;  ẑ = centred
 * State tensors are offsets from the prior (mean 0, variance 1, weight `priorWeight`), so zero state = the prior.
 */
import type { OnnxNode, OnnxTensor } from './onnx-ir.ts';
import type { StreamNormConfig } from './stream-norm.ts';

/** Graph names of the normaliser's state I/O. */
export const NORM_IO = Object.freeze({
  meanIn: 'norm_mean_in', varIn: 'norm_var_in', countIn: 'norm_count_in',
  meanOut: 'norm_mean_out', varOut: 'norm_var_out', countOut: 'norm_count_out',
} as const);

/** Initialiser names of the normaliser's constants (each a [1] float32 tensor). */
export const NORM_INITIALIZERS = Object.freeze({
  one: 'norm_one', prior: 'norm_prior_weight', max: 'norm_max_weight', epsilon: 'norm_epsilon',
} as const);

const node = (opType: string, name: string, inputs: string[], outputs: string[]): OnnxNode => ({ opType, name, inputs, outputs, attributes: [] });

/** Nodes turning `z` into the normalised `zHat` (kind ≠ 'none'). */
export function normaliserNodes(kind: 'mean' | 'mean-var', z: string, zHat: string): OnnxNode[] {
  const io = NORM_IO;
  const c = NORM_INITIALIZERS;
  const common = [
    node('Add', 'norm_weight_prev', [io.countIn, c.prior], ['norm_weight_prev']),
    node('Add', 'norm_weight_next', ['norm_weight_prev', c.one], ['norm_weight_next']),
    node('Min', 'norm_weight', ['norm_weight_next', c.max], ['norm_weight']),
    node('Div', 'norm_alpha', [c.one, 'norm_weight'], ['norm_alpha']),
    node('Sub', 'norm_count', ['norm_weight', c.prior], [io.countOut]),
    node('Sub', 'norm_delta', [z, io.meanIn], ['norm_delta']),
    node('Mul', 'norm_mean_step', ['norm_alpha', 'norm_delta'], ['norm_mean_step']),
    node('Add', 'norm_mean', [io.meanIn, 'norm_mean_step'], [io.meanOut]),
    node('Sub', 'norm_centre', [z, io.meanOut], [kind === 'mean' ? zHat : 'norm_centred']),
  ];
  if (kind === 'mean') return [...common, node('Identity', 'norm_var_pass', [io.varIn], [io.varOut])];
  return [
    ...common,
    node('Sub', 'norm_keep', [c.one, 'norm_alpha'], ['norm_keep']),
    node('Add', 'norm_var_prev', [io.varIn, c.one], ['norm_var_prev']),
    node('Mul', 'norm_delta_sq', ['norm_delta', 'norm_delta'], ['norm_delta_sq']),
    node('Mul', 'norm_var_step', ['norm_alpha', 'norm_delta_sq'], ['norm_var_step']),
    node('Add', 'norm_var_sum', ['norm_var_prev', 'norm_var_step'], ['norm_var_sum']),
    node('Mul', 'norm_var', ['norm_keep', 'norm_var_sum'], ['norm_var']),
    node('Sub', 'norm_var_offset', ['norm_var', c.one], [io.varOut]),
    node('Add', 'norm_var_eps', ['norm_var', c.epsilon], ['norm_var_eps']),
    node('Sqrt', 'norm_sd', ['norm_var_eps'], ['norm_sd']),
    node('Div', 'norm_scale', ['norm_centred', 'norm_sd'], [zHat]),
  ];
}

/** The normaliser's constant initialisers for `c`. */
export function normaliserInitializers(c: StreamNormConfig): OnnxTensor[] {
  const one = (name: string, v: number): OnnxTensor => ({ name, dims: [1], data: Float32Array.of(v) });
  const n = NORM_INITIALIZERS;
  return [one(n.one, 1), one(n.prior, c.priorWeight), one(n.max, c.maxWeight), one(n.epsilon, c.epsilon)];
}
