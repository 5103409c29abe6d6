/**
 * The main-thread machinery of the feature-worker pool (feature-pool.ts): one lane per worker thread, one slot per
 * open stream, and the per-turn flush. A slot queues its chunks; `flushPool` (run once per event-loop turn, via
 * `scheduleFlush`) moves each dirty slot's chunks into its lane while the slot's in-flight audio stays within
 * `maxInFlightS` (one chunk always goes), then posts ONE message per lane (sample buffers transferred). Replies are
 * dispatched to the slots' handlers; a lane whose worker dies fails its slots and, unless the pool is released or
 * the worker never started, is replaced at the same index.
 * @see createFeaturePool, the public face of this state.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-launch.ts';
import { EmostreamError, type EmostreamErrorCode } from '../errors.ts';
import type { StatsEvent, WorkerOp, WorkerReply, WorkerRequest } from './feature-worker-messages.ts';
import type { FeatureStreamHandlers } from './feature-pool.ts';

/** One open stream of the pool (main-thread view). */
export interface PoolSlot {
  /** Pool-wide slot number naming the stream in worker messages. */
  readonly id: number;
  /** The caller's stream id. */
  readonly streamId: string;
  /** Index of the lane (worker) owning the stream. */
  readonly worker: number;
  /** Sample rate of the stream's chunks, Hz. */
  readonly samplesPerS: number;
  /** Where the stream's windows, end and failure go. */
  readonly handlers: FeatureStreamHandlers;
  /** Chunks not yet sent: `queue[head…]` (compacted now and then, so a long backlog costs no O(n) shifts). */
  queue: Array<{ samples: Float32Array; arrivedAtMs: number }>;
  /** First unsent entry of `queue`. */
  head: number;
  /** Samples waiting in `queue`. */
  queued: number;
  /** Samples handed to the worker, not acked. */
  inFlight: number;
  /** `end()` or `detach()` was called and that op is not sent yet. */
  ending: false | 'end' | 'detach';
  /** Extractor state the worker's stream continues (hand-off), sent with the `open` op. */
  readonly restore: Uint8Array | undefined;
  /** The `open` op was queued for the worker. */
  opened: boolean;
}

/** One worker thread of the pool and the operations queued for it this turn. */
export interface PoolLane {
  /** The worker thread. */
  readonly worker: Worker;
  /** Slots owned by this worker. */
  readonly slots: Set<PoolSlot>;
  /** Operations of this turn, sent as one message by `flushPool`. */
  ops: WorkerOp[];
  /** Buffers transferred with `ops`. */
  transfer: ArrayBuffer[];
  /** The worker loaded its modules (its first, empty reply). */
  ready: boolean;
  /** The worker died or the pool was released: no more reports. */
  dead: boolean;
  /** Stats requests waiting for this worker. */
  readonly stats: Set<number>;
}

/** The whole main-thread state of a pool. */
export interface PoolState {
  /** Entry module of the worker threads. */
  readonly entry: URL;
  /** Audio of one stream handed to its worker and not yet consumed, seconds. */
  readonly maxInFlightS: number;
  /** Open slots by id. */
  readonly slots: Map<number, PoolSlot>;
  /** Slots with something to send this turn. */
  readonly dirty: Set<PoolSlot>;
  /** Resolvers of pending stats requests, by request number. */
  readonly statsWaiters: Map<number, (e: StatsEvent) => void>;
  /** One lane per worker, index = worker index (a crashed lane is replaced in place). */
  readonly lanes: PoolLane[];
  /** Next slot id. */
  nextSlot: number;
  /** Next stats request number. */
  nextRequest: number;
  /** Workers replaced after a crash. */
  replaced: number;
  /** `release()` was called. */
  released: boolean;
  /** The pending flush of this turn, if any. */
  immediate: NodeJS.Immediate | undefined;
}

/** The stats a dead lane reports. */
export const NO_STATS = Object.freeze({ streams: 0, created: 0, released: 0, heapUsedBytes: 0 });

/** A pool state without lanes (the caller starts them with `startLane`). */
export function createPoolState(entry: URL, maxInFlightS: number): PoolState {
  return {
    entry, maxInFlightS, slots: new Map(), dirty: new Set(), statsWaiters: new Map(), lanes: [],
    nextSlot: 1, nextRequest: 1, replaced: 0, released: false, immediate: undefined,
  };
}

/** Removes a slot from the pool's bookkeeping (its lane included); sends nothing. */
export function forgetSlot(pool: PoolState, slot: PoolSlot): void {
  pool.slots.delete(slot.id);
  pool.dirty.delete(slot);
  pool.lanes[slot.worker].slots.delete(slot);
}

