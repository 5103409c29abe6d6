/**
 * One stream's extraction state without RxJS: streaming resampler (to 16 kHz, pass-through when already there) →
 * streaming LLD extractor → 1 Hz pooler. It performs exactly the calls `resampleTo` + `extractWindows` perform for
 * the same chunks (push per chunk; at the end the resampler tail, then `finish()`), so its windows are identical.
 * Used by the feature worker (feature-worker.ts), where a stream lives on one thread.
 *
 *   push(c0) push(c1) … finish()      → onWindow(w0) … onWindow(wn)   (each window once its last frame is final)
 */
import { createStreamingResampler, ANALYSIS_RATE_HZ, type StreamingResampler } from '../audio/resample.ts';
import { createLldExtractor, type LldExtractor } from '../features/extractor.ts';
import { createPooler } from '../pool/pooler.ts';
import { EmostreamError } from '../errors.ts';

/** Receives one pooled window (own copy of the 260 features) and the arrival time of the chunk that completed it. */
export type ExtractedWindowHandler = (index: number, endTimeS: number, features: Float32Array, completedAtMs: number) => void;

/** A stream's resampler + extractor + pooler. */
export interface StreamExtraction {
  /** Adds one chunk at the stream's own rate (arrival `arrivedAtMs`, the caller's clock); emits completed windows. */
  push(samples: Float32Array, arrivedAtMs: number): void;
  /** End of input: flushes the resampler tail and the extractor's lookahead; emits the last windows. */
  finish(): void;
  /** Frees the WASM state (idempotent). */
  release(): void;
}

/** Creates the extraction state of stream `streamId` whose chunks arrive at `sampleRateHz`. */
export async function createStreamExtraction(streamId: string, sampleRateHz: number, onWindow: ExtractedWindowHandler): Promise<StreamExtraction> {
  let arrivedAtMs = 0;
  const pooler = createPooler((features, index, endTimeS) => {
    for (let k = 0; k < features.length; k++) {
      if (!Number.isFinite(features[k])) {
        throw new EmostreamError('EMO_ERR_BAD_FEATURES', `stream "${streamId}": pooled feature ${k} of window ${index} is ${features[k]}`);
      }
    }
    onWindow(index, endTimeS, features.slice(), arrivedAtMs);
  });
  const resampler: StreamingResampler | undefined = sampleRateHz === ANALYSIS_RATE_HZ
    ? undefined
    : await createStreamingResampler(sampleRateHz, ANALYSIS_RATE_HZ);
  let extractor: LldExtractor;
  try {
    extractor = await createLldExtractor({ sampleRateHz: ANALYSIS_RATE_HZ }, (row) => pooler.push(row));
  } catch (err) {
    resampler?.release();
    throw err;
  }
  let released = false;
  return {
    push(samples, at) {
      arrivedAtMs = at;
      const out = resampler ? resampler.push(samples) : samples;
      if (out.length > 0) extractor.push(out);
    },
    finish() {
      if (resampler) {
        const tail = resampler.flush();
        if (tail.length > 0) extractor.push(tail);
      }
      extractor.finish();
    },
    release() {
      if (released) return;
      released = true;
      resampler?.release();
      extractor.release();
    },
  };
}
