/**
 * Feature extraction over a dataset, once per sequence: cache lookup (feature-cache.ts), then for
 * each miss render the audio (render.ts) and run the extractor — in a worker_threads pool (one worker
 * per core by default, each importing the extractor module by path) or in-process when given a
 * function — then store the result. Sequences with a `features` CSV are read as they are.
 * With `augmentation`, each sequence of an augmented domain (not CSV features) also gets `copies` augmented
 * copies: per copy a concrete recipe is drawn (augment-config.ts), cached under the key of (audio, recipe,
 * extractor), and on a miss the sequence is rendered once for all its jobs, babble talkers are decoded here,
 * and the recipe is applied in the worker before extraction (in-process with a function extractor).
 * Progress goes to the caller's ProgressReporter.
 */
import { availableParallelism } from 'node:os';
import { startWorker, workerEntryUrl } from '../../worker-launch.ts';
import { EmostreamError } from '../../errors.ts';
import { SILENT_PROGRESS, type ProgressReporter } from '../progress.ts';
import { readFeatureCsv } from './csv.ts';
import {
  featureCacheKey,
  readCachedFeatures,
  writeCachedFeatures,
  type ExtractFn,
  type ExtractorIdentity,
  type PooledFeatures,
} from './feature-cache.ts';
import type { ManifestSequence } from './manifest-types.ts';
import { renderSequenceAudio, type DecodeFn } from './render.ts';
import { applyRecipe, type AugmentRecipe, type BabbleStep } from '../../audio/augment/index.ts';
import { babblePool, drawRecipe, type AugmentationConfig } from './augment-config.ts';
import { augmentedId, type AugmentedFeatures } from './augment-labels.ts';
import { createTalkerLoader } from './augment-sources.ts';

/** An extractor named by module so workers can import it: `import(modulePath)[exportName]` is an `ExtractFn`. */
export interface ExtractorModule {
  /** Absolute path or file URL of an ES module (.ts files load through tsx). */
  readonly modulePath: string;
  readonly exportName: string;
}

/** Options of `extractDataset`. */
export interface ExtractDatasetOptions {
  /** Decoder: absolute path → 16 kHz mono samples. Required (e.g. from src/audio's loadAudioFile). */
  readonly decode: DecodeFn;
  /** Extractor: a module (run in workers) or a function (run in this thread). Required. */
  readonly extractor: ExtractorModule | ExtractFn;
  /** Cache identity of the extractor's output. Required. */
  readonly identity: ExtractorIdentity;
  /** Cache folder. Default '.cache/features' (relative to the working directory). */
  readonly cacheDir?: string;
  /** Worker count for a module extractor. Default os.availableParallelism(). */
  readonly workers?: number;
  /** Where progress goes. Default SILENT_PROGRESS. */
  readonly progress?: ProgressReporter;
  /** Augmented copies to make (see the module header). Default none. */
  readonly augmentation?: AugmentationConfig;
}

/** Result of `extractDataset`: features by sequence id, and how each was obtained (counts include augmented copies). */
export interface ExtractDatasetResult {
  readonly features: ReadonlyMap<string, PooledFeatures>;
  /** Augmented copies by source sequence id, in copy order (empty without `augmentation`). */
  readonly augmented: ReadonlyMap<string, readonly AugmentedFeatures[]>;
  readonly stats: { readonly cacheHits: number; readonly computed: number; readonly fromCsv: number };
}

/** Default cache folder. */
export const DEFAULT_CACHE_DIR = '.cache/features';

/** A concrete recipe and its babble talker signals, applied before extraction. */
type AugmentJob = { readonly recipe: AugmentRecipe; readonly babble?: Float32Array[] };
type Runner = { run(samples: Float32Array, augment?: AugmentJob): Promise<PooledFeatures>; close(): Promise<void> };

