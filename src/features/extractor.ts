/**
 * The streaming ComParE 2013 LLD extractor: push PCM chunks of any size, receive 130-value frame rows (65 smoothed
 * LLDs + 65 deltas, recipe 5.9) as soon as they are final. Whole-file extraction is the same object fed once, so
 * chunking never changes a number.
 *
 * Data path per 10 ms frame k (both frames start at sample k·hop):
 *   20 ms Hamming frame → short-frame branch (energy, auditory/RASTA, spectral shape, MFCC; columns 6…64)
 *   60 ms Gaussian frame → pitch branch (SHS + Viterbi, delayed by its smoother) → voice quality (jitter, shimmer,
 *   HNR on the raw waveform, driven by the gated F0) → columns 0…5
 *   complete raw rows → smoothing + deltas (lld-post.ts) → output rows.
 *
 * Lookahead (documented in the README): row k needs samples up to k·hop + 60 ms, then 3 more frames for smoothing
 * and deltas (30 ms), and the pitch smoother may hold frames until its survivor paths agree (at most 30 frames).
 * @see extractor-frames.ts (the sample history and the frame loop)
 */
import { EmostreamError } from '../errors.ts';
import { createFrameGeometry, type FrameGeometry } from './frame-geometry.ts';
import { FRAME_WIDTH } from './registry.ts';
import type { FrameRowHandler, LldPostSnapshot, VoicingDeltaMode } from './lld-post.ts';
import { createExtractorState, finishExtraction, pushSamples, releaseExtractor, restoreExtractor, snapshotExtractor } from './extractor-frames.ts';
import { createShortFrameBranch, type ShortFrameBranch, type ShortFrameSnapshot } from './short-frame-branch.ts';
import { createPitchBranch, type PitchBranch, type PitchBranchSnapshot } from './pitch-branch.ts';
import { createVoiceQuality, type VoiceQuality, type VoiceQualitySnapshot } from './voice-quality.ts';

export interface LldExtractorOptions {
  /** Sample rate of the pushed PCM in Hz (emostream analyses at 16000; 8000–192000 accepted). */
  readonly sampleRateHz: number;
  /** Voicing-group delta normaliser: 'correct' (default) or the reference's 'opensmile-compat' quirk. */
  readonly voicingDeltas?: VoicingDeltaMode;
}

export interface LldExtractor {
  readonly geometry: FrameGeometry;
  /** Adds samples (any length, finite values in [−1, 1] nominal); emits every row that became final. */
  push(samples: Float32Array): void;
  /** End of input: emits the remaining rows. The extractor cannot be pushed to afterwards. */
  finish(): void;
  /** Samples pushed so far. */
  readonly samplesIn: number;
  /** Rows emitted so far. */
  readonly rowsOut: number;
  /** Frames analysed but not yet emitted (pitch smoother + smoothing/delta lookahead). */
  readonly pendingFrames: number;
  /** Frees the WASM buffers. */
  release(): void;
  /**
   * A copy of the whole streaming state between two pushes (not after `finish`): the sample history still needed,
   * the rows waiting for their voicing columns, and every stage's cross-frame state. An extractor of the same rate
   * and mode given it by `restore` continues exactly as this one would (src/pool/window-extractor.ts).
   */
  snapshot(): LldExtractorSnapshot;
  /** Replaces the state of a fresh extractor (nothing pushed yet) with `s`; EMO_ERR_BAD_CONFIG if it does not fit. */
  restore(s: LldExtractorSnapshot): void;
}

/** The state of an LldExtractor (see `LldExtractor.snapshot`). */
export interface LldExtractorSnapshot {
  readonly sampleRateHz: number;
  /** Absolute index of samples[0]; samples run to the last sample pushed. */
  readonly bufferStart: number;
  readonly samples: Float32Array;
  readonly nextFrame: number;
  readonly nextVoiced: number;
  /** Raw rows of frames nextVoiced … nextFrame − 1 (LLD_COUNT each, row-major). */
  readonly pending: Float32Array;
  readonly short: ShortFrameSnapshot;
  readonly pitch: PitchBranchSnapshot;
  readonly voice: VoiceQualitySnapshot;
  readonly post: LldPostSnapshot;
}

/** Creates a streaming extractor calling `onRow(row130, index)` for each final row (the array is reused). */
export async function createLldExtractor(options: LldExtractorOptions, onRow: FrameRowHandler): Promise<LldExtractor> {
  const geometry = createFrameGeometry(options.sampleRateHz);
  const voicingDeltas = options.voicingDeltas ?? 'correct';
  if (voicingDeltas !== 'correct' && voicingDeltas !== 'opensmile-compat') {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `voicingDeltas must be 'correct' or 'opensmile-compat', got ${String(voicingDeltas)}`);
  }
  const short: ShortFrameBranch = await createShortFrameBranch(geometry);
  const pitch: PitchBranch = await createPitchBranch(geometry);
  const voice: VoiceQuality = createVoiceQuality(geometry);
  const st = createExtractorState(geometry, { short, pitch, voice }, voicingDeltas, onRow);
  return {
    geometry,
    push: (samples) => pushSamples(st, samples),
    finish: () => finishExtraction(st),
    get samplesIn() {
      return st.bufferStart + st.bufferLength;
    },
    get rowsOut() {
      return Math.min(st.rowLimit, st.nextVoiced - st.post.pending);
    },
    get pendingFrames() {
      return st.nextFrame - st.nextVoiced + st.post.pending;
    },
    release: () => releaseExtractor(st),
    snapshot: () => snapshotExtractor(st),
    restore: (snap) => restoreExtractor(st, snap),
  };
}

/** LLD rows of a whole signal: `rows` is count × 130 (row-major), in the column order of registry.ts. */
export async function extractLlds(
  samples: Float32Array,
  options: LldExtractorOptions,
): Promise<{ rows: Float32Array; count: number; geometry: FrameGeometry }> {
  const chunks: Float32Array[] = [];
  const extractor = await createLldExtractor(options, (row) => chunks.push(row.slice()));
  try {
    extractor.push(samples);
    extractor.finish();
  } finally {
    extractor.release();
  }
  const rows = new Float32Array(chunks.length * FRAME_WIDTH);
  chunks.forEach((row, i) => rows.set(row, i * FRAME_WIDTH));
  return { rows, count: chunks.length, geometry: extractor.geometry };
}
