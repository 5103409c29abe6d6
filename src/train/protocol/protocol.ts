/**
 * The experiment protocol (method.md "Experiments"; issue 9's generalisation tests): the plan's data (plan-data.ts),
 * then per condition the paper's search and trials (condition-run.ts) on its folds (protocol-setup.ts: the paper's
 * nested leave-k-groups-out, or leave one corpus out / chunks of groups), the held-out evidence of each condition
 * from the ensemble of its reported trials against ridge and the mean predictor on the same folds and inputs
 * (generalisation.ts), a ridge study of stream normalisers (norm-study.ts), paired t-tests between conditions of one
 * test domain on per-sequence arousal CCC (Bonferroni ×3), and the final models (final-model.ts). Trials run in a
 * worker pool; the best model of each condition is also written as a run folder (`<out>/runs/<condition>`).
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { bonferroni, evaluateSequences, pairedTTest, type Evaluation, type Fold, type SequencePrediction } from '../eval/index.ts';
import { RUN_FORMAT, writeRunFolder } from '../fit/run-files.ts';
import { loadCorpus, type LabelledSequence } from '../data/sequences.ts';
import { SILENT_PROGRESS, type ProgressReporter } from '../progress.ts';
import { runCondition, type ConditionContext, type ConditionRun } from './condition-run.ts';
import { trainFinalModels, type FinalModel } from './final-model.ts';
import { baselinePredictions, ensemblePredictions, type FoldPredictions } from './fold-predictions.ts';
import { conditionGeneralisation, type ConditionGeneralisation } from './generalisation.ts';
import { runNormStudy, type NormStudyRow } from './norm-study.ts';
import { loadPlanData, type PlanData } from './plan-data.ts';
import type { Plan } from './plan.ts';
import { conditionFolds, trainDae, type DaeLayer } from './protocol-setup.ts';
import { TEST_DOMAIN, type Condition, type ConditionResult, type ExperimentResults, type ScorePair } from './results.ts';
import { createTrialPool, type TrialPool } from './trial-pool.ts';
import type { TrialConfig } from './trial.ts';
import { isClipLabelled } from './set-scores.ts';

/** Options of `runProtocol`. */
export interface ProtocolOptions {
  /** Folder that relative paths of the plan resolve against. Default '.'. */
  readonly baseDir?: string;
  /** Where log lines and progress go. Default SILENT_PROGRESS. */
  readonly progress?: ProgressReporter;
  readonly cacheDir?: string;
}

/** One condition's selection and held-out evidence. */
export interface ConditionOutcome {
  readonly condition: Condition;
  readonly config: TrialConfig;
  readonly folds: readonly string[];
  readonly generalisation: ConditionGeneralisation;
}

/** Summary of one run of the protocol. */
export interface ProtocolOutcome {
  readonly outDir: string;
  readonly results: ExperimentResults;
  readonly conditions: readonly ConditionOutcome[];
  /** Final models (plan.finalModels), written to `<out>/models/<domain>.onnx`. */
  readonly finalModels: readonly FinalModel[];
  readonly normStudy: readonly NormStudyRow[];
  /** Sequences and seconds per corpus of the plan's data (augmented copies counted apart). */
  readonly dataSummary: readonly { readonly corpus: string; readonly domain: string; readonly sequences: number; readonly seconds: number; readonly augmentedSeconds: number }[];
  /** Seconds spent loading the data (feature extraction of what the cache lacks). */
  readonly loadSeconds: number;
  readonly seconds: number;
}

const col = (x: Float32Array, k: number) => x.filter((_, i) => i % 2 === k);
const pair = (e: Evaluation['mean']): ScorePair => ({
  arousal: { rmse: e.arousal.rmse, r: e.arousal.r, ccc: e.arousal.ccc }, valence: { rmse: e.valence.rmse, r: e.valence.r, ccc: e.valence.ccc },
});

