/**
 * The stream-normaliser study (issue 9 §2): ridge regression on the network inputs of each candidate normaliser,
 * on the in-domain folds of each domain the plan trains (leave one corpus out for speech, artist chunks for
 * music), scored like the LSTM (per-sequence and pooled arousal/valence r and CCC, ranking, clip AUC) and, for
 * speech, on the single-emotion streams of each left-out corpus (the mean margin high − low arousal: how much of
 * an emotion held from a stream's first second survives). Ridge is fast and sees exactly what the network sees,
 * so the study measures the inputs, not a training run; the chosen normaliser is then checked with the LSTM.
 */
import { streamNormToJson, type StreamNormConfig } from '../../model/stream-norm.ts';
import { baselinePredictions } from './fold-predictions.ts';
import { conditionGeneralisation, type SetComparison, type SingleEmotionResult } from './generalisation.ts';
import type { PlanData } from './plan-data.ts';
import type { Plan } from './plan.ts';
import { conditionFolds } from './protocol-setup.ts';
import { isClipLabelled } from './set-scores.ts';

/** One normaliser's ridge results on one domain. */
export interface NormStudyRow {
  readonly domain: 'music' | 'speech';
  readonly streamNorm: StreamNormConfig;
  /** `streamNormToJson` text, for tables. */
  readonly label: string;
  readonly overall: SetComparison['ridge'];
  readonly perCorpus: readonly { readonly corpus: string; readonly ridge: SetComparison['ridge'] }[];
  readonly singleEmotion: readonly SingleEmotionResult[];
}

/** Runs the study (see the module header). */
export function runNormStudy(plan: Plan, sets: PlanData, log: (s: string) => void): NormStudyRow[] {
  const rows: NormStudyRow[] = [];
  for (const [domain, condition] of [['speech', 'S2S'], ['music', 'M2M']] as const) {
    if (!sets.data.some((s) => s.domain === domain)) continue;
    const folds = conditionFolds(condition, sets.data, { testGroupsPerFold: plan.testGroupsPerFold, maxFolds: plan.maxFolds, schemes: plan.folds, validationEvery: plan.validationEvery, crossDomainFolds: plan.crossDomainFolds });
    const single = (k: number) => {
      if (domain !== 'speech' || plan.folds.speech !== 'corpus') return undefined;
      const s = sets.single.get(sets.all[folds[k]!.test[0]!]?.corpus ?? '');
      return s && { corpus: s.corpus, indices: s.indices };
    };
    for (const norm of plan.normStudy) {
      const base = baselinePredictions(sets.all, folds, norm, (k) => [...folds[k]!.test, ...(single(k)?.indices ?? [])]);
      // Ridge in both roles: the study reads only the ridge side (and the single-emotion ridge column).
      const g = conditionGeneralisation(sets.all, folds, { lstm: base.ridge, lstmVariance: base.ridge, ridge: base.ridge, mean: base.mean }, single);
      const row: NormStudyRow = {
        domain, streamNorm: norm, label: streamNormToJson(norm), overall: g.overall.ridge,
        perCorpus: g.perCorpus.map((c) => ({ corpus: c.name, ridge: c.ridge })), singleEmotion: g.singleEmotion,
      };
      rows.push(row);
      const o = row.overall;
      const score = !isClipLabelled(o) ? `arousal r ${o.arousal.r.toFixed(3)} CCC ${o.arousal.ccc.toFixed(3)}` : `clip arousal AUC ${o.clips.arousalAuc.toFixed(3)} valence AUC ${o.clips.valenceAuc.toFixed(3)} pooled arousal CCC ${o.arousal.pooledCcc.toFixed(3)}`;
      log(`norm study ${domain} ${norm.kind} prior ${norm.priorWeight} max ${norm.maxWeight}: ridge ${score}`);
    }
  }
  return rows;
}
