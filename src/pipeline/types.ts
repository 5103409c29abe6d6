/**
 * Events flowing through the pipeline (src/pipeline). Per stream the order is: `stream started`, then windows /
 * results in time order (with `lag` notices interleaved), then exactly one of `stream ended` or `error`.
 */
import type { Observable, OperatorFunction } from 'rxjs';
import type { StreamSource } from '../audio/sources/types.ts';
import type { StreamStateSnapshot } from '../model/types.ts';
import type { PredictionInterval } from '../model/confidence.ts';
import type { ContentEstimate } from '../model/content-classifier.ts';

/** A pipeline stage: one named RxJS operator per file, its state in the per-subscription closure. */
export type Operator<In, Out> = OperatorFunction<In, Out>;

/** 260 pooled features of one 2 s window (hop 1 s) of one stream. */
export interface PooledWindow {
  readonly type: 'window';
  readonly streamId: string;
  /** Window number w (0-based); the window covers [w, w + 2) s. */
  readonly index: number;
  /** End time of the window in stream seconds (w + 2); also the end of the 1 s hop it completes. */
  readonly endTimeS: number;
  /** Pooled features (own copy). */
  readonly features: Float32Array;
  /** `arrivedAtMs` of the audio chunk whose push completed this window (performance.now() ms). */
  readonly completedAtMs: number;
  /** What the window holds (set by `classifyContent`; absent when the pipeline runs no content classifier). */
  readonly content?: ContentEstimate;
}

/** One arousal/valence estimate of one stream for one second. */
export interface AvResult {
  readonly type: 'av';
  readonly streamId: string;
  /** End time of the 1 s hop in stream seconds. */
  readonly t: number;
  /** De-standardised model output, nominally in [-1, 1], never clamped. */
  readonly arousal: number;
  readonly valence: number;
  /** `<domain>@<version>` of the model that produced this second (with `--model auto`, the routed one). */
  readonly model: string;
  /** As in `PooledWindow.completedAtMs`. */
  readonly completedAtMs: number;
  /** Confidence in [0, 1] from the model's uncertainty (src/model/confidence.ts); null: the model gives none. */
  readonly confidence?: number | null;
  /** Nominal 90 % intervals of arousal and valence; null: the model gives no uncertainty. */
  readonly interval?: PredictionInterval | null;
  /** The window's content (as in `PooledWindow.content`). */
  readonly content?: ContentEstimate;
}

/** A stream started or ended normally (after its last result). */
export interface StreamStateEvent {
  readonly type: 'stream';
  readonly streamId: string;
  readonly state: 'started' | 'ended';
  /** Source kind ('file', 'url', 'stdin', 'mic', 'ingest', or a telephony kind). */
  readonly kind: string;
  /** `started` of a resumed stream (HandoffSource.resume): its saved model state, restored before its first step. */
  readonly resume?: StreamResume;
  /** `ended` of a detached stream (HandoffSource.detach fired): the stream was stopped without a flush, to go on elsewhere. */
  readonly detached?: boolean;
  /** `ended` of a detached stream: its model state after its last result (set by inferBatched). */
  readonly finalState?: StreamStateSnapshot;
  /** `ended` of a detached stream: `t` of its last result (0 if none; set by inferBatched). */
  readonly lastT?: number;
  /**
   * `ended` of a detached stream: its window extractor's state after the last audio it received (encoded,
   * src/pool/window-extractor.ts `snapshot`); a stream resumed with it continues exactly. Undefined if it had none.
   */
  readonly extractorState?: Uint8Array;
}

/**
 * What the extraction stage of a detached stream emits last, instead of flushing: its extractor's state after all
 * the audio it received. bracketStream moves it into the stream's `ended` event; it never leaves the pipeline.
 */
export interface ExtractorStateItem {
  readonly type: 'extractor-state';
  readonly streamId: string;
  readonly state: Uint8Array;
}

/** A stream ended with an error (that stream only). */
export interface StreamErrorEvent {
  readonly type: 'error';
  readonly streamId: string;
  /** Stable machine code (protocol error code, e.g. 'decode_failed'). */
  readonly code: string;
  readonly message: string;
  /** The original error (not serialised; offline analysis rethrows it). */
  readonly error?: unknown;
}

/**
 * A stream fell behind (reported, never skipped): more windows wait for the model than `maxPendingWindows`, or,
 * with feature workers, more than `lagAfterS` seconds of its audio wait for extraction.
 */
export interface LagEvent {
  readonly type: 'lag';
  readonly streamId: string;
  /** Windows queued for inference, or seconds of audio (≈ windows to come) queued for extraction, when raised. */
  readonly pendingWindows: number;
}

/** Everything the pipeline emits. */
export type PipelineEvent = AvResult | StreamStateEvent | StreamErrorEvent | LagEvent;

/** What flows between the per-stream stages and inference. */
export type StreamItem = PooledWindow | LagEvent | StreamStateEvent | StreamErrorEvent;

/**
 * Where a stream resumed on this process continues (docs/deploy.md, "State hand-off"): the model state saved by the
 * process that served it before, and how the windows of the new audio map onto its clock.
 */
export interface StreamResume {
  /** Model state (LSTM and stream normaliser) after the second `stateT`; undefined: none was saved (zero state). */
  readonly state?: StreamStateSnapshot;
  /** `t` of the last second the saved state has seen. */
  readonly stateT: number;
  /** Stream seconds added to every window end of the new extractor (whole seconds ≥ 0). */
  readonly offsetS: number;
  /** Windows whose shifted end is ≤ this `t` only warm the extractor up: they are neither stepped nor emitted. */
  readonly skipThroughT: number;
  /**
   * The window extractor's saved state (StreamStateEvent.extractorState of the detached stream): the new extractor
   * continues it, so the stream's numbers are those of an uninterrupted run. Undefined: a new extractor.
   */
  readonly extractorState?: Uint8Array;
}

/**
 * A source that can be handed over between processes: `resume` (optional) continues a stream's model state and
 * clock; `detach` (optional) stops the stream WITHOUT flushing the extractor's last seconds when it emits (the
 * stream then ends with `detached: true` and its final model state, to be resumed elsewhere).
 */
export interface HandoffSource extends StreamSource {
  readonly resume?: StreamResume;
  readonly detach?: Observable<unknown>;
}
