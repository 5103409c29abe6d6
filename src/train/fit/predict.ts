/**
 * Predictions of a fitted regressor on labelled sequences, for scoring: features standardised with the training
 * statistics, one forward pass over the whole sequence from a zero state, outputs de-standardised; gold keeps NaN
 * where a window has no target (the metrics skip those).
 */
import type { LstmNetwork } from './engine/index.ts';
import type { SequencePrediction } from '../eval/index.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { destandardiseRows, standardiseRows, type Standardisation } from './standardise.ts';

function column(x: Float32Array, k: number): Float32Array {
  const out = new Float32Array(x.length / 2);
  for (let t = 0; t < out.length; t++) out[t] = x[2 * t + k]!;
  return out;
}

/** Gold and de-standardised predicted tracks of each sequence. */
export function predictSequences(net: LstmNetwork, seqs: readonly LabelledSequence[], st: Standardisation): SequencePrediction[] {
  return seqs.map((s) => {
    const x = standardiseRows(s.features, st.featureMean, st.featureStd);
    const y = destandardiseRows(net.predictSequence(x, s.T), st.targetMean, st.targetStd);
    return { id: s.id, gold: { arousal: column(s.targets, 0), valence: column(s.targets, 1) }, pred: { arousal: column(y, 0), valence: column(y, 1) } };
  });
}
