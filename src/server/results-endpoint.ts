/**
 * `ws /results[?stream=<id>]`: a results client. It gets `hello` (model, running streams, its filter), then every
 * message of every stream (no filter) or of its stream, through a bounded drop-oldest queue (results-client.ts).
 * Refused with `bad_config` (malformed id) or `server_full` (MAX_CLIENTS connected). Anything the client sends is
 * ignored.
 */
import type { WebSocket } from 'ws';
import { STREAM_ID_PATTERN } from '../audio/sources/types.ts';
import { MAX_CLIENTS } from './limits.ts';
import type { ServerMetrics } from './metrics.ts';
import { helloMessage } from './protocol.ts';
import { rejectSocket } from './reject-socket.ts';
import { createResultsClient, type ResultsClientLimits } from './results-client.ts';
import type { StreamRegistry } from './stream-registry.ts';

/** What the results endpoint needs from the server. */
export interface ResultsEndpointContext {
  readonly registry: StreamRegistry;
  readonly metrics: ServerMetrics;
  readonly limits: ResultsClientLimits;
  /** `<domain>@<version>` of the model. */
  readonly modelLabel: string;
  /** Whether the model is a test fixture (random weights). */
  readonly testModel: boolean;
}

/** Serves one accepted (authorised) results socket. */
export function handleResultsSocket(ws: WebSocket, url: URL, ctx: ResultsEndpointContext): void {
  const { registry, metrics } = ctx;
  ws.on('error', () => undefined);
  const stream = url.searchParams.get('stream') ?? undefined;
  if (stream !== undefined && !STREAM_ID_PATTERN.test(stream)) {
    return rejectSocket(ws, metrics, 'bad_config', 'stream must be 1–64 characters of [A-Za-z0-9._-]');
  }
  if (registry.clientCount >= MAX_CLIENTS) return rejectSocket(ws, metrics, 'server_full', `at most ${MAX_CLIENTS} results clients`);
  const client = createResultsClient(ws, stream, ctx.limits, () => metrics.messagesSent++, () => metrics.messagesDropped++);
  const unsubscribe = registry.subscribe(client);
  metrics.resultsClients++;
  client.send(helloMessage(ctx.modelLabel, ctx.testModel, registry.ids(), stream));
  ws.on('message', () => undefined); // results clients have nothing to say
  ws.once('close', () => {
    unsubscribe();
    metrics.resultsClients--;
  });
}
