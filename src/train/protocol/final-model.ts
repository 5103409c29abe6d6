/**
 * Final model per domain (what `models/<domain>.onnx` is): the configuration selected by the domain's
 * in-domain condition (M2M → music, S2S → speech) retrained on all of that domain's groups except a hold-out chunk
 * for early stopping (the last `testGroupsPerFold[domain]` groups in sorted order), with `finalModels.trials` seeds;
 * the seed with the lowest hold-out validation loss is kept. Never trained on the outside corpus, which it is
 * scored on once. Exported with the training standardisation and full metadata (src/train/export.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { distinctGroups, evaluateSequences, type Evaluation } from '../eval/index.ts';
import { exportOnnx } from '../fit/export.ts';
import type { ConditionDetail, HeldOutScores } from './held-out.ts';
import { summarise } from './held-out.ts';
import type { Plan } from './plan.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import type { TrialPool } from './trial-pool.ts';
import type { TrialConfig, TrialJob } from './trial.ts';

/** One trained, exported domain model. */
export interface FinalModel {
  readonly domain: 'music' | 'speech';
  /** Condition whose selection it uses (M2M or S2S). */
  readonly condition: 'M2M' | 'S2S';
  readonly config: TrialConfig;
  readonly seed: number;
  readonly trainGroups: readonly string[];
  readonly holdOutGroups: readonly string[];
  readonly trainSeconds: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly holdOutLoss: number;
  /** Scores on the outside corpus (absent without one). */
  readonly outside?: HeldOutScores & { readonly corpora: string; readonly sequences: number };
  /** True when the condition's LSTM beats the mean and ridge baselines on held-out arousal CCC (see `qualifies`). */
  readonly isDefault: boolean;
  readonly onnxPath: string;
  readonly bytes: number;
}

/** Default rule: held-out arousal CCC (mean over test sequences AND pooled) above both baselines'. */
export function qualifies(d: ConditionDetail): boolean {
  const a = (s: { mean: { arousal: { ccc: number } }; pooled: { arousal: { ccc: number } } }) => s;
  const m = a(d.model), bm = a(d.baselines.mean), br = a(d.baselines.ridge);
  return m.mean.arousal.ccc > Math.max(bm.mean.arousal.ccc, br.mean.arousal.ccc) && m.pooled.arousal.ccc > Math.max(bm.pooled.arousal.ccc, br.pooled.arousal.ccc);
}

const round = (x: number) => Number(x.toPrecision(6));

/** Inputs of `trainFinalModels`. */
export interface FinalModelInput {
  readonly plan: Plan;
  /** Plan data followed by the outside corpora (the pool's dataset). */
  readonly all: readonly LabelledSequence[];
  readonly data: readonly LabelledSequence[];
  readonly outsideIdx: { readonly music: readonly number[]; readonly speech: readonly number[] };
  readonly details: readonly ConditionDetail[];
  readonly pool: TrialPool;
  /** Results folder; models go to `<outDir>/models/<domain>.onnx`. */
  readonly outDir: string;
  readonly log: (s: string) => void;
}

