/**
 * The experiment plan (`emostream experiment <plan.json> [--quick]`): corpora per domain, conditions, fold sizes,
 * hyper-parameter grids in the paper's search order, trials and best-K, DAE settings and the output folder.
 * `quick` holds overrides applied by `--quick`. Format and examples: docs/trainer.md.
 */
import { CONDITIONS, type Condition } from './results.ts';
import { asObject, configFail, corpusSource, int, list, num, oneOf, onlyKeys } from './config-check.ts';
import type { CorpusSource } from '../data/sequences.ts';
import { parseAugmentationConfig, type AugmentationConfig } from '../data/augment-config.ts';
import { NO_STREAM_NORM, validateStreamNorm, type StreamNormConfig } from '../../model/stream-norm.ts';
import type { LossKind } from '../fit/engine/index.ts';

/**
 * How a domain's in-domain condition is split: 'corpus' = leave one corpus (manifest) out; `{ chunks: k }` = k folds
 * of consecutive sorted groups. In both, every `validationEvery`-th remaining group validates (early stopping) and the
 * rest trains. Without a scheme, the paper's nested leave-`testGroupsPerFold`-out (validation: the next chunk).
 */
export type FoldScheme = 'corpus' | { readonly chunks: number };

/** A fixed channel applied to a domain's outside corpora (a second scoring of the same audio). */
export interface ChannelTest {
  readonly name: string;
  /** 'telephone': 300–3400 Hz, 8 kHz, G.711 μ-law; a number: that gain in dB (hard clip at ±1). */
  readonly channel: 'telephone' | number;
}

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
  /** Fold schemes of the in-domain conditions. Default: the paper's scheme for both domains. */
  readonly folds: { readonly music?: FoldScheme; readonly speech?: FoldScheme };
  /** With a fold scheme: every n-th remaining group (sorted) is a validation group. Default 8. */
  readonly validationEvery: number;
  /** Stream normaliser of every condition and model (src/model/stream-norm.ts). Default none. */
  readonly streamNorm: StreamNormConfig;
  /** Training loss by training domain. Default 'ccc' (the paper's per-sequence 1 − CCC). */
  readonly loss: { readonly music: LossKind; readonly speech: LossKind };
  /** Training pieces are cut to at most this many seconds. Default Infinity (whole sequences). */
  readonly chunkSeconds: number;
  /** L2 weight decay by training domain (not in the paper; a documented regulariser). Default 0. */
  readonly weightDecay: { readonly music: number; readonly speech: number };
  /** Cross-domain conditions with a fold scheme: this many validation rotations (folds). Default validationEvery. */
  readonly crossDomainFolds: number;
  /** Outside corpora scored once more through each channel (telephone, gains). Default none. */
  readonly channelTests: readonly ChannelTest[];
  /** Warm-up seconds skipped when comparing a channel's arousal with the clean audio's. Default 10. */
  readonly warmUpS: number;
  /** Speech: score each leave-one-corpus-out fold on its left-out corpus's single-emotion streams. Default false. */
  readonly singleEmotion: boolean;
  /** Stream normalisers compared by a ridge study on the in-domain folds (docs/results.md). Default none. */
  readonly normStudy: readonly StreamNormConfig[];
  readonly out: string;
}

const W = 'plan';
const KEYS = ['title', 'description', 'music', 'speech', 'conditions', 'testGroupsPerFold', 'maxFolds', 'grids', 'start', 'searchTrials', 'trials', 'bestK', 'batchSize', 'maxEpochs', 'patience', 'seed', 'workers', 'dae', 'out', 'quick', 'outside', 'finalModels', 'augmentation',
  'folds', 'validationEvery', 'streamNorm', 'loss', 'chunkSeconds', 'channelTests', 'warmUpS', 'singleEmotion', 'normStudy', 'weightDecay', 'crossDomainFolds'];

