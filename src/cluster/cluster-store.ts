/**
 * emostream's JetStream objects (names.ts): `openClusterStore` creates the results stream and the three KV buckets
 * when they are missing (an existing stream is used as it is, so an operator may change its retention), and gives
 * typed access to them: instance heartbeats, stream registry entries, saved states, the last `t` of a stream.
 */
import type { KV } from '@nats-io/kv';
import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { EmostreamError } from '../errors.ts';
import {
  avSubject, DUPLICATE_WINDOW_S, INSTANCE_TTL_S, INSTANCES_BUCKET, RESULTS_MAX_AGE_S, RESULTS_MAX_BYTES, RESULTS_STREAM, RESULTS_SUBJECTS,
  STATE_BUCKET, STATE_TTL_S, STREAM_ENTRY_TTL_S, STREAMS_BUCKET,
} from './names.ts';
import type { NatsLink } from './nats-connection.ts';

/** An instance heartbeat (KV emostream-instances). */
export interface InstanceEntry {
  readonly instance: string;
  /** Base URL of its HTTP/WebSocket server. */
  readonly url: string;
  readonly pid: number;
  /** ISO 8601 start time. */
  readonly started: string;
  /** Unix ms of this heartbeat. */
  readonly at: number;
  /** Streams it runs. */
  readonly streams: number;
  readonly draining: boolean;
}

/** A stream registry entry (KV emostream-streams). */
export interface StreamEntry {
  readonly stream: string;
  readonly instance: string;
  /** Unix ms when the stream (the call) started, kept across hand-offs. */
  readonly since: number;
  /** `t` of its last result (as of the last refresh). */
  readonly lastT: number;
  readonly kind: string;
  /** 'live', or 'handoff' (drained; its state waits in KV emostream-state for the next instance). */
  readonly state: 'live' | 'handoff';
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Unix ms of the last refresh. */
  readonly at: number;
}

/** Typed access to the buckets and the results stream. */
export interface ClusterStore {
  readonly instances: KV;
  readonly streams: KV;
  readonly states: KV;
  /** Every entry of a bucket (decoded JSON; undecodable entries skipped). */
  list<T>(kv: KV): Promise<T[]>;
  /** The decoded JSON of one key, or undefined. */
  getJson<T>(kv: KV, key: string): Promise<T | undefined>;
  /**
   * `t` of the last av result of `stream` in the results stream, or undefined when there is none. Rejects when the
   * request fails (e.g. a timeout on a loaded server): a failed read is not "nothing published".
   */
  lastPublishedT(stream: string): Promise<number | undefined>;
}

const decode = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

/** Creates (if missing) and opens the results stream and the buckets. */
export async function openClusterStore(link: NatsLink): Promise<ClusterStore> {
  try {
    await link.jsm.streams.info(RESULTS_STREAM);
  } catch {
    try {
      await link.jsm.streams.add({
        name: RESULTS_STREAM, subjects: [...RESULTS_SUBJECTS], storage: StorageType.File, retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old, max_age: RESULTS_MAX_AGE_S * 1e9, max_bytes: RESULTS_MAX_BYTES, duplicate_window: DUPLICATE_WINDOW_S * 1e9,
      });
    } catch (err) {
      throw new EmostreamError('EMO_ERR_NETWORK', `cannot create the JetStream stream ${RESULTS_STREAM}: ${(err as Error).message}`, { cause: err });
    }
  }
  const bucket = (name: string, ttlS: number) => link.kvm.create(name, { ttl: ttlS * 1000, history: 1, storage: StorageType.File });
  const [instances, streams, states] = await Promise.all([bucket(INSTANCES_BUCKET, INSTANCE_TTL_S), bucket(STREAMS_BUCKET, STREAM_ENTRY_TTL_S), bucket(STATE_BUCKET, STATE_TTL_S)]);
  return {
    instances, streams, states,
    async list<T>(kv: KV) {
      const keys: string[] = [];
      for await (const k of await kv.keys()) keys.push(k);
      const out: T[] = [];
      for (const k of keys) {
        const e = await kv.get(k);
        if (!e || e.operation !== 'PUT') continue;
        try { out.push(decode(e.value) as T); } catch { /* not ours */ }
      }
      return out;
    },
    async getJson<T>(kv: KV, key: string) {
      const e = await kv.get(key);
      if (!e || e.operation !== 'PUT') return undefined;
      try { return decode(e.value) as T; } catch { return undefined; }
    },
    async lastPublishedT(stream) {
      const m = await link.jsm.streams.getMessage(RESULTS_STREAM, { last_by_subj: avSubject(stream) }); // null: none; rejects when the request fails
      if (!m) return undefined;
      try {
        const t = (decode(m.data) as { t?: unknown }).t;
        return typeof t === 'number' ? t : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
