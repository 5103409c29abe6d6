/**
 * Final model per domain (what `models/<domain>.onnx` is): an ensemble of `finalModels.trials` networks with the
 * configuration selected by the domain's in-domain condition (M2M → music, S2S → speech), each trained on all of
 * the domain's training data but its own validation groups (every n-th group, a different offset per member, for
 * early stopping), with its own seed, all sharing one standardisation and stream normaliser (fitted on all the
 * domain's training data). One graph averages them (src/model graph-ensemble.ts); its uncertainty is calibrated on
 * the in-domain condition's held-out predictions (the spread of its reported trials, eval/calibration.ts).
 * Never trained on an outside corpus: those, clean and through the channel tests, are scored once, beside the
 * mean and ridge baselines fitted on the same training data and inputs, with interval coverage and level change.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { distinctGroups } from '../eval/index.ts';
import { coverage, fitVarianceCalibration, NORMAL_Z, type VarianceCalibration } from '../eval/calibration.ts';
import { exportEnsembleOnnx } from '../fit/export.ts';
import { fitStandardisation } from '../fit/standardise.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { baselinePredictions, ensemblePredictions } from './fold-predictions.ts';
import { collect, compareOn, type ConditionGeneralisation, type SetComparison } from './generalisation.ts';
import type { PlanData } from './plan-data.ts';
import type { Plan } from './plan.ts';
import { isClipLabelled, levelChange } from './set-scores.ts';
import type { TrialPool } from './trial-pool.ts';
import type { TrialConfig, TrialJob } from './trial.ts';

/** One outside test of a final model. */
export interface OutsideResult extends SetComparison {
  readonly channel?: string;
  /** Share of seconds inside the calibrated 50 % / 90 % intervals, per output (null without calibration). */
  readonly coverage: { readonly arousal: { readonly '50': number; readonly '90': number }; readonly valence: { readonly '50': number; readonly '90': number } } | null;
  /** Channel sets: mean |Δ arousal| per second against the clean audio after the warm-up. */
  readonly levelChange?: { readonly lstm: number; readonly ridge: number };
}

/** One trained, exported domain model. */
export interface FinalModel {
  readonly domain: 'music' | 'speech';
  readonly condition: 'M2M' | 'S2S';
  readonly config: TrialConfig;
  readonly seeds: readonly number[];
  readonly trainGroups: number;
  readonly trainSeconds: number;
  readonly memberEpochs: readonly number[];
  readonly calibration: { readonly arousal: VarianceCalibration; readonly valence: VarianceCalibration } | null;
  readonly outside: readonly OutsideResult[];
  /** True when the condition's LSTM beats the mean and ridge baselines on held-out arousal (`qualifies`). */
  readonly isDefault: boolean;
  readonly onnxPath: string;
  readonly bytes: number;
}

/**
 * Default rule: held-out arousal CCC (mean over test sequences AND pooled) above both baselines'. When no held-out
 * sequence holds both high- and low-arousal seconds (clip-labelled data such as music4q: a constant target per clip,
 * so every predictor's per-sequence CCC is 0), the per-sequence CCC cannot decide; the pooled CCC and the clip-level
 * arousal AUC must then beat both baselines'.
 */
export function qualifies(g: ConditionGeneralisation): boolean {
  const o = g.overall;
  const best = (k: 'ccc' | 'pooledCcc') => Math.max(o.ridge.arousal[k], o.mean.arousal[k]);
  const pooled = o.lstm.arousal.pooledCcc > best('pooledCcc');
  if (!isClipLabelled(o.lstm)) return pooled && o.lstm.arousal.ccc > best('ccc');
  const bestAuc = Math.max(o.ridge.clips.arousalAuc, Number.isFinite(o.mean.clips.arousalAuc) ? o.mean.clips.arousalAuc : 0.5);
  return pooled && o.lstm.clips.arousalAuc > bestAuc;
}

