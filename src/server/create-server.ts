/**
 * The emostream server: one pipeline (createPipeline) fed by the sources given at start and by the endpoints, its
 * serialised events booked and fanned out by the stream registry. Endpoints, one module each:
 *   ws  /results[?stream=id]   results (hello, then av / stream / lag / error messages)   results-endpoint.ts
 *   ws  /ingest?stream=id&rate=16000&format=s16le   PCM ingest (with `ingest: true`)      ingest-endpoint.ts
 *   ws  /twilio, /fork, /audiohook; tcp AudioSocket   telephony ingest (with `ingest`)      telephony/
 *   GET /overlay?stream=id, /health, /metrics                                            http-routes.ts
 * A host other than loopback requires a token. Closing the server stops the sources, closes every socket and frees
 * the pipeline; the model stays the caller's to release.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { Subject, type Subscription } from 'rxjs';
import { EmostreamError } from '../errors.ts';
import type { StreamSource } from '../audio/sources/types.ts';
import type { EmotionModel } from '../model/types.ts';
import { createPipeline } from '../pipeline/create-pipeline.ts';
import { createFeaturePool, type FeaturePool } from '../pipeline/feature-pool.ts';
import { modelLabel } from '../pipeline/infer.ts';
import { serializeEvents, type SerializedEvent } from '../pipeline/serialize.ts';
import { isLoopbackHost } from './auth.ts';
import { handleHttp } from './http-routes.ts';
import { handleIngestSocket } from './ingest-endpoint.ts';
import { DRAIN_TIMEOUT_MS, MAX_CLIENT_BUFFERED_BYTES, MAX_PENDING_WINDOWS, MAX_QUEUED_AUDIO_S, MAX_QUEUED_MESSAGES, MIN_TOKEN_LENGTH } from './limits.ts';
import { startClusterNode, type ClusterNode } from './handoff/cluster-node.ts';
import { createServerMetrics } from './metrics.ts';
import { createProcessMetrics, type ProcessMetrics } from './process-metrics.ts';
import { handleResultsSocket } from './results-endpoint.ts';
import type { EmostreamServer, ServerOptions } from './server-types.ts';
import { createStreamRegistry, type StreamRegistry } from './stream-registry.ts';
import { createUpgradeRouter, type UpgradeRouter } from './upgrade-router.ts';
import { startAudiosocketServer, telephonyRoutes, type AudiosocketServer, type TelephonyContext } from './telephony/index.ts';

export type { EmostreamServer, ServerOptions } from './server-types.ts';

/** Throws EMO_ERR_USAGE for an unusable host/token/port/workers combination. */
function validateOptions(host: string, port: number, token: string | undefined, workers: number): void {
  if (!isLoopbackHost(host) && !token) {
    throw new EmostreamError('EMO_ERR_USAGE', `listening on ${host} (not loopback) requires --token`);
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new EmostreamError('EMO_ERR_USAGE', `the token must have at least ${MIN_TOKEN_LENGTH} characters`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmostreamError('EMO_ERR_USAGE', `port must be 0..65535, got ${port}`);
  if (!Number.isInteger(workers) || workers < 0) throw new EmostreamError('EMO_ERR_USAGE', `workers must be an integer ≥ 0, got ${workers}`);
}

/** Listens on host:port; EMO_ERR_NETWORK when the port cannot be had. */
function listen(http: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => {
      reject(new EmostreamError('EMO_ERR_NETWORK', `cannot listen on ${host}:${port} (${err.code ?? err.message})`, { cause: err }));
    });
    http.listen(port, host, () => resolve());
  });
}

/** Runs the server's pipeline: every event goes to `onEvent` (serialised); a pipeline failure is logged and reported. */
function runPipeline(
  sources$: Subject<StreamSource>, model: EmotionModel, featurePool: FeaturePool | undefined,
  onEvent: (event: SerializedEvent) => void, onFailure: (message: string) => void,
): Subscription {
  return createPipeline(sources$, {
    model, featurePool, maxPendingWindows: MAX_PENDING_WINDOWS, lagAfterS: MAX_PENDING_WINDOWS, maxQueuedS: MAX_QUEUED_AUDIO_S,
  })
    .pipe(serializeEvents())
    .subscribe({
      next: onEvent,
      error(err: unknown) {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`emostream: pipeline failed: ${message}\n`);
        onFailure(message);
      },
    });
}

/** The parts of a running server that `close()` stops. */
interface ServerParts {
  readonly pipeline: Subscription;
  readonly sources$: Subject<StreamSource>;
  readonly registry: StreamRegistry;
  readonly events: Subject<SerializedEvent>;
  readonly router: UpgradeRouter;
  readonly http: Server;
  readonly featurePool: FeaturePool | undefined;
  readonly processMetrics: ProcessMetrics;
}

/** Everything `close()` stops, in order: pipeline and sources, stream outcomes, sockets, the port, the workers, the loop monitor. */
async function shutDown(parts: ServerParts): Promise<void> {
  parts.pipeline.unsubscribe();
  parts.sources$.complete();
  parts.registry.closeAll();
  parts.events.complete();
  parts.router.close();
  parts.http.closeAllConnections();
  await new Promise<void>((resolve) => parts.http.close(() => resolve()));
  await parts.featurePool?.release();
  parts.processMetrics.release();
}

/** What the endpoints show of the model. */
interface ModelInfo {
  readonly label: string;
  readonly testModel: boolean;
}

