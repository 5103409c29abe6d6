/**
 * Predictions of a fitted regressor on labelled sequences, for scoring: the network inputs (training
 * standardisation + stream normaliser, standardise.ts), one forward pass over the whole sequence from a zero
 * state, outputs de-standardised and clipped to [−1, 1] exactly as the exported model does; gold keeps NaN
 * where a window has no target (the metrics skip those).
 */
import type { LstmNetwork } from './engine/index.ts';
import type { SequencePrediction } from '../eval/index.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { destandardiseRows, networkInputs, type Standardisation } from './standardise.ts';

function column(x: Float32Array, k: number): Float32Array {
  const out = new Float32Array(x.length / 2);
  for (let t = 0; t < out.length; t++) out[t] = x[2 * t + k]!;
  return out;
}

/** Clips every value to [−1, 1] in place, as the exported graph bounds its outputs (src/model lstm-graph.ts). */
function clipUnit(y: Float32Array): Float32Array {
  for (let i = 0; i < y.length; i++) y[i] = Math.min(1, Math.max(-1, y[i]!));
  return y;
}

/** Gold and de-standardised, bounded predicted tracks of each sequence. */
export function predictSequences(net: LstmNetwork, seqs: readonly LabelledSequence[], st: Standardisation): SequencePrediction[] {
  return seqs.map((s) => {
    const y = clipUnit(destandardiseRows(net.predictSequence(networkInputs(s, st), s.T), st.targetMean, st.targetStd));
    return { id: s.id, gold: { arousal: column(s.targets, 0), valence: column(s.targets, 1) }, pred: { arousal: column(y, 0), valence: column(y, 1) } };
  });
}
