/**
 * A pool of feature-extraction worker threads for the live pipeline. Each stream is assigned, for its whole life, to
 * the worker with the fewest streams (sticky, least-loaded), which owns its resampler + extractor + pooler
 * (feature-worker.ts). The main thread keeps a per-stream queue of chunks; every event-loop turn it moves chunks into
 * the workers as ONE message per worker (sample buffers transferred), at most `maxInFlightS` of audio per stream at a
 * time, so a stream pushed faster than real time (a file) cannot starve the live streams sharing its worker.
 *
 *   main:    push(a0) push(b0) push(a1) │turn│ ─ {open a, chunk a0, open b, chunk b0, chunk a1} ─▶ worker 0
 *   worker 0:                                ◀─ {window a…, ack a, ack b} ─
 *
 * A worker that dies (uncaught exception, exit) fails only its streams (`EMO_ERR_INTERNAL`, "feature worker … crashed")
 * and is replaced at once. `release()` terminates the threads. The worker entry is src/workers/feature-worker.ts
 * (started by src/worker-launch.ts).
 * @see extractWindowsInWorkers, the operator using it.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntryUrl } from '../worker-launch.ts';
import { EmostreamError, type EmostreamErrorCode } from '../errors.ts';
import type { WorkerEvent, WorkerOp, WorkerReply, WorkerRequest } from './feature-worker-messages.ts';

/** Options of `createFeaturePool`. */
export interface FeaturePoolOptions {
  /** Worker threads, integer ≥ 1. Default os.availableParallelism(). */
  readonly workers?: number;
  /** Audio of one stream handed to its worker and not yet consumed, seconds (> 0; one chunk always goes). Default 0.5. */
  readonly maxInFlightS?: number;
}

/** Defaults of `createFeaturePool` (`workers` is resolved at creation). */
export const DEFAULT_FEATURE_POOL_OPTIONS: Readonly<Required<Omit<FeaturePoolOptions, 'workers'>>> = Object.freeze({ maxInFlightS: 0.5 });

/** A pooled window as delivered by the pool. */
export interface WorkerWindow {
  readonly index: number;
  readonly endTimeS: number;
  readonly features: Float32Array;
  readonly completedAtMs: number;
}

/** What a stream hears from the pool (all called on the main thread). */
export interface FeatureStreamHandlers {
  /** A pooled window, in time order. */
  window(w: WorkerWindow): void;
  /** The stream ended normally after `end()` (after its last window). */
  ended(): void;
  /** The stream was detached after `detach()` (after its last window): its extractor state. */
  detached?(state: Uint8Array): void;
  /** The stream failed (its data, or its worker crashed); nothing follows. */
  failed(err: EmostreamError): void;
}

/** One stream's handle in the pool. */
export interface FeatureStream {
  /** Index of the worker owning the stream. */
  readonly worker: number;
  /** Queues one chunk (the buffer is transferred: do not use `samples` afterwards). */
  push(samples: Float32Array, arrivedAtMs: number): void;
  /** End of input: the worker flushes the last windows, then `ended()`. */
  end(): void;
  /** Hand-off: the worker extracts what it was given, then `detached(state)` without the flush. */
  detach(): void;
  /** Abandons the stream: queued audio dropped, worker state freed, no further callbacks. Idempotent. */
  close(): void;
  /** Samples queued here or handed to the worker and not yet consumed. */
  readonly queuedSamples: number;
}

/** Live state of the pool. */
export interface FeaturePoolStats {
  /** Streams open per worker (main-thread view). */
  readonly streamsPerWorker: readonly number[];
  /** Per worker: streams holding state, states created / freed, heap used (bytes). */
  readonly workers: ReadonlyArray<{ readonly streams: number; readonly created: number; readonly released: number; readonly heapUsedBytes: number }>;
  /** Workers replaced after a crash since the pool started. */
  readonly replaced: number;
}

/** A pool of feature workers. */
export interface FeaturePool {
  /** Worker count. */
  readonly size: number;
  /** Opens stream `streamId` (chunks at `sampleRateHz`; continuing extractor state `restore` if given) on the least-loaded worker. */
  open(streamId: string, sampleRateHz: number, handlers: FeatureStreamHandlers, restore?: Uint8Array): FeatureStream;
  /** Asks every worker for its live state. */
  stats(): Promise<FeaturePoolStats>;
  /** Test-only hook: makes worker `index` throw `message` as an uncaught exception (it dies and is replaced). */
  crashWorkerForTest(index: number, message?: string): void;
  /** Terminates the workers (open streams get no further callbacks). */
  release(): Promise<void>;
}

