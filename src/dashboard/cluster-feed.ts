/**
 * What the dashboard reads from NATS (official clients, nats-server 2.9 features only):
 *
 *   JetStream  one ordered consumer on EMOSTREAM, filter `emostream.>` (ONE subject: 2.9 has no multi-subject
 *              filters), delivered from `sinceMs` on (the sparklines' history, then live): every av and event
 *              message with its JetStream timestamp; the dashboard's own alerts come back too and are skipped.
 *   KV         watches of emostream-streams (which instance serves a stream, since when) and emostream-instances
 *              (heartbeats): the current entries first, then every change.
 *
 * Ordered consumers and watches re-create themselves after a NATS reconnect; `stop()` ends them.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { InstanceEntry, StreamEntry } from '../cluster/cluster-store.ts';
import { RESULTS_STREAM, streamOfSubject } from '../cluster/names.ts';
import type { NatsLink } from '../cluster/nats-connection.ts';

/** One results message. */
export interface FeedMessage {
  readonly kind: 'av' | 'event';
  readonly stream: string;
  /** The message JSON (the serve instance's WebSocket message). */
  readonly body: Record<string, unknown>;
  /** When JetStream stored it, Unix ms. */
  readonly storedAtMs: number;
}

/** What the feed reports. */
export interface FeedHandlers {
  message(m: FeedMessage): void;
  /** A registry entry was put (undefined value: deleted or expired). */
  streamEntry(stream: string, entry: StreamEntry | undefined): void;
  instanceEntry(instance: string, entry: InstanceEntry | undefined): void;
}

/** A running feed. */
export interface ClusterFeed {
  stop(): Promise<void>;
}

const decode = (bytes: Uint8Array): Record<string, unknown> | undefined => {
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
};

async function watchBucket(kv: KV, onEntry: (key: string, value: Record<string, unknown> | undefined) => void): Promise<{ stop(): void }> {
  const watch = await kv.watch();
  void (async () => {
    for await (const e of watch) onEntry(e.key, e.operation === 'PUT' ? decode(e.value) : undefined);
  })().catch(() => undefined);
  return { stop: () => watch.stop() };
}

/** Starts reading results from `sinceMs` (Unix ms) and watching the registry. */
export async function startClusterFeed(link: NatsLink, buckets: { readonly streams: KV; readonly instances: KV }, sinceMs: number, handlers: FeedHandlers): Promise<ClusterFeed> {
  const consumer = await link.js.consumers.get(RESULTS_STREAM, {
    filter_subjects: 'emostream.>', deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(sinceMs).toISOString(),
  });
  const messages = await consumer.consume();
  void (async () => {
    for await (const m of messages) {
      const kind = m.subject.startsWith('emostream.av.') ? 'av' : m.subject.startsWith('emostream.event.') ? 'event' : undefined;
      const stream = streamOfSubject(m.subject);
      const body = kind && stream ? decode(m.data) : undefined;
      if (kind && stream && body) handlers.message({ kind, stream, body, storedAtMs: m.info.timestampNanos / 1e6 });
    }
  })().catch(() => undefined);
  const streams = await watchBucket(buckets.streams, (key, v) => handlers.streamEntry(key, v as StreamEntry | undefined));
  const instances = await watchBucket(buckets.instances, (key, v) => handlers.instanceEntry(key, v as InstanceEntry | undefined));
  return {
    async stop() {
      streams.stop();
      instances.stop();
      messages.stop();
    },
  };
}
