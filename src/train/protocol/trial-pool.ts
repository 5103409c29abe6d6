/**
 * A pool of worker threads running independent trials (one per core by default). Each worker (src/workers/trial-worker.ts)
 * receives the dataset once. `workers: 0` runs trials in this thread (tests, debugging).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntryUrl } from '../../worker-launch.ts';
import { EmostreamError } from '../../errors.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { runTrial, type TrialJob, type TrialResult } from './trial.ts';

/** A running pool. */
export interface TrialPool {
  /** Runs all jobs (in any order across workers); `onDone` after each. Results in job order. */
  runAll(jobs: readonly TrialJob[], onDone?: (r: TrialResult) => void): Promise<TrialResult[]>;
  close(): Promise<void>;
}

/** Starts `workers` threads (default os.availableParallelism()) holding `data`. */
export function createTrialPool(data: readonly LabelledSequence[], workers = availableParallelism()): TrialPool {
  if (!Number.isInteger(workers) || workers < 0) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `workers must be an integer ≥ 0, got ${workers}`);
  const entry = workerEntryUrl('../../workers/trial-worker', import.meta.url);
  const threads = Array.from({ length: workers }, () => startWorker(entry, { workerData: { data } }));
  const runOn = (w: Worker, job: TrialJob): Promise<TrialResult> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { result?: TrialResult; id?: number; error?: string }): void => {
        cleanup();
        if (m.result) resolve(m.result);
        else reject(new EmostreamError('EMO_ERR_INTERNAL', `trial ${m.id} failed: ${m.error}`));
      };
      const onError = (e: Error): void => {
        cleanup();
        reject(new EmostreamError('EMO_ERR_INTERNAL', `trial worker crashed: ${e.message}`, { cause: e }));
      };
      const cleanup = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(job);
    });
  return {
    async runAll(jobs, onDone) {
      const results: TrialResult[] = new Array(jobs.length);
      const queue = jobs.map((j, i) => [j, i] as const);
      const lane = async (run: (j: TrialJob) => Promise<TrialResult>): Promise<void> => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const r = await run(item[0]);
          results[item[1]] = r;
          onDone?.(r);
        }
      };
      if (threads.length === 0) await lane((j) => runTrial(data, j));
      else await Promise.all(threads.map((w) => lane((j) => runOn(w, j))));
      return results;
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
