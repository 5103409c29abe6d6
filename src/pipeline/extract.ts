/**
 * `extractWindows()`: one stream's chunks (at the stream's own rate) → the window extractor (src/pool/
 * window-extractor.ts: resampling to 16 kHz, ComParE 2013 LLDs every 10 ms, 1 Hz pooling, finite check) → pooled
 * windows of 260 features (2 s window, 1 s hop; window w ends at w + 2 s).
 *
 *   in:   --c--c--c--c--c--c--c--c--c--c--|        (100 ms chunks, any rate)
 *   out:  -----------------------w0-------w1-(w2)|  (each window once its last frame is final; the rest on completion)
 *
 * The extractor's lookahead (60 ms frame + 30 ms smoothing/deltas + pitch smoother, ≤ 300 ms) means a window is
 * emitted by a later chunk than the one holding its last sample; `completedAtMs` is that later chunk's arrival.
 * Completion flushes the extractor (the last second is padded to completion: window-extractor.ts); a stream whose
 * rate changes midway errors (EMO_ERR_BAD_AUDIO); error and unsubscribe release the WASM buffers. A stream handed
 * over between processes may start from a saved extractor state and, when detached, ends with its state instead of
 * the flush (HandoffExtractOptions). The feature
 * workers run the same window extractor (extractWindowsInWorkers), so both paths give the same numbers.
 * @see extractWindowsInWorkers (the same stage in a worker thread), inferBatched (after).
 */
import { createWindowExtractor, type WindowExtractor } from '../pool/window-extractor.ts';
import { EmostreamError } from '../errors.ts';
import type { AudioChunk } from '../audio/sources/types.ts';
import { statefulStage } from './stateful-stage.ts';
import type { ExtractorStateItem, Operator, PooledWindow } from './types.ts';

/** Options of `extractWindows` and `extractWindowsInWorkers` for streams handed over between processes. */
export interface HandoffExtractOptions {
  /** A saved extractor state to continue (StreamResume.extractorState). Default: none. */
  readonly restore?: Uint8Array;
  /**
   * Asked when the chunks complete: true (the stream was detached) → no flush; the extractor's state is emitted as
   * an `extractor-state` item instead. Default: never detached.
   */
  readonly detached?: () => boolean;
}

interface ExtractState {
  readonly extractor: WindowExtractor;
  readonly streamId: string;
  readonly rateHz: number;
  /** Windows completed by the current push, emitted after it returns. */
  readonly ready: PooledWindow[];
  currentArrivalMs: number;
}

/** Chunks held while the extractor's WASM is created. */
export const MAX_BACKLOG_CHUNKS = 1000;

/**
 * Operator turning one stream's chunks into pooled 1 Hz feature windows (with `handoff.detached()` true at the end:
 * the windows so far, then the extractor's state instead of the flush).
 */
export function extractWindows(): Operator<AudioChunk, PooledWindow>;
export function extractWindows(handoff: HandoffExtractOptions): Operator<AudioChunk, PooledWindow | ExtractorStateItem>;
export function extractWindows(handoff: HandoffExtractOptions = {}): Operator<AudioChunk, PooledWindow | ExtractorStateItem> {
  return statefulStage<AudioChunk, PooledWindow | ExtractorStateItem, ExtractState>('extract', {
    async init(first) {
      const ready: PooledWindow[] = [];
      const holder = { currentArrivalMs: first.arrivedAtMs };
      const streamId = first.streamId;
      const extractor = await createWindowExtractor({ inputRateHz: first.sampleRateHz, name: `stream "${streamId}"`, restore: handoff.restore }, (w) => {
        ready.push({ type: 'window', streamId, index: w.index, endTimeS: w.endTimeS, features: w.features, completedAtMs: holder.currentArrivalMs });
      });
      return Object.assign(holder, { extractor, streamId, rateHz: first.sampleRateHz, ready });
    },
    next(state, chunk, emit) {
      if (chunk.sampleRateHz !== state.rateHz) {
        throw new EmostreamError('EMO_ERR_BAD_AUDIO', `stream "${state.streamId}" changed its sample rate from ${state.rateHz} to ${chunk.sampleRateHz} Hz`);
      }
      state.currentArrivalMs = chunk.arrivedAtMs;
      state.extractor.push(chunk.samples);
      drain(state, emit);
    },
    complete(state, emit) {
      if (handoff.detached?.()) {
        emit({ type: 'extractor-state', streamId: state.streamId, state: state.extractor.snapshot() });
        return;
      }
      state.extractor.finish();
      drain(state, emit);
    },
    release(state) {
      state.extractor.release();
    },
  }, MAX_BACKLOG_CHUNKS);
}

function drain(state: ExtractState, emit: (w: PooledWindow) => void): void {
  for (let k = 0; k < state.ready.length; k++) emit(state.ready[k]);
  state.ready.length = 0;
}
