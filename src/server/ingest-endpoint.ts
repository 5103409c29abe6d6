/**
 * `ws /ingest?stream=<id>&rate=16000&format=s16le`: admission of an ingest socket (enabled, under
 * MAX_INGEST_STREAMS, a valid id — generated `ingest-<n>` when none is given —, valid PCM parameters, the id free),
 * then the frame protocol of ingest.ts. The id is reserved in the registry from admission until the stream's
 * outcome, so two sockets can never feed one stream.
 */
import type { WebSocket } from 'ws';
import { STREAM_ID_PATTERN, type StreamSource } from '../audio/sources/types.ts';
import { DEFAULT_INGEST_FORMAT, parsePcmParams, serveIngest } from './ingest.ts';
import { MAX_INGEST_STREAMS } from './limits.ts';
import type { ServerMetrics } from './metrics.ts';
import { rejectSocket } from './reject-socket.ts';
import type { StreamRegistry } from './stream-registry.ts';
import { openCallChannel, type TelephonyContext } from './telephony/call-channel.ts';

/** What the ingest endpoint needs from the server. */
export interface IngestEndpointContext {
  readonly registry: StreamRegistry;
  readonly metrics: ServerMetrics;
  /** Whether the server accepts ingest (`--ingest`). */
  readonly enabled: boolean;
  /** Starts a stream in the pipeline (claims its id in the registry). */
  addSource(source: StreamSource): void;
  /** Further id rules (NATS subjects); throws EMO_ERR_BAD_CONFIG for an id that breaks them. */
  checkId?(id: string): void;
  /**
   * With the NATS hand-off (`--nats`): the telephony context; the stream then becomes a call channel (resumed from
   * another instance's state, handed over on drain) and a draining instance refuses new sockets (`server_full`).
   */
  readonly handoff?: TelephonyContext;
}

/** Serves one accepted (authorised) ingest socket. */
export function handleIngestSocket(ws: WebSocket, url: URL, ctx: IngestEndpointContext): void {
  const { registry, metrics } = ctx;
  ws.on('error', () => undefined);
  if (!ctx.enabled) return rejectSocket(ws, metrics, 'ingest_disabled', 'this server was started without --ingest');
  if (metrics.ingestClients >= MAX_INGEST_STREAMS) return rejectSocket(ws, metrics, 'server_full', `at most ${MAX_INGEST_STREAMS} ingest streams`);
  if (ctx.handoff?.handoff?.draining) return rejectSocket(ws, metrics, 'server_full', 'this instance is draining; connect to another one');
  const streamId = url.searchParams.get('stream') ?? registry.freeId('ingest');
  if (!STREAM_ID_PATTERN.test(streamId)) return rejectSocket(ws, metrics, 'bad_config', 'stream must be 1–64 characters of [A-Za-z0-9._-]');
  try {
    ctx.checkId?.(streamId);
  } catch (err) {
    return rejectSocket(ws, metrics, 'bad_config', (err as Error).message);
  }
  let format;
  try {
    format = parsePcmParams(url.searchParams.get('rate'), url.searchParams.get('format'), DEFAULT_INGEST_FORMAT);
  } catch (err) {
    return rejectSocket(ws, metrics, 'bad_config', (err as Error).message);
  }
  const outcome = registry.reserve(streamId, 'ingest'); // held until the pipeline reports the stream's end
  if (!outcome) return rejectSocket(ws, metrics, 'stream_busy', `stream '${streamId}' is already running`);
  metrics.ingestClients++;
  ws.once('close', () => { metrics.ingestClients--; });
  serveIngest(ws, streamId, format, {
    addSource: ctx.addSource,
    outcome,
    onProtocolError: () => metrics.protocolErrors++,
    onBytes: (n) => { metrics.ingestBytes += n; },
    onAbandoned: (id) => registry.release(id),
    ...(ctx.handoff ? { openChannel: (rateHz: number, leave: () => void) => openIngestChannel(ctx.handoff!, streamId, rateHz, leave) } : {}),
  });
}

/** The call channel of a hand-off-capable ingest stream: takes over the id's reservation (same tick, so nobody else can). */
function openIngestChannel(ctx: TelephonyContext, streamId: string, rateHz: number, leave: () => void) {
  ctx.registry.release(streamId);
  return openCallChannel(ctx, { streamId, kind: 'ingest', rateHz, metadata: {}, leave });
}
