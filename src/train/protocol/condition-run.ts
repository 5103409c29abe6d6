/**
 * One condition of the protocol (method.md "Training", "Experiments"): the hyper-parameter search in the paper's
 * order (layer-1 size at the start learning rate without noise → layer-2 size → learning rate → noise σ; each
 * candidate scored by its mean best validation loss over folds × `searchTrials` seeds), then `trials` seeds of the
 * chosen configuration on every fold; the `bestK` trials by mean validation loss are reported: their scores averaged
 * (the paper's Table 6 figure) and, for the held-out evidence, their predictions averaged (an ensemble per fold).
 * The reported trials also predict the fold's extra sets (outside corpora of the test domain, channel tests and the
 * fold's single-emotion streams) after its own test sequences.
 */
import { evaluateSequences, type Evaluation, type Fold, type SequencePrediction } from '../eval/index.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import type { OnnxLstmParameters } from '../fit/engine/index.ts';
import type { ProgressReporter } from '../progress.ts';
import type { Plan } from './plan.ts';
import { TEST_DOMAIN, type Condition, type ConditionResult, type ScorePair } from './results.ts';
import type { TrialPool } from './trial-pool.ts';
import type { TrialConfig, TrialJob, TrialResult } from './trial.ts';

/** What one condition's run produced. */
export interface ConditionRun {
  readonly condition: Condition;
  readonly folds: readonly Fold[];
  readonly config: TrialConfig;
  /** The Table-6 row (scores of the reported trials averaged). */
  readonly result: ConditionResult;
  /** Fold results of each reported trial; `predictions` follow `tested(k)`. */
  readonly top: readonly (readonly TrialResult[])[];
  /** Indices predicted by fold k's reported trials: its test sequences, then `extra(k)`. */
  readonly tested: (k: number) => readonly number[];
  /** Seed of the best reported trial. */
  readonly bestSeed: number;
}