/** Starts one extraction worker for `extractor`; `run` sends samples (and talkers; transferred) and awaits windows. */
export function startExtractWorker(extractor: ExtractorModule): Runner {
  const entry = workerEntryUrl('../../workers/extract-worker', import.meta.url);
  const worker = startWorker(entry, { workerData: { ...extractor } });
  let job = 0;
  const pending = new Map<number, { resolve: (f: PooledFeatures) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error): void => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('message', (m: { job: number; windows?: Float32Array; count?: number; error?: string }) => {
    const p = pending.get(m.job);
    if (!p) return;
    pending.delete(m.job);
    if (m.error !== undefined) p.reject(new EmostreamError('EMO_ERR_BAD_FEATURES', `extractor ${extractor.exportName} failed: ${m.error}`));
    else p.resolve({ windows: m.windows!, count: m.count! });
  });
  worker.on('error', (e) => failAll(new EmostreamError('EMO_ERR_INTERNAL', `extraction worker crashed: ${e.message}`, { cause: e })));
  worker.on('exit', (code) => failAll(new EmostreamError('EMO_ERR_INTERNAL', `extraction worker exited (code ${code})`)));
  return {
    run(samples, augment) {
      return new Promise((resolve, reject) => {
        const id = job++;
        pending.set(id, { resolve, reject });
        const transfer = [samples.buffer as ArrayBuffer, ...(augment?.babble ?? []).map((t) => t.buffer as ArrayBuffer)];
        worker.postMessage({ job: id, samples, recipe: augment?.recipe, babble: augment?.babble }, transfer);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

function inProcess(fn: ExtractFn): Runner {
  return {
    run: async (samples, augment) => fn(augment ? await applyRecipe(samples, augment.recipe, { babble: augment.babble }) : samples),
    close: async () => {},
  };
}

/** Computes (or loads from cache) the pooled features of every sequence; see the module header. */
export async function extractDataset(sequences: readonly ManifestSequence[], options: ExtractDatasetOptions): Promise<ExtractDatasetResult> {
  const { decode, extractor, identity, cacheDir = DEFAULT_CACHE_DIR, progress = SILENT_PROGRESS, augmentation } = options;
  const lanes = typeof extractor === 'function' ? 1 : (options.workers ?? availableParallelism());
  if (!Number.isInteger(lanes) || lanes < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `workers must be a positive integer (got ${options.workers})`);
  const features = new Map<string, PooledFeatures>();
  let cacheHits = 0, computed = 0, fromCsv = 0;
  const misses: { seq: ManifestSequence; key: string; copy?: number; recipe?: AugmentRecipe }[] = [];
  const augmented = new Map<string, AugmentedFeatures[]>();
  const pool = augmentation && augmentation.copies > 0 ? babblePool(sequences) : undefined;
  for (const seq of sequences) {
    if (seq.features !== undefined) {
      features.set(seq.id, await readFeatureCsv(seq.features));
      fromCsv++;
      continue;
    }
    const key = await featureCacheKey(seq, identity);
    const hit = await readCachedFeatures(cacheDir, key);
    if (hit) {
      features.set(seq.id, hit);
      cacheHits++;
    } else misses.push({ seq, key });
    if (!pool || !augmentation!.domains.includes(seq.domain)) continue;
    const copies: AugmentedFeatures[] = [];
    augmented.set(seq.id, copies);
    for (let copy = 0; copy < augmentation!.copies; copy++) {
      const recipe = drawRecipe(augmentation!, seq, copy, pool);
      const k = await featureCacheKey(seq, identity, recipe);
      const cached = await readCachedFeatures(cacheDir, k);
      if (cached) {
        copies.push({ copy, recipe, features: cached });
        cacheHits++;
      } else misses.push({ seq, key: k, copy, recipe });
    }
  }
  if (misses.length === 0) return { features, augmented, stats: { cacheHits, computed, fromCsv } };
  const bar = progress.start(`features (${lanes} worker${lanes > 1 ? 's' : ''})`, misses.length);
  const runners = Array.from({ length: Math.min(lanes, misses.length) }, () =>
    typeof extractor === 'function' ? inProcess(extractor) : startExtractWorker(extractor),
  );
  const queue = misses.slice();
  // One render per sequence, shared by its jobs: every job but the last to resume takes a copy.
  const users = new Map<string, number>();
  for (const m of misses) users.set(m.seq.id, (users.get(m.seq.id) ?? 0) + 1);
  const renders = new Map<string, Promise<Float32Array>>();
  const audioFor = async (seq: ManifestSequence): Promise<Float32Array> => {
    let p = renders.get(seq.id);
    if (!p) renders.set(seq.id, (p = renderSequenceAudio(seq, decode)));
    const x = await p;
    const left = users.get(seq.id)! - 1;
    users.set(seq.id, left);
    if (left > 0) return x.slice();
    renders.delete(seq.id);
    return x;
  };
  const talkers = createTalkerLoader(decode);
  try {
    await Promise.all(
      runners.map(async (runner) => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const samples = await audioFor(item.seq);
          const babbleStep = item.recipe?.find((s): s is BabbleStep => s.kind === 'babble');
          const augment = item.recipe && { recipe: item.recipe, babble: babbleStep && (await talkers(babbleStep)) };
          const f = await runner.run(samples, augment);
          const id = item.copy === undefined ? item.seq.id : augmentedId(item.seq.id, item.copy);
          await writeCachedFeatures(cacheDir, item.key, { id }, identity, f);
          if (item.copy === undefined) features.set(item.seq.id, f);
          else augmented.get(item.seq.id)!.push({ copy: item.copy, recipe: item.recipe!, features: f });
          computed++;
          bar.tick(1, id);
        }
      }),
    );
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
  for (const copies of augmented.values()) copies.sort((a, b) => a.copy - b.copy);
  bar.done(`${computed} computed, ${cacheHits} cached`);
  return { features, augmented, stats: { cacheHits, computed, fromCsv } };
}
