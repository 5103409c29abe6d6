/**
 * The message contract between the feature-worker pool (feature-pool.ts, main thread) and its workers
 * (feature-worker.ts). One message each way per batch: the main thread sends every operation of an event-loop turn
 * as one `WorkerRequest` (sample buffers transferred); a worker answers each request with one `WorkerReply` (window
 * buffers transferred). Streams are named by a pool-wide `slot` number (a stream id may be reused after it ends).
 * Times (`arrivedAtMs`, `completedAtMs`) are main-thread `performance.now()` values, echoed unchanged by the worker.
 */

/** Starts stream `slot` whose chunks arrive at `sampleRateHz` (continuing the extractor state `restore` if given). */
export interface OpenOp { readonly op: 'open'; readonly slot: number; readonly streamId: string; readonly sampleRateHz: number; readonly restore?: Uint8Array }
/** One chunk of stream `slot` at its own rate. */
export interface ChunkOp { readonly op: 'chunk'; readonly slot: number; readonly samples: Float32Array; readonly arrivedAtMs: number }
/** End of stream `slot`: flush its last windows, free its state, answer `ended`. */
export interface EndOp { readonly op: 'end'; readonly slot: number }
/** Detach stream `slot` (hand-off): no flush; answer `detached` with its extractor state, free it. */
export interface DetachOp { readonly op: 'detach'; readonly slot: number }
/** Abandon stream `slot`: free its state without flushing (unsubscribe, upstream error). No answer. */
export interface CloseOp { readonly op: 'close'; readonly slot: number }
/** Report the worker's live state (answered with `stats`). */
export interface StatsOp { readonly op: 'stats'; readonly request: number }
/** Test-only: throw `message` as an uncaught exception in the worker (it dies; the pool replaces it). */
export interface CrashOp { readonly op: 'crash'; readonly message: string }

/** An operation sent to a worker. */
export type WorkerOp = OpenOp | ChunkOp | EndOp | DetachOp | CloseOp | StatsOp | CrashOp;

/** Main thread → worker: the operations of one event-loop turn, in order. */
export interface WorkerRequest { readonly ops: readonly WorkerOp[] }

/** A pooled window of stream `slot` (features: own buffer, transferred). */
export interface WindowEvent {
  readonly ev: 'window';
  readonly slot: number;
  readonly index: number;
  readonly endTimeS: number;
  readonly features: Float32Array;
  readonly completedAtMs: number;
}
/** `samples` samples of stream `slot` were consumed (frees room in its in-flight budget). */
export interface AckEvent { readonly ev: 'ack'; readonly slot: number; readonly samples: number }
/** Stream `slot` ended normally; all its windows were sent before this event. */
export interface EndedEvent { readonly ev: 'ended'; readonly slot: number }
/** Stream `slot` was detached; all its windows were sent before this event; `state`: its extractor state (transferred). */
export interface DetachedEvent { readonly ev: 'detached'; readonly slot: number; readonly state: Uint8Array }
/** Stream `slot` failed (its state is freed); `code` is the EmostreamError code when there is one. */
export interface FailedEvent { readonly ev: 'failed'; readonly slot: number; readonly code: string | undefined; readonly message: string }
/** Live state of a worker. */
export interface StatsEvent {
  readonly ev: 'stats';
  readonly request: number;
  /** Streams holding extraction state now. */
  readonly streams: number;
  /** Extraction states created / freed since the worker started. */
  readonly created: number;
  readonly released: number;
  /** JS heap used by the worker's isolate, bytes. */
  readonly heapUsedBytes: number;
}

/** Something a worker reports. */
export type WorkerEvent = WindowEvent | AckEvent | EndedEvent | DetachedEvent | FailedEvent | StatsEvent;

/** Worker → main thread: the events of one request, in order. */
export interface WorkerReply { readonly events: readonly WorkerEvent[] }
