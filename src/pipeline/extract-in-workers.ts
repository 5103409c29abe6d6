/**
 * `extractWindowsInWorkers(pool)`: `extractWindows()` of one stream, run in a feature worker
 * thread (feature-pool.ts) instead of this one. The chunks (at the stream's own rate) are handed to the stream's
 * worker, which sends back the pooled windows; same code, same calls, so the same numbers as the in-thread path.
 *
 *   in:   --c--c--c--c--c--c--c--c--c--c--|           (chunks, any rate)
 *   out:  ----------------------w0---L----w1-(w2)|     (windows as the worker completes them; L: lag notice)
 *
 * The stream's audio waiting for extraction (queued here or in its worker) is bounded: above `lagAfterS` one `lag`
 * event is emitted (re-armed when the backlog halves); above `maxQueuedS` the stream fails with protocol code
 * `server_full` (its worker cannot keep up). Completion flushes the worker's lookahead and completes after the last
 * window; a worker crash errors this stream (EMO_ERR_INTERNAL); error and unsubscribe free the worker state.
 * `completedAtMs` is this thread's arrival time of the chunk that completed the window, as in-thread.
 * @see extractWindows (the in-thread operator), inferBatched (after).
 */
import { Observable } from 'rxjs';
import { EmostreamError } from '../errors.ts';
import type { AudioChunk } from '../audio/sources/types.ts';
import type { FeaturePool, FeatureStream, FeatureStreamHandlers } from './feature-pool.ts';
import type { HandoffExtractOptions } from './extract.ts';
import type { ExtractorStateItem, LagEvent, Operator, PooledWindow } from './types.ts';

/** Options of `extractWindowsInWorkers`. */
export interface WorkerExtractOptions {
  /** Audio of one stream waiting for extraction before a `lag` event, seconds (> 0). Default 5. */
  readonly lagAfterS?: number;
  /** Audio of one stream waiting for extraction before it fails with `server_full`, seconds (Infinity: unbounded). Default 60. */
  readonly maxQueuedS?: number;
}

/** Defaults of `extractWindowsInWorkers`. */
export const DEFAULT_WORKER_EXTRACT_OPTIONS: Readonly<Required<WorkerExtractOptions>> = Object.freeze({ lagAfterS: 5, maxQueuedS: 60 });

/**
 * Operator turning one stream's chunks (any rate) into pooled 1 Hz windows in a feature worker (`handoff`: as in
 * extractWindows, the worker restores a saved state and, when detached, answers with its state instead of the flush).
 */
export function extractWindowsInWorkers(pool: FeaturePool, options?: WorkerExtractOptions): Operator<AudioChunk, PooledWindow | LagEvent>;
export function extractWindowsInWorkers(pool: FeaturePool, options: WorkerExtractOptions, handoff: HandoffExtractOptions): Operator<AudioChunk, PooledWindow | LagEvent | ExtractorStateItem>;
export function extractWindowsInWorkers(pool: FeaturePool, options: WorkerExtractOptions = {}, handoff: HandoffExtractOptions = {}): Operator<AudioChunk, PooledWindow | LagEvent | ExtractorStateItem> {
  const lagAfterS = options.lagAfterS ?? DEFAULT_WORKER_EXTRACT_OPTIONS.lagAfterS;
  const maxQueuedS = options.maxQueuedS ?? DEFAULT_WORKER_EXTRACT_OPTIONS.maxQueuedS;
  if (!(lagAfterS > 0) || !(maxQueuedS >= lagAfterS)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `need 0 < lagAfterS ≤ maxQueuedS, got ${lagAfterS} and ${maxQueuedS} s`);
  }
  return (source) => new Observable<PooledWindow | LagEvent | ExtractorStateItem>((subscriber) => {
    let stream: FeatureStream | undefined;
    let streamId = '';
    let rateHz = 0;
    let lagging = false;
    let done = false;
    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      stream?.close();
      subscriber.error(err);
    };
    const handlers: FeatureStreamHandlers = {
      window(w) {
        subscriber.next({ type: 'window', streamId, index: w.index, endTimeS: w.endTimeS, features: w.features, completedAtMs: w.completedAtMs });
      },
      ended() {
        done = true;
        subscriber.complete();
      },
      detached(state) {
        done = true;
        subscriber.next({ type: 'extractor-state', streamId, state });
        subscriber.complete();
      },
      failed: fail,
    };
    const subscription = source.subscribe({
      next(chunk) {
        if (done) return;
        if (!stream) {
          streamId = chunk.streamId;
          rateHz = chunk.sampleRateHz;
          try {
            stream = pool.open(streamId, rateHz, handlers, handoff.restore);
          } catch (err) {
            fail(err);
            return;
          }
        } else if (chunk.sampleRateHz !== rateHz) {
          fail(new EmostreamError('EMO_ERR_BAD_AUDIO', `stream "${streamId}" changed its sample rate from ${rateHz} to ${chunk.sampleRateHz} Hz`));
          return;
        }
        stream.push(chunk.samples, chunk.arrivedAtMs);
        const waitingS = stream.queuedSamples / rateHz;
        if (waitingS > maxQueuedS) {
          const message = `stream "${streamId}": ${waitingS.toFixed(1)} s of audio wait for feature extraction (limit ${maxQueuedS} s); the server cannot keep up`;
          fail(Object.assign(new EmostreamError('EMO_ERR_OVERLOAD', message), { protocolCode: 'server_full' }));
        } else if (!lagging && waitingS > lagAfterS) {
          lagging = true;
          subscriber.next({ type: 'lag', streamId, pendingWindows: Math.ceil(waitingS) });
        } else if (lagging && waitingS <= lagAfterS / 2) {
          lagging = false;
        }
      },
      error: fail,
      complete() {
        if (done) return;
        if (stream) handoff.detached?.() ? stream.detach() : stream.end();
        else {
          done = true;
          subscriber.complete();
        }
      },
    });
    return () => {
      done = true;
      subscription.unsubscribe();
      stream?.close();
    };
  });
}
