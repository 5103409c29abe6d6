/**
 * `extractWindows()`: one stream's 16 kHz chunks → ComParE 2013 LLD rows (streaming extractor, 10 ms hop) → 1 Hz
 * pooled windows of 260 features (2 s window, 1 s hop; window w ends at w + 2 s).
 *
 *   in:   --c--c--c--c--c--c--c--c--c--c--|        (100 ms chunks)
 *   out:  -----------------------w0-------w1-(w2)|  (each window once its last frame is final; the rest on completion)
 *
 * The extractor's lookahead (60 ms frame + 30 ms smoothing/deltas + pitch smoother, ≤ 300 ms) means a window is
 * emitted by a later chunk than the one holding its last sample; `completedAtMs` is that later chunk's arrival.
 * Completion calls `extractor.finish()` (the last frames become final, possibly completing one more window);
 * error and unsubscribe release the WASM buffers. Chunking never changes a number (extractor and pooler are
 * chunk-size invariant), so offline analysis equals live analysis.
 * @see resampleTo (before), inferBatched (after).
 */
import { createLldExtractor, type LldExtractor } from '../features/extractor.ts';
import { createPooler, type Pooler } from '../pool/pooler.ts';
import { ANALYSIS_RATE_HZ } from '../audio/resample.ts';
import { EmostreamError } from '../errors.ts';
import type { AudioChunk } from '../audio/sources/types.ts';
import { statefulStage } from './stateful-stage.ts';
import type { Operator, PooledWindow } from './types.ts';

interface ExtractState {
  readonly extractor: LldExtractor;
  readonly pooler: Pooler;
  readonly streamId: string;
  /** Windows completed by the current push, emitted after it returns. */
  readonly ready: PooledWindow[];
  currentArrivalMs: number;
}

/** Chunks held while the extractor's WASM is created. */
const MAX_BACKLOG_CHUNKS = 1000;

function checkFinite(streamId: string, features: Float32Array, index: number): void {
  for (let k = 0; k < features.length; k++) {
    if (!Number.isFinite(features[k])) {
      throw new EmostreamError('EMO_ERR_BAD_FEATURES', `stream "${streamId}": pooled feature ${k} of window ${index} is ${features[k]}`);
    }
  }
}

/** Operator turning one stream's 16 kHz chunks into pooled 1 Hz feature windows. */
export function extractWindows(): Operator<AudioChunk, PooledWindow> {
  return statefulStage<AudioChunk, PooledWindow, ExtractState>('extract', {
    async init(first) {
      const ready: PooledWindow[] = [];
      const state: { -readonly [K in keyof ExtractState]: ExtractState[K] } = {
        extractor: undefined as unknown as LldExtractor,
        pooler: undefined as unknown as Pooler,
        streamId: first.streamId,
        ready,
        currentArrivalMs: first.arrivedAtMs,
      };
      state.pooler = createPooler((features, index, endTimeS) => {
        checkFinite(state.streamId, features, index);
        ready.push({ type: 'window', streamId: state.streamId, index, endTimeS, features: features.slice(), completedAtMs: state.currentArrivalMs });
      });
      state.extractor = await createLldExtractor({ sampleRateHz: ANALYSIS_RATE_HZ }, (row) => state.pooler.push(row));
      return state;
    },
    next(state, chunk, emit) {
      if (chunk.sampleRateHz !== ANALYSIS_RATE_HZ) {
        throw new EmostreamError('EMO_ERR_INTERNAL', `extractWindows needs ${ANALYSIS_RATE_HZ} Hz chunks, got ${chunk.sampleRateHz} Hz (resample first)`);
      }
      state.currentArrivalMs = chunk.arrivedAtMs;
      state.extractor.push(chunk.samples);
      drain(state, emit);
    },
    complete(state, emit) {
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
