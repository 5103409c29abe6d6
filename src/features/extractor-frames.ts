/**
 * The frame loop of the streaming LLD extractor (extractor.ts): the contiguous sample history, the ring of raw rows
 * waiting for their voicing columns, and the steps that analyse every complete frame, hand decided pitch frames to
 * voice quality and the post-processor, and add the tail frames at the end of input — as named functions on an
 * explicit `ExtractorState`, and its snapshot / restore for a stream handed over. Nothing is allocated per frame;
 * the history and the ring only grow when needed.
 * @see extractor.ts (data path and lookahead)
 */
import { EmostreamError } from '../errors.ts';
import type { FrameGeometry } from './frame-geometry.ts';
import { COL, LLD_COUNT } from './registry.ts';
import { createLldPostProcessor, type FrameRowHandler, type LldPostProcessor, type VoicingDeltaMode } from './lld-post.ts';
import type { ShortFrameBranch } from './short-frame-branch.ts';
import type { PitchBranch } from './pitch-branch.ts';
import type { PitchFrameSink } from './pitch-viterbi.ts';
import type { VoiceQuality } from './voice-quality.ts';
import type { LldExtractorSnapshot } from './extractor.ts';

const PENDING_ROWS_START = 64;
const ZCR_COLUMN = COL.ZCR;

/** The extractor's stages and per-stream state. */
export interface ExtractorState {
  readonly geometry: FrameGeometry;
  readonly short: ShortFrameBranch;
  readonly pitch: PitchBranch;
  readonly voice: VoiceQuality;
  readonly post: LldPostProcessor;
  /** `voicingArrived` bound to this state (created once: it is handed to the pitch branch every frame). */
  readonly onVoicing: PitchFrameSink;
  /** Rows from this index on are only lookahead for smoothing and deltas (see `appendTailFrames`). */
  rowLimit: number;
  /** Contiguous sample history: buffer[i] is absolute sample bufferStart + i; bufferLength samples are valid. */
  buffer: Float32Array;
  bufferStart: number;
  bufferLength: number;
  /** Raw rows waiting for their voicing columns, indexed by frame modulo the ring size. */
  pending: Float32Array[];
  /** Next frame to analyse. */
  nextFrame: number;
  /** Next frame whose voicing columns arrive. */
  nextVoiced: number;
  finished: boolean;
  released: boolean;
}

/** The state of a new extractor over its stages; `onRow` receives each final row before `rowLimit`. */
export function createExtractorState(
  geometry: FrameGeometry,
  stages: { readonly short: ShortFrameBranch; readonly pitch: PitchBranch; readonly voice: VoiceQuality },
  voicingDeltas: VoicingDeltaMode,
  onRow: FrameRowHandler,
): ExtractorState {
  const st: ExtractorState = {
    geometry,
    ...stages,
    post: createLldPostProcessor(voicingDeltas, (row, index) => {
      if (index < st.rowLimit) onRow(row, index);
    }),
    onVoicing: (frameIndex, f0Hz, voicing) => voicingArrived(st, frameIndex, f0Hz, voicing),
    rowLimit: Infinity,
    buffer: new Float32Array(Math.max(4 * geometry.longLength, 16384)),
    bufferStart: 0,
    bufferLength: 0,
    pending: Array.from({ length: PENDING_ROWS_START }, () => new Float32Array(LLD_COUNT)),
    nextFrame: 0,
    nextVoiced: 0,
    finished: false,
    released: false,
  };
  return st;
}

/** Doubles the ring of pending rows, keeping the rows still waiting. */
function growPending(st: ExtractorState): void {
  const { pending } = st;
  const bigger = Array.from({ length: pending.length * 2 }, () => new Float32Array(LLD_COUNT));
  for (let k = st.nextVoiced; k < st.nextFrame; k++) bigger[k % bigger.length].set(pending[k % pending.length]);
  st.pending = bigger;
}

/** A decided pitch frame: completes its row with F0, voicing and voice quality, and passes it on. */
function voicingArrived(st: ExtractorState, frameIndex: number, f0Hz: number, voicing: number): void {
  if (frameIndex !== st.nextVoiced) throw new EmostreamError('EMO_ERR_INTERNAL', `pitch frame ${frameIndex} out of order (expected ${st.nextVoiced})`);
  const row = st.pending[frameIndex % st.pending.length];
  row[0] = f0Hz;
  row[1] = voicing;
  st.voice.analyse(frameIndex, f0Hz, st.buffer, st.bufferStart, row, 2);
  st.nextVoiced++;
  st.post.push(row);
}

/** Drops the history no stage needs any more once it fills more than half the buffer. */
function discardOldSamples(st: ExtractorState): void {
  const keepFrom = Math.min(st.voice.oldestNeededSample(), st.nextFrame * st.geometry.hop);
  const dead = keepFrom - st.bufferStart;
  if (dead > st.buffer.length / 2) {
    st.buffer.copyWithin(0, dead, st.bufferLength);
    st.bufferLength -= dead;
    st.bufferStart += dead;
  }
}

/** Appends samples to the history, discarding old samples or growing the buffer first when full. */
function append(st: ExtractorState, samples: Float32Array): void {
  if (st.bufferLength + samples.length > st.buffer.length) {
    discardOldSamples(st);
    if (st.bufferLength + samples.length > st.buffer.length) {
      const bigger = new Float32Array(Math.max(2 * st.buffer.length, st.bufferLength + samples.length));
      bigger.set(st.buffer.subarray(0, st.bufferLength));
      st.buffer = bigger;
    }
  }
  st.buffer.set(samples, st.bufferLength);
  st.bufferLength += samples.length;
}

