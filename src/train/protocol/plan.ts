/**
 * The experiment plan (`emostream experiment <plan.json> [--quick]`): corpora per domain, conditions, fold sizes,
 * hyper-parameter grids in the paper's search order, trials and best-K, DAE settings and the output folder.
 * `quick` holds overrides applied by `--quick`. Format and examples: docs/trainer.md.
 */
import { CONDITIONS, type Condition } from './results.ts';
import { asObject, configFail, corpusSource, int, list, num, onlyKeys } from './config-check.ts';
import type { CorpusSource } from '../data/sequences.ts';
import { parseAugmentationConfig, type AugmentationConfig } from '../data/augment-config.ts';

/** Hyper-parameter grids, searched in this order (method.md): layer1 → layer2 → learningRate → noiseSigma. */
export interface PlanGrids {
  readonly layer1: readonly number[];
  readonly layer2: readonly number[];
  readonly learningRate: readonly number[];
  readonly noiseSigma: readonly number[];
}

/** DAE pre-training settings of the transfer conditions. */
export interface PlanDae {
  /** Engine-scale learning rate of the autoencoder (docs/trainer.md). Default 5. */
  readonly learningRate: number;
  readonly noiseSigma: number;
  readonly maxEpochs: number;
  readonly patience: number;
  /** Extra unlabelled corpora for the pool (besides every plan corpus). Default none. */
  readonly extraPool: readonly CorpusSource[];
}

/** Final (shipped) model per domain: the selected ID configuration retrained on all of the domain's groups. */
export interface PlanFinalModels {
  /** Seeds tried; the one with the lowest hold-out validation loss is kept. Default 3. */
  readonly trials: number;
  /** Where `--write-models` copies models/<domain>.onnx + .md, the results page and its plots (relative to the plan). */
  readonly publish?: { readonly models: string; readonly doc: string; readonly plots: string };
}

/** A validated plan. */
export interface Plan {
  readonly title: string;
  readonly description: string;
  readonly music: readonly CorpusSource[];
  readonly speech: readonly CorpusSource[];
  /** Outside test corpora per test domain (never trained on): scored with the selected configuration's models. Default none. */
  readonly outside: { readonly music: readonly CorpusSource[]; readonly speech: readonly CorpusSource[] };
  /** Train and export one final model per domain with an ID condition (M2M → music, S2S → speech). Default off. */
  readonly finalModels?: PlanFinalModels;
  readonly conditions: readonly Condition[];
  /** Groups per test fold (ID) / per validation chunk (CD). Default 1 each. */
  readonly testGroupsPerFold: { readonly music: number; readonly speech: number };
  /** Use at most this many folds per condition (quick runs). Default Infinity. */
  readonly maxFolds: number;
  readonly grids: PlanGrids;
  /** Starting values before their stage is searched: paper lr 1e-6 (engine scale 0.04), no noise; layer 2 = its largest grid value. */
  readonly start: { readonly learningRate: number; readonly noiseSigma: number };
  /** Seeds per configuration during the search. Default 2. */
  readonly searchTrials: number;
  readonly trials: number;
  readonly bestK: number;
  readonly batchSize: number;
  readonly maxEpochs: number;
  readonly patience: number;
  readonly seed: number;
  /** Worker threads (0 = this thread). Default: one per core. */
  readonly workers?: number;
  readonly dae: PlanDae;
  /** Augmented copies of the training sequences (docs/trainer.md "Augmentation"). Default none. */
  readonly augmentation?: AugmentationConfig;
  readonly out: string;
}

const W = 'plan';
const KEYS = ['title', 'description', 'music', 'speech', 'conditions', 'testGroupsPerFold', 'maxFolds', 'grids', 'start', 'searchTrials', 'trials', 'bestK', 'batchSize', 'maxEpochs', 'patience', 'seed', 'workers', 'dae', 'out', 'quick', 'outside', 'finalModels', 'augmentation'];

