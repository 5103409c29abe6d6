/**
 * worker_threads entry of the feature-worker pool (src/pipeline/feature-pool.ts): owns the window extractor
 * (src/pool/window-extractor.ts) of each of the streams assigned to this thread. Requests are handled strictly in
 * arrival order (one at a time, opens awaited), so every stream sees its chunks in order; each request is answered
 * with one reply holding its windows (transferred), one `ack` per stream touched, and `ended` / `failed` notices.
 * A stream's failure (bad features, bad audio) ends that stream only; anything else thrown here kills the worker,
 * which the pool reports to the worker's streams and replaces.
 * Messages: feature-worker-messages.ts.
 */
import { parentPort } from 'node:worker_threads';
import { EmostreamError } from '../errors.ts';
import { createWindowExtractor, type WindowExtractor } from '../pool/window-extractor.ts';
import type { WorkerEvent, WorkerOp, WorkerReply, WorkerRequest } from '../pipeline/feature-worker-messages.ts';

const port = parentPort;
if (!port) throw new Error('feature-worker.ts must run in a worker thread');

/** Per stream slot: its window extractor and the arrival time of the chunk being pushed. */
const states = new Map<number, { extractor: WindowExtractor; arrivedAtMs: number }>();
/** Events of the request being handled (window callbacks of every stream write here). */
let events: WorkerEvent[] = [];
let created = 0;
let released = 0;

function free(slot: number): void {
  const state = states.get(slot);
  if (!state) return;
  states.delete(slot);
  released++;
  state.extractor.release();
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
          const state = { extractor: undefined as unknown as WindowExtractor, arrivedAtMs: 0 };
          state.extractor = await createWindowExtractor({ inputRateHz: op.sampleRateHz, name: `stream "${op.streamId}"`, restore: op.restore }, (w) => {
            events.push({ ev: 'window', slot, index: w.index, endTimeS: w.endTimeS, features: w.features, completedAtMs: state.arrivedAtMs });
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
          state.arrivedAtMs = op.arrivedAtMs;
          state.extractor.push(op.samples);
        } catch (err) {
          events.push(failure(op.slot, err));
        }
        break;
      }
      case 'end': {
        const state = states.get(op.slot);
        if (!state) break;
        try {
          state.extractor.finish();
          free(op.slot);
          events.push({ ev: 'ended', slot: op.slot });
        } catch (err) {
          events.push(failure(op.slot, err));
        }
        break;
      }
      case 'detach': {
        const state = states.get(op.slot);
        if (!state) break;
        try {
          const saved = state.extractor.snapshot();
          free(op.slot);
          events.push({ ev: 'detached', slot: op.slot, state: saved });
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
    for (const e of reply.events) {
      if (e.ev === 'window') transfer.push(e.features.buffer as ArrayBuffer);
      else if (e.ev === 'detached') transfer.push(e.state.buffer as ArrayBuffer);
    }
    port.postMessage(reply, transfer);
  });
});
