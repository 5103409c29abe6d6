/**
 * Sample-rate conversion with the SpeexDSP resampler (windowed-sinc polyphase filter, Kaiser
 * window; xiph/speexdsp libspeexdsp/resample.c) compiled to WASM by
 * @echogarden/speex-resampler-wasm. The filter delay is removed (speex `skip_zeros` at the
 * start, a zero tail at flush), so output sample k sits at input time k · fromHz / toHz and an
 * input of N samples yields exactly ceil(N · toHz / fromHz) samples.
 *
 * Chunking does not change the result: the streaming resampler is bit-exact against the one-shot
 * `resample` for any split of the input (asserted in test/audio/resample.test.ts).
 */
import { EMPTY, loadSpeex, openSpeexRun, restoreSpeexRun, pushSpeex, flushSpeex, releaseSpeexRun, snapshotSpeex, usedAfterRelease } from './speex-run.ts';
import { EmostreamError } from '../errors.ts';

/** The rate all feature extraction runs at. */
export const ANALYSIS_RATE_HZ = 16000;

/** Options of `resample` and `createStreamingResampler`. */
export interface ResampleOptions {
  /**
   * Speex quality 0..10 (integer): higher means a longer filter, a sharper transition band and
   * more stop-band attenuation, at more CPU. Default 7 (128-tap base filter). Measured for
   * 44.1/96 kHz → 16 kHz: flat (< 0.01 dB) to 7 kHz, −2.1 dB at 7.5 kHz, > 110 dB rejection of
   * aliases from 8.5 kHz up (the test asserts < 0.1 dB and > 80 dB); 60 s of 44.1 kHz audio
   * takes ~0.16 s on one core (quality 5: 0.10 s, 10: 0.40 s).
   */
  readonly quality?: number;
}

/** Default resampler options (quality 7). */
export const DEFAULT_RESAMPLE_OPTIONS: Readonly<Required<ResampleOptions>> = Object.freeze({ quality: 7 });

/** A stateful resampler for live sources: push chunks of any size, flush once at the end. */
export interface StreamingResampler {
  readonly fromHz: number;
  readonly toHz: number;
  /** Resamples one chunk (not retained); returns the output that became available, possibly empty. */
  push(chunk: Float32Array): Float32Array;
  /** Drains the filter tail, returns the remaining output and releases the WASM state. */
  flush(): Float32Array;
  /** Frees the WASM state without flushing; idempotent. Push/flush afterwards throw. */
  release(): void;
  /**
   * The state as input to replay (see ResamplerSnapshot); pass it to `createStreamingResampler` to continue this
   * resampler elsewhere, bit for bit.
   */
  snapshot(): ResamplerSnapshot;
}

/**
 * The state of a streaming resampler, as the input that rebuilds it: the Speex filter's state after input sample
 * n depends only on the last filter-length input samples and on the phase n · toHz / fromHz, so a fresh resampler
 * fed `history` (the last input samples, starting at an input index where the phase is 0) is in the very same state.
 * Its output on the replay is discarded; the counters continue (test/audio/resample.test.ts checks the equality).
 */
export interface ResamplerSnapshot {
  readonly fromHz: number;
  readonly toHz: number;
  readonly quality: number;
  /** Input samples pushed and output samples returned so far. */
  readonly totalIn: number;
  readonly totalOut: number;
  /** The last input samples (all since input index totalIn − history.length). */
  readonly history: Float32Array;
}

const MAX_RATE_HZ = 1_000_000;

function validateRate(hz: number, what: string): void {
  if (!Number.isInteger(hz) || hz < 1 || hz > MAX_RATE_HZ) {
    throw new EmostreamError('EMO_ERR_BAD_AUDIO', `${what} must be an integer in 1..${MAX_RATE_HZ} Hz, got ${hz}`);
  }
}

/** Throws EMO_ERR_BAD_CONFIG unless `options.quality` (if given) is an integer in 0..10. */
export function validateResampleOptions(options: ResampleOptions): void {
  const q = options.quality ?? DEFAULT_RESAMPLE_OPTIONS.quality;
  if (!Number.isInteger(q) || q < 0 || q > 10) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `resampler quality must be an integer in 0..10, got ${q}`);
  }
}

function createPassThrough(rateHz: number, quality: number, from: ResamplerSnapshot | undefined): StreamingResampler {
  let open = true;
  let total = from?.totalIn ?? 0;
  return {
    fromHz: rateHz,
    toHz: rateHz,
    push: (chunk) => (open ? ((total += chunk.length), chunk.slice()) : usedAfterRelease()),
    flush: () => (open ? ((open = false), EMPTY) : usedAfterRelease()),
    release: () => { open = false; },
    snapshot: () => ({ fromHz: rateHz, toHz: rateHz, quality, totalIn: total, totalOut: total, history: EMPTY }),
  };
}

/**
 * Creates a streaming Speex resampler from `fromHz` to `toHz` (identity copy when equal); with `from` (a
 * `snapshot()` of a resampler of the same rates and quality) it continues that resampler exactly.
 */
export async function createStreamingResampler(
  fromHz: number,
  toHz: number,
  options: ResampleOptions = {},
  from?: ResamplerSnapshot,
): Promise<StreamingResampler> {
  validateRate(fromHz, 'input sample rate');
  validateRate(toHz, 'output sample rate');
  validateResampleOptions(options);
  const quality = options.quality ?? DEFAULT_RESAMPLE_OPTIONS.quality;
  if (from && (from.fromHz !== fromHz || from.toHz !== toHz || from.quality !== quality)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `resampler state ${from.fromHz} → ${from.toHz} Hz (quality ${from.quality}) does not fit ${fromHz} → ${toHz} Hz (quality ${quality})`);
  }
  if (fromHz === toHz) return createPassThrough(fromHz, quality, from);
  const r = openSpeexRun(await loadSpeex(), fromHz, toHz, quality);
  if (from) restoreSpeexRun(r, from);
  return {
    fromHz,
    toHz,
    push: (chunk) => pushSpeex(r, chunk),
    flush: () => flushSpeex(r),
    release: () => releaseSpeexRun(r),
    snapshot: () => snapshotSpeex(r),
  };
}

/** Resamples a whole signal from `fromHz` to `toHz` (Speex; a copy when the rates are equal). */
export async function resample(
  samples: Float32Array,
  fromHz: number,
  toHz: number,
  options: ResampleOptions = {},
): Promise<Float32Array> {
  const resampler = await createStreamingResampler(fromHz, toHz, options);
  const head = resampler.push(samples);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}
