/**
 * The one window extractor every caller uses (`emostream extract`, the pipeline in the main thread, the feature
 * workers, the trainer): samples at the stream's own rate → streaming Speex resampler (to the analysis rate; none
 * when the rates agree) → streaming ComParE 2013 LLD extractor (130 values per 10 ms frame) → 1 Hz pooler (mean
 * and population SD over 2 s windows, 1 s hop: 260 features) → finite check → `onWindow`.
 *
 *   push(c0) push(c1) … finish()   →   onFrame(row 0) … onWindow(w0) … onWindow(wn)
 *
 * Chunking never changes a number (each stage is chunk-size invariant), so a file, a live stream and a training
 * sequence of the same audio give identical windows.
 *
 * End of input (`finish`): the resampler tail is flushed; then, with `padTail` (the default), the audio is padded
 * with at most 50 ms of zeros so that the window ending at the last whole second the audio reaches is complete
 * (a 10.0 s input ends at t = 10: its last 60 ms frame, starting at 9.99 s, needs 50 ms past the end). `onFrame`
 * receives only the frames of real audio (as openSMILE writes them); the padded frames feed the last window.
 */
import { EmostreamError } from '../errors.ts';
import { ANALYSIS_RATE_HZ, createStreamingResampler, type ResamplerSnapshot, type StreamingResampler } from '../audio/resample.ts';
import { createLldExtractor, type LldExtractor, type LldExtractorSnapshot } from '../features/extractor.ts';
import { frameCountOf } from '../features/frame-geometry.ts';
import type { VoicingDeltaMode } from '../features/lld-post.ts';
import { createPooler, DEFAULT_POOLING, POOLED_WIDTH, type PoolerSnapshot } from './pooler.ts';
import { decodeSnapshot, encodeSnapshot, type SnapshotValue } from './snapshot-codec.ts';

/** Options of `createWindowExtractor`. */
export interface WindowExtractorOptions {
  /** Rate of the pushed samples, Hz (8000–192000). Required. */
  readonly inputRateHz: number;
  /** Rate the features are computed at: Hz, or 'native' (the input rate, no resampling). Default 16000. */
  readonly analysisRate?: number | 'native';
  /** Voicing-group delta normaliser (see src/features/lld-post.ts). Default 'correct'. */
  readonly voicingDeltas?: VoicingDeltaMode;
  /** Pad the end so the last whole second gets its window (see the module header). Default true. */
  readonly padTail?: boolean;
  /** Name used in error messages. Default 'stream'. */
  readonly name?: string;
  /**
   * A `snapshot()` of an extractor with the same rates and mode: this one continues it exactly (window numbers,
   * every value), e.g. a stream handed over to another process. Default: none (a new stream).
   */
  readonly restore?: Uint8Array;
}

/** One pooled window: features of [index, index + 2) s. */
export interface FeatureWindow {
  /** Window number w (0-based). */
  readonly index: number;
  /** End of the window in stream seconds (w + 2). */
  readonly endTimeS: number;
  /** The 260 pooled features (own copy: the receiver may keep it). */
  readonly features: Float32Array;
}

/** Receives one LLD frame row (130 values; the array is reused: copy what you keep) and its index. */
export type FrameRowCallback = (row: Float32Array, index: number) => void;

/** A running extractor. */
export interface WindowExtractor {
  /** The analysis rate in Hz. */
  readonly analysisRateHz: number;
  /** Adds samples at `inputRateHz` (any length); windows completed by them are delivered before it returns. */
  push(samples: Float32Array): void;
  /** End of input: flushes the resampler and the extractor's lookahead, pads the tail, delivers the last windows. */
  finish(): void;
  /** Windows delivered so far. */
  readonly windows: number;
  /** Frees the WASM state (idempotent; `finish` does not release). */
  release(): void;
  /**
   * The whole state between two pushes (resampler input to replay, LLD extractor, pooler), encoded
   * (snapshot-codec.ts): `restore` makes another extractor continue from here exactly. Not after `finish`.
   */
  snapshot(): Uint8Array;
}

