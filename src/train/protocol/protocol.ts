/**
 * The paper's protocol (method.md "Training", "Experiments"): for each condition, the hyper-parameter search in
 * the paper's order (layer-1 size at the start learning rate without noise → layer-2 size → learning rate → noise
 * σ; each candidate scored by its mean best validation loss over folds × `searchTrials` seeds), then `trials`
 * seeds of the chosen configuration on every fold; the `bestK` trials by mean validation loss are reported
 * (their test scores averaged). Scores per test sequence (averaged) and pooled over all test seconds; mean and
 * ridge baselines on the same folds; paired t-tests on per-sequence CCC between conditions of one test domain,
 * Bonferroni ×3. Trials run in a worker pool (trial-pool.ts); results go through `writeResultsFolder`, and the
 * best model of each condition is written as a run folder (`<out>/runs/<condition>`) for `emostream export`.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import {
  bonferroni, evaluateSequences, pairedTTest, runBaseline,
  type Evaluation, type Fold, type SequencePrediction,
} from '../eval/index.ts';
import { TEST_DOMAIN, type Condition, type ConditionResult, type ExperimentResults, type ScorePair } from './results.ts';
import type { Plan } from './plan.ts';
import { SILENT_PROGRESS, type ProgressReporter } from '../progress.ts';
import { conditionFolds, trainDae, type DaeLayer } from './protocol-setup.ts';
import { RUN_FORMAT, writeRunFolder } from '../fit/run-files.ts';
import { loadCorpus, type CorpusSource, type LabelledSequence } from '../data/sequences.ts';
import { trainFinalModels, type FinalModel } from './final-model.ts';
import { heldOutScores, type ConditionDetail } from './held-out.ts';
import { createTrialPool, type TrialPool } from './trial-pool.ts';
import type { TrialConfig, TrialJob, TrialResult } from './trial.ts';

/** Options of `runProtocol`. */
export interface ProtocolOptions {
  /** Folder that relative paths of the plan resolve against. Default '.'. */
  readonly baseDir?: string;
  /** Where log lines and progress go. Default SILENT_PROGRESS. */
  readonly progress?: ProgressReporter;
  readonly cacheDir?: string;
}

/** Summary of one run of the protocol. */
export interface ProtocolOutcome {
  readonly outDir: string;
  readonly results: ExperimentResults;
  /** Per condition: selected configuration, per-sequence CCC, baselines, outside-test scores. */
  readonly details: readonly ConditionDetail[];
  /** Final models (plan.finalModels), written to `<out>/models/<domain>.onnx`. */
  readonly finalModels: readonly FinalModel[];
  readonly seconds: number;
}

const col = (x: Float32Array, k: number) => x.filter((_, i) => i % 2 === k);
const gold = (s: LabelledSequence) => ({ arousal: col(s.targets, 0), valence: col(s.targets, 1) });
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pair = (e: Evaluation['mean']): ScorePair => ({
  arousal: { rmse: e.arousal.rmse, r: e.arousal.r, ccc: e.arousal.ccc }, valence: { rmse: e.valence.rmse, r: e.valence.r, ccc: e.valence.ccc },
});
const avgPairs = (ps: readonly ScorePair[]): ScorePair => {
  const f = (k: 'arousal' | 'valence', m: 'rmse' | 'r' | 'ccc') => mean(ps.map((p) => p[k][m]));
  return { arousal: { rmse: f('arousal', 'rmse'), r: f('arousal', 'r'), ccc: f('arousal', 'ccc') }, valence: { rmse: f('valence', 'rmse'), r: f('valence', 'r'), ccc: f('valence', 'ccc') } };
};

/** Predictions of one trial (all folds) as metric inputs; ids carry the fold when a sequence is tested twice. */
function trialPredictions(data: readonly LabelledSequence[], folds: readonly Fold[], results: readonly TrialResult[]): SequencePrediction[] {
  return folds.flatMap((f, k) => f.test.map((i, j) => ({ id: `${data[i]!.id}@${k}`, gold: gold(data[i]!), pred: results[k]!.predictions[j]! })));
}

