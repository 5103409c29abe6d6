/**
 * Held-out evidence of one condition, beyond the Table-6 row: per-sequence CCC with a t-based 95 % confidence
 * interval (over test sequences, each averaged over the reported trials), the same for the ridge baseline, a paired
 * t-test of the model against ridge, and the outside test (a corpus never trained on, e.g. PMEmo for music,
 * EmoDB for speech): every fold model of the reported trials predicts it, scores are averaged over fold × sequence
 * (as for the cross-domain conditions) and pooled, next to the mean and ridge baselines fitted on the same folds.
 */
import {
  evaluateSequences, meanConfidenceInterval, pairedTTest, runBaseline,
  type Evaluation, type Fold, type MeanCI, type SequencePrediction,
} from '../eval/index.ts';
import type { Condition, ConditionResult, ScorePair } from './results.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import type { TrialConfig, TrialResult } from './trial.ts';

/** Mean, pooled and per-sequence-CCC interval of one predictor on one test set. */
export interface HeldOutScores {
  readonly mean: ScorePair;
  readonly pooled: ScorePair;
  /** 95 % CI of the per-sequence arousal / valence CCC (null with fewer than 2 sequences). */
  readonly cccCi: { readonly arousal: MeanCI | null; readonly valence: MeanCI | null };
}

