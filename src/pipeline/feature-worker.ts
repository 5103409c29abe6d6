/**
 * worker_threads entry of the feature-worker pool (feature-pool.ts): owns the extraction state (resampler + LLD
 * extractor + pooler, stream-extraction.ts) of the streams assigned to this thread. Requests are handled strictly in
 * arrival order (one at a time, opens awaited), so every stream sees its chunks in order; each request is answered
 * with one reply holding its windows (transferred), one `ack` per stream touched, and `ended` / `failed` notices.
 * A stream's failure (bad features, bad audio) ends that stream only; anything else thrown here kills the worker,
 * which the pool reports to the worker's streams and replaces.
 * Messages: feature-worker-messages.ts.
 */
import { parentPort } from 'node:worker_threads';
import { EmostreamError } from '../errors.ts';
import { createStreamExtraction, type StreamExtraction } from './stream-extraction.ts';
import type { WorkerEvent, WorkerOp, WorkerReply, WorkerRequest } from './feature-worker-messages.ts';

const port = parentPort;
if (!port) throw new Error('feature-worker.ts must run in a worker thread');

const states = new Map<number, StreamExtraction>();
/** Events of the request being handled (window callbacks of every stream write here). */
let events: WorkerEvent[] = [];
let created = 0;
let released = 0;

function free(slot: number): void {
  const state = states.get(slot);
  if (!state) return;
  states.delete(slot);
  released++;
  state.release();
}

function failure(slot: number, err: unknown): WorkerEvent {
  free(slot);
  return {
    ev: 'failed', slot,
    code: err instanceof EmostreamError ? err.code : undefined,
    message: err instanceof Error ? err.message : String(err),
  };
}

async function handle(ops: readonly WorkerOp[]): Promise<WorkerReply> {
  events = [];
  const acks = new Map<number, number>();
  for (const op of ops) {
    switch (op.op) {
      case 'open':
        try {
          const slot = op.slot;
          const state = await createStreamExtraction(op.streamId, op.sampleRateHz, (index, endTimeS, features, completedAtMs) => {
            events.push({ ev: 'window', slot, index, endTimeS, features, completedAtMs });
          });
          states.set(slot, state);
          created++;
        } catch (err) {
          events.push(failure(op.slot, err));
        }
        break;
      case 'chunk': {
        acks.set(op.slot, (acks.get(op.slot) ?? 0) + op.samples.length);
        const state = states.get(op.slot);
        if (!state) break; // closed or failed: the main thread has forgotten this stream
        try {
          state.push(op.samples, op.arrivedAtMs);
        } catch (err) {
          events.push(failure(op.slot, err));
        }
        break;
      }
      case 'end': {
        const state = states.get(op.slot);
        if (!state) break;
        try {
          state.finish();
          free(op.slot);
          events.push({ ev: 'ended', slot: op.slot });
        } catch (err) {
          events.push(failure(op.slot, err));
        }
        break;
      }
      case 'close':
        free(op.slot);
        break;
      case 'stats':
        events.push({ ev: 'stats', request: op.request, streams: states.size, created, released, heapUsedBytes: process.memoryUsage().heapUsed });
        break;
      case 'crash':
        setImmediate(() => { throw new Error(op.message); });
        break;
    }
  }
  for (const [slot, samples] of acks) events.push({ ev: 'ack', slot, samples });
  return { events };
}

port.postMessage({ events: [] } satisfies WorkerReply); // ready: every module is loaded

let chain: Promise<void> = Promise.resolve();
port.on('message', (request: WorkerRequest) => {
  chain = chain.then(async () => {
    const reply = await handle(request.ops);
    const transfer: ArrayBuffer[] = [];
    for (const e of reply.events) if (e.ev === 'window') transfer.push(e.features.buffer as ArrayBuffer);
    port.postMessage(reply, transfer);
  });
});