/** The WebSocket routes: telephony, /results and /ingest. */
function createRoutes(options: ServerOptions, telephony: TelephonyContext, model: ModelInfo, cluster: ClusterNode | undefined): UpgradeRouter {
  const { token } = options;
  const { registry, metrics, addSource } = telephony;
  return createUpgradeRouter({
    token, metrics,
    routes: {
      ...telephonyRoutes(telephony, options.audiohook ?? {}),
      '/results': (ws, url) => handleResultsSocket(ws, url, {
        registry, metrics, modelLabel: model.label, testModel: model.testModel,
        limits: { maxQueuedMessages: options.maxQueuedMessages ?? MAX_QUEUED_MESSAGES, maxBufferedBytes: options.maxBufferedBytes ?? MAX_CLIENT_BUFFERED_BYTES },
      }),
      '/ingest': (ws, url) => handleIngestSocket(ws, url, {
        registry, metrics, enabled: options.ingest === true, addSource, checkId: cluster && ((id) => cluster.checkStreamId(id)), handoff: cluster && telephony,
      }),
    },
  });
}

/** The HTTP server: GET routes (http-routes.ts), upgrades to `router`, broken clients dropped. */
function createHttpServer(
  token: string | undefined, telephony: TelephonyContext, processMetrics: ProcessMetrics, model: ModelInfo, router: UpgradeRouter,
  startedAtMs: number, failed: () => string | undefined,
): Server {
  const { registry, metrics } = telephony;
  const http: Server = createServer((req, res) => handleHttp(req, res, {
    token, metrics, processMetrics, model: model.label, testModel: model.testModel, startedAtMs,
    streamIds: () => registry.ids(),
    trail: (id) => registry.trail(id),
    failed,
  }));
  http.on('upgrade', router.handle);
  http.on('clientError', (_err, socket) => socket.destroy());
  return http;
}

/** The running server's handle: `close()` stops everything once; `drain()` hands the streams over first. */
function serverHandle(parts: ServerParts, running: {
  readonly url: string; readonly port: number; readonly metrics: EmostreamServer['metrics']; readonly addSource: (source: StreamSource) => void;
  readonly initial: readonly ReturnType<StreamRegistry['claim']>[]; readonly audiosocket: AudiosocketServer | undefined; readonly cluster: ClusterNode | undefined;
}): EmostreamServer {
  const { audiosocket, cluster } = running;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (audiosocket?.close() ?? Promise.resolve())
      .then(() => shutDown(parts))
      .then(() => cluster?.close());
    return closing;
  };
  let draining: Promise<void> | undefined;
  return {
    url: running.url,
    port: running.port,
    metrics: running.metrics,
    addSource: running.addSource,
    sourcesSettled: Promise.all(running.initial),
    events: parts.events,
    featurePool: parts.featurePool,
    audiosocketPort: audiosocket?.port,
    cluster,
    close,
    drain() {
      draining ??= (async () => {
        parts.http.close(); // no new connections (the open ones go on until handed over)
        audiosocket?.stopAccepting();
        await cluster?.drain(DRAIN_TIMEOUT_MS);
        await close();
      })();
      return draining;
    },
  };
}

/** Starts the HTTP/WebSocket server and its pipeline. */
export async function startServer(options: ServerOptions): Promise<EmostreamServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  const { token, model } = options;
  const workers = options.workers ?? availableParallelism();
  validateOptions(host, port, token, workers);
  const modelInfo: ModelInfo = { label: modelLabel(model), testModel: model.metadata.purpose === 'test-fixture' };
  const metrics = createServerMetrics();
  let publicUrl = '';
  const cluster: ClusterNode | undefined = options.nats ? await startClusterNode(options.nats, model, metrics, () => publicUrl) : undefined;
  const processMetrics = createProcessMetrics();
  const registry = createStreamRegistry(metrics);
  const events = new Subject<SerializedEvent>();
  const startedAtMs = performance.now();
  let failure: string | undefined;
  const initialSources = options.sources ?? [];
  const initial = initialSources.map((source) => registry.claim(source)); // ids checked before anything starts

  const sources$ = new Subject<StreamSource>();
  const featurePool: FeaturePool | undefined = workers > 0 ? createFeaturePool({ workers }) : undefined;
  const pipeline = runPipeline(sources$, model, featurePool, (event) => {
    registry.record(event);
    events.next(event);
    cluster?.onEvent(event);
  }, (message) => { failure = message; });
  const addSource = (source: StreamSource): void => {
    void registry.claim(source);
    sources$.next(source);
  };

  const telephony: TelephonyContext = { registry, metrics, enabled: options.ingest === true, token, addSource, handoff: cluster?.handoff };
  const router = createRoutes(options, telephony, modelInfo, cluster);
  const http = createHttpServer(token, telephony, processMetrics, modelInfo, router, startedAtMs, () => failure);
  try {
    await listen(http, host, port);
  } catch (err) {
    processMetrics.release();
    pipeline.unsubscribe();
    await featurePool?.release();
    await cluster?.close();
    throw err;
  }
  const parts: ServerParts = { pipeline, sources$, registry, events, router, http, featurePool, processMetrics };
  let audiosocket: AudiosocketServer | undefined;
  if (options.audiosocket) {
    try {
      audiosocket = await startAudiosocketServer({ host: options.audiosocket.host ?? host, port: options.audiosocket.port, insecure: options.audiosocket.insecure }, telephony);
    } catch (err) {
      await shutDown(parts);
      await cluster?.close();
      throw err;
    }
  }
  const actualPort = (http.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  publicUrl = `http://${shownHost}:${actualPort}`;
  cluster?.heartbeat();
  for (const source of initialSources) sources$.next(source);
  return serverHandle(parts, { url: `http://${shownHost}:${actualPort}`, port: actualPort, metrics, addSource, initial, audiosocket, cluster });
}