/** Everything the results page and the model cards need about one condition. */
export interface ConditionDetail {
  readonly condition: Condition;
  readonly config: TrialConfig;
  readonly folds: number;
  readonly testSequences: number;
  readonly model: HeldOutScores;
  readonly baselines: { readonly mean: HeldOutScores; readonly ridge: HeldOutScores };
  /** Paired t-test of per-sequence CCC, model − ridge. */
  readonly vsRidge: { readonly arousal: { t: number; p: number } | null; readonly valence: { t: number; p: number } | null };
  /** Outside test (absent without outside corpora of the test domain). */
  readonly outside?: { readonly corpora: string; readonly sequences: number; readonly model: HeldOutScores; readonly baselines: { readonly mean: HeldOutScores; readonly ridge: HeldOutScores } };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const col = (x: Float32Array, k: number) => x.filter((_, i) => i % 2 === k);
const gold = (s: LabelledSequence) => ({ arousal: col(s.targets, 0), valence: col(s.targets, 1) });
const pair = (e: Evaluation['mean']): ScorePair => ({
  arousal: { rmse: e.arousal.rmse, r: e.arousal.r, ccc: e.arousal.ccc }, valence: { rmse: e.valence.rmse, r: e.valence.r, ccc: e.valence.ccc },
});
const avgPairs = (ps: readonly ScorePair[]): ScorePair => {
  const f = (k: 'arousal' | 'valence', m: 'rmse' | 'r' | 'ccc') => mean(ps.map((p) => p[k][m]));
  return { arousal: { rmse: f('arousal', 'rmse'), r: f('arousal', 'r'), ccc: f('arousal', 'ccc') }, valence: { rmse: f('valence', 'rmse'), r: f('valence', 'r'), ccc: f('valence', 'ccc') } };
};
const ci = (xs: readonly number[]): MeanCI | null => (xs.length >= 2 && xs.every(Number.isFinite) ? meanConfidenceInterval(xs) : null);

/** Per-sequence CCC averaged over repeated predictions of the same sequence (ids `<id>@<fold>` merge). */
function perSequenceCcc(evals: readonly Evaluation[]): Map<string, { arousal: number; valence: number }> {
  const acc = new Map<string, { a: number[]; v: number[] }>();
  for (const e of evals) for (const p of e.perSequence) {
    const id = p.id.replace(/@\d+$/, '');
    const x = acc.get(id) ?? { a: [], v: [] };
    x.a.push(p.arousal.ccc);
    x.v.push(p.valence.ccc);
    acc.set(id, x);
  }
  return new Map([...acc].map(([id, x]) => [id, { arousal: mean(x.a), valence: mean(x.v) }]));
}

/** Scores of a list of evaluations (one per reported trial), averaged; CI over sequences. */
export function summarise(evals: readonly Evaluation[]): HeldOutScores {
  const per = [...perSequenceCcc(evals).values()];
  return {
    mean: avgPairs(evals.map((e) => pair(e.mean))), pooled: avgPairs(evals.map((e) => pair(e.pooled))),
    cccCi: { arousal: ci(per.map((p) => p.arousal)), valence: ci(per.map((p) => p.valence)) },
  };
}

/** Mean and ridge baselines fitted on each fold's train ∪ validation, scored on `folds[k].test`. */
export function baselineEvaluations(all: readonly LabelledSequence[], folds: readonly Fold[]): { mean: Evaluation; ridge: Evaluation } {
  const base = all.map((s) => ({ id: s.id, group: s.group, features: s.features, count: s.T, arousal: col(s.targets, 0), valence: col(s.targets, 1) }));
  const run = (kind: 'mean' | 'ridge') => evaluateSequences(runBaseline(kind, base, folds).flatMap((f, k) => f.predictions.map((p) => ({ ...p, id: `${p.id}@${k}` }))));
  return { mean: run('mean'), ridge: run('ridge') };
}

/** Paired t-test on the sequences both maps hold (null with < 2 or a degenerate test). */
function tTest(a: Map<string, { arousal: number; valence: number }>, b: Map<string, { arousal: number; valence: number }>, k: 'arousal' | 'valence'): { t: number; p: number } | null {
  const ids = [...a.keys()].filter((id) => b.has(id));
  if (ids.length < 2) return null;
  const r = pairedTTest(ids.map((id) => a.get(id)![k]), ids.map((id) => b.get(id)![k]));
  return Number.isFinite(r.p) ? { t: r.t, p: r.p } : null;
}

/** Inputs of `heldOutScores`. */
export interface HeldOutInput {
  readonly condition: Condition;
  readonly config: TrialConfig;
  /** Plan data followed by the outside corpora (the pool's dataset). */
  readonly all: readonly LabelledSequence[];
  readonly folds: readonly Fold[];
  /** Indices into `all` of the outside test sequences of this condition's test domain (predicted after `fold.test`). */
  readonly extraTest: readonly number[];
  /** Fold results of each reported (best-K) trial. */
  readonly top: readonly (readonly TrialResult[])[];
  readonly result: ConditionResult;
  readonly perSequence: Map<string, { arousal: number; valence: number }>;
  readonly baselines: { readonly mean: Evaluation; readonly ridge: Evaluation };
}

/** The condition's held-out evidence (see the module header). */
export function heldOutScores(x: HeldOutInput): ConditionDetail {
  const inDomain = x.top.map((rs) => evaluateSequences(x.folds.flatMap((f, k): SequencePrediction[] =>
    f.test.map((i, j) => ({ id: `${x.all[i]!.id}@${k}`, gold: gold(x.all[i]!), pred: rs[k]!.predictions[j]! })))));
  const ridgePer = perSequenceCcc([x.baselines.ridge]);
  const detail: ConditionDetail = {
    condition: x.condition, config: x.config, folds: x.folds.length, testSequences: x.perSequence.size,
    model: summarise(inDomain),
    baselines: { mean: summarise([x.baselines.mean]), ridge: summarise([x.baselines.ridge]) },
    vsRidge: { arousal: tTest(x.perSequence, ridgePer, 'arousal'), valence: tTest(x.perSequence, ridgePer, 'valence') },
  };
  if (x.extraTest.length === 0) return detail;
  const outside = x.top.map((rs) => evaluateSequences(x.folds.flatMap((f, k): SequencePrediction[] =>
    x.extraTest.map((i, j) => ({ id: `${x.all[i]!.id}@${k}`, gold: gold(x.all[i]!), pred: rs[k]!.predictions[f.test.length + j]! })))));
  const ob = baselineEvaluations(x.all, x.folds.map((f) => ({ ...f, test: [...x.extraTest] })));
  const corpora = [...new Set(x.extraTest.map((i) => x.all[i]!.id.split('-')[0]))].join('+');
  return { ...detail, outside: { corpora, sequences: x.extraTest.length, model: summarise(outside), baselines: { mean: summarise([ob.mean]), ridge: summarise([ob.ridge]) } } };
}