/** Scores (Table-6 style) of baseline fold predictions on the folds' test sequences. */
function baselineRow(all: readonly LabelledSequence[], folds: readonly { test: readonly number[] }[], preds: readonly FoldPredictions[]): Evaluation {
  return evaluateSequences(folds.flatMap((f, k): SequencePrediction[] => f.test.map((i) => ({
    id: `${all[i]!.id}@${k}`, gold: { arousal: col(all[i]!.targets, 0), valence: col(all[i]!.targets, 1) }, pred: preds[k]!.get(i)!,
  }))));
}

function summariseData(sets: PlanData): ProtocolOutcome['dataSummary'] {
  const by = new Map<string, { corpus: string; domain: string; sequences: number; seconds: number; augmentedSeconds: number }>();
  for (const s of sets.data) {
    const k = `${s.domain}:${s.corpus}`;
    const e = by.get(k) ?? { corpus: s.corpus ?? '?', domain: s.domain, sequences: 0, seconds: 0, augmentedSeconds: 0 };
    if (s.augmentation) e.augmentedSeconds += s.T;
    else { e.sequences++; e.seconds += s.T; }
    by.set(k, e);
  }
  return [...by.values()];
}

/** Where and how the plan's corpora load (for `loadCorpus`). */
interface LoadOptions {
  readonly baseDir: string;
  readonly progress: ProgressReporter;
  readonly cacheDir: string | undefined;
}

/** The DAE layers of the transfer conditions, trained once per width on the plan's data plus `dae.extraPool`. */
function createDaeCache(plan: Plan, data: readonly LabelledSequence[], load: LoadOptions, log: (s: string) => void):
  Pick<ConditionContext, 'daeLayer' | 'daeNote'> {
  const daes = new Map<number, DaeLayer>();
  let extraPool: LabelledSequence[] | undefined;
  const daeFor = async (h: number): Promise<DaeLayer> => {
    if (!daes.has(h)) {
      extraPool ??= (await Promise.all(plan.dae.extraPool.map((s) => loadCorpus(s, load)))).flatMap((c) => [...c.sequences]);
      const poolSeqs = [...data.filter((s) => !s.augmentation), ...extraPool];
      const d = await trainDae(poolSeqs, h, { ...plan.dae, batchSize: plan.batchSize, seed: plan.seed, streamNorm: plan.streamNorm });
      log(`DAE ${h} cells: validation MSE ${d.validationMse.toFixed(5)} after ${d.epochs} epochs`);
      daes.set(h, d);
    }
    return daes.get(h)!;
  };
  return {
    daeLayer: async (h: number) => (await daeFor(h)).layer1,
    daeNote: (h: number) => `validation MSE ${daes.get(h)?.validationMse.toFixed(5)}`,
  };
}

/** Writes the best fold's model of a condition's best reported trial as the run folder `<out>/runs/<condition>`. */
async function writeBestRun(outDir: string, condition: Condition, folds: readonly Fold[], data: readonly LabelledSequence[], run: ConditionRun): Promise<void> {
  const bestFold = run.top[0]!.reduce((a, r, k) => (r.bestValidationLoss < run.top[0]![a]!.bestValidationLoss ? k : a), 0);
  const m = run.top[0]![bestFold]!.model!;
  const trainSeqs = folds[bestFold]!.train.map((i) => data[i]!);
  await writeRunFolder(join(outDir, 'runs', condition), {
    record: {
      format: RUN_FORMAT, inputSize: trainSeqs[0]!.features.length / trainSeqs[0]!.T, hidden: [run.config.layer1, run.config.layer2], domain: TEST_DOMAIN[condition],
      trainingData: `${condition}, fold ${folds[bestFold]!.name}: ${trainSeqs.length} sequences (${trainSeqs.reduce((n, s) => n + s.T, 0)} s)`,
      metrics: { condition, mean: run.result.mean, pooled: run.result.pooled }, config: { ...run.config, seed: run.bestSeed, condition }, createdAt: new Date().toISOString(),
    },
    parameters: m.parameters, standardisation: m.standardisation,
  });
}