/** Inputs of `trainFinalModels`. */
export interface FinalModelInput {
  readonly plan: Plan;
  readonly sets: PlanData;
  /** In-domain condition → its configuration and generalisation evidence. */
  readonly selected: ReadonlyMap<'M2M' | 'S2S', { readonly config: TrialConfig; readonly generalisation: ConditionGeneralisation }>;
  readonly pool: TrialPool;
  /** Results folder; models go to `<outDir>/models/<domain>.onnx`. */
  readonly outDir: string;
  readonly log: (s: string) => void;
}

/**
 * The uncertainty calibration of a `members`-model ensemble, fitted on the held-out spread of `fittedOn` trials.
 * The population variance of K independent members has expectation (K − 1)/K · σ², so the spread scale is carried
 * from K = fittedOn to K = members by that ratio.
 */
function calibrate(g: ConditionGeneralisation, fittedOn: number, members: number): FinalModel['calibration'] {
  const carry = (c: VarianceCalibration): VarianceCalibration =>
    ({ floor: c.floor, scale: fittedOn > 1 ? c.scale * (((fittedOn - 1) / fittedOn) / ((members - 1) / members)) : c.scale });
  try {
    return { arousal: carry(fitVarianceCalibration(g.spread.arousal)), valence: carry(fitVarianceCalibration(g.spread.valence)) };
  } catch {
    return null;
  }
}

