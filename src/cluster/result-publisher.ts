/**
 * Publishes a server's results to JetStream: every `av` event to `emostream.av.<stream>` with message id
 * `<stream>:<t>`, every `stream` and `error` event to `emostream.event.<stream>` (ids `<stream>:started:<t0>`,
 * `<stream>:ended`, `<stream>:handoff:<t>`, `<stream>:error`), so a retry or a second instance publishing the same
 * second is de-duplicated by JetStream. The text is exactly the WebSocket message.
 *
 * Publishing never holds up the pipeline or local clients: while NATS is disconnected, or when
 * MAX_NATS_PENDING_PUBLISHES acknowledgements are outstanding, a message is not published and counted in `gap`
 * (as is one whose publish failed or timed out); publishing resumes as soon as the client has reconnected.
 */
import type { SerializedEvent } from '../pipeline/serialize.ts';
import { MAX_NATS_PENDING_PUBLISHES } from '../server/limits.ts';
import { avSubject, eventSubject } from './names.ts';
import type { NatsLink } from './nats-connection.ts';

/** Counters of a publisher. */
export interface PublisherStats {
  /** Messages acknowledged by JetStream (duplicates included). */
  readonly published: number;
  /** Acknowledged as duplicates (already stored). */
  readonly duplicates: number;
  /** Messages not published: NATS down, too many pending, or the publish failed. */
  readonly gap: number;
  /** Publishes awaiting their acknowledgement. */
  readonly pending: number;
}

/** A results publisher. */
export interface ResultPublisher extends PublisherStats {
  /** Publishes one serialised pipeline event (lag events are not published). */
  publish(event: SerializedEvent): void;
  /** Resolves when every pending publish is acknowledged or failed. */
  flush(): Promise<void>;
}

/** Subject and message id of an event; undefined for events that are not published. */
export function messageAddress(event: SerializedEvent): { subject: string; msgID: string } | undefined {
  const e = event.event;
  const id = event.streamId;
  switch (e.type) {
    case 'av': return { subject: avSubject(id), msgID: `${id}:${Math.round(e.t * 1e6) / 1e6}` };
    case 'stream':
      if (e.state === 'started') return { subject: eventSubject(id), msgID: `${id}:started:${e.resume ? e.resume.skipThroughT : 0}` };
      return { subject: eventSubject(id), msgID: e.detached ? `${id}:handoff:${e.lastT ?? 0}` : `${id}:ended` };
    case 'error': return { subject: eventSubject(id), msgID: `${id}:error` };
    default: return undefined;
  }
}

/** Creates a publisher on `link`. */
export function createResultPublisher(link: NatsLink): ResultPublisher {
  let published = 0;
  let duplicates = 0;
  let gap = 0;
  let pending = 0;
  let idle: Array<() => void> = [];
  const settle = (): void => {
    pending--;
    if (pending === 0) {
      const waiting = idle;
      idle = [];
      for (const w of waiting) w();
    }
  };
  return {
    get published() { return published; },
    get duplicates() { return duplicates; },
    get gap() { return gap; },
    get pending() { return pending; },
    publish(event) {
      const address = messageAddress(event);
      if (!address) return;
      if (!link.connected || pending >= MAX_NATS_PENDING_PUBLISHES) {
        gap++;
        return;
      }
      pending++;
      link.js.publish(address.subject, event.text, { msgID: address.msgID }).then((ack) => {
        published++;
        if (ack.duplicate) duplicates++;
      }, () => { gap++; }).finally(settle);
    },
    flush() {
      return pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
