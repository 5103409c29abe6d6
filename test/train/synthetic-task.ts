/**
 * A synthetic sequence-regression task with a known answer, for the trainer's tests: inputs are smooth random
 * walks in `dims` columns; arousal is an exponentially smoothed, one-step-lagged copy of column 0 and valence of
 * (column 1 − column 2) / 2, so an LSTM can learn both exactly while a constant (mean) predictor scores CCC 0.
 */
import { createRng } from '../../src/train/fit/engine/index.ts';
import type { LabelledSequence } from '../../src/train/data/sequences.ts';

/** `count` labelled sequences of length T with `dims` features (seeded). */
export function syntheticSequences(count: number, T: number, dims: number, seed: number, domain: 'music' | 'speech' = 'speech'): LabelledSequence[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, k) => {
    const features = new Float32Array(T * dims);
    const state = new Float64Array(dims);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < dims; d++) {
        state[d] = 0.8 * state[d]! + 0.6 * rng.gaussian();
        features[t * dims + d] = state[d]! + 0.1 * rng.gaussian();
      }
    }
    const targets = new Float32Array(T * 2);
    let a = 0, v = 0;
    for (let t = 0; t < T; t++) {
      const p = Math.max(0, t - 1);
      a = 0.6 * a + 0.4 * Math.tanh(0.5 * features[p * dims]!);
      v = 0.6 * v + 0.4 * Math.tanh(0.25 * (features[p * dims + 1]! - features[p * dims + 2]!));
      targets[2 * t] = a;
      targets[2 * t + 1] = v;
    }
    return { id: `syn-${seed}-${k}`, group: `g${k}`, domain, features, targets, T };
  });
}
