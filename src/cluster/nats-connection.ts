/**
 * The NATS connection of an emostream process (official client @nats-io/transport-node): connects once (a server
 * that cannot be reached, or has no JetStream, is ONE clear EMO_ERR_NETWORK error), then reconnects for ever in
 * the background; `connected` follows the client's status events so publishers can count what they skip.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { EmostreamError } from '../errors.ts';

/** Options of `connectNats`. */
export interface NatsOptions {
  /** Server URL(s), e.g. `nats://127.0.0.1:4222` (comma-separated for several). */
  readonly url: string;
  /** Connection name shown by the server. Default 'emostream'. */
  readonly name?: string;
  /** Time allowed for the first connection, ms. Default 3000. */
  readonly timeoutMs?: number;
}

/** A connected client with JetStream and KV handles. */
export interface NatsLink {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly kvm: Kvm;
  /** Whether the connection is up now (false between a disconnect and the reconnect). */
  readonly connected: boolean;
  /** Calls `listener(up)` on every disconnect / reconnect; returns the unsubscribe function. */
  onStatus(listener: (up: boolean) => void): () => void;
  /** Flushes what is buffered and closes. Idempotent. */
  close(): Promise<void>;
}

/** Connects to NATS and checks JetStream; EMO_ERR_NETWORK naming the URL and the cause when it cannot. */
export async function connectNats(options: NatsOptions): Promise<NatsLink> {
  const servers = options.url.split(',').map((s) => s.trim()).filter(Boolean);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers, name: options.name ?? 'emostream', timeout: options.timeoutMs ?? 3000,
      maxReconnectAttempts: -1, reconnectTimeWait: 500, pingInterval: 10_000,
    });
  } catch (err) {
    const why = (err as Error)?.message ?? String(err);
    throw new EmostreamError('EMO_ERR_NETWORK', `cannot connect to NATS at ${options.url} (${why}); is nats-server running (nats-server -js)?`, { cause: err });
  }
  const jsm = await jetstreamManager(nc, { timeout: 3000 }).catch(async (err: unknown) => {
    await nc.close();
    throw new EmostreamError('EMO_ERR_NETWORK', `NATS at ${options.url} has no JetStream (start nats-server with -js): ${(err as Error)?.message ?? err}`, { cause: err });
  });
  const listeners = new Set<(up: boolean) => void>();
  let connected = true;
  let closed = false;
  void (async () => {
    for await (const s of nc.status()) {
      const up = s.type === 'reconnect' ? true : s.type === 'disconnect' ? false : undefined;
      if (up === undefined || up === connected) continue;
      connected = up;
      for (const l of listeners) l(up);
    }
  })().catch(() => undefined);
  return {
    nc, jsm, js: jetstream(nc, { timeout: 5000 }), kvm: new Kvm(nc),
    get connected() { return connected && !closed; },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await nc.drain().catch(() => nc.close());
    },
  };
}
