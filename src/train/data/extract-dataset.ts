/**
 * Feature extraction over a dataset, once per sequence: cache lookup (feature-cache.ts), then for
 * each miss render the audio (render.ts) and run the extractor — in a worker_threads pool (one worker
 * per core by default, each importing the extractor module by path) or in-process when given a
 * function — then store the result. Sequences with a `features` CSV are read as they are.
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
}

/** Result of `extractDataset`: features by sequence id, and how each was obtained. */
export interface ExtractDatasetResult {
  readonly features: ReadonlyMap<string, PooledFeatures>;
  readonly stats: { readonly cacheHits: number; readonly computed: number; readonly fromCsv: number };
}

/** Default cache folder. */
export const DEFAULT_CACHE_DIR = '.cache/features';

type Runner = { run(samples: Float32Array): Promise<PooledFeatures>; close(): Promise<void> };

/** Starts one extraction worker for `extractor`; `run` sends samples (transferred) and awaits windows. */
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
    run(samples) {
      return new Promise((resolve, reject) => {
        const id = job++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ job: id, samples }, [samples.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

function inProcess(fn: ExtractFn): Runner {
  return { run: (samples) => fn(samples), close: async () => {} };
}

/** Computes (or loads from cache) the pooled features of every sequence; see the module header. */
export async function extractDataset(sequences: readonly ManifestSequence[], options: ExtractDatasetOptions): Promise<ExtractDatasetResult> {
  const { decode, extractor, identity, cacheDir = DEFAULT_CACHE_DIR, progress = SILENT_PROGRESS } = options;
  const lanes = typeof extractor === 'function' ? 1 : (options.workers ?? availableParallelism());
  if (!Number.isInteger(lanes) || lanes < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `workers must be a positive integer (got ${options.workers})`);
  const features = new Map<string, PooledFeatures>();
  let cacheHits = 0, computed = 0, fromCsv = 0;
  const misses: { seq: ManifestSequence; key: string }[] = [];
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
  }
  if (misses.length === 0) return { features, stats: { cacheHits, computed, fromCsv } };
  const bar = progress.start(`features (${lanes} worker${lanes > 1 ? 's' : ''})`, misses.length);
  const runners = Array.from({ length: Math.min(lanes, misses.length) }, () =>
    typeof extractor === 'function' ? inProcess(extractor) : startExtractWorker(extractor),
  );
  const queue = misses.slice();
  try {
    await Promise.all(
      runners.map(async (runner) => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const samples = await renderSequenceAudio(item.seq, decode);
          const f = await runner.run(samples);
          await writeCachedFeatures(cacheDir, item.key, item.seq, identity, f);
          features.set(item.seq.id, f);
          computed++;
          bar.tick(1, item.seq.id);
        }
      }),
    );
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
  bar.done(`${computed} computed, ${cacheHits} cached`);
  return { features, stats: { cacheHits, computed, fromCsv } };
}
