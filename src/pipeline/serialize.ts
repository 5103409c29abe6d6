/**
 * `serializeEvents()`: pipeline events → protocol JSON text (docs/protocol.md, docs/protocol.schema.json), one text
 * per event, serialised once and shared by every client. `latency_ms` is stamped here, just before sending:
 * now − arrival of the chunk that completed the second (processing latency; the extractor's lookahead comes on top).
 *
 *   in:   --S--A--A--L--E--|
 *   out:  --s--a--a--l--e--|   (one JSON text each, same order)
 * @see inferBatched (before).
 */
import { map } from 'rxjs';
import type { AvResult, Operator, PipelineEvent } from './types.ts';

/** A serialised event with the stream it belongs to (for per-stream subscriptions). */
export interface SerializedEvent {
  readonly streamId: string;
  readonly type: PipelineEvent['type'];
  /** The event itself. */
  readonly event: PipelineEvent;
  /** The JSON text message. */
  readonly text: string;
  /** Processing latency in ms (av results only). */
  readonly latencyMs?: number;
}

/** Options of `serializeEvents`. */
export interface SerializeOptions {
  /** Include `latency_ms` in results (live: true; offline analysis: false, it is not reproducible). Default true. */
  readonly latency?: boolean;
}

/** Seconds rounded to 1 µs (window end times are multiples of 10 ms computed in binary floating point). */
const roundTime = (s: number): number => Math.round(s * 1e6) / 1e6;

/** Rounded to 4 decimals (confidence, interval bounds: far below their own uncertainty). */
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * The protocol-2 fields of a result (docs/protocol.md): `confidence` and `interval` (null when the model gives no
 * uncertainty), `content` and `content_p` (when the pipeline classifies content). Fields the result lacks are left out.
 */
function resultFields(event: AvResult, msg: Record<string, unknown>): void {
  if (event.confidence !== undefined) msg.confidence = event.confidence === null ? null : round4(event.confidence);
  if (event.interval !== undefined) {
    const i = event.interval;
    msg.interval = i === null ? null : { level: i.level, arousal: i.arousal.map(round4), valence: i.valence.map(round4) };
  }
  if (event.content) {
    msg.content = event.content.label;
    msg.content_p = Math.round(event.content.probability * 1000) / 1000;
  }
}

/** The protocol message object of one pipeline event (`latencyMs` only for av results). */
export function eventMessage(event: PipelineEvent, latencyMs?: number): Record<string, unknown> {
  switch (event.type) {
    case 'av': {
      const msg: Record<string, unknown> = {
        type: 'av', stream: event.streamId, t: roundTime(event.t), arousal: event.arousal, valence: event.valence, model: event.model,
      };
      resultFields(event, msg);
      if (latencyMs !== undefined) msg.latency_ms = Math.round(latencyMs * 100) / 100;
      return msg;
    }
    case 'stream': {
      const msg: Record<string, unknown> = { type: 'stream', stream: event.streamId, state: event.state, source: event.kind };
      if (event.resume) msg.resumed_from = event.resume.stateT;
      if (event.detached) Object.assign(msg, { handoff: true, last_t: event.lastT ?? 0 });
      return msg;
    }
    case 'error':
      return { type: 'error', stream: event.streamId, code: event.code, message: event.message };
    case 'lag':
      return { type: 'lag', stream: event.streamId, pending_windows: event.pendingWindows };
  }
}

/** Operator serialising pipeline events to protocol JSON text. */
export function serializeEvents(options: SerializeOptions = {}): Operator<PipelineEvent, SerializedEvent> {
  const latency = options.latency ?? true;
  return map((event) => {
    if (event.type === 'av' && latency) {
      const latencyMs = performance.now() - event.completedAtMs;
      return { streamId: event.streamId, type: event.type, event, text: JSON.stringify(eventMessage(event, latencyMs)), latencyMs };
    }
    return { streamId: event.streamId, type: event.type, event, text: JSON.stringify(eventMessage(event)) };
  });
}