/** Schedules `flushPool` for the end of this event-loop turn (once). */
export function scheduleFlush(pool: PoolState): void {
  pool.immediate ??= setImmediate(flushPool, pool);
}

/** Marks a slot as having something to send and schedules the flush. */
export function markDirty(pool: PoolState, slot: PoolSlot): void {
  pool.dirty.add(slot);
  scheduleFlush(pool);
}

/** Dispatches one worker reply (its events in order) to the slots' handlers and the stats waiters. */
function onReply(pool: PoolState, lane: PoolLane, reply: WorkerReply): void {
  lane.ready = true;
  for (const e of reply.events) {
    if (e.ev === 'stats') {
      lane.stats.delete(e.request);
      pool.statsWaiters.get(e.request)?.(e);
      pool.statsWaiters.delete(e.request);
      continue;
    }
    const slot = pool.slots.get(e.slot);
    if (!slot) continue; // closed meanwhile
    switch (e.ev) {
      case 'window':
        slot.handlers.window(e);
        break;
      case 'ack':
        slot.inFlight -= e.samples;
        if (slot.head < slot.queue.length || slot.ending) markDirty(pool, slot);
        break;
      case 'ended':
        forgetSlot(pool, slot);
        slot.handlers.ended();
        break;
      case 'detached':
        forgetSlot(pool, slot);
        slot.handlers.detached?.(e.state);
        break;
      case 'failed':
        forgetSlot(pool, slot);
        slot.handlers.failed(new EmostreamError((e.code ?? 'EMO_ERR_INTERNAL') as EmostreamErrorCode, e.message));
        break;
    }
  }
}

/** Handles the death of lane `index`'s worker: fails its slots, answers its stats requests, replaces it. */
function laneDied(pool: PoolState, lane: PoolLane, index: number, reason: string): void {
  if (lane.dead) return;
  lane.dead = true;
  const victims = [...lane.slots];
  for (const slot of victims) forgetSlot(pool, slot);
  for (const request of lane.stats) pool.statsWaiters.get(request)?.({ ev: 'stats', request, ...NO_STATS });
  // A worker that never started (its modules failed to load) is not replaced: that would loop forever.
  if (!pool.released && lane.ready) {
    pool.replaced++;
    pool.lanes[index] = startLane(pool, index);
  }
  const err = new EmostreamError('EMO_ERR_INTERNAL', `feature worker ${index} crashed (${reason}); its ${victims.length} stream(s) ended`);
  for (const slot of victims) slot.handlers.failed(err);
}

/** Starts the worker of lane `index` and wires its events; the caller stores the lane at `pool.lanes[index]`. */
export function startLane(pool: PoolState, index: number): PoolLane {
  const worker = startWorker(pool.entry);
  const lane: PoolLane = { worker, slots: new Set(), ops: [], transfer: [], ready: false, dead: false, stats: new Set() };
  worker.on('message', (reply: WorkerReply) => onReply(pool, lane, reply));
  worker.on('error', (err) => laneDied(pool, lane, index, err.message));
  worker.on('messageerror', (err) => laneDied(pool, lane, index, `message error: ${err.message}`));
  worker.on('exit', (code) => laneDied(pool, lane, index, `exit code ${code}`));
  return lane;
}

/** Queues a slot's pending operations on its lane: `open` once, chunks within the in-flight budget, then `end` or `detach`. */
function queueSlotOps(pool: PoolState, slot: PoolSlot): void {
  const lane = pool.lanes[slot.worker];
  if (!slot.opened) {
    lane.ops.push({ op: 'open', slot: slot.id, streamId: slot.streamId, sampleRateHz: slot.samplesPerS, ...(slot.restore ? { restore: slot.restore } : {}) });
    slot.opened = true;
  }
  const budget = pool.maxInFlightS * slot.samplesPerS;
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

/** Posts a lane's queued operations as one message (buffers transferred), if there are any. */
function sendLane(lane: PoolLane): void {
  if (lane.ops.length === 0) return;
  const request: WorkerRequest = { ops: lane.ops };
  const transfer = lane.transfer;
  lane.ops = [];
  lane.transfer = [];
  lane.worker.postMessage(request, transfer);
}

/** The per-turn flush: queues every dirty slot's operations, then sends one message per lane. */
export function flushPool(pool: PoolState): void {
  pool.immediate = undefined;
  for (const slot of pool.dirty) queueSlotOps(pool, slot);
  pool.dirty.clear();
  for (const lane of pool.lanes) sendLane(lane);
}
