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
 * (started by src/worker-launch.ts); the lanes, slots and per-turn flush are in feature-pool-lanes.ts.
 * @see extractWindowsInWorkers, the operator using it.
 */
import { availableParallelism } from 'node:os';
import { workerEntryUrl } from '../worker-launch.ts';
import { EmostreamError } from '../errors.ts';
import type { StatsEvent } from './feature-worker-messages.ts';
import { createPoolState, forgetSlot, markDirty, NO_STATS, scheduleFlush, startLane, type PoolSlot, type PoolState } from './feature-pool-lanes.ts';

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

/** Opens a stream on the least-loaded live lane and returns its handle. */
function openStream(pool: PoolState, streamId: string, sampleRateHz: number, handlers: FeatureStreamHandlers, restore: Uint8Array | undefined): FeatureStream {
  if (pool.released) throw new EmostreamError('EMO_ERR_INTERNAL', 'feature pool used after release()');
  const { lanes } = pool;
  let worker = -1;
  for (let k = 0; k < lanes.length; k++) if (!lanes[k].dead && (worker < 0 || lanes[k].slots.size < lanes[worker].slots.size)) worker = k;
  if (worker < 0) throw new EmostreamError('EMO_ERR_INTERNAL', 'no feature worker is running (they failed to start)');
  const slot: PoolSlot = { id: pool.nextSlot++, streamId, worker, samplesPerS: sampleRateHz, handlers, queue: [], head: 0, queued: 0, inFlight: 0, ending: false, opened: false, restore };
  pool.slots.set(slot.id, slot);
  lanes[worker].slots.add(slot);
  markDirty(pool, slot);
  return streamHandle(pool, slot);
}

/** The caller's handle of an open slot. */
function streamHandle(pool: PoolState, slot: PoolSlot): FeatureStream {
  let closed = false;
  return {
    worker: slot.worker,
    push(samples, arrivedAtMs) {
      if (closed || !pool.slots.has(slot.id)) return;
      // Transfer only a buffer the chunk owns whole.
      const whole = samples.buffer instanceof ArrayBuffer && samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength;
      const own = whole ? samples : samples.slice();
      slot.queue.push({ samples: own, arrivedAtMs });
      slot.queued += own.length;
      markDirty(pool, slot);
    },
    end() {
      if (closed || !pool.slots.has(slot.id)) return;
      slot.ending = 'end';
      markDirty(pool, slot);
    },
    detach() {
      if (closed || !pool.slots.has(slot.id)) return;
      slot.ending = 'detach';
      markDirty(pool, slot);
    },
    close() {
      if (closed) return;
      closed = true;
      if (!pool.slots.has(slot.id)) return;
      const lane = pool.lanes[slot.worker];
      forgetSlot(pool, slot);
      if (slot.opened) {
        lane.ops.push({ op: 'close', slot: slot.id });
        scheduleFlush(pool);
      }
    },
    get queuedSamples() { return slot.queued + slot.inFlight; },
  };
}

/** Asks every lane for its live state (a dead lane answers `NO_STATS` at once). */
async function poolStats(pool: PoolState): Promise<FeaturePoolStats> {
  const { lanes } = pool;
  const replies = await Promise.all(lanes.map((lane) => new Promise<StatsEvent>((resolve) => {
    const request = pool.nextRequest++;
    if (lane.dead) return resolve({ ev: 'stats', request, ...NO_STATS });
    pool.statsWaiters.set(request, resolve);
    lane.stats.add(request);
    lane.ops.push({ op: 'stats', request });
    scheduleFlush(pool);
  })));
  return {
    streamsPerWorker: lanes.map((lane) => lane.slots.size),
    workers: replies.map(({ streams, created, released: freed, heapUsedBytes }) => ({ streams, created, released: freed, heapUsedBytes })),
    replaced: pool.replaced,
  };
}

/** Stops the pool: no more flushes or crash reports, then terminates every worker. */
async function releasePool(pool: PoolState): Promise<void> {
  if (pool.released) return;
  pool.released = true;
  if (pool.immediate) clearImmediate(pool.immediate);
  pool.slots.clear();
  pool.dirty.clear();
  for (const lane of pool.lanes) lane.dead = true; // no crash reports for a requested stop
  await Promise.all(pool.lanes.map((lane) => lane.worker.terminate()));
}

/** Starts a pool of feature-extraction worker threads. */
export function createFeaturePool(options: FeaturePoolOptions = {}): FeaturePool {
  const size = options.workers ?? availableParallelism();
  const maxInFlightS = options.maxInFlightS ?? DEFAULT_FEATURE_POOL_OPTIONS.maxInFlightS;
  if (!Number.isInteger(size) || size < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `feature workers must be an integer ≥ 1, got ${size}`);
  if (!(maxInFlightS > 0)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `maxInFlightS must be > 0 s, got ${maxInFlightS}`);
  const pool = createPoolState(workerEntryUrl('../workers/feature-worker', import.meta.url), maxInFlightS);
  for (let k = 0; k < size; k++) pool.lanes.push(startLane(pool, k));
  return {
    size,
    open: (streamId, sampleRateHz, handlers, restore) => openStream(pool, streamId, sampleRateHz, handlers, restore),
    stats: () => poolStats(pool),
    crashWorkerForTest(index, message = 'test crash') {
      if (!Number.isInteger(index) || index < 0 || index >= pool.lanes.length) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `no worker ${index}`);
      pool.lanes[index].ops.push({ op: 'crash', message });
      scheduleFlush(pool);
    },
    release: () => releasePool(pool),
  };
}
