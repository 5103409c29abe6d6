/**
 * Per-stream motion of the frame-rate outputs (OSC, MIDI): books the pipeline's events and gives each running
 * stream's arousal, valence and confidence at any moment (motion.ts: ramps between the 1 Hz results, optional
 * smoothing). A stream appears with its first result and disappears with its `ended` / `error` event; streams are
 * listed in the order their first result arrived.
 */
import type { PipelineEvent } from '../pipeline/types.ts';
import { createMotion, resolveMotionOptions, type Motion, type MotionOptions } from './motion.ts';

/** One stream's values at one moment. */
export interface StreamValues {
  readonly stream: string;
  readonly arousal: number;
  readonly valence: number;
  /** Null while the model gives no confidence. */
  readonly confidence: number | null;
  /** Content of the latest result (undefined without a content classifier). */
  readonly content: string | undefined;
}

/** What an event did. */
export type MotionChange =
  | { readonly kind: 'result'; readonly values: StreamValues }
  | { readonly kind: 'gone'; readonly stream: string };

/** The tracker. */
export interface StreamMotion {
  /** Books one event at `nowMs`; says what changed (undefined: nothing for the outputs). */
  handle(event: PipelineEvent, nowMs: number): MotionChange | undefined;
  /** Every running stream's values at `nowMs`. */
  sampleAll(nowMs: number): StreamValues[];
}

interface Entry {
  readonly arousal: Motion;
  readonly valence: Motion;
  readonly confidence: Motion;
  hasConfidence: boolean;
  content: string | undefined;
}

/** Creates a tracker; `options` apply to every value of every stream. */
export function createStreamMotion(options: MotionOptions = {}): StreamMotion {
  const o = resolveMotionOptions(options);
  const entries = new Map<string, Entry>();
  const valuesOf = (stream: string, e: Entry, nowMs: number): StreamValues => ({
    stream, arousal: e.arousal.sample(nowMs), valence: e.valence.sample(nowMs),
    confidence: e.hasConfidence ? e.confidence.sample(nowMs) : null, content: e.content,
  });
  return {
    handle(event, nowMs) {
      if (event.type === 'av') {
        let e = entries.get(event.streamId);
        if (!e) {
          e = { arousal: createMotion(o), valence: createMotion(o), confidence: createMotion(o), hasConfidence: false, content: undefined };
          entries.set(event.streamId, e);
        }
        e.arousal.push(event.arousal, nowMs);
        e.valence.push(event.valence, nowMs);
        if (typeof event.confidence === 'number') {
          e.confidence.push(event.confidence, nowMs);
          e.hasConfidence = true;
        }
        e.content = event.content?.label;
        return { kind: 'result', values: valuesOf(event.streamId, e, nowMs) };
      }
      if ((event.type === 'stream' && event.state === 'ended') || event.type === 'error') {
        if (entries.delete(event.streamId)) return { kind: 'gone', stream: event.streamId };
      }
      return undefined;
    },
    sampleAll: (nowMs) => [...entries].map(([stream, e]) => valuesOf(stream, e, nowMs)),
  };
}
