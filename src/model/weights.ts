/**
 * Shape and value checks of `LstmModelWeights` (layout in types.ts) and the layer sizes they imply.
 */
import { EmostreamError, type EmostreamErrorCode } from '../errors.ts';
import { validateCalibration } from './graph-ensemble.ts';
import type { LayerSizes, LstmLayerWeights, LstmModelWeights } from './types.ts';

/** Expected length of every weight array for the given layer sizes. */
export function weightLengths(sizes: LayerSizes): Readonly<Record<string, number>> {
  const [n, h1, h2] = sizes;
  return {
    'layer1.W': 4 * h1 * n, 'layer1.R': 4 * h1 * h1, 'layer1.B': 8 * h1, 'layer1.P': 3 * h1,
    'layer2.W': 4 * h2 * h1, 'layer2.R': 4 * h2 * h2, 'layer2.B': 8 * h2, 'layer2.P': 3 * h2,
    Wout: 2 * h2, bout: 2, featureMean: n, featureStd: n, targetMean: 2, targetStd: 2,
  };
}

function arraysOf(w: LstmModelWeights): Record<string, Float32Array> {
  const layer = (prefix: string, l: LstmLayerWeights) => ({
    [`${prefix}.W`]: l.W, [`${prefix}.R`]: l.R, [`${prefix}.B`]: l.B, [`${prefix}.P`]: l.P,
  });
  return {
    ...layer('layer1', w.layer1), ...layer('layer2', w.layer2),
    Wout: w.Wout, bout: w.bout, featureMean: w.featureMean, featureStd: w.featureStd,
    targetMean: w.targetMean, targetStd: w.targetStd,
  };
}

/** Layer sizes [In1, H1, H2, 2] of valid weights; throws `code` naming the first bad array (length, NaN/Inf, std ≤ 0). */
export function validateWeights(w: LstmModelWeights, code: EmostreamErrorCode = 'EMO_ERR_BAD_CONFIG'): LayerSizes {
  const fail = (msg: string) => new EmostreamError(code, `model weights: ${msg}`);
  for (const [k, v] of [['inputSize', w.inputSize], ['hidden1', w.hidden1], ['hidden2', w.hidden2]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw fail(`${k} must be a positive integer, got ${v}`);
  }
  const sizes: LayerSizes = [w.inputSize, w.hidden1, w.hidden2, 2];
  const expected = weightLengths(sizes);
  const arrays = arraysOf(w);
  for (const [name, length] of Object.entries(expected)) {
    const a = arrays[name];
    if (!(a instanceof Float32Array)) throw fail(`${name} must be a Float32Array`);
    if (a.length !== length) throw fail(`${name} has ${a.length} values, expected ${length} for sizes [${sizes}]`);
    for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) throw fail(`${name}[${k}] is not finite`);
  }
  for (const name of ['featureStd', 'targetStd']) {
    const a = arrays[name];
    for (let k = 0; k < a.length; k++) if (!(a[k] > 0)) throw fail(`${name}[${k}] = ${a[k]} must be > 0`);
  }
  (w.moreMembers ?? []).forEach((m, i) => {
    const member = arraysOf({ ...w, ...m });
    for (const name of ['layer1.W', 'layer1.R', 'layer1.B', 'layer1.P', 'layer2.W', 'layer2.R', 'layer2.B', 'layer2.P', 'Wout', 'bout']) {
      const a = member[name];
      if (!(a instanceof Float32Array) || a.length !== expected[name]) throw fail(`member ${i + 1} ${name} must be a Float32Array of ${expected[name]} values`);
      for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) throw fail(`member ${i + 1} ${name}[${k}] is not finite`);
    }
  });
  if (w.moreMembers?.length) validateCalibration(w.uncertainty, code === 'EMO_ERR_MODEL' ? 'EMO_ERR_MODEL' : 'EMO_ERR_BAD_CONFIG');
  return sizes;
}