interface Slot {
  readonly id: number;
  readonly streamId: string;
  readonly worker: number;
  readonly samplesPerS: number;
  readonly handlers: FeatureStreamHandlers;
  /** Chunks not yet sent: `queue[head…]` (compacted now and then, so a long backlog costs no O(n) shifts). */
  queue: Array<{ samples: Float32Array; arrivedAtMs: number }>;
  head: number;
  queued: number; // samples waiting in `queue`
  inFlight: number; // samples handed to the worker, not acked
  ending: false | 'end' | 'detach';
  readonly restore: Uint8Array | undefined;
  opened: boolean;
}

interface Lane {
  readonly worker: Worker;
  readonly slots: Set<Slot>;
  ops: WorkerOp[];
  transfer: ArrayBuffer[];
  /** The worker loaded its modules (its first, empty reply). */
  ready: boolean;
  dead: boolean;
  /** Stats requests waiting for this worker. */
  readonly stats: Set<number>;
}

const NO_STATS = Object.freeze({ streams: 0, created: 0, released: 0, heapUsedBytes: 0 });

/** Starts a pool of feature-extraction worker threads. */
export function createFeaturePool(options: FeaturePoolOptions = {}): FeaturePool {
  const size = options.workers ?? availableParallelism();
  const maxInFlightS = options.maxInFlightS ?? DEFAULT_FEATURE_POOL_OPTIONS.maxInFlightS;
  if (!Number.isInteger(size) || size < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `feature workers must be an integer ≥ 1, got ${size}`);
  if (!(maxInFlightS > 0)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `maxInFlightS must be > 0 s, got ${maxInFlightS}`);
  const entry = workerEntryUrl('../workers/feature-worker', import.meta.url);
  const slots = new Map<number, Slot>();
  const dirty = new Set<Slot>();
  const statsWaiters = new Map<number, (e: Extract<WorkerEvent, { ev: 'stats' }>) => void>();
  let nextSlot = 1;
  let nextRequest = 1;
  let replaced = 0;
  let released = false;
  let immediate: NodeJS.Immediate | undefined;

  const forget = (slot: Slot): void => {
    slots.delete(slot.id);
    dirty.delete(slot);
    lanes[slot.worker].slots.delete(slot);
  };

  const onReply = (lane: Lane, reply: WorkerReply): void => {
    lane.ready = true;
    for (const e of reply.events) {
      if (e.ev === 'stats') {
        lane.stats.delete(e.request);
        statsWaiters.get(e.request)?.(e);
        statsWaiters.delete(e.request);
        continue;
      }
      const slot = slots.get(e.slot);
      if (!slot) continue; // closed meanwhile
      switch (e.ev) {
        case 'window':
          slot.handlers.window(e);
          break;
        case 'ack':
          slot.inFlight -= e.samples;
          if (slot.head < slot.queue.length || slot.ending) markDirty(slot);
          break;
        case 'ended':
          forget(slot);
          slot.handlers.ended();
          break;
        case 'detached':
          forget(slot);
          slot.handlers.detached?.(e.state);
          break;
        case 'failed':
          forget(slot);
          slot.handlers.failed(new EmostreamError((e.code ?? 'EMO_ERR_INTERNAL') as EmostreamErrorCode, e.message));
          break;
      }
    }
  };

  const startLane = (index: number): Lane => {
    const worker = startWorker(entry);
    const lane: Lane = { worker, slots: new Set(), ops: [], transfer: [], ready: false, dead: false, stats: new Set() };
    const died = (reason: string): void => {
      if (lane.dead) return;
      lane.dead = true;
      const victims = [...lane.slots];
      for (const slot of victims) forget(slot);
      for (const request of lane.stats) statsWaiters.get(request)?.({ ev: 'stats', request, ...NO_STATS });
      // A worker that never started (its modules failed to load) is not replaced: that would loop forever.
      if (!released && lane.ready) {
        replaced++;
        lanes[index] = startLane(index);
      }
      const err = new EmostreamError('EMO_ERR_INTERNAL', `feature worker ${index} crashed (${reason}); its ${victims.length} stream(s) ended`);
      for (const slot of victims) slot.handlers.failed(err);
    };
    worker.on('message', (reply: WorkerReply) => onReply(lane, reply));
    worker.on('error', (err) => died(err.message));
    worker.on('messageerror', (err) => died(`message error: ${err.message}`));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return lane;
  };
  const lanes: Lane[] = [];
  for (let k = 0; k < size; k++) lanes.push(startLane(k));

  const flush = (): void => {
    immediate = undefined;
    for (const slot of dirty) {
      const lane = lanes[slot.worker];
      if (!slot.opened) {
        lane.ops.push({ op: 'open', slot: slot.id, streamId: slot.streamId, sampleRateHz: slot.samplesPerS, ...(slot.restore ? { restore: slot.restore } : {}) });
        slot.opened = true;
      }
      const budget = maxInFlightS * slot.samplesPerS;
      while (slot.head < slot.queue.length && (slot.inFlight === 0 || slot.inFlight + slot.queue[slot.head].samples.length <= budget)) {
        const chunk = slot.queue[slot.head++];
        slot.queued -= chunk.samples.length;
        slot.inFlight += chunk.samples.length;
        lane.ops.push({ op: 'chunk', slot: slot.id, samples: chunk.samples, arrivedAtMs: chunk.arrivedAtMs });
        lane.transfer.push(chunk.samples.buffer as ArrayBuffer);
      }
      if (slot.head === slot.queue.length) {
        slot.queue.length = 0;
        slot.head = 0;
      } else if (slot.head > 1024) {
        slot.queue = slot.queue.slice(slot.head);
        slot.head = 0;
      }
      if (slot.ending && slot.head === slot.queue.length) {
        lane.ops.push({ op: slot.ending, slot: slot.id });
        slot.ending = false;
      }
    }
    dirty.clear();
    for (const lane of lanes) send(lane);
  };
  const send = (lane: Lane): void => {
    if (lane.ops.length === 0) return;
    const request: WorkerRequest = { ops: lane.ops };
    const transfer = lane.transfer;
    lane.ops = [];
    lane.transfer = [];
    lane.worker.postMessage(request, transfer);
  };
  const markDirty = (slot: Slot): void => {
    dirty.add(slot);
    immediate ??= setImmediate(flush);
  };

  return {
    size,
    open(streamId, sampleRateHz, handlers, restore) {
      if (released) throw new EmostreamError('EMO_ERR_INTERNAL', 'feature pool used after release()');
      let worker = -1;
      for (let k = 0; k < lanes.length; k++) if (!lanes[k].dead && (worker < 0 || lanes[k].slots.size < lanes[worker].slots.size)) worker = k;
      if (worker < 0) throw new EmostreamError('EMO_ERR_INTERNAL', 'no feature worker is running (they failed to start)');
      const slot: Slot = { id: nextSlot++, streamId, worker, samplesPerS: sampleRateHz, handlers, queue: [], head: 0, queued: 0, inFlight: 0, ending: false, opened: false, restore };
      slots.set(slot.id, slot);
      lanes[worker].slots.add(slot);
      markDirty(slot);
      let closed = false;
      return {
        worker,
        push(samples, arrivedAtMs) {
          if (closed || !slots.has(slot.id)) return;
          // Transfer only a buffer the chunk owns whole.
          const whole = samples.buffer instanceof ArrayBuffer && samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength;
          const own = whole ? samples : samples.slice();
          slot.queue.push({ samples: own, arrivedAtMs });
          slot.queued += own.length;
          markDirty(slot);
        },
        end() {
          if (closed || !slots.has(slot.id)) return;
          slot.ending = 'end';
          markDirty(slot);
        },
        detach() {
          if (closed || !slots.has(slot.id)) return;
          slot.ending = 'detach';
          markDirty(slot);
        },
        close() {
          if (closed) return;
          closed = true;
          if (!slots.has(slot.id)) return;
          const lane = lanes[slot.worker];
          forget(slot);
          if (slot.opened) {
            lane.ops.push({ op: 'close', slot: slot.id });
            immediate ??= setImmediate(flush);
          }
        },
        get queuedSamples() { return slot.queued + slot.inFlight; },
      };
    },
    async stats() {
      const replies = await Promise.all(lanes.map((lane) => new Promise<Extract<WorkerEvent, { ev: 'stats' }>>((resolve) => {
        const request = nextRequest++;
        if (lane.dead) return resolve({ ev: 'stats', request, ...NO_STATS });
        statsWaiters.set(request, resolve);
        lane.stats.add(request);
        lane.ops.push({ op: 'stats', request });
        immediate ??= setImmediate(flush);
      })));
      return {
        streamsPerWorker: lanes.map((lane) => lane.slots.size),
        workers: replies.map(({ streams, created, released: freed, heapUsedBytes }) => ({ streams, created, released: freed, heapUsedBytes })),
        replaced,
      };
    },
    crashWorkerForTest(index, message = 'test crash') {
      if (!Number.isInteger(index) || index < 0 || index >= lanes.length) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `no worker ${index}`);
      lanes[index].ops.push({ op: 'crash', message });
      immediate ??= setImmediate(flush);
    },
    async release() {
      if (released) return;
      released = true;
      if (immediate) clearImmediate(immediate);
      slots.clear();
      dirty.clear();
      for (const lane of lanes) lane.dead = true; // no crash reports for a requested stop
      await Promise.all(lanes.map((lane) => lane.worker.terminate()));
    },
  };
}