/** Runs both branches on every frame whose 60 ms window is in the history, draining decided pitch frames. */
function analyseReadyFrames(st: ExtractorState): void {
  const { hop, longLength } = st.geometry;
  const { short, pitch } = st;
  const end = st.bufferStart + st.bufferLength;
  while (st.nextFrame * hop + longLength <= end) {
    if (st.nextFrame - st.nextVoiced >= st.pending.length) growPending(st);
    const start = st.nextFrame * hop - st.bufferStart;
    short.analyse(st.buffer, start, st.pending[st.nextFrame % st.pending.length]);
    pitch.analyse(st.buffer, start);
    st.nextFrame++;
    pitch.drain(st.onVoicing);
  }
}

/**
 * At the end of input the 20 ms branch still has frames after the last complete 60 ms frame (up to 4 at a 10 ms
 * hop). As in the reference, they feed the smoothing and deltas of the short-frame columns of the last rows;
 * the 60 ms columns (voicing group, ZCR) repeat their last value there, which equals edge replication. These
 * frames are not emitted themselves.
 */
function appendTailFrames(st: ExtractorState): void {
  if (st.nextVoiced === 0) return;
  const { hop, longLength, shortLength } = st.geometry;
  st.rowLimit = st.nextVoiced;
  const end = st.bufferStart + st.bufferLength;
  append(st, new Float32Array(longLength)); // readable zeros for the ZCR window, never part of a frame
  const last = st.pending[(st.nextVoiced - 1) % st.pending.length];
  const tail = new Float32Array(LLD_COUNT);
  for (let k = st.nextFrame; k * hop + shortLength <= end; k++) {
    tail.set(last);
    st.short.analyse(st.buffer, k * hop - st.bufferStart, tail);
    tail[ZCR_COLUMN] = last[ZCR_COLUMN];
    st.post.push(tail);
  }
}

/** `LldExtractor.push`: appends and analyses in bounded steps of a few seconds so the history never balloons. */
export function pushSamples(st: ExtractorState, samples: Float32Array): void {
  if (st.finished || st.released) throw new EmostreamError('EMO_ERR_INTERNAL', 'push() after finish()');
  const step = 8 * st.geometry.longLength * 10;
  for (let offset = 0; offset < samples.length; offset += step) {
    append(st, samples.subarray(offset, Math.min(samples.length, offset + step)));
    analyseReadyFrames(st);
  }
}

/** `LldExtractor.finish`: flushes the pitch smoother, adds the tail frames and emits the remaining rows. */
export function finishExtraction(st: ExtractorState): void {
  if (st.finished) return;
  st.finished = true;
  st.pitch.finish(st.onVoicing);
  appendTailFrames(st);
  st.post.finish();
}

/** `LldExtractor.release`: frees the branches' WASM buffers (idempotent). */
export function releaseExtractor(st: ExtractorState): void {
  if (st.released) return;
  st.released = true;
  st.short.release();
  st.pitch.release();
}

/** `LldExtractor.snapshot`: copies of the sample history still needed, the waiting rows and every stage's state. */
export function snapshotExtractor(st: ExtractorState): LldExtractorSnapshot {
  if (st.finished || st.released) throw new EmostreamError('EMO_ERR_INTERNAL', 'snapshot() after finish() or release()');
  const { bufferStart, nextFrame, nextVoiced, pending } = st;
  const keepFrom = Math.max(bufferStart, Math.min(st.voice.oldestNeededSample(), nextFrame * st.geometry.hop));
  const rows = new Float32Array((nextFrame - nextVoiced) * LLD_COUNT);
  for (let k = nextVoiced; k < nextFrame; k++) rows.set(pending[k % pending.length], (k - nextVoiced) * LLD_COUNT);
  return {
    sampleRateHz: st.geometry.sampleRateHz, bufferStart: keepFrom, samples: st.buffer.slice(keepFrom - bufferStart, st.bufferLength),
    nextFrame, nextVoiced, pending: rows, short: st.short.snapshot(), pitch: st.pitch.snapshot(), voice: st.voice.snapshot(), post: st.post.snapshot(),
  };
}

/** `LldExtractor.restore`: the state of a fresh extractor (nothing pushed yet) becomes `snap`. */
export function restoreExtractor(st: ExtractorState, snap: LldExtractorSnapshot): void {
  const { sampleRateHz } = st.geometry;
  if (st.bufferStart + st.bufferLength > 0 || st.nextFrame > 0) throw new EmostreamError('EMO_ERR_INTERNAL', 'restore() on an extractor that has samples');
  if (snap.sampleRateHz !== sampleRateHz || snap.pending.length !== (snap.nextFrame - snap.nextVoiced) * LLD_COUNT) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `extractor state at ${snap.sampleRateHz} Hz does not fit an extractor at ${sampleRateHz} Hz`);
  }
  st.short.restore(snap.short);
  st.pitch.restore(snap.pitch);
  st.voice.restore(snap.voice);
  st.post.restore(snap.post);
  st.bufferStart = snap.bufferStart;
  st.bufferLength = 0;
  append(st, snap.samples);
  st.nextFrame = snap.nextFrame;
  st.nextVoiced = snap.nextVoiced;
  while (st.pending.length <= st.nextFrame - st.nextVoiced) growPending(st);
  const { nextFrame, nextVoiced, pending } = st;
  for (let k = nextVoiced; k < nextFrame; k++) pending[k % pending.length].set(snap.pending.subarray((k - nextVoiced) * LLD_COUNT, (k - nextVoiced + 1) * LLD_COUNT));
}
