/**
 * The ensemble head of the emostream graph (K ≥ 2 members, each a full Coutinho & Schuller network):
 *   mean = (Σ_k av_k) / K;   variance = (Σ_k (av_k − mean)²) / K           (per output, population variance)
 *   av = Clip(mean, −1, 1);  av_sd = √(varianceFloor + spreadScale · variance)
 * The calibration (spreadScale, varianceFloor) is fitted on held-out predictions by the trainer, so that
 * av ± z·av_sd covers the target with the nominal probability of a normal distribution (docs/results.md).
 */
import { EmostreamError } from '../errors.ts';
import { GRAPH_IO, SHARED_INITIALIZERS, memberNames } from './graph-names.ts';
import type { OnnxNode, OnnxTensor } from './onnx-ir.ts';
import type { UncertaintyCalibration } from './types.ts';

const ini = SHARED_INITIALIZERS;
const node = (opType: string, name: string, inputs: string[], outputs: string[]): OnnxNode => ({ opType, name, inputs, outputs, attributes: [] });

/** Nodes from the members' outputs (`memberNames(k).av`) to `av` and `av_sd`. */
export function ensembleNodes(members: number): OnnxNode[] {
  const outs = Array.from({ length: members }, (_, k) => memberNames(k).av);
  return [
    node('Sum', 'ensemble_sum', outs, ['av_sum']),
    node('Div', 'ensemble_mean', ['av_sum', ini.memberCount], ['av_mean']),
    ...outs.flatMap((o, k) => [
      node('Sub', `ensemble_deviation_${k}`, [o, 'av_mean'], [`av_deviation_${k}`]),
      node('Mul', `ensemble_square_${k}`, [`av_deviation_${k}`, `av_deviation_${k}`], [`av_square_${k}`]),
    ]),
    node('Sum', 'ensemble_square_sum', outs.map((_, k) => `av_square_${k}`), ['av_square_sum']),
    node('Div', 'ensemble_variance', ['av_square_sum', ini.memberCount], ['av_variance']),
    node('Mul', 'uncertainty_scale', ['av_variance', ini.spreadScale], ['av_variance_scaled']),
    node('Add', 'uncertainty_floor', ['av_variance_scaled', ini.varianceFloor], ['av_predictive_variance']),
    node('Sqrt', 'uncertainty_sd', ['av_predictive_variance'], [GRAPH_IO.avSd]),
    node('Clip', 'bound_outputs', ['av_mean', ini.avMin, ini.avMax], [GRAPH_IO.av]),
  ];
}

/** Validates a calibration (throws `code`). */
export function validateCalibration(c: UncertaintyCalibration | undefined, code: 'EMO_ERR_BAD_CONFIG' | 'EMO_ERR_MODEL'): UncertaintyCalibration {
  const ok = (a: unknown, min: number) => a instanceof Float32Array && a.length === 2 && a.every((v) => Number.isFinite(v) && v >= min);
  if (!c || !ok(c.spreadScale, 0) || !ok(c.varianceFloor, 0) || !(c.varianceFloor[0]! > 0 && c.varianceFloor[1]! > 0)) {
    throw new EmostreamError(code, 'model weights: an ensemble needs uncertainty { spreadScale [2] ≥ 0, varianceFloor [2] > 0 }');
  }
  return c;
}

/** The head's constant initialisers. */
export function ensembleInitializers(members: number, c: UncertaintyCalibration): OnnxTensor[] {
  return [
    { name: ini.memberCount, dims: [1], data: Float32Array.of(members) },
    { name: ini.spreadScale, dims: [2], data: c.spreadScale },
    { name: ini.varianceFloor, dims: [2], data: c.varianceFloor },
  ];
}