function byDomain(v: unknown, path: string, max: number): { music: number; speech: number } {
  if (v === undefined || typeof v === 'number') {
    const x = num(W, path, v, 0, max, 0);
    return { music: x, speech: x };
  }
  const o = asObject(W, path, v);
  onlyKeys(W, path, o, ['music', 'speech']);
  return { music: num(W, `${path}.music`, o['music'], 0, max, 0), speech: num(W, `${path}.speech`, o['speech'], 0, max, 0) };
}

function foldScheme(v: unknown, path: string): FoldScheme | undefined {
  if (v === undefined) return undefined;
  if (v === 'corpus') return 'corpus';
  const o = asObject(W, path, v);
  onlyKeys(W, path, o, ['chunks']);
  return { chunks: int(W, `${path}.chunks`, o['chunks'], 2, 1000) };
}

function streamNorm(v: unknown, path: string): StreamNormConfig {
  if (v === undefined) return NO_STREAM_NORM;
  const o = asObject(W, path, v);
  onlyKeys(W, path, o, ['kind', 'priorWeight', 'maxWeight', 'epsilon']);
  try {
    return validateStreamNorm({ ...NO_STREAM_NORM, ...o, maxWeight: o['maxWeight'] === null ? Infinity : (o['maxWeight'] ?? NO_STREAM_NORM.maxWeight) } as StreamNormConfig);
  } catch (err) {
    return configFail(W, path, (err as Error).message);
  }
}

const LOSSES = ['ccc', 'ccc-batch', 'mse'] as const;

function lossOf(v: unknown): { music: LossKind; speech: LossKind } {
  if (v === undefined || typeof v === 'string') {
    const l = oneOf(W, 'loss', v, LOSSES, 'ccc');
    return { music: l, speech: l };
  }
  const o = asObject(W, 'loss', v);
  onlyKeys(W, 'loss', o, ['music', 'speech']);
  return { music: oneOf(W, 'loss.music', o['music'], LOSSES, 'ccc'), speech: oneOf(W, 'loss.speech', o['speech'], LOSSES, 'ccc') };
}

function channelTest(v: unknown, path: string): ChannelTest {
  const o = asObject(W, path, v);
  onlyKeys(W, path, o, ['name', 'channel']);
  if (typeof o['name'] !== 'string' || !o['name']) configFail(W, `${path}.name`, 'must be a non-empty string');
  const channel = o['channel'] === 'telephone' ? 'telephone' : num(W, `${path}.channel`, o['channel'], -60, 40);
  return { name: o['name'] as string, channel };
}

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
    folds: (() => {
      const f = o['folds'] === undefined ? {} : asObject(W, 'folds', o['folds']);
      onlyKeys(W, 'folds', f, ['music', 'speech']);
      return { music: foldScheme(f['music'], 'folds.music'), speech: foldScheme(f['speech'], 'folds.speech') };
    })(),
    validationEvery: int(W, 'validationEvery', o['validationEvery'], 2, 1000, 8),
    streamNorm: streamNorm(o['streamNorm'], 'streamNorm'),
    loss: lossOf(o['loss']),
    chunkSeconds: o['chunkSeconds'] === undefined ? Infinity : int(W, 'chunkSeconds', o['chunkSeconds'], 10, 1e6),
    weightDecay: byDomain(o['weightDecay'], 'weightDecay', 1),
    crossDomainFolds: int(W, 'crossDomainFolds', o['crossDomainFolds'], 1, 1000, int(W, 'validationEvery', o['validationEvery'], 2, 1000, 8)),
    channelTests: o['channelTests'] === undefined ? [] : list(W, 'channelTests', o['channelTests'], channelTest),
    warmUpS: int(W, 'warmUpS', o['warmUpS'], 0, 3600, 10),
    singleEmotion: o['singleEmotion'] === undefined ? false : o['singleEmotion'] === true ? true : o['singleEmotion'] === false ? false : configFail(W, 'singleEmotion', 'must be true or false'),
    normStudy: o['normStudy'] === undefined ? [] : list(W, 'normStudy', o['normStudy'], (x, p) => streamNorm(x, p)),
    out: o['out'] as string,
  };
}
