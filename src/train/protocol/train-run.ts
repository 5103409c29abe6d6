/**
 * One training configuration (`emostream train <experiment.json>`): load the corpora, split by group into
 * train / validation / test, standardise with the training split, fit the regressor with early stopping on the
 * validation split, score the test split (and any test-only corpora), and write a run folder (run.json +
 * parameters.bin, see run-files.ts) plus `metrics.json`. The JSON format is documented in docs/trainer.md.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import { distinctGroups, evaluateSequences, groupFolds, type Evaluation } from '../eval/index.ts';
import { asObject, configFail, corpusSource, int, list, num, oneOf, onlyKeys } from './config-check.ts';
import type { LossKind, Precision } from '../fit/engine/index.ts';
import { fitRegressor, type EpochReport, type FitResult, type FitState } from '../fit/fit.ts';
import { predictSequences } from '../fit/predict.ts';
import { RUN_FORMAT, writeRunFolder } from '../fit/run-files.ts';
import { loadCorpus, type CorpusSource, type LabelledSequence, type LoadCorpusOptions } from '../data/sequences.ts';
import { fitStandardisation, trainingPieces } from '../fit/standardise.ts';

/** How the training corpora are split (by group). */
export interface SplitConfig {
  /** Groups held out for early stopping. Default: the last group in sorted order (when no `fold`). */
  readonly validationGroups?: readonly string[];
  /** Groups held out for testing. Default none. */
  readonly testGroups?: readonly string[];
  /** Use fold k of the nested leave-one-group-out folds (test group k, validation the next); overrides the lists. */
  readonly fold?: number;
}

/** A single training configuration (docs/trainer.md "experiment.json"). */
export interface TrainConfig {
  /** Training corpora: manifest paths or `{ corpus, dataDir }` (relative to the config file). */
  readonly corpora: readonly CorpusSource[];
  /** Test-only corpora (e.g. the other domain). Default none. */
  readonly testCorpora?: readonly CorpusSource[];
  readonly split?: SplitConfig;
  readonly hidden: readonly [number, number];
  /** Engine-scale learning rate (docs/trainer.md). */
  readonly learningRate: number;
  readonly noiseSigma?: number;
  readonly batchSize?: number;
  readonly maxEpochs?: number;
  readonly patience?: number;
  readonly seed?: number;
  readonly loss?: LossKind;
  readonly precision?: Precision;
  /** Domain written into the model. Default: the most frequent domain of the training sequences. */
  readonly domain?: 'music' | 'speech';
  /** Output folder (relative to the config file). */
  readonly out: string;
}

const WHAT = 'experiment';

/** Validates a parsed experiment JSON (throws EMO_ERR_BAD_CONFIG naming the field). */
export function parseTrainConfig(json: unknown): TrainConfig {
  const o = asObject(WHAT, '(root)', json);
  onlyKeys(WHAT, '(root)', o, ['corpora', 'testCorpora', 'split', 'hidden', 'learningRate', 'noiseSigma', 'batchSize', 'maxEpochs', 'patience', 'seed', 'loss', 'precision', 'domain', 'out', 'description']);
  const hidden = list(WHAT, 'hidden', o['hidden'], (x, p) => int(WHAT, p, x, 1, 4096));
  if (hidden.length !== 2) configFail(WHAT, 'hidden', `must be [layer1, layer2], got ${hidden.length} sizes`);
  let split: SplitConfig | undefined;
  if (o['split'] !== undefined) {
    const s = asObject(WHAT, 'split', o['split']);
    onlyKeys(WHAT, 'split', s, ['validationGroups', 'testGroups', 'fold']);
    const strings = (v: unknown, p: string) => (v === undefined ? undefined : list(WHAT, p, v, (x, q) => (typeof x === 'string' ? x : configFail(WHAT, q, 'must be a string'))));
    split = { validationGroups: strings(s['validationGroups'], 'split.validationGroups'), testGroups: strings(s['testGroups'], 'split.testGroups'), fold: s['fold'] === undefined ? undefined : int(WHAT, 'split.fold', s['fold'], 0) };
  }
  if (typeof o['out'] !== 'string' || o['out'] === '') configFail(WHAT, 'out', 'must be a folder path');
  return {
    corpora: list(WHAT, 'corpora', o['corpora'], (x, p) => corpusSource(WHAT, p, x)),
    testCorpora: o['testCorpora'] === undefined ? undefined : list(WHAT, 'testCorpora', o['testCorpora'], (x, p) => corpusSource(WHAT, p, x)),
    split,
    hidden: [hidden[0]!, hidden[1]!],
    learningRate: num(WHAT, 'learningRate', o['learningRate'], 1e-12, 1e3),
    noiseSigma: num(WHAT, 'noiseSigma', o['noiseSigma'], 0, 10, 0),
    batchSize: int(WHAT, 'batchSize', o['batchSize'], 1, 4096, 8),
    maxEpochs: int(WHAT, 'maxEpochs', o['maxEpochs'], 1, 1e6, 500),
    patience: int(WHAT, 'patience', o['patience'], 1, 1e6, 20),
    seed: int(WHAT, 'seed', o['seed'], -(2 ** 31), 2 ** 31 - 1, 1),
    loss: oneOf(WHAT, 'loss', o['loss'], ['ccc', 'ccc-batch', 'mse'] as const, 'ccc'),
    precision: oneOf(WHAT, 'precision', o['precision'], ['f32-wasm', 'f64'] as const, 'f32-wasm'),
    domain: o['domain'] === undefined ? undefined : oneOf(WHAT, 'domain', o['domain'], ['music', 'speech'] as const),
    out: o['out'] as string,
  };
}

