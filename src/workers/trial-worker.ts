/**
 * worker_threads entry of the trial pool (trial-pool.ts): `workerData.data` is the shared dataset (labelled
 * sequences, copied once per worker); messages in are `TrialJob`s, messages out `{ result }` or `{ id, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LabelledSequence } from '../train/data/sequences.ts';
import { runTrial, type TrialJob } from '../train/protocol/trial.ts';

const data = (workerData as { data: LabelledSequence[] }).data;

parentPort!.on('message', async (job: TrialJob) => {
  try {
    parentPort!.postMessage({ result: await runTrial(data, job) });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
