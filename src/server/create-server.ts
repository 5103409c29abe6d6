/**
 * The emostream server: one pipeline (createPipeline) fed by the sources given at start and by ingest sockets,
 * fanned out to results clients. Endpoints:
 *   ws  /results[?stream=id]   results (hello, then av / stream / lag / error messages)
 *   ws  /ingest?stream=id&rate=16000&format=s16le   PCM ingest (with `ingest: true`)
 *   GET /overlay?stream=id, /health, /metrics
 * A host other than loopback requires a token. Closing the server stops the sources, closes every socket and frees
 * the pipeline; the model stays the caller's to release.
 */
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { Subject, type Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { EmostreamError } from '../errors.ts';
import { STREAM_ID_PATTERN, type StreamSource } from '../audio/sources/types.ts';
import type { EmotionModel } from '../model/types.ts';
import { availableParallelism } from 'node:os';
import { createPipeline } from '../pipeline/create-pipeline.ts';
import { createFeaturePool, type FeaturePool } from '../pipeline/feature-pool.ts';
import { modelLabel } from '../pipeline/infer.ts';
import { serializeEvents, type SerializedEvent } from '../pipeline/serialize.ts';
import { isLoopbackHost, presentedToken, tokenMatches } from './auth.ts';
import { handleHttp } from './http-routes.ts';
import { DEFAULT_INGEST_FORMAT, parsePcmParams, serveIngest } from './ingest.ts';
import {
  HARD_MAX_PAYLOAD_BYTES, MAX_CLIENTS, MAX_CLIENT_BUFFERED_BYTES, MAX_INGEST_STREAMS, MAX_PENDING_WINDOWS, MAX_QUEUED_AUDIO_S, MAX_QUEUED_MESSAGES, TRAIL_LENGTH,
} from './limits.ts';
import { createServerMetrics, type ServerMetrics } from './metrics.ts';
import type { TrailPoint } from './overlay-page.ts';
import { CONNECTION_ERRORS, connectionError, helloMessage, type ConnectionErrorCode } from './protocol.ts';
import { createResultsClient, type ResultsClient } from './results-client.ts';

/** Options of `startServer`. */
export interface ServerOptions {
  readonly model: EmotionModel;
  /** Interface to listen on. Default '127.0.0.1'. Non-loopback needs `token`. */
  readonly host?: string;
  /** TCP port (0 = any free port). Default 8080. */
  readonly port?: number;
  /** Shared secret for every endpoint but /health (Bearer header or ?token=). Default: none (loopback only). */
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
}

/** A running server. */
export interface EmostreamServer {
  /** `http://host:port` (ws URLs: replace the scheme). */
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  /** Starts another stream (EMO_ERR_BAD_CONFIG if its id is invalid or in use). */
  addSource(source: StreamSource): void;
  /** Every serialised pipeline event, as sent to clients. */
  readonly events: Subject<SerializedEvent>;
  /** The feature-worker pool (undefined with `workers: 0`). */
  readonly featurePool: FeaturePool | undefined;
  /** Stops sources and sockets; resolves when the port is closed. */
  close(): Promise<void>;
}

/** Starts the HTTP/WebSocket server and its pipeline. */
export async function startServer(options: ServerOptions): Promise<EmostreamServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  const token = options.token;
  if (!isLoopbackHost(host) && !token) {
    throw new EmostreamError('EMO_ERR_USAGE', `listening on ${host} (not loopback) requires --token`);
  }
  if (token !== undefined && token.length < 8) throw new EmostreamError('EMO_ERR_USAGE', 'the token must have at least 8 characters');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmostreamError('EMO_ERR_USAGE', `port must be 0..65535, got ${port}`);
  const clientLimits = {
    maxQueuedMessages: options.maxQueuedMessages ?? MAX_QUEUED_MESSAGES,
    maxBufferedBytes: options.maxBufferedBytes ?? MAX_CLIENT_BUFFERED_BYTES,
  };
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 0) throw new EmostreamError('EMO_ERR_USAGE', `workers must be an integer ≥ 0, got ${workers}`);
  const model = options.model;
  const label = modelLabel(model);
  const testModel = model.metadata.purpose === 'test-fixture';
  const metrics = createServerMetrics();
  const startedAtMs = performance.now();
  const streams = new Map<string, string>(); // running (or reserved) stream id → source kind
  const trails = new Map<string, TrailPoint[]>();
  const allClients = new Set<ResultsClient>();
  const byStream = new Map<string, Set<ResultsClient>>();
  const events = new Subject<SerializedEvent>();
  let failure: string | undefined;
  let ingestCount = 0;
  let autoId = 0;

  // --- pipeline -------------------------------------------------------------------------------------------
  const sources$ = new Subject<StreamSource>();
  const publish = (event: SerializedEvent): void => {
    const e = event.streamId;
    if (event.type === 'av' && event.latencyMs !== undefined) {
      metrics.results++;
      metrics.observeLatency(event.latencyMs);
    }
    for (const c of allClients) if (c.stream === undefined) c.send(event.text);
    const subscribed = byStream.get(e);
    if (subscribed) for (const c of subscribed) c.send(event.text);
    events.next(event);
  };
  const featurePool = workers > 0 ? createFeaturePool({ workers }) : undefined;
  const pipeline: Subscription = createPipeline(sources$, {
    model, featurePool, maxPendingWindows: MAX_PENDING_WINDOWS, lagAfterS: MAX_PENDING_WINDOWS, maxQueuedS: MAX_QUEUED_AUDIO_S,
  })
    .pipe(serializeEvents())
    .subscribe({
      next(event) {
        const id = event.streamId;
        const e = event.event;
        if (e.type === 'av') {
          const trail = trails.get(id) ?? [];
          trail.push({ t: e.t, arousal: e.arousal, valence: e.valence });
          if (trail.length > TRAIL_LENGTH) trail.shift();
          trails.set(id, trail);
        } else if (e.type === 'stream' && e.state === 'started') {
          metrics.streamsStarted++;
          metrics.streamsActive++;
        } else if (e.type === 'lag') {
          metrics.lagEvents++;
        } else {
          if (e.type === 'error') metrics.streamErrors++;
          metrics.streamsActive--;
          streams.delete(id);
          trails.delete(id);
        }
        publish(event);
      },
      error(err: unknown) {
        failure = err instanceof Error ? err.message : String(err);
        process.stderr.write(`emostream: pipeline failed: ${failure}\n`);
      },
    });

  const addSource = (source: StreamSource): void => {
    if (!STREAM_ID_PATTERN.test(source.streamId)) {
      throw new EmostreamError('EMO_ERR_BAD_CONFIG', `stream id '${source.streamId}' must be 1–64 characters of [A-Za-z0-9._-]`);
    }
    if (streams.has(source.streamId) && source.kind !== 'ingest') {
      throw new EmostreamError('EMO_ERR_BAD_CONFIG', `stream id '${source.streamId}' is already in use`);
    }
    streams.set(source.streamId, source.kind);
    sources$.next(source);
  };

  // --- WebSockets ------------------------------------------------------------------------------------------
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  const reject = (ws: WebSocket, code: ConnectionErrorCode, message: string): void => {
    metrics.protocolErrors++;
    ws.send(connectionError(code, message));
    ws.close(CONNECTION_ERRORS[code].closeCode ?? 1008, code);
  };

  const onResults = (ws: WebSocket, url: URL): void => {
    const stream = url.searchParams.get('stream') ?? undefined;
    if (stream !== undefined && !STREAM_ID_PATTERN.test(stream)) return reject(ws, 'bad_config', 'stream must be 1–64 characters of [A-Za-z0-9._-]');
    if (allClients.size >= MAX_CLIENTS) return reject(ws, 'server_full', `at most ${MAX_CLIENTS} results clients`);
    const client = createResultsClient(ws, stream, clientLimits, () => metrics.messagesSent++, () => metrics.messagesDropped++);
    allClients.add(client);
    if (stream !== undefined) {
      let set = byStream.get(stream);
      if (!set) byStream.set(stream, (set = new Set()));
      set.add(client);
    }
    metrics.resultsClients++;
    client.send(helloMessage(label, testModel, [...streams.keys()], stream));
    ws.on('message', () => undefined); // results clients have nothing to say; ignore
    ws.on('error', () => undefined);
    ws.once('close', () => {
      allClients.delete(client);
      if (stream !== undefined) {
        const set = byStream.get(stream);
        set?.delete(client);
        if (set?.size === 0) byStream.delete(stream);
      }
      metrics.resultsClients--;
    });
  };

  const onIngest = (ws: WebSocket, url: URL): void => {
    ws.on('error', () => undefined);
    if (!options.ingest) return reject(ws, 'ingest_disabled', 'this server was started without --ingest');
    if (ingestCount >= MAX_INGEST_STREAMS) return reject(ws, 'server_full', `at most ${MAX_INGEST_STREAMS} ingest streams`);
    let streamId = url.searchParams.get('stream') ?? undefined;
    if (streamId === undefined) {
      do streamId = `ingest-${++autoId}`; while (streams.has(streamId));
    }
    if (!STREAM_ID_PATTERN.test(streamId)) return reject(ws, 'bad_config', 'stream must be 1–64 characters of [A-Za-z0-9._-]');
    let format;
    try {
      format = parsePcmParams(url.searchParams.get('rate'), url.searchParams.get('format'), DEFAULT_INGEST_FORMAT);
    } catch (err) {
      return reject(ws, 'bad_config', (err as Error).message);
    }
    if (streams.has(streamId)) return reject(ws, 'stream_busy', `stream '${streamId}' is already running`);
    streams.set(streamId, 'ingest'); // reserved until the pipeline reports the stream's end
    ingestCount++;
    metrics.ingestClients++;
    ws.once('close', () => {
      ingestCount--;
      metrics.ingestClients--;
    });
    serveIngest(ws, streamId, format, {
      addSource,
      onProtocolError: () => metrics.protocolErrors++,
      onBytes: (n) => { metrics.ingestBytes += n; },
      onAbandoned: (id) => streams.delete(id),
    });
  };

  const onUpgrade = (req: import('node:http').IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/results' && url.pathname !== '/ingest') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!tokenMatches(token, presentedToken(req, url))) return reject(ws, 'unauthorized', 'missing or wrong token');
      if (url.pathname === '/results') onResults(ws, url);
      else onIngest(ws, url);
    });
  };

  // --- HTTP ------------------------------------------------------------------------------------------------
  const http: Server = createServer((req, res) => handleHttp(req, res, {
    token, metrics, model: label, testModel, startedAtMs,
    streams: () => streams,
    trail: (id) => trails.get(id) ?? [],
    failed: () => failure,
  }));
  http.on('upgrade', onUpgrade);
  http.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    http.once('error', () => void featurePool?.release());
    http.once('error', (err: NodeJS.ErrnoException) => reject(new EmostreamError('EMO_ERR_NETWORK', `cannot listen on ${host}:${port} (${err.code ?? err.message})`, { cause: err })));
    http.listen(port, host, () => resolve());
  });
  const actualPort = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  for (const source of options.sources ?? []) addSource(source);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${actualPort}`,
    port: actualPort,
    metrics,
    addSource,
    events,
    featurePool,
    close() {
      closing ??= (async () => {
        pipeline.unsubscribe();
        sources$.complete();
        events.complete();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await featurePool?.release();
      })();
      return closing;
    },
  };
}
