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
 */
import { EmostreamError } from '../errors.ts';
import { createFrameGeometry, type FrameGeometry } from './frame-geometry.ts';
import { COL, LLD_COUNT, FRAME_WIDTH } from './registry.ts';
import { createLldPostProcessor, type FrameRowHandler, type LldPostSnapshot, type VoicingDeltaMode } from './lld-post.ts';
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

const PENDING_ROWS_START = 64;
const ZCR_COLUMN = COL.ZCR;

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
  // Rows past the last complete 60 ms frame are only lookahead for smoothing and deltas (see finish()).
  let rowLimit = Infinity;
  const post = createLldPostProcessor(voicingDeltas, (row, index) => {
    if (index < rowLimit) onRow(row, index);
  });
  const { hop, longLength } = geometry;

  // Contiguous sample history: buffer[i] is absolute sample bufferStart + i; bufferLength samples are valid.
  let buffer = new Float32Array(Math.max(4 * longLength, 16384));
  let bufferStart = 0;
  let bufferLength = 0;
  // Raw rows waiting for their voicing columns, indexed by frame modulo the ring size.
  let pending = Array.from({ length: PENDING_ROWS_START }, () => new Float32Array(LLD_COUNT));
  let nextFrame = 0; // next frame to analyse
  let nextVoiced = 0; // next frame whose voicing columns arrive
  let finished = false;
  let released = false;

  const growPending = (): void => {
    const bigger = Array.from({ length: pending.length * 2 }, () => new Float32Array(LLD_COUNT));
    for (let k = nextVoiced; k < nextFrame; k++) bigger[k % bigger.length].set(pending[k % pending.length]);
    pending = bigger;
  };

  const onVoicing = (frameIndex: number, f0Hz: number, voicing: number): void => {
    if (frameIndex !== nextVoiced) throw new EmostreamError('EMO_ERR_INTERNAL', `pitch frame ${frameIndex} out of order (expected ${nextVoiced})`);
    const row = pending[frameIndex % pending.length];
    row[0] = f0Hz;
    row[1] = voicing;
    voice.analyse(frameIndex, f0Hz, buffer, bufferStart, row, 2);
    nextVoiced++;
    post.push(row);
  };

  const discardOldSamples = (): void => {
    const keepFrom = Math.min(voice.oldestNeededSample(), nextFrame * hop);
    const dead = keepFrom - bufferStart;
    if (dead > buffer.length / 2) {
      buffer.copyWithin(0, dead, bufferLength);
      bufferLength -= dead;
      bufferStart += dead;
    }
  };

  const append = (samples: Float32Array): void => {
    if (bufferLength + samples.length > buffer.length) {
      discardOldSamples();
      if (bufferLength + samples.length > buffer.length) {
        const bigger = new Float32Array(Math.max(2 * buffer.length, bufferLength + samples.length));
        bigger.set(buffer.subarray(0, bufferLength));
        buffer = bigger;
      }
    }
    buffer.set(samples, bufferLength);
    bufferLength += samples.length;
  };

  const analyseReadyFrames = (): void => {
    const end = bufferStart + bufferLength;
    while (nextFrame * hop + longLength <= end) {
      if (nextFrame - nextVoiced >= pending.length) growPending();
      const start = nextFrame * hop - bufferStart;
      short.analyse(buffer, start, pending[nextFrame % pending.length]);
      pitch.analyse(buffer, start);
      nextFrame++;
      pitch.drain(onVoicing);
    }
  };

  /**
   * At the end of input the 20 ms branch still has frames after the last complete 60 ms frame (up to 4 at a 10 ms
   * hop). As in the reference, they feed the smoothing and deltas of the short-frame columns of the last rows;
   * the 60 ms columns (voicing group, ZCR) repeat their last value there, which equals edge replication. These
   * frames are not emitted themselves.
   */
  const appendTailFrames = (): void => {
    if (nextVoiced === 0) return;
    rowLimit = nextVoiced;
    const end = bufferStart + bufferLength;
    append(new Float32Array(longLength)); // readable zeros for the ZCR window, never part of a frame
    const last = pending[(nextVoiced - 1) % pending.length];
    const tail = new Float32Array(LLD_COUNT);
    for (let k = nextFrame; k * hop + geometry.shortLength <= end; k++) {
      tail.set(last);
      short.analyse(buffer, k * hop - bufferStart, tail);
      tail[ZCR_COLUMN] = last[ZCR_COLUMN];
      post.push(tail);
    }
  };

  return {
    geometry,
    push(samples) {
      if (finished || released) throw new EmostreamError('EMO_ERR_INTERNAL', 'push() after finish()');
      // Bounded work per call: append at most a few seconds at once so the history never balloons.
      const step = 8 * longLength * 10;
      for (let offset = 0; offset < samples.length; offset += step) {
        append(samples.subarray(offset, Math.min(samples.length, offset + step)));
        analyseReadyFrames();
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      pitch.finish(onVoicing);
      appendTailFrames();
      post.finish();
    },
    get samplesIn() {
      return bufferStart + bufferLength;
    },
    get rowsOut() {
      return Math.min(rowLimit, nextVoiced - post.pending);
    },
    get pendingFrames() {
      return nextFrame - nextVoiced + post.pending;
    },
    release() {
      if (released) return;
      released = true;
      short.release();
      pitch.release();
    },
    snapshot() {
      if (finished || released) throw new EmostreamError('EMO_ERR_INTERNAL', 'snapshot() after finish() or release()');
      const keepFrom = Math.max(bufferStart, Math.min(voice.oldestNeededSample(), nextFrame * hop));
      const rows = new Float32Array((nextFrame - nextVoiced) * LLD_COUNT);
      for (let k = nextVoiced; k < nextFrame; k++) rows.set(pending[k % pending.length], (k - nextVoiced) * LLD_COUNT);
      return {
        sampleRateHz: options.sampleRateHz, bufferStart: keepFrom, samples: buffer.slice(keepFrom - bufferStart, bufferLength),
        nextFrame, nextVoiced, pending: rows, short: short.snapshot(), pitch: pitch.snapshot(), voice: voice.snapshot(), post: post.snapshot(),
      };
    },
    restore(snap) {
      if (bufferStart + bufferLength > 0 || nextFrame > 0) throw new EmostreamError('EMO_ERR_INTERNAL', 'restore() on an extractor that has samples');
      if (snap.sampleRateHz !== options.sampleRateHz || snap.pending.length !== (snap.nextFrame - snap.nextVoiced) * LLD_COUNT) {
        throw new EmostreamError('EMO_ERR_BAD_CONFIG', `extractor state at ${snap.sampleRateHz} Hz does not fit an extractor at ${options.sampleRateHz} Hz`);
      }
      short.restore(snap.short);
      pitch.restore(snap.pitch);
      voice.restore(snap.voice);
      post.restore(snap.post);
      bufferStart = snap.bufferStart;
      bufferLength = 0;
      append(snap.samples);
      nextFrame = snap.nextFrame;
      nextVoiced = snap.nextVoiced;
      while (pending.length <= nextFrame - nextVoiced) growPending();
      for (let k = nextVoiced; k < nextFrame; k++) pending[k % pending.length].set(snap.pending.subarray((k - nextVoiced) * LLD_COUNT, (k - nextVoiced + 1) * LLD_COUNT));
    },
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