type BaselineRow = NonNullable<ExperimentResults['baselines']>[number];

/** What one condition adds to the results. */
interface PlanConditionRun {
  readonly result: ConditionResult;
  readonly outcome: ConditionOutcome;
  readonly baselines: readonly BaselineRow[];
}

/**
 * One condition: search and trials on its folds, the ensemble and baselines on fold tests (plus outside sets and
 * single-emotion streams), its held-out evidence and its best run folder.
 */
async function runPlanCondition(ctx: ConditionContext, sets: PlanData, condition: Condition, baseDir: string, t0: number): Promise<PlanConditionRun> {
  const { plan, all } = ctx;
  const { data } = sets;
  const folds = conditionFolds(condition, data, { testGroupsPerFold: plan.testGroupsPerFold, maxFolds: plan.maxFolds, schemes: plan.folds, validationEvery: plan.validationEvery, crossDomainFolds: plan.crossDomainFolds });
  const domain = TEST_DOMAIN[condition];
  const outsideIdx = sets.outside.filter((s) => s.domain === domain).flatMap((s) => s.indices);
  const single = (k: number) => {
    if (condition !== 'S2S' || plan.folds.speech !== 'corpus') return undefined;
    const s = sets.single.get(all[folds[k]!.test[0]!]?.corpus ?? '');
    return s && { corpus: s.corpus, indices: s.indices };
  };
  const run = await runCondition(ctx, condition, folds, (k) => [...outsideIdx, ...(single(k)?.indices ?? [])]);
  const ens = ensemblePredictions(folds, run.top, run.tested);
  // Baselines on fold tests and single-emotion streams (outside sets are scored by the final models).
  const base = baselinePredictions(all, folds, plan.streamNorm, (k) => [...folds[k]!.test, ...(single(k)?.indices ?? [])]);
  const baselines: BaselineRow[] = [];
  for (const [name, preds] of [['ridge', base.ridge], ['mean', base.mean]] as const) {
    const e = baselineRow(all, folds, preds);
    baselines.push({ name: `${condition} ${name}`, mean: pair(e.mean), pooled: pair(e.pooled) });
  }
  const generalisation = conditionGeneralisation(all, folds, { lstm: ens.mean, lstmVariance: ens.variance, ridge: base.ridge, mean: base.mean }, single);
  const outcome: ConditionOutcome = { condition, config: run.config, folds: folds.map((f) => f.name), generalisation };
  await writeBestRun(resolve(baseDir, plan.out), condition, folds, data, run);
  const o = generalisation.overall;
  const f = (x: number) => x.toFixed(3);
  const scores = !isClipLabelled(o.lstm)
    ? `arousal CCC ${f(run.result.mean.arousal.ccc)} (ensemble ${f(o.lstm.arousal.ccc)}, ridge ${f(o.ridge.arousal.ccc)}) valence CCC ${f(run.result.mean.valence.ccc)}`
    : `clip AUC arousal ${f(o.lstm.clips.arousalAuc)} valence ${f(o.lstm.clips.valenceAuc)} (ridge ${f(o.ridge.clips.arousalAuc)} / ${f(o.ridge.clips.valenceAuc)}), pooled arousal CCC ${f(o.lstm.arousal.pooledCcc)} (ridge ${f(o.ridge.arousal.pooledCcc)})`;
  ctx.progress.log(`${condition}: ${scores} (${((Date.now() - t0) / 1000).toFixed(0)} s so far)`);
  return { result: run.result, outcome, baselines };
}