/** Runs the whole plan (see the module header). */
export async function runProtocol(plan: Plan, options: ProtocolOptions = {}): Promise<ProtocolOutcome> {
  const t0 = Date.now();
  const baseDir = options.baseDir ?? '.';
  const progress = options.progress ?? SILENT_PROGRESS;
  const log = (s: string) => progress.log(s);
  const load = async (srcs: readonly CorpusSource[]) =>
    (await Promise.all(srcs.map((s) => loadCorpus(s, { baseDir, progress, cacheDir: options.cacheDir })))).flatMap((c) => [...c.sequences]);
  // A sequence's domain comes from its manifest; each list keeps the sequences of its own domain.
  const music = (await load(plan.music)).filter((s) => s.domain === 'music');
  const speech = (await load(plan.speech)).filter((s) => s.domain === 'speech');
  if (plan.music.length && !music.length) throw new EmostreamError('EMO_ERR_DATASET', 'plan "music" corpora hold no music-domain sequence');
  if (plan.speech.length && !speech.length) throw new EmostreamError('EMO_ERR_DATASET', 'plan "speech" corpora hold no speech-domain sequence');
  const data: LabelledSequence[] = [...music, ...speech];
  log(`data: ${music.length} music and ${speech.length} speech sequences (${data.reduce((n, s) => n + s.T, 0)} s)`);
  // Outside test corpora follow `data` in the pool's dataset, so fold indices into `data` stay valid.
  const outsideMusic = (await load(plan.outside.music)).filter((s) => s.domain === 'music');
  const outsideSpeech = (await load(plan.outside.speech)).filter((s) => s.domain === 'speech');
  const all: LabelledSequence[] = [...data, ...outsideMusic, ...outsideSpeech];
  const outsideIdx = { music: outsideMusic.map((_, i) => data.length + i), speech: outsideSpeech.map((_, i) => data.length + outsideMusic.length + i) };
  if (all.length > data.length) log(`outside tests: ${outsideMusic.length} music and ${outsideSpeech.length} speech sequences`);
  const pool: TrialPool = createTrialPool(all, plan.workers ?? availableParallelism());
  const daes = new Map<number, DaeLayer>();
  let extraPool: LabelledSequence[] | undefined;
  const daeFor = async (h: number): Promise<DaeLayer> => {
    if (!daes.has(h)) {
      extraPool ??= await load(plan.dae.extraPool);
      const d = await trainDae([...data, ...extraPool], h, { ...plan.dae, batchSize: plan.batchSize, seed: plan.seed });
      log(`DAE ${h} cells: validation MSE ${d.validationMse.toFixed(5)} after ${d.epochs} epochs`);
      daes.set(h, d);
    }
    return daes.get(h)!;
  };
  const conditions: ConditionResult[] = [];
  const perSequenceCcc = new Map<Condition, Map<string, { arousal: number; valence: number }>>();
  const baselines: NonNullable<ExperimentResults['baselines']>[number][] = [];
  const details: ConditionDetail[] = [];
  let finalModels: FinalModel[] = [];
  try {
    for (const condition of plan.conditions) {
      const folds = conditionFolds(condition, data, { testGroupsPerFold: plan.testGroupsPerFold, maxFolds: plan.maxFolds, schemes: plan.folds, validationEvery: plan.validationEvery });
      const tl = condition.endsWith('-TL');
      let nextId = 0;
      const extraTest = outsideIdx[TEST_DOMAIN[condition]];
      const jobsFor = async (c: TrialConfig, seeds: readonly number[], keepModel = false): Promise<TrialJob[]> => {
        const layer1 = tl ? (await daeFor(c.layer1)).layer1 : undefined;
        // Final trials (keepModel) also predict the outside test sequences, after the fold's own test sequences.
        return seeds.flatMap((seed) => folds.map((f) => ({
          id: nextId++, config: c, seed, train: f.train, validation: f.validation, test: keepModel ? [...f.test, ...extraTest] : f.test,
          batchSize: plan.batchSize, maxEpochs: plan.maxEpochs, patience: plan.patience, layer1, keepModel,
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
        const todo = cands.filter((c) => !scores.has(JSON.stringify(c)));
        const jobs = (await Promise.all(todo.map((c) => jobsFor(c, searchSeeds)))).flat();
        const res = jobs.length ? await run(`search ${key}`, jobs) : [];
        todo.forEach((c, i) => {
          const mine = res.slice(i * searchSeeds.length * folds.length, (i + 1) * searchSeeds.length * folds.length);
          scores.set(JSON.stringify(c), mean(mine.map((r) => r.bestValidationLoss)));
        });
        best = cands.reduce((a, c) => (scores.get(JSON.stringify(c))! < scores.get(JSON.stringify(a))! ? c : a));
        searchLog.push(`${key}: ${cands.map((c) => `${c[key]} → ${scores.get(JSON.stringify(c))!.toFixed(6)}`).join(', ')}; chose ${best[key]}`);
        log(`${condition} search ${searchLog.at(-1)}`);
      }
      // Final trials with the chosen configuration; best K by mean validation loss.
      const trialSeeds = Array.from({ length: plan.trials }, (_, i) => plan.seed + i + 1);
      const res = await run('trials', await jobsFor(best, trialSeeds, true));
      const trials = trialSeeds.map((seed, t) => {
        const rs = res.slice(t * folds.length, (t + 1) * folds.length);
        return { seed, rs, val: mean(rs.map((r) => r.bestValidationLoss)), evaluation: evaluateSequences(trialPredictions(data, folds, rs)) };
      });
      const top = [...trials].sort((a, b) => a.val - b.val).slice(0, plan.bestK);
      const perSeq = new Map<string, { arousal: number[]; valence: number[] }>();
      for (const t of top) for (const p of t.evaluation.perSequence) {
        const id = p.id.replace(/@\d+$/, '');
        const e = perSeq.get(id) ?? { arousal: [], valence: [] };
        e.arousal.push(p.arousal.ccc);
        e.valence.push(p.valence.ccc);
        perSeq.set(id, e);
      }
      perSequenceCcc.set(condition, new Map([...perSeq].map(([id, e]) => [id, { arousal: mean(e.arousal), valence: mean(e.valence) }])));
      const bestTrial = top[0]!;
      const plotted = folds.flatMap((f, k) => f.test.map((i, j) => ({ i, k, j }))).slice(0, 4);
      conditions.push({
        condition, layer1: best.layer1, layer2: best.layer2, lr: best.learningRate, noiseSigma: best.noiseSigma,
        mean: avgPairs(top.map((t) => pair(t.evaluation.mean))),
        pooled: avgPairs(top.map((t) => pair(t.evaluation.pooled))),
        sequences: plotted.map(({ i, k, j }) => {
          const p = bestTrial.rs[k]!.predictions[j]!;
          return { id: `${data[i]!.id}@fold${k}`, gold: { arousal: Array.from(gold(data[i]!).arousal), valence: Array.from(gold(data[i]!).valence) }, pred: { arousal: Array.from(p.arousal), valence: Array.from(p.valence) } };
        }),
        curves: top.slice(0, 3).map((t) => ({ label: `seed ${t.seed} fold 0`, train: t.rs[0]!.curves.train, validation: t.rs[0]!.curves.validation })),
        notes: `search (mean best validation 1 − CCC): ${searchLog.join('; ')}. ${folds.length} folds × ${plan.trials} trials, best ${plan.bestK} by validation loss (best mean validation loss ${top.map((t) => t.val.toFixed(3)).join(', ')})${tl ? `; frozen DAE layer 1 (validation MSE ${daes.get(best.layer1)?.validationMse.toFixed(5)})` : ''}`,
      });
      const bestFold = bestTrial.rs.reduce((a, r, k) => (r.bestValidationLoss < bestTrial.rs[a]!.bestValidationLoss ? k : a), 0);
      const m = bestTrial.rs[bestFold]!.model!;
      const trainSeqs = folds[bestFold]!.train.map((i) => data[i]!);
      await writeRunFolder(join(resolve(baseDir, plan.out), 'runs', condition), {
        record: {
          format: RUN_FORMAT, inputSize: trainSeqs[0]!.features.length / trainSeqs[0]!.T, hidden: [best.layer1, best.layer2], domain: TEST_DOMAIN[condition],
          trainingData: `${condition}, fold ${folds[bestFold]!.name}: ${trainSeqs.length} sequences (${trainSeqs.reduce((n, s) => n + s.T, 0)} s) of ${[...new Set(trainSeqs.map((s) => s.domain))].join('+')}`,
          metrics: { condition, mean: conditions.at(-1)!.mean, pooled: conditions.at(-1)!.pooled }, config: { ...best, seed: bestTrial.seed, condition }, createdAt: new Date().toISOString(),
        },
        parameters: m.parameters, standardisation: m.standardisation,
      });
      const base = data.map((s) => ({ id: s.id, group: s.group, features: s.features, count: s.T, arousal: col(s.targets, 0), valence: col(s.targets, 1) }));
      const baseEval = (['mean', 'ridge'] as const).map((kind) => {
        const r = runBaseline(kind, base, folds);
        const e = evaluateSequences(r.flatMap((f, k) => f.predictions.map((p) => ({ ...p, id: `${p.id}@${k}` }))));
        baselines.push({ name: `${condition} ${kind}`, mean: pair(e.mean), pooled: pair(e.pooled) });
        return e;
      });
      details.push(heldOutScores({
        condition, config: best, all, folds, extraTest, top: top.map((t) => t.rs), result: conditions.at(-1)!,
        perSequence: perSequenceCcc.get(condition)!, baselines: { mean: baseEval[0]!, ridge: baseEval[1]! },
      }));
      log(`${condition}: arousal CCC ${conditions.at(-1)!.mean.arousal.ccc.toFixed(3)} valence CCC ${conditions.at(-1)!.mean.valence.ccc.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s so far)`);
    }
    if (plan.finalModels) {
      finalModels = await trainFinalModels({ plan, all, data, outsideIdx, details, pool, outDir: resolve(baseDir, plan.out), log });
    }
  } finally {
    await pool.close();
  }
  const significance: NonNullable<ExperimentResults['significance']>[number][] = [];
  for (const domain of ['music', 'speech'] as const) {
    const cs = plan.conditions.filter((c) => TEST_DOMAIN[c] === domain);
    for (let a = 0; a < cs.length; a++) for (let b = a + 1; b < cs.length; b++) {
      const A = perSequenceCcc.get(cs[a]!)!, B = perSequenceCcc.get(cs[b]!)!;
      const ids = [...A.keys()].filter((id) => B.has(id));
      if (ids.length < 2) continue;
      for (const target of ['arousal', 'valence'] as const) {
        const t = pairedTTest(ids.map((id) => A.get(id)![target]), ids.map((id) => B.get(id)![target]));
        significance.push({ a: cs[a]!, b: cs[b]!, target: `${target} CCC`, t: t.t, p: t.p, pBonferroni: bonferroni(t.p, 3) });
      }
    }
  }
  const results: ExperimentResults = {
    title: plan.title, createdAt: new Date().toISOString(),
    description: `${plan.description}\n\nData: ${music.length} music sequences, ${speech.length} speech sequences. Grids ${JSON.stringify(plan.grids)}; ${plan.searchTrials} seeds per search candidate, ${plan.trials} trials, best ${plan.bestK}; at most ${plan.maxFolds} folds per condition. Wall time ${((Date.now() - t0) / 1000).toFixed(0)} s.`.trim(),
    conditions, baselines, significance,
  };
  const outDir = resolve(baseDir, plan.out);
  return { outDir, results, details, finalModels, seconds: (Date.now() - t0) / 1000 };
}
