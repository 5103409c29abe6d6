/**
 * The stream registry of a server: which stream ids run (or are reserved by an endpoint before their first audio)
 * and their source kind, the overlay trail of each, start/end bookkeeping (metrics and one outcome per stream), and
 * the results clients subscribed to every stream or to one. Endpoints (results, ingest, and later ones) reach the
 * streams only through it. Every serialised pipeline event passes `record()`, which updates the books and then fans
 * the event out to the subscribed clients, so a stream's `ended` event has reached its clients when its outcome
 * resolves.
 *
 * Life of an id: `reserve` (optional: an endpoint holds the id while the client configures) → `claim` (the source
 * enters the pipeline) → `ended` / `error` event, or `release` (reserved, never started), or `closeAll` (server
 * closed). The id is free again as soon as its outcome resolved.
 */
import { EmostreamError } from '../errors.ts';
import { STREAM_ID_PATTERN, type SourceKind, type StreamSource } from '../audio/sources/types.ts';
import type { SerializedEvent } from '../pipeline/serialize.ts';
import { TRAIL_LENGTH } from './limits.ts';
import type { ServerMetrics } from './metrics.ts';
import type { TrailPoint } from './overlay-page.ts';
import { createSubscriptions, type StreamSubscriber } from './subscriptions.ts';

export type { StreamSubscriber } from './subscriptions.ts';

/** How a stream ended. */
export type StreamEndState =
  /** Ended normally, after its last result. */
  | 'ended'
  /** Failed: see `StreamOutcome.code` and `error`. */
  | 'error'
  /** Reserved by an endpoint but never started (the client left or ended before any audio). */
  | 'abandoned'
  /** Still running when the server closed. */
  | 'closed';

/** The end of one stream. */
export interface StreamOutcome {
  readonly streamId: string;
  readonly kind: SourceKind;
  readonly state: StreamEndState;
  /** Protocol error code (state 'error' only), e.g. 'input_not_found'. */
  readonly code?: string;
  /** The original error (state 'error' only; an EmostreamError for the server's own sources). */
  readonly error?: unknown;
}

/** The registry (see the module comment). */
export interface StreamRegistry {
  /** Running and reserved stream ids, in start order. */
  ids(): string[];
  /** Whether `id` is running or reserved. */
  has(id: string): boolean;
  /** Reserves `id` for a source of `kind` to come; undefined when the id is taken. The promise is the stream's outcome. */
  reserve(id: string, kind: SourceKind): Promise<StreamOutcome> | undefined;
  /** Frees a reservation whose stream never started (outcome 'abandoned'); no-op once the stream started. */
  release(id: string): void;
  /**
   * Registers `source` as running: its id must match STREAM_ID_PATTERN and be free or reserved for the same kind
   * (EMO_ERR_BAD_CONFIG otherwise). Returns the stream's outcome.
   */
  claim(source: StreamSource): Promise<StreamOutcome>;
  /** A free id `<prefix>-<n>` (n counting from 1 per registry). */
  freeId(prefix: string): string;
  /** The outcome of a running or reserved stream; undefined for an unknown id. */
  outcome(id: string): Promise<StreamOutcome> | undefined;
  /** Recent results of a stream for the overlay (oldest first; at most TRAIL_LENGTH). */
  trail(id: string): readonly TrailPoint[];
  /** Adds a results client; the returned function removes it. */
  subscribe(client: StreamSubscriber): () => void;
  /** Results clients connected. */
  readonly clientCount: number;
  /** Books one pipeline event (metrics, trail, end of stream) and sends it to the subscribed clients. */
  record(event: SerializedEvent): void;
  /** Resolves every pending outcome as 'closed' (server shutdown). */
  closeAll(): void;
}

interface Entry {
  readonly kind: SourceKind;
  started: boolean;
  readonly trail: TrailPoint[];
  readonly outcome: Promise<StreamOutcome>;
  readonly settle: (outcome: StreamOutcome) => void;
}

function openEntry(kind: SourceKind, started: boolean): Entry {
  let settle!: (outcome: StreamOutcome) => void;
  const outcome = new Promise<StreamOutcome>((resolve) => { settle = resolve; });
  return { kind, started, trail: [], outcome, settle };
}

/** Updates the metrics and the trail for one event (before it is sent). */
function bookEvent(metrics: ServerMetrics, entry: Entry | undefined, event: SerializedEvent): void {
  const e = event.event;
  if (e.type === 'av') {
    if (event.latencyMs !== undefined) {
      metrics.results++;
      metrics.observeLatency(event.latencyMs);
    }
    if (entry) {
      entry.trail.push({ t: e.t, arousal: e.arousal, valence: e.valence, ...(e.content && { content: e.content.label }), ...(e.confidence !== undefined && { confidence: e.confidence }) });
      if (entry.trail.length > TRAIL_LENGTH) entry.trail.shift();
    }
  } else if (e.type === 'lag') {
    metrics.lagEvents++;
  } else if (e.type === 'stream' && e.state === 'started') {
    metrics.streamsStarted++;
    metrics.streamsActive++;
  } else if (e.type === 'error') {
    metrics.streamErrors++;
  }
}

/** Creates an empty registry that keeps `metrics` (streams, results, latency, lag, errors) up to date. */
export function createStreamRegistry(metrics: ServerMetrics): StreamRegistry {
  const entries = new Map<string, Entry>();
  const subscriptions = createSubscriptions();
  let autoId = 0;

  const settle = (id: string, state: StreamEndState, code?: string, error?: unknown): void => {
    const entry = entries.get(id);
    if (!entry) return;
    entries.delete(id);
    entry.settle(state === 'error' ? { streamId: id, kind: entry.kind, state, code, error } : { streamId: id, kind: entry.kind, state });
  };
  const open = (id: string, kind: SourceKind, started: boolean): Promise<StreamOutcome> => {
    const entry = openEntry(kind, started);
    entries.set(id, entry);
    return entry.outcome;
  };

  return {
    ids: () => [...entries.keys()],
    has: (id) => entries.has(id),
    reserve: (id, kind) => (entries.has(id) ? undefined : open(id, kind, false)),
    release(id) {
      if (entries.get(id)?.started === false) settle(id, 'abandoned');
    },
    claim(source) {
      const id = source.streamId;
      if (!STREAM_ID_PATTERN.test(id)) {
        throw new EmostreamError('EMO_ERR_BAD_CONFIG', `stream id '${id}' must be 1–64 characters of [A-Za-z0-9._-]`);
      }
      const entry = entries.get(id);
      if (!entry) return open(id, source.kind, true);
      if (entry.started || entry.kind !== source.kind) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `stream id '${id}' is already in use`);
      entry.started = true;
      return entry.outcome;
    },
    freeId(prefix) {
      let id: string;
      do id = `${prefix}-${++autoId}`; while (entries.has(id));
      return id;
    },
    outcome: (id) => entries.get(id)?.outcome,
    trail: (id) => entries.get(id)?.trail ?? [],
    subscribe: (client) => subscriptions.subscribe(client),
    get clientCount() { return subscriptions.count; },
    record(event) {
      bookEvent(metrics, entries.get(event.streamId), event);
      subscriptions.publish(event.streamId, event.text);
      const e = event.event;
      if (e.type === 'error' || (e.type === 'stream' && e.state === 'ended')) {
        metrics.streamsActive--;
        settle(event.streamId, e.type === 'error' ? 'error' : 'ended', e.type === 'error' ? e.code : undefined, e.type === 'error' ? e.error : undefined);
      }
    },
    closeAll() {
      for (const id of [...entries.keys()]) settle(id, 'closed');
    },
  };
}