/** Train / validation / test sequences of a split (see `SplitConfig`). */
export function splitSequences(seqs: readonly LabelledSequence[], split: SplitConfig = {}): { train: LabelledSequence[]; validation: LabelledSequence[]; test: LabelledSequence[] } {
  const groups = seqs.map((s) => s.group);
  if (split.fold !== undefined) {
    const folds = groupFolds(groups, { validation: 'next' });
    const f = folds[split.fold];
    if (!f) configFail(WHAT, 'split.fold', `must be < ${folds.length} (the number of groups)`);
    return { train: f.train.map((i) => seqs[i]!), validation: f.validation.map((i) => seqs[i]!), test: f.test.map((i) => seqs[i]!) };
  }
  const all = distinctGroups(groups);
  for (const g of [...(split.validationGroups ?? []), ...(split.testGroups ?? [])]) if (!all.includes(g)) configFail(WHAT, 'split', `unknown group "${g}"`);
  const test = new Set(split.testGroups ?? []);
  const validation = new Set(split.validationGroups ?? all.filter((g) => !test.has(g)).slice(-1));
  const out = { train: [] as LabelledSequence[], validation: [] as LabelledSequence[], test: [] as LabelledSequence[] };
  for (const s of seqs) (test.has(s.group) ? out.test : validation.has(s.group) ? out.validation : out.train).push(s);
  if (out.train.length === 0) throw new EmostreamError('EMO_ERR_DATASET', 'split leaves no training sequence');
  return out;
}

/** Options of `runTraining`. */
export interface RunTrainingOptions extends LoadCorpusOptions {
  /** Folder that relative paths of the config resolve against. Default '.'. */
  readonly baseDir?: string;
  readonly shouldStop?: () => boolean;
  readonly resume?: FitState;
  readonly onEpoch?: (r: EpochReport) => void;
}

/** Result of `runTraining`. */
export interface RunTrainingResult {
  readonly outDir: string;
  readonly fit: FitResult;
  readonly test?: Evaluation;
  readonly testOther?: Evaluation;
}

/** Runs one configuration end to end (see the module header); on interruption nothing but the fit state is returned. */
export async function runTraining(config: TrainConfig, options: RunTrainingOptions = {}): Promise<RunTrainingResult> {
  const baseDir = options.baseDir ?? '.';
  const outDir = resolve(baseDir, config.out);
  const load = async (srcs: readonly CorpusSource[]) => (await Promise.all(srcs.map((s) => loadCorpus(s, { ...options, baseDir })))).flatMap((c) => [...c.sequences]);
  const seqs = await load(config.corpora);
  const { train, validation, test } = splitSequences(seqs, config.split);
  const st = fitStandardisation(train);
  const fit = await fitRegressor(trainingPieces(train, st), trainingPieces(validation, st), {
    hidden: config.hidden, learningRate: config.learningRate, noiseSigma: config.noiseSigma, batchSize: config.batchSize,
    maxEpochs: config.maxEpochs, patience: config.patience, seed: config.seed, loss: config.loss, precision: config.precision,
    shouldStop: options.shouldStop, resume: options.resume, onEpoch: options.onEpoch,
  });
  if (fit.stoppedBy === 'interrupted') return { outDir, fit };
  const testEval = test.length ? evaluateSequences(predictSequences(fit.network, test, st)) : undefined;
  const other = config.testCorpora ? await load(config.testCorpora) : [];
  const otherEval = other.length ? evaluateSequences(predictSequences(fit.network, other, st)) : undefined;
  const count = (d: string) => train.filter((s) => s.domain === d).length;
  const domain = config.domain ?? (count('music') > count('speech') ? 'music' : 'speech');
  const steps = train.reduce((n, s) => n + s.T, 0);
  const metrics = {
    epochs: fit.epochs, bestEpoch: fit.bestEpoch, bestValidationLoss: fit.bestValidationLoss, stoppedBy: fit.stoppedBy,
    sizes: { train: train.length, validation: validation.length, test: test.length, testOther: other.length, trainSeconds: steps },
    test: testEval ? { mean: testEval.mean, pooled: testEval.pooled, perSequence: testEval.perSequence } : undefined,
    testOther: otherEval ? { mean: otherEval.mean, pooled: otherEval.pooled, perSequence: otherEval.perSequence } : undefined,
    curves: fit.curves,
  };
  await writeRunFolder(outDir, {
    record: {
      format: RUN_FORMAT, inputSize: train[0]!.features.length / train[0]!.T, hidden: config.hidden, domain,
      trainingData: `${train.length} sequences (${steps} s; groups ${distinctGroups(train.map((s) => s.group)).join(', ')})`,
      metrics: { test: testEval?.mean, testPooled: testEval?.pooled, testOther: otherEval?.mean, bestValidationLoss: fit.bestValidationLoss },
      config: { ...config }, createdAt: new Date().toISOString(),
    },
    parameters: fit.network.getParameters(),
    standardisation: st,
  });
  await writeFile(join(outDir, 'metrics.json'), JSON.stringify(metrics, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
  return { outDir, fit, test: testEval, testOther: otherEval };
}

/** Folder of a config file (relative paths in it resolve there). */
export function configBaseDir(configPath: string): string {
  return dirname(resolve(configPath));
}