/** Version of the snapshot layout; a state of another version is refused (EMO_ERR_BAD_CONFIG). */
export const EXTRACTOR_STATE_FORMAT = 1;

interface ExtractorState {
  readonly format: number;
  readonly inputRateHz: number;
  readonly analysisRateHz: number;
  readonly voicingDeltas: VoicingDeltaMode;
  readonly resampler: ResamplerSnapshot | null;
  readonly lld: LldExtractorSnapshot;
  readonly pooler: PoolerSnapshot;
}

/** The input rate of an encoded extractor state (without decoding its arrays), or undefined if it is not one. */
export function extractorStateRate(bytes: Uint8Array): number | undefined {
  try {
    const state = decodeSnapshot(bytes) as unknown as ExtractorState;
    return state.format === EXTRACTOR_STATE_FORMAT ? state.inputRateHz : undefined;
  } catch {
    return undefined;
  }
}

/** Default options (inputRateHz has none). */
export const DEFAULT_WINDOW_EXTRACTOR_OPTIONS = Object.freeze({ analysisRate: ANALYSIS_RATE_HZ, voicingDeltas: 'correct', padTail: true, name: 'stream' } as const);

function checkFinite(name: string, features: Float32Array, index: number): void {
  for (let k = 0; k < features.length; k++) {
    if (!Number.isFinite(features[k])) {
      throw new EmostreamError('EMO_ERR_BAD_FEATURES', `${name}: pooled feature ${k} of window ${index} is ${features[k]}`);
    }
  }
}

/** Samples at `rateHz` after which the window ending at the last whole second of `samples` is complete. */
export function paddedLength(samples: number, rateHz: number): number {
  const hop = Math.round(0.01 * rateHz);
  const frame = Math.round(0.06 * rateHz);
  const framesPerSecond = Math.round(rateHz / hop);
  const lastSecond = Math.floor((samples + 1e-6) / rateHz);
  if (lastSecond * framesPerSecond < DEFAULT_POOLING.windowRows) return samples;
  const needed = (lastSecond * framesPerSecond - 1) * hop + frame;
  return Math.max(samples, needed);
}