/** Validates a plan JSON; with `quick`, its `quick` object's fields replace the top-level ones first. */
export function parsePlan(json: unknown, quick = false): Plan {
  let o = asObject(W, '(root)', json);
  onlyKeys(W, '(root)', o, KEYS);
  if (quick) {
    if (o['quick'] === undefined) configFail(W, 'quick', '--quick needs a "quick" object of overrides in the plan');
    const q = asObject(W, 'quick', o['quick']);
    onlyKeys(W, 'quick', q, KEYS.filter((k) => k !== 'quick'));
    o = { ...o, ...q };
  }
  const sources = (k: string) => (o[k] === undefined ? [] : list(W, k, o[k], (x, p) => corpusSource(W, p, x)));
  const music = sources('music'), speech = sources('speech');
  if (music.length + speech.length === 0) configFail(W, 'music/speech', 'give at least one corpus');
  const available = CONDITIONS.filter((c) => (c === 'M2M' ? music.length : c === 'S2S' ? speech.length : music.length && speech.length));
  const conditions = o['conditions'] === undefined ? available : list(W, 'conditions', o['conditions'], (x, p) => {
    if (!available.includes(x as Condition)) configFail(W, p, `must be one of ${available.join(', ')} (with the given corpora), got ${JSON.stringify(x)}`);
    return x as Condition;
  });
  const g = asObject(W, 'grids', o['grids']);
  onlyKeys(W, 'grids', g, ['layer1', 'layer2', 'learningRate', 'noiseSigma']);
  const ints = (k: string) => list(W, `grids.${k}`, g[k], (x, p) => int(W, p, x, 1, 4096));
  const nums = (k: string, min: number) => list(W, `grids.${k}`, g[k], (x, p) => num(W, p, x, min, 1e3));
  const t = o['testGroupsPerFold'] === undefined ? {} : asObject(W, 'testGroupsPerFold', o['testGroupsPerFold']);
  const s = o['start'] === undefined ? {} : asObject(W, 'start', o['start']);
  const d = o['dae'] === undefined ? {} : asObject(W, 'dae', o['dae']);
  onlyKeys(W, 'dae', d, ['learningRate', 'noiseSigma', 'maxEpochs', 'patience', 'extraPool']);
  const os = o['outside'] === undefined ? {} : asObject(W, 'outside', o['outside']);
  onlyKeys(W, 'outside', os, ['music', 'speech']);
  const outsideOf = (k: string) => (os[k] === undefined ? [] : list(W, `outside.${k}`, os[k], (x, p) => corpusSource(W, p, x)));
  const fm = o['finalModels'] === undefined ? undefined : asObject(W, 'finalModels', o['finalModels']);
  if (fm) onlyKeys(W, 'finalModels', fm, ['trials', 'publish']);
  const pub = fm?.['publish'] === undefined ? undefined : asObject(W, 'finalModels.publish', fm['publish']);
  if (pub) {
    onlyKeys(W, 'finalModels.publish', pub, ['models', 'doc', 'plots']);
    for (const k of ['models', 'doc', 'plots']) if (typeof pub[k] !== 'string' || !pub[k]) configFail(W, `finalModels.publish.${k}`, 'must be a path');
  }
  const trials = int(W, 'trials', o['trials'], 1, 1000, 10);
  if (typeof o['out'] !== 'string' || !o['out']) configFail(W, 'out', 'must be a folder path');
  return {
    title: typeof o['title'] === 'string' ? o['title'] : 'emostream experiment',
    description: typeof o['description'] === 'string' ? o['description'] : '',
    music, speech, conditions,
    outside: { music: outsideOf('music'), speech: outsideOf('speech') },
    finalModels: fm ? {
      trials: int(W, 'finalModels.trials', fm['trials'], 1, 1000, 3),
      publish: pub ? { models: pub['models'] as string, doc: pub['doc'] as string, plots: pub['plots'] as string } : undefined,
    } : undefined,
    testGroupsPerFold: { music: int(W, 'testGroupsPerFold.music', t['music'], 1, 1e6, 1), speech: int(W, 'testGroupsPerFold.speech', t['speech'], 1, 1e6, 1) },
    maxFolds: o['maxFolds'] === undefined ? Infinity : int(W, 'maxFolds', o['maxFolds'], 1),
    grids: { layer1: ints('layer1'), layer2: ints('layer2'), learningRate: nums('learningRate', 1e-12), noiseSigma: nums('noiseSigma', 0) },
    start: { learningRate: num(W, 'start.learningRate', s['learningRate'], 1e-12, 1e3, 0.04), noiseSigma: num(W, 'start.noiseSigma', s['noiseSigma'], 0, 10, 0) },
    searchTrials: int(W, 'searchTrials', o['searchTrials'], 1, 1000, 2),
    trials,
    bestK: int(W, 'bestK', o['bestK'], 1, trials, Math.min(5, trials)),
    batchSize: int(W, 'batchSize', o['batchSize'], 1, 4096, 8),
    maxEpochs: int(W, 'maxEpochs', o['maxEpochs'], 1, 1e6, 500),
    patience: int(W, 'patience', o['patience'], 1, 1e6, 20),
    seed: int(W, 'seed', o['seed'], 0, 2 ** 31 - 1, 2017),
    workers: o['workers'] === undefined ? undefined : int(W, 'workers', o['workers'], 0, 256),
    dae: {
      learningRate: num(W, 'dae.learningRate', d['learningRate'], 1e-12, 1e3, 5),
      noiseSigma: num(W, 'dae.noiseSigma', d['noiseSigma'], 0, 10, 0.1),
      maxEpochs: int(W, 'dae.maxEpochs', d['maxEpochs'], 1, 1e6, 300),
      patience: int(W, 'dae.patience', d['patience'], 1, 1e6, 20),
      extraPool: d['extraPool'] === undefined ? [] : list(W, 'dae.extraPool', d['extraPool'], (x, p) => corpusSource(W, p, x)),
    },
    augmentation: o['augmentation'] === undefined ? undefined : parseAugmentationConfig(o['augmentation'], W, 'augmentation'),
    out: o['out'] as string,
  };
}
