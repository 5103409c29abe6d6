/**
 * The public contract of the server (`startServer`): its options and the running server's handle. Kept apart from
 * the wiring in create-server.ts.
 */
import type { Subject } from 'rxjs';
import type { StreamSource } from '../audio/sources/types.ts';
import type { EmotionModel } from '../model/types.ts';
import type { FeaturePool } from '../pipeline/feature-pool.ts';
import type { SerializedEvent } from '../pipeline/serialize.ts';
import type { ServerMetrics } from './metrics.ts';
import type { StreamOutcome } from './stream-registry.ts';
import type { ClusterNode, ClusterOptions } from './handoff/cluster-node.ts';

/** Options of `startServer`. */
export interface ServerOptions {
  readonly model: EmotionModel;
  /** Interface to listen on. Default '127.0.0.1'. Non-loopback needs `token`. */
  readonly host?: string;
  /** TCP port (0 = any free port). Default 8080. */
  readonly port?: number;
  /** Shared secret (≥ 8 characters) for every endpoint but /health (Bearer header or ?token=). Default: none (loopback only). */
  readonly token?: string;
  /** Accept ingest sockets. Default false. */
  readonly ingest?: boolean;
  /** Sources started with the server (each its own stream id). Default none. */
  readonly sources?: readonly StreamSource[];
  /** Messages queued per slow results client before drop-oldest. Default MAX_QUEUED_MESSAGES. */
  readonly maxQueuedMessages?: number;
  /** Unsent bytes per results socket before queuing. Default MAX_CLIENT_BUFFERED_BYTES. */
  readonly maxBufferedBytes?: number;
  /**
   * Feature-extraction worker threads (integer ≥ 0): resampling, LLD extraction and pooling of each stream run on
   * one of them; 0 runs everything in the main thread. Default os.availableParallelism().
   */
  readonly workers?: number;
  /**
   * AudioSocket TCP listener (`--audiosocket PORT`, with `ingest`): port (0 = any free port), host (default: `host`),
   * `insecure` to allow a non-loopback host (AudioSocket carries no credentials). Default: none.
   */
  readonly audiosocket?: { readonly port: number; readonly host?: string; readonly insecure?: boolean };
  /** AudioHook credentials: expected X-API-KEY (default: `token`) and client secret bytes for the signature check. */
  readonly audiohook?: { readonly apiKey?: string; readonly clientSecret?: Uint8Array };
  /**
   * Results on NATS JetStream, the KV stream registry and the state hand-off between instances (`--nats`).
   * Default: none. NATS unreachable at start: startServer rejects with one EMO_ERR_NETWORK error.
   */
  readonly nats?: ClusterOptions;
}

/** A running server. */
export interface EmostreamServer {
  /** `http://host:port` (ws URLs: replace the scheme). */
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  /** Starts another stream (EMO_ERR_BAD_CONFIG if its id is invalid or in use). */
  addSource(source: StreamSource): void;
  /**
   * Resolves once every source given in `ServerOptions.sources` has ended, failed, or been stopped by `close()`,
   * with one outcome per source in the order given (immediately, with `[]`, when there were none).
   */
  readonly sourcesSettled: Promise<readonly StreamOutcome[]>;
  /** Every serialised pipeline event, as sent to clients. */
  readonly events: Subject<SerializedEvent>;
  /** The feature-worker pool (undefined with `workers: 0`). */
  readonly featurePool: FeaturePool | undefined;
  /** Port of the AudioSocket listener (undefined without `audiosocket`). */
  readonly audiosocketPort?: number;
  /** The cluster membership (with `nats`). */
  readonly cluster?: ClusterNode;
  /**
   * Drain (SIGTERM with `nats`): stops accepting connections, hands every telephony stream over (AudioHook clients
   * are asked to reconnect, other sockets closed; final states saved to KV), flushes the publishes, then closes.
   * Without `nats` it is `close()`.
   */
  drain(): Promise<void>;
  /** Stops sources and sockets; resolves when the port is closed. */
  close(): Promise<void>;
}