/** Trains and exports the final model of every domain whose ID condition was run (see the module header). */
export async function trainFinalModels(x: FinalModelInput): Promise<FinalModel[]> {
  const out: FinalModel[] = [];
  const dir = join(x.outDir, 'models');
  await mkdir(dir, { recursive: true });
  for (const [domain, condition] of [['music', 'M2M'], ['speech', 'S2S']] as const) {
    const d = x.details.find((c) => c.condition === condition);
    if (!d) continue;
    const idx = x.data.map((s, i) => (s.domain === domain ? i : -1)).filter((i) => i >= 0);
    const groups = distinctGroups(idx.map((i) => x.data[i]!.group));
    const k = Math.min(x.plan.testGroupsPerFold[domain], groups.length - 1);
    const holdOut = groups.slice(groups.length - k), trainGroups = groups.slice(0, groups.length - k);
    const train = idx.filter((i) => trainGroups.includes(x.data[i]!.group)), validation = idx.filter((i) => holdOut.includes(x.data[i]!.group));
    const test = [...x.outsideIdx[domain]];
    const seeds = Array.from({ length: x.plan.finalModels!.trials }, (_, i) => x.plan.seed + 500 + i);
    const jobs: TrialJob[] = seeds.map((seed, id) => ({
      id, config: d.config, seed, train, validation, test, batchSize: x.plan.batchSize, maxEpochs: x.plan.maxEpochs, patience: x.plan.patience, keepModel: true,
    }));
    x.log(`final ${domain} model: ${d.config.layer1}/${d.config.layer2}/lr ${d.config.learningRate}/σ ${d.config.noiseSigma}, ${train.length} training and ${validation.length} hold-out sequences, ${seeds.length} seeds`);
    const res = await x.pool.runAll(jobs);
    const bestIdx = res.reduce((b, r, i) => (r.bestValidationLoss < res[b]!.bestValidationLoss ? i : b), 0);
    const best = res[bestIdx]!;
    let outside: FinalModel['outside'];
    if (test.length) {
      const col = (s: LabelledSequence, c: number) => s.targets.filter((_, i) => i % 2 === c);
      const e: Evaluation = evaluateSequences(test.map((i, j) => ({ id: x.all[i]!.id, gold: { arousal: col(x.all[i]!, 0), valence: col(x.all[i]!, 1) }, pred: best.predictions[j]! })));
      outside = { ...summarise([e]), corpora: [...new Set(test.map((i) => x.all[i]!.id.split('-')[0]))].join('+'), sequences: test.length };
    }
    const isDefault = qualifies(d);
    const trainSeconds = train.reduce((n, i) => n + x.data[i]!.T, 0);
    const ci = (c: HeldOutScores['cccCi']['arousal']) => (c ? { mean: round(c.mean), lo: round(c.lo), hi: round(c.hi), level: c.level, n: c.n } : null);
    const metrics = {
      protocol: `${condition}: ${d.folds} folds, held-out test sequences ${d.testSequences}`,
      heldOut: { arousalCcc: ci(d.model.cccCi.arousal), valenceCcc: ci(d.model.cccCi.valence), mean: d.model.mean, pooled: d.model.pooled },
      baselines: { mean: { mean: d.baselines.mean.mean, pooled: d.baselines.mean.pooled }, ridge: { mean: d.baselines.ridge.mean, pooled: d.baselines.ridge.pooled } },
      outside: outside ? { corpora: outside.corpora, mean: outside.mean, pooled: outside.pooled, arousalCcc: ci(outside.cccCi.arousal) } : null,
      default: isDefault,
    };
    const m = best.model!;
    const bytes = exportOnnx(m.parameters, m.standardisation, {
      domain, metrics, modelVersion: new Date().toISOString().slice(0, 10), license: domain === 'speech' ? 'CC BY-NC-SA 4.0 (trained on RAVDESS)' : 'research use (trained on emoMusic / MediaEval 2013-14)',
      trainingData: `${[...new Set(train.map((i) => x.data[i]!.id.split('-')[0]))].join('+')}: ${train.length} sequences (${trainSeconds} s) of groups ${trainGroups.join(', ')}; early stopping on ${holdOut.join(', ')}`,
      extra: {
        'emostream.trainer_config': JSON.stringify({ ...d.config, seed: seeds[bestIdx], condition, batchSize: x.plan.batchSize, maxEpochs: x.plan.maxEpochs, patience: x.plan.patience }),
        'emostream.feature_stats': JSON.stringify({ mean: Array.from(m.standardisation.featureMean, round), std: Array.from(m.standardisation.featureStd, round) }),
        'emostream.target_stats': JSON.stringify({ mean: Array.from(m.standardisation.targetMean, round), std: Array.from(m.standardisation.targetStd, round) }),
      },
    });
    const onnxPath = join(dir, `${domain}.onnx`);
    await writeFile(onnxPath, bytes);
    x.log(`final ${domain} model: seed ${seeds[bestIdx]}, hold-out 1 − CCC ${best.bestValidationLoss.toFixed(4)} at epoch ${best.bestEpoch}; ${onnxPath} (${bytes.length} bytes)${isDefault ? '' : ' — does NOT beat both baselines'}`);
    out.push({
      domain, condition, config: d.config, seed: seeds[bestIdx]!, trainGroups, holdOutGroups: holdOut, trainSeconds, epochs: best.epochs, bestEpoch: best.bestEpoch,
      holdOutLoss: best.bestValidationLoss, outside, isDefault, onnxPath, bytes: bytes.length,
    });
  }
  return out;
}
