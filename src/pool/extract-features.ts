/**
 * Whole-file feature extraction for library users: decode a file (or take samples) → the one window extractor
 * (window-extractor.ts) → the 260 pooled features per second and, on request, the 130 LLD values per 10 ms frame.
 * The streaming form is `createWindowExtractor`; both give identical numbers.
 */
import { loadAudioFile } from '../audio/load-file.ts';
import { EmostreamError } from '../errors.ts';
import { FRAME_WIDTH } from '../features/registry.ts';
import { POOLED_WIDTH } from './pooler.ts';
import { createWindowExtractor, type WindowExtractorOptions } from './window-extractor.ts';

/** Options of `extractFeatures`. */
export interface ExtractFeaturesOptions extends Pick<WindowExtractorOptions, 'analysisRate' | 'voicingDeltas' | 'padTail'> {
  /** Also return the LLD frame rows (65 LLDs + 65 deltas per 10 ms). Default false. */
  readonly llds?: boolean;
}

/** Samples to analyse instead of a file. */
export interface SamplesInput {
  /** Mono samples, nominally in [−1, 1]. */
  readonly samples: Float32Array;
  /** Their rate, Hz (8000–192000). */
  readonly sampleRateHz: number;
}

/** What `extractFeatures` returns. */
export interface ExtractedFeatures {
  /** Pooled windows, row-major `[windows, 260]` (names: POOLED_FEATURE_NAMES). */
  readonly windows: Float32Array;
  /** Number of windows (one per second from t = 2 s). */
  readonly windowCount: number;
  /** End time of each window in seconds (w + 2). */
  readonly windowEndTimesS: readonly number[];
  /** LLD frames, row-major `[frames, 130]` (names: FRAME_COLUMN_NAMES), frame k at k · 10 ms; with `llds: true`. */
  readonly frames?: Float32Array;
  /** Number of frames (with `llds: true`). */
  readonly frameCount?: number;
  /** Rate the features were computed at, Hz. */
  readonly analysisRateHz: number;
}

/**
 * ComParE 2013 features of a whole file (WAV, FLAC, MP3, Ogg Vorbis/Opus; mixed down to mono) or of given samples.
 * @throws EmostreamError EMO_ERR_INPUT_NOT_FOUND, EMO_ERR_DECODE, EMO_ERR_EMPTY_AUDIO, EMO_ERR_BAD_AUDIO.
 * @example
 *   const { windows, windowCount } = await extractFeatures('talk.wav');
 *   const first = windows.subarray(0, 260);   // features of [0, 2) s
 */
export async function extractFeatures(input: string | SamplesInput, options: ExtractFeaturesOptions = {}): Promise<ExtractedFeatures> {
  const audio = typeof input === 'string'
    ? await loadAudioFile(input, { rate: 'native' })
    : { samples: input.samples, sampleRateHz: input.sampleRateHz, nonFiniteSamples: 0 };
  if (!(audio.samples instanceof Float32Array)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'extractFeatures: samples must be a Float32Array');
  const name = typeof input === 'string' ? input : 'samples';
  const windows: Float32Array[] = [];
  const ends: number[] = [];
  const frames: Float32Array[] = [];
  const extractor = await createWindowExtractor(
    { inputRateHz: audio.sampleRateHz, analysisRate: options.analysisRate, voicingDeltas: options.voicingDeltas, padTail: options.padTail, name },
    (w) => { windows.push(w.features); ends.push(w.endTimeS); },
    options.llds ? (row) => frames.push(row.slice()) : undefined,
  );
  try {
    extractor.push(audio.samples);
    extractor.finish();
  } finally {
    extractor.release();
  }
  const pack = (rows: Float32Array[], width: number) => {
    const out = new Float32Array(rows.length * width);
    rows.forEach((r, i) => out.set(r, i * width));
    return out;
  };
  return {
    windows: pack(windows, POOLED_WIDTH),
    windowCount: windows.length,
    windowEndTimesS: ends,
    ...(options.llds ? { frames: pack(frames, FRAME_WIDTH), frameCount: frames.length } : {}),
    analysisRateHz: extractor.analysisRateHz,
  };
}
