/**
 * Corpus → labelled sequences: a manifest (file, or a built-in corpus built from the data folder) → pooled
 * features per sequence (`extractDataset`, cached in `.cache/features`) → 1 Hz targets aligned to the windows
 * (`alignSequenceTargets`) → `{ id, group, domain, features (T × 260), targets (T × 2), T }`.
 * Targets keep NaN at interior windows without a target (the features stay contiguous for prediction);
 * `trainingPieces` cuts a sequence at such gaps for the engine, whose loss needs a finite target at every step.
 * With `augmentation`, the augmented copies follow the clean sequences as extra LabelledSequences (same group,
 * domain and targets on the copy's timeline, `augmentation` set; augment-labels.ts): use them for training only.
 */
import { resolve } from 'node:path';
import { loadAudioFile } from '../../audio/index.ts';
import { EmostreamError } from '../../errors.ts';
import {
  alignSequenceTargets,
  buildCorpusManifest,
  type CorpusBuildOptions,
  extractDataset,
  loadManifest,
  resolveManifestPaths,
  summariseAlignment,
  type AlignmentSummary,
  type Domain,
  type ExtractFn,
  type ExtractorIdentity,
  type ExtractorModule,
  type ResolvedManifest,
} from './index.ts';
import type { ProgressReporter } from '../progress.ts';
import { POOLED_EXTRACTOR_MODULE, POOLED_FEATURES_IDENTITY } from './pooled-features.ts';
import type { AugmentationConfig } from './augment-config.ts';
import { labelAugmentedCopy, type AugmentationInfo } from './augment-labels.ts';

/** One labelled sequence (song, recording or joined speaker). */
export interface LabelledSequence {
  readonly id: string;
  readonly group: string;
  readonly domain: Domain;
  /** Name of the manifest (corpus) the sequence comes from (leave-one-corpus-out folds use it). */
  readonly corpus?: string;
  /** Pooled features, row-major T × dims. */
  readonly features: Float32Array;
  /** Targets, row-major T × 2 (arousal, valence); NaN where a window has no target. */
  readonly targets: Float32Array;
  /** Number of windows (1 Hz steps). */
  readonly T: number;
  /** Set on augmented copies only (id `<source>~aug<copy>`): training data, never validation or test. */
  readonly augmentation?: AugmentationInfo;
}

/** Where a corpus comes from: a manifest file path, or a built-in corpus and its data folder. */
export type CorpusSource = string | {
  readonly corpus: string;
  readonly dataDir: string;
  /** Builder options of the joined speech corpora (stream grouping and pause kind). */
  readonly options?: CorpusBuildOptions;
  readonly manifest?: never;
};

/** Options of `loadCorpus`. */
export interface LoadCorpusOptions {
  /** Feature cache folder. Default '.cache/features'. */
  readonly cacheDir?: string;
  /** Extraction workers. Default os.availableParallelism(). */
  readonly workers?: number;
  /** Where progress goes. Default: nowhere. */
  readonly progress?: ProgressReporter;
  /** Extractor override (tests); default the real ComParE 2013 + pooling path. */
  readonly extractor?: ExtractorModule | ExtractFn;
  /** Cache identity of `extractor` (required with it). Default POOLED_FEATURES_IDENTITY. */
  readonly identity?: ExtractorIdentity;
  /** Augmented training copies (augment-config.ts). Default none. */
  readonly augmentation?: AugmentationConfig;
}

/** A loaded corpus: the manifest, its labelled sequences and alignment totals. */
export interface LoadedCorpus {
  readonly manifest: ResolvedManifest;
  readonly sequences: readonly LabelledSequence[];
  readonly alignment: AlignmentSummary;
}

/** Loads the manifest named by `source` (relative paths against `baseDir`). */
export async function resolveCorpusManifest(source: CorpusSource, baseDir = '.'): Promise<ResolvedManifest> {
  if (typeof source === 'string') return loadManifest(resolve(baseDir, source));
  if (!source || typeof source.corpus !== 'string' || typeof source.dataDir !== 'string') {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `a corpus is a manifest path or { "corpus": name, "dataDir": path }, got ${JSON.stringify(source)}`);
  }
  const dataDir = resolve(baseDir, source.dataDir);
  return resolveManifestPaths(await buildCorpusManifest(source.corpus, dataDir, source.options ?? {}), dataDir);
}

/** 16 kHz mono decoder for the data layer (src/audio). */
export async function decode16k(path: string): Promise<Float32Array> {
  return (await loadAudioFile(path, { rate: 16000 })).samples;
}

/** Features (cached) + aligned targets of every sequence of a manifest; sequences with no target are dropped. */
export async function labelManifest(manifest: ResolvedManifest, options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const extractor = options.extractor ?? POOLED_EXTRACTOR_MODULE;
  const identity = options.identity ?? POOLED_FEATURES_IDENTITY;
  const { features, augmented } = await extractDataset(manifest.sequences, {
    decode: decode16k, extractor, identity, cacheDir: options.cacheDir, workers: options.workers, progress: options.progress,
    augmentation: options.augmentation,
  });
  const out: LabelledSequence[] = [];
  const aligned = [];
  for (const seq of manifest.sequences) {
    const f = features.get(seq.id)!;
    const a = await alignSequenceTargets(seq, manifest, f.count);
    aligned.push(a);
    if (a.count === 0) continue;
    const dims = f.windows.length / Math.max(1, f.count);
    const targets = new Float32Array(a.count * 2);
    for (let t = 0; t < a.count; t++) {
      targets[2 * t] = a.arousal[t]!;
      targets[2 * t + 1] = a.valence[t]!;
    }
    out.push({
      id: seq.id, group: seq.group, domain: seq.domain, T: a.count, targets,
      features: f.windows.slice(a.firstWindow * dims, (a.firstWindow + a.count) * dims),
    });
  }
  if (out.length === 0) throw new EmostreamError('EMO_ERR_DATASET', `${manifest.name}: no sequence has a target that a window reaches`);
  for (const seq of manifest.sequences) {
    for (const copy of augmented.get(seq.id) ?? []) {
      const labelled = await labelAugmentedCopy(seq, manifest, copy);
      if (labelled) out.push(labelled);
    }
  }
  return { manifest, sequences: out.map((s) => ({ ...s, corpus: manifest.name })), alignment: summariseAlignment(aligned) };
}

/** Loads a corpus source and labels it (see the module header). */
export async function loadCorpus(source: CorpusSource, options: LoadCorpusOptions & { readonly baseDir?: string } = {}): Promise<LoadedCorpus> {
  return labelManifest(await resolveCorpusManifest(source, options.baseDir), options);
}

/**
 * Runs of steps [start, end) with a finite target in at least one dimension (cut points of
 * `trainingPieces`): a sequence is cut only where BOTH targets are missing; a single missing
 * dimension stays in the piece as NaN and the engine's loss masks it.
 */
export function finiteRuns(seq: Pick<LabelledSequence, 'targets' | 'T'>): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let t = 0; t <= seq.T; t++) {
    const ok = t < seq.T && (Number.isFinite(seq.targets[2 * t]!) || Number.isFinite(seq.targets[2 * t + 1]!));
    if (ok && start < 0) start = t;
    if (!ok && start >= 0) {
      runs.push([start, t]);
      start = -1;
    }
  }
  return runs;
}

/** Number of windows with at least one finite target (the steps `finiteRuns` keeps). */
export function targetedSteps(seq: Pick<LabelledSequence, 'targets' | 'T'>): number {
  return finiteRuns(seq).reduce((n, [a, b]) => n + b - a, 0);
}