/** Paired t-tests of per-sequence ensemble arousal CCC between the conditions of each test domain (Bonferroni ×3). */
function significanceOf(outcomes: readonly ConditionOutcome[]): NonNullable<ExperimentResults['significance']>[number][] {
  const significance: NonNullable<ExperimentResults['significance']>[number][] = [];
  for (const domain of ['music', 'speech'] as const) {
    const cs = outcomes.filter((c) => TEST_DOMAIN[c.condition] === domain);
    for (let a = 0; a < cs.length; a++) for (let b = a + 1; b < cs.length; b++) {
      const A = cs[a]!.generalisation.overall.lstm.perSequence, B = cs[b]!.generalisation.overall.lstm.perSequence;
      const ids = [...A.keys()].filter((id) => B.has(id) && Number.isFinite(A.get(id)!.ccc) && Number.isFinite(B.get(id)!.ccc));
      if (ids.length < 2) continue;
      const t = pairedTTest(ids.map((id) => A.get(id)!.ccc), ids.map((id) => B.get(id)!.ccc));
      significance.push({ a: cs[a]!.condition, b: cs[b]!.condition, target: 'arousal CCC (ensemble)', t: t.t, p: t.p, pBonferroni: bonferroni(t.p, 3) });
    }
  }
  return significance;
}

/** Runs the whole plan (see the module header). */
export async function runProtocol(plan: Plan, options: ProtocolOptions = {}): Promise<ProtocolOutcome> {
  const t0 = Date.now();
  const baseDir = options.baseDir ?? '.';
  const progress = options.progress ?? SILENT_PROGRESS;
  const log = (s: string) => progress.log(s);
  const load: LoadOptions = { baseDir, progress, cacheDir: options.cacheDir };
  const sets = await loadPlanData(plan, load);
  const loadSeconds = (Date.now() - t0) / 1000;
  const { data, all } = sets;
  const dataSummary = summariseData(sets);
  log(`data: ${dataSummary.map((d) => `${d.corpus} ${d.sequences} seq. ${d.seconds} s${d.augmentedSeconds ? ` + ${d.augmentedSeconds} s augmented` : ''}`).join('; ')}`);
  if (sets.outside.length) log(`outside tests: ${sets.outside.map((s) => `${s.name} (${s.indices.length})`).join(', ')}`);
  const pool: TrialPool = createTrialPool(all, plan.workers ?? availableParallelism());
  const ctx: ConditionContext = { plan, all, pool, progress, ...createDaeCache(plan, data, load, log) };
  const conditions: ConditionResult[] = [];
  const outcomes: ConditionOutcome[] = [];
  const baselines: BaselineRow[] = [];
  let finalModels: FinalModel[] = [];
  let normStudy: NormStudyRow[] = [];
  try {
    for (const condition of plan.conditions) {
      const run = await runPlanCondition(ctx, sets, condition, baseDir, t0);
      conditions.push(run.result);
      baselines.push(...run.baselines);
      outcomes.push(run.outcome);
    }
    if (plan.normStudy.length) normStudy = runNormStudy(plan, sets, log);
    if (plan.finalModels) {
      const selected = new Map(outcomes.filter((c) => c.condition === 'M2M' || c.condition === 'S2S').map((c) => [c.condition as 'M2M' | 'S2S', { config: c.config, generalisation: c.generalisation }]));
      finalModels = await trainFinalModels({ plan, sets, selected, pool, outDir: resolve(baseDir, plan.out), log });
    }
  } finally {
    await pool.close();
  }
  const significance = significanceOf(outcomes);
  const results: ExperimentResults = {
    title: plan.title, createdAt: new Date().toISOString(),
    description: `${plan.description}\n\nData: ${dataSummary.map((d) => `${d.corpus} (${d.domain}) ${d.sequences} sequences, ${d.seconds} s`).join('; ')}. Grids ${JSON.stringify(plan.grids)}; ${plan.searchTrials} seeds per search candidate, ${plan.trials} trials, best ${plan.bestK}; at most ${plan.maxFolds} folds per condition. Wall time ${((Date.now() - t0) / 1000).toFixed(0)} s.`.trim(),
    conditions, baselines, significance,
  };
  return { outDir: resolve(baseDir, plan.out), results, conditions: outcomes, finalModels, normStudy, dataSummary, loadSeconds, seconds: (Date.now() - t0) / 1000 };
}