/** Trains, scores and exports the final model of every domain whose ID condition was run (see the module header). */
export async function trainFinalModels(x: FinalModelInput): Promise<FinalModel[]> {
  const out: FinalModel[] = [];
  const dir = join(x.outDir, 'models');
  await mkdir(dir, { recursive: true });
  const { data, all } = x.sets;
  for (const [domain, condition] of [['music', 'M2M'], ['speech', 'S2S']] as const) {
    const sel = x.selected.get(condition);
    if (!sel) continue;
    const idx = data.map((s, i) => (s.domain === domain ? i : -1)).filter((i) => i >= 0);
    const groups = distinctGroups(idx.filter((i) => !data[i]!.augmentation).map((i) => data[i]!.group));
    const every = x.plan.validationEvery;
    const members = Math.max(1, x.plan.finalModels!.trials);
    const standardisation = fitStandardisation(idx.map((i) => data[i]!), x.plan.streamNorm);
    const sets = x.sets.outside.filter((s) => s.domain === domain);
    const test = sets.flatMap((s) => s.indices);
    const seeds = Array.from({ length: members }, (_, m) => x.plan.seed + 500 + m);
    const jobs: TrialJob[] = seeds.map((seed, m) => {
      const val = new Set(groups.filter((_, i) => i % every === m % every));
      return {
        id: m, config: sel.config, seed, standardisation, streamNorm: x.plan.streamNorm, loss: x.plan.loss[domain], chunkSeconds: x.plan.chunkSeconds, weightDecay: x.plan.weightDecay[domain],
        train: idx.filter((i) => !val.has(data[i]!.group)), validation: idx.filter((i) => val.has(data[i]!.group) && !data[i]!.augmentation),
        test, batchSize: x.plan.batchSize, maxEpochs: x.plan.maxEpochs, patience: x.plan.patience, keepModel: true,
      };
    });
    x.log(`final ${domain} model: ${members} members ${sel.config.layer1}/${sel.config.layer2}/lr ${sel.config.learningRate}/σ ${sel.config.noiseSigma} on ${idx.length} sequences`);
    const res = await x.pool.runAll(jobs);
    const calibration = members > 1 ? calibrate(sel.generalisation, x.plan.bestK, members) : null;
    const fold = [{ index: 0, name: 'all training data', train: idx, validation: [], test }];
    const ens = ensemblePredictions(fold, res.map((r) => [r]), () => test);
    const base = baselinePredictions(all, fold, x.plan.streamNorm, () => test);
    const preds = { lstm: ens.mean, lstmVariance: ens.variance, ridge: base.ridge, mean: base.mean };
    const outside: OutsideResult[] = sets.map((s) => {
      const c = compareOn(s.name, all, s.indices, preds);
      const cov = (d: 'arousal' | 'valence', cal: VarianceCalibration) => {
        const samples = s.indices.flatMap((i) => {
          const m = ens.mean[0]!.get(i)!, v = ens.variance[0]!.get(i)!, seq = all[i]!;
          return Array.from({ length: seq.T }, (_, t) => ({ variance: v[d][t]!, error: seq.targets[2 * t + (d === 'arousal' ? 0 : 1)]! - m[d][t]! }));
        });
        return { '50': coverage(samples, cal, NORMAL_Z['50']), '90': coverage(samples, cal, NORMAL_Z['90']) };
      };
      const clean = s.channel ? sets.find((t) => !t.channel && t.corpus === s.corpus && t.name === s.name.replace(/ \([^)]*\)$/, '')) : undefined;
      const level = clean && s.channel && /dB/.test(s.channel) ? (() => {
        const sourceIds = s.indices.map((i) => all[i]!.augmentation!.sourceId);
        const cleanIdx = sourceIds.map((id) => clean.indices.find((j) => all[j]!.id === id)!);
        const pair = (p: typeof preds.lstm) => levelChange(collect(p, cleanIdx), collect(p, s.indices), x.plan.warmUpS);
        return { lstm: pair(preds.lstm), ridge: pair(preds.ridge) };
      })() : undefined;
      return { ...c, channel: s.channel, coverage: calibration ? { arousal: cov('arousal', calibration.arousal), valence: cov('valence', calibration.valence) } : null, ...(level ? { levelChange: level } : {}) };
    });
    const isDefault = qualifies(sel.generalisation);
    const trainSeconds = idx.reduce((n, i) => n + data[i]!.T, 0);
    const corpora = [...new Set(idx.map((i) => data[i]!.corpus ?? '?'))].join(', ');
    const o = sel.generalisation.overall;
    const metrics = {
      protocol: `${condition}: ${sel.generalisation.perCorpus.length ? 'leave one corpus out' : 'held-out groups'}, ${o.lstm.sequences} held-out sequences`,
      heldOut: { arousal: o.lstm.arousal, valence: o.lstm.valence, ranking: o.lstm.ranking, clips: o.lstm.clips },
      baselines: { ridge: { arousal: o.ridge.arousal, valence: o.ridge.valence }, mean: { arousal: o.mean.arousal, valence: o.mean.valence } },
      outside: outside.map((r) => ({ name: r.name, arousal: r.lstm.arousal, valence: r.lstm.valence, ranking: r.lstm.ranking })),
      default: isDefault,
    };
    const bytes = exportEnsembleOnnx(res.map((r) => r.model!.parameters), standardisation, calibration && {
      varianceFloor: Float32Array.of(calibration.arousal.floor, calibration.valence.floor),
      spreadScale: Float32Array.of(calibration.arousal.scale, calibration.valence.scale),
    }, {
      domain, metrics, modelVersion: new Date().toISOString().slice(0, 10),
      license: domain === 'speech' ? 'CC BY-NC-SA 4.0 (trained on RAVDESS and nEMO, both CC BY-NC-SA 4.0; ASED, BAVED: research use)' : 'research use (trained on the 4Q audio emotion dataset and emoMusic)',
      trainingData: `${corpora}: ${idx.length} sequences (${trainSeconds} s incl. augmented copies) of ${groups.length} groups; ${members} members, early stopping on every ${every}th group (offset per member)`,
      extra: { 'emostream.trainer_config': JSON.stringify({ ...sel.config, seeds, condition, batchSize: x.plan.batchSize, maxEpochs: x.plan.maxEpochs, patience: x.plan.patience, loss: x.plan.loss[domain], chunkSeconds: x.plan.chunkSeconds }) },
    });
    const onnxPath = join(dir, `${domain}.onnx`);
    await writeFile(onnxPath, bytes);
    x.log(`final ${domain} model: ${onnxPath} (${bytes.length} bytes) ${isDefault ? 'beats' : 'does NOT beat'} both baselines`);
    out.push({
      domain, condition, config: sel.config, seeds, trainGroups: groups.length, trainSeconds, memberEpochs: res.map((r) => r.bestEpoch),
      calibration, outside, isDefault, onnxPath, bytes: bytes.length,
    });
  }
  return out;
}