/** What `runCondition` needs. */
export interface ConditionContext {
  readonly plan: Plan;
  readonly all: readonly LabelledSequence[];
  readonly pool: TrialPool;
  readonly progress: ProgressReporter;
  /** Frozen DAE layer 1 of `hidden` cells (transfer conditions). */
  readonly daeLayer: (hidden: number) => Promise<OnnxLstmParameters>;
  /** DAE reconstruction note for the report. */
  readonly daeNote: (hidden: number) => string;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const col = (x: Float32Array, k: number) => x.filter((_, i) => i % 2 === k);
const gold = (s: LabelledSequence) => ({ arousal: col(s.targets, 0), valence: col(s.targets, 1) });
const pair = (e: Evaluation['mean']): ScorePair => ({
  arousal: { rmse: e.arousal.rmse, r: e.arousal.r, ccc: e.arousal.ccc }, valence: { rmse: e.valence.rmse, r: e.valence.r, ccc: e.valence.ccc },
});
const avgPairs = (ps: readonly ScorePair[]): ScorePair => {
  const f = (k: 'arousal' | 'valence', m: 'rmse' | 'r' | 'ccc') => mean(ps.map((p) => p[k][m]).filter(Number.isFinite));
  return { arousal: { rmse: f('arousal', 'rmse'), r: f('arousal', 'r'), ccc: f('arousal', 'ccc') }, valence: { rmse: f('valence', 'rmse'), r: f('valence', 'r'), ccc: f('valence', 'ccc') } };
};

/** Runs `condition` on `folds` (see the module header); `extra(k)` are fold k's extra indices into `all`. */
export async function runCondition(ctx: ConditionContext, condition: Condition, folds: readonly Fold[], extra: (k: number) => readonly number[]): Promise<ConditionRun> {
  const { plan, all, pool, progress } = ctx;
  const tl = condition.endsWith('-TL');
  const sourceDomain = condition === 'M2M' || condition.startsWith('M2S') ? 'music' : 'speech';
  let nextId = 0;
  const tested = (k: number) => [...folds[k]!.test, ...extra(k)];
  const jobsFor = async (c: TrialConfig, seeds: readonly number[], keepModel = false): Promise<TrialJob[]> => {
    const layer1 = tl ? await ctx.daeLayer(c.layer1) : undefined;
    return seeds.flatMap((seed) => folds.map((f, k) => ({
      id: nextId++, config: c, seed, train: f.train, validation: f.validation, test: keepModel ? tested(k) : f.test,
      batchSize: plan.batchSize, maxEpochs: plan.maxEpochs, patience: plan.patience, layer1, keepModel,
      streamNorm: plan.streamNorm, loss: plan.loss[sourceDomain], chunkSeconds: plan.chunkSeconds, weightDecay: plan.weightDecay[sourceDomain],
    })));
  };
  const run = async (label: string, jobs: TrialJob[]): Promise<TrialResult[]> => {
    const bar = progress.start(`${condition} ${label}`, jobs.length);
    const r = await pool.runAll(jobs, () => bar.tick());
    bar.done();
    return r;
  };
  // Hyper-parameter search in the paper's order; scores are cached per configuration.
  const scores = new Map<string, number>();
  const searchLog: string[] = [];
  const searchSeeds = Array.from({ length: plan.searchTrials }, (_, i) => plan.seed + 1000 * (i + 1));
  let best: TrialConfig = { layer1: plan.grids.layer1[0]!, layer2: Math.max(...plan.grids.layer2), learningRate: plan.start.learningRate, noiseSigma: plan.start.noiseSigma };
  for (const key of ['layer1', 'layer2', 'learningRate', 'noiseSigma'] as const) {
    const cands = plan.grids[key].map((v) => ({ ...best, [key]: v }));
    if (cands.length === 1) {
      best = cands[0]!;
      continue;
    }
    const todo = cands.filter((c) => !scores.has(JSON.stringify(c)));
    const jobs = (await Promise.all(todo.map((c) => jobsFor(c, searchSeeds)))).flat();
    const res = jobs.length ? await run(`search ${key}`, jobs) : [];
    todo.forEach((c, i) => {
      const mine = res.slice(i * searchSeeds.length * folds.length, (i + 1) * searchSeeds.length * folds.length);
      scores.set(JSON.stringify(c), mean(mine.map((r) => r.bestValidationLoss)));
    });
    best = cands.reduce((a, c) => (scores.get(JSON.stringify(c))! < scores.get(JSON.stringify(a))! ? c : a));
    searchLog.push(`${key}: ${cands.map((c) => `${c[key]} → ${scores.get(JSON.stringify(c))!.toFixed(6)}`).join(', ')}; chose ${best[key]}`);
    progress.log(`${condition} search ${searchLog.at(-1)}`);
  }
  // Final trials with the chosen configuration; best K by mean validation loss.
  const trialSeeds = Array.from({ length: plan.trials }, (_, i) => plan.seed + i + 1);
  const res = await run('trials', await jobsFor(best, trialSeeds, true));
  const trials = trialSeeds.map((seed, t) => {
    const rs = res.slice(t * folds.length, (t + 1) * folds.length);
    const preds: SequencePrediction[] = folds.flatMap((f, k) => f.test.map((i, j) => ({ id: `${all[i]!.id}@${k}`, gold: gold(all[i]!), pred: rs[k]!.predictions[j]! })));
    return { seed, rs, val: mean(rs.map((r) => r.bestValidationLoss)), evaluation: evaluateSequences(preds) };
  });
  const top = [...trials].sort((a, b) => a.val - b.val).slice(0, plan.bestK);
  const bestTrial = top[0]!;
  const plotted = folds.flatMap((f, k) => f.test.map((i, j) => ({ i, k, j }))).slice(0, 4);
  const result: ConditionResult = {
    condition, layer1: best.layer1, layer2: best.layer2, lr: best.learningRate, noiseSigma: best.noiseSigma,
    mean: avgPairs(top.map((t) => pair(t.evaluation.mean))),
    pooled: avgPairs(top.map((t) => pair(t.evaluation.pooled))),
    sequences: plotted.map(({ i, k, j }) => {
      const p = bestTrial.rs[k]!.predictions[j]!;
      return { id: `${all[i]!.id}@fold${k}`, gold: { arousal: Array.from(gold(all[i]!).arousal), valence: Array.from(gold(all[i]!).valence) }, pred: { arousal: Array.from(p.arousal), valence: Array.from(p.valence) } };
    }),
    curves: top.slice(0, 3).map((t) => ({ label: `seed ${t.seed} fold 0`, train: t.rs[0]!.curves.train, validation: t.rs[0]!.curves.validation })),
    notes: `${searchLog.length ? `search (mean best validation loss): ${searchLog.join('; ')}. ` : ''}${folds.length} folds (${folds.map((f) => f.name).join('; ')}) × ${plan.trials} trials, best ${plan.bestK} by validation loss (best mean validation loss ${top.map((t) => t.val.toFixed(3)).join(', ')}); test domain ${TEST_DOMAIN[condition]}${tl ? `; frozen DAE layer 1 (${ctx.daeNote(best.layer1)})` : ''}`,
  };
  return { condition, folds, config: best, result, top: top.map((t) => t.rs), tested, bestSeed: bestTrial.seed };
}
