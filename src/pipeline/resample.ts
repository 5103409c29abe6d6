/**
 * `resampleTo(rateHz)`: converts every chunk of one stream to `rateHz` with the streaming Speex resampler
 * (chunking-invariant, so a file and a live stream of the same audio give the same samples).
 *
 *   in:   --a(44.1k)--b(44.1k)--|
 *   out:  --a'(16k)---b'(16k)---t'|     (t' = filter tail, emitted at completion)
 *
 * Chunks already at `rateHz` pass through untouched. A stream changing its rate midway errors (rates are fixed per
 * stream). Completion flushes the filter tail; error and unsubscribe free the WASM state.
 * @see extractWindows, the next stage.
 */
import { createStreamingResampler, type StreamingResampler } from '../audio/resample.ts';
import { EmostreamError } from '../errors.ts';
import type { AudioChunk } from '../audio/sources/types.ts';
import { statefulStage } from './stateful-stage.ts';
import type { Operator } from './types.ts';

interface ResampleState {
  readonly fromHz: number;
  readonly resampler: StreamingResampler | undefined; // undefined: pass-through
  lastArrivedAtMs: number;
  streamId: string;
}

/** Chunks held while the resampler is created (WASM load on first use). */
const MAX_BACKLOG_CHUNKS = 1000;

/** Operator resampling one stream's chunks to `rateHz` (Speex, quality 7). */
export function resampleTo(rateHz: number): Operator<AudioChunk, AudioChunk> {
  return statefulStage<AudioChunk, AudioChunk, ResampleState>('resample', {
    async init(first) {
      const resampler = first.sampleRateHz === rateHz ? undefined : await createStreamingResampler(first.sampleRateHz, rateHz);
      return { fromHz: first.sampleRateHz, resampler, lastArrivedAtMs: first.arrivedAtMs, streamId: first.streamId };
    },
    next(state, chunk, emit) {
      if (chunk.sampleRateHz !== state.fromHz) {
        throw new EmostreamError('EMO_ERR_BAD_AUDIO', `stream "${chunk.streamId}" changed its sample rate from ${state.fromHz} to ${chunk.sampleRateHz} Hz`);
      }
      state.lastArrivedAtMs = chunk.arrivedAtMs;
      if (!state.resampler) {
        emit(chunk);
        return;
      }
      const samples = state.resampler.push(chunk.samples);
      if (samples.length > 0) emit({ streamId: chunk.streamId, samples, sampleRateHz: rateHz, arrivedAtMs: chunk.arrivedAtMs });
    },
    complete(state, emit) {
      if (!state.resampler) return;
      const tail = state.resampler.flush();
      if (tail.length > 0) emit({ streamId: state.streamId, samples: tail, sampleRateHz: rateHz, arrivedAtMs: state.lastArrivedAtMs });
    },
    release(state) {
      state.resampler?.release();
    },
  }, MAX_BACKLOG_CHUNKS);
}
