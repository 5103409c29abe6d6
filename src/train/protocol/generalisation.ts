/**
 * The held-out evidence of issue 9 for one condition, from per-fold predictions (fold-predictions.ts):
 * - per test corpus (leave-one-corpus-out: each corpus is one fold's test set) and over all test sequences:
 *   the LSTM ensemble, ridge and the mean predictor scored by `scoreSet` (per-speaker r / CCC, pooled, ranking,
 *   clip AUC and sign accuracy), with paired t-tests of per-sequence arousal r and CCC, LSTM − ridge;
 * - single-emotion streams of each left-out corpus (when the plan asks), LSTM and ridge;
 * - the calibration samples of the ensemble (between-trial variance and error per held-out second).
 * A sequence tested by several folds (cross-domain conditions) gets the mean of their predictions.
 */
import type { LabelledSequence } from '../data/sequences.ts';
import type { Fold } from '../eval/index.ts';
import type { SpreadSample } from '../eval/calibration.ts';
import type { FoldPredictions } from './fold-predictions.ts';
import { pairedArousalTests, scoreSet, singleEmotionScores, type SetScores, type Tracks } from './set-scores.ts';

/** LSTM vs baselines on one test set. */
export interface SetComparison {
  readonly name: string;
  readonly lstm: SetScores;
  readonly ridge: SetScores;
  readonly mean: SetScores;
  /** Paired t-tests LSTM − ridge over sequences. */
  readonly vsRidge: ReturnType<typeof pairedArousalTests>;
}

/** Single-emotion results of one left-out corpus. */
export interface SingleEmotionResult {
  readonly corpus: string;
  readonly lstm: ReturnType<typeof singleEmotionScores>;
  readonly ridge: ReturnType<typeof singleEmotionScores>;
}

/** One condition's generalisation evidence. */
export interface ConditionGeneralisation {
  readonly overall: SetComparison;
  /** One entry per test corpus (several only when a corpus is each fold's test set). */
  readonly perCorpus: readonly SetComparison[];
  readonly singleEmotion: readonly SingleEmotionResult[];
  /** Between-trial variance and error of each held-out second, per output (not serialised). */
  readonly spread: { readonly arousal: readonly SpreadSample[]; readonly valence: readonly SpreadSample[] };
}

/** The three predictors' fold predictions. */
export interface ConditionPredictions {
  readonly lstm: readonly FoldPredictions[];
  readonly lstmVariance: readonly FoldPredictions[];
  readonly ridge: readonly FoldPredictions[];
  readonly mean: readonly FoldPredictions[];
}

/** Mean over the folds that predicted each index (in `indices`' order). */
export function collect(preds: readonly FoldPredictions[], indices: readonly number[]): Tracks[] {
  return indices.map((i) => {
    const each = preds.map((p) => p.get(i)).filter((p): p is Tracks => p !== undefined);
    if (each.length === 1) return each[0]!;
    const T = each[0]!.arousal.length;
    const avg = (d: 'arousal' | 'valence') => Float32Array.from({ length: T }, (_, t) => each.reduce((a, e) => a + e[d][t]!, 0) / each.length);
    return { arousal: avg('arousal'), valence: avg('valence') };
  });
}

/** LSTM, ridge and mean on the sequences `indices` of `all`. */
export function compareOn(name: string, all: readonly LabelledSequence[], indices: readonly number[], p: ConditionPredictions): SetComparison {
  const seqs = indices.map((i) => all[i]!);
  const lstm = scoreSet(seqs, collect(p.lstm, indices)), ridge = scoreSet(seqs, collect(p.ridge, indices));
  return { name, lstm, ridge, mean: scoreSet(seqs, collect(p.mean, indices)), vsRidge: pairedArousalTests(lstm, ridge) };
}

/** The condition's generalisation evidence (see the module header); `single(k)` = fold k's single-emotion indices. */
export function conditionGeneralisation(
  all: readonly LabelledSequence[], folds: readonly Fold[], p: ConditionPredictions, single: (k: number) => { corpus: string; indices: readonly number[] } | undefined,
): ConditionGeneralisation {
  const tested = [...new Set(folds.flatMap((f) => f.test))];
  const corpora = [...new Set(tested.map((i) => all[i]!.corpus ?? '?'))].sort();
  const perCorpus = corpora.length > 1 ? corpora.map((c) => compareOn(c, all, tested.filter((i) => (all[i]!.corpus ?? '?') === c), p)) : [];
  const singleEmotion: SingleEmotionResult[] = [];
  folds.forEach((_, k) => {
    const s = single(k);
    if (!s || s.indices.length === 0) return;
    const seqs = s.indices.map((i) => all[i]!);
    const pick = (preds: FoldPredictions) => s.indices.map((i) => preds.get(i)!);
    singleEmotion.push({ corpus: s.corpus, lstm: singleEmotionScores(seqs, pick(p.lstm[k]!)), ridge: singleEmotionScores(seqs, pick(p.ridge[k]!)) });
  });
  const spread: { arousal: SpreadSample[]; valence: SpreadSample[] } = { arousal: [], valence: [] };
  folds.forEach((f, k) => {
    for (const i of f.test) {
      const m = p.lstm[k]!.get(i), v = p.lstmVariance[k]!.get(i);
      if (!m || !v) continue;
      const s = all[i]!;
      for (let t = 0; t < s.T; t++) {
        const ga = s.targets[2 * t]!, gv = s.targets[2 * t + 1]!;
        if (Number.isFinite(ga)) spread.arousal.push({ variance: v.arousal[t]!, error: ga - m.arousal[t]! });
        if (Number.isFinite(gv)) spread.valence.push({ variance: v.valence[t]!, error: gv - m.valence[t]! });
      }
    }
  });
  return { overall: compareOn('all test sequences', all, tested, p), perCorpus, singleEmotion, spread };
}