/** Creates a window extractor calling `onWindow` per pooled window and `onFrame` per LLD frame of real audio. */
export async function createWindowExtractor(
  options: WindowExtractorOptions,
  onWindow: (window: FeatureWindow) => void,
  onFrame?: FrameRowCallback,
): Promise<WindowExtractor> {
  const { inputRateHz } = options;
  const name = options.name ?? DEFAULT_WINDOW_EXTRACTOR_OPTIONS.name;
  const requested = options.analysisRate ?? DEFAULT_WINDOW_EXTRACTOR_OPTIONS.analysisRate;
  const analysisRateHz = requested === 'native' ? inputRateHz : requested;
  const padTail = options.padTail ?? DEFAULT_WINDOW_EXTRACTOR_OPTIONS.padTail;
  if (!Number.isFinite(inputRateHz) || inputRateHz < 8000 || inputRateHz > 192000) {
    throw new EmostreamError('EMO_ERR_BAD_AUDIO', `${name}: sample rate must be 8000–192000 Hz, got ${inputRateHz}`);
  }
  const voicingDeltas = options.voicingDeltas ?? DEFAULT_WINDOW_EXTRACTOR_OPTIONS.voicingDeltas;
  const saved = options.restore ? decodeState(options.restore, inputRateHz, analysisRateHz, voicingDeltas, name) : undefined;
  let realFrames = Infinity; // frames of real audio, known at finish()
  let windows = 0;
  const pooler = createPooler((features, index, endTimeS) => {
    checkFinite(name, features, index);
    windows++;
    onWindow({ index, endTimeS, features: features.slice() });
  });
  const resampler: StreamingResampler | undefined = analysisRateHz === inputRateHz
    ? undefined
    : await createStreamingResampler(inputRateHz, analysisRateHz, {}, saved?.resampler ?? undefined);
  let extractor: LldExtractor;
  try {
    extractor = await createLldExtractor({ sampleRateHz: analysisRateHz, voicingDeltas }, (row, index) => {
      if (onFrame && index < realFrames) onFrame(row, index);
      pooler.push(row);
    });
    if (saved) {
      extractor.restore(saved.lld);
      pooler.restore(saved.pooler);
      windows = saved.pooler.windows;
    }
  } catch (err) {
    resampler?.release();
    throw err;
  }
  let finished = false;
  let released = false;
  return {
    analysisRateHz,
    push(samples) {
      if (finished || released) throw new EmostreamError('EMO_ERR_INTERNAL', `${name}: push() after finish() or release()`);
      const out = resampler ? resampler.push(samples) : samples;
      if (out.length > 0) extractor.push(out);
    },
    finish() {
      if (finished) return;
      finished = true;
      if (resampler) {
        const tail = resampler.flush();
        if (tail.length > 0) extractor.push(tail);
      }
      const real = extractor.samplesIn;
      realFrames = frameCountOf(real, extractor.geometry);
      const padded = padTail ? paddedLength(real, analysisRateHz) : real;
      if (padded > real) extractor.push(new Float32Array(padded - real));
      extractor.finish();
    },
    get windows() {
      return windows;
    },
    release() {
      if (released) return;
      released = true;
      resampler?.release();
      extractor.release();
    },
    snapshot() {
      if (finished || released) throw new EmostreamError('EMO_ERR_INTERNAL', `${name}: snapshot() after finish() or release()`);
      const state: ExtractorState = {
        format: EXTRACTOR_STATE_FORMAT, inputRateHz, analysisRateHz, voicingDeltas,
        resampler: resampler?.snapshot() ?? null, lld: extractor.snapshot(), pooler: pooler.snapshot(),
      };
      return encodeSnapshot(state as unknown as SnapshotValue);
    },
  };
}

/** Decodes a saved state and checks that it belongs to an extractor like this one. */
function decodeState(bytes: Uint8Array, inputRateHz: number, analysisRateHz: number, voicingDeltas: VoicingDeltaMode, name: string): ExtractorState {
  const state = decodeSnapshot(bytes) as unknown as ExtractorState;
  if (state?.format !== EXTRACTOR_STATE_FORMAT) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${name}: extractor state of format ${state?.format}, expected ${EXTRACTOR_STATE_FORMAT}`);
  if (state.inputRateHz !== inputRateHz || state.analysisRateHz !== analysisRateHz || state.voicingDeltas !== voicingDeltas) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${name}: extractor state for ${state.inputRateHz} Hz → ${state.analysisRateHz} Hz (${state.voicingDeltas}) does not fit ${inputRateHz} Hz → ${analysisRateHz} Hz (${voicingDeltas})`);
  }
  if ((state.resampler === null) !== (inputRateHz === analysisRateHz)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${name}: extractor state without its resampler`);
  return state;
}

/** Pooled windows of a whole signal at `inputRateHz`: `windows` is count × 260, row-major. */
export async function extractWindowMatrix(
  samples: Float32Array,
  options: WindowExtractorOptions,
): Promise<{ windows: Float32Array; count: number }> {
  const rows: Float32Array[] = [];
  const extractor = await createWindowExtractor(options, (w) => rows.push(w.features));
  try {
    extractor.push(samples);
    extractor.finish();
  } finally {
    extractor.release();
  }
  const windows = new Float32Array(rows.length * POOLED_WIDTH);
  rows.forEach((w, i) => windows.set(w, i * POOLED_WIDTH));
  return { windows, count: rows.length };
}
