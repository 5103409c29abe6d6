/**
 * `emostream dashboard`: the supervisor view of a cluster. Reads results and events from JetStream and the stream
 * registry and heartbeats from KV (cluster-feed.ts), keeps the board (call-board.ts), evaluates the alert rules on
 * every result (alert-engine.ts) and sends the alerts on (alert-sink.ts), and serves
 *
 *   GET /          the page (dashboard-page.ts)            GET /health   JSON: NATS, streams, clients, alert counts
 *   ws  /updates   a snapshot, then every board update as JSON text (call-board.ts `BoardUpdate`)
 *
 * A host other than loopback requires a token (≥ MIN_TOKEN_LENGTH characters; Bearer header or ?token=) on / and
 * /updates. A page socket that cannot keep up (more than MAX_DASHBOARD_BUFFERED_BYTES unsent) skips updates and
 * gets a fresh snapshot once it has caught up; at most MAX_DASHBOARD_CLIENTS pages at once (more: close 1013).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { EmostreamError } from '../errors.ts';
import { openClusterStore } from '../cluster/cluster-store.ts';
import { connectNats, type NatsLink } from '../cluster/nats-connection.ts';
import { isLoopbackHost, presentedToken, tokenMatches } from '../server/auth.ts';
import { DASHBOARD_HISTORY_S, MAX_DASHBOARD_BUFFERED_BYTES, MAX_DASHBOARD_CLIENTS, MIN_TOKEN_LENGTH } from '../server/limits.ts';
import { createAlertEngine } from './alert-engine.ts';
import type { AlertRules } from './alert-rules.ts';
import { createAlertSink, type AlertSink } from './alert-sink.ts';
import { createCallBoard, type BoardUpdate, type CallBoard } from './call-board.ts';
import { startClusterFeed, type ClusterFeed } from './cluster-feed.ts';
import { renderDashboardPage } from './dashboard-page.ts';

/** Options of `startDashboard`. */
export interface DashboardOptions {
  /** NATS server URL(s). */
  readonly nats: string;
  readonly rules: AlertRules;
  /** Default 8090 (0: any free port). */
  readonly port?: number;
  /** Default 127.0.0.1; any other host requires `token`. */
  readonly host?: string;
  readonly token?: string;
  /** Lines for the operator (webhook failures). Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  readonly port: number;
  readonly board: CallBoard;
  readonly alerts: AlertSink;
  /** Page sockets open now. */
  readonly clients: number;
  close(): Promise<void>;
}

interface PageClient { readonly ws: WebSocket; stale: boolean }

function checkAccess(host: string, token: string | undefined, port: number): void {
  if (!isLoopbackHost(host) && !token) throw new EmostreamError('EMO_ERR_USAGE', `dashboard: listening on ${host} (not loopback) requires --token`);
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) throw new EmostreamError('EMO_ERR_USAGE', `dashboard: the token must have at least ${MIN_TOKEN_LENGTH} characters`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmostreamError('EMO_ERR_USAGE', `dashboard: port must be 0..65535, got ${port}`);
}

/** Sends `text` to every page, skipping (and marking stale) the ones that fall behind. */
function broadcast(clients: Set<PageClient>, text: string, snapshot: () => string): void {
  for (const c of clients) {
    if (c.ws.readyState !== WebSocket.OPEN) continue;
    if (c.ws.bufferedAmount > MAX_DASHBOARD_BUFFERED_BYTES) { c.stale = true; continue; }
    if (c.stale) { c.stale = false; c.ws.send(snapshot()); continue; }
    c.ws.send(text);
  }
}

function listen(http: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => reject(new EmostreamError('EMO_ERR_NETWORK', `dashboard: cannot listen on ${host}:${port} (${err.code ?? err.message})`, { cause: err })));
    http.listen(port, host, () => resolve());
  });
}

/** What the HTTP and upgrade handlers need. */
interface ServeContext {
  readonly link: NatsLink;
  readonly board: CallBoard;
  readonly sink: AlertSink;
  readonly clients: Set<PageClient>;
  readonly token: string | undefined;
  readonly page: string;
  readonly snapshot: () => string;
}

const allowed = (ctx: ServeContext, req: IncomingMessage, url: URL): boolean => tokenMatches(ctx.token, presentedToken(req, url));

function handleRequest(ctx: ServeContext, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET' }).end();
  if (url.pathname === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ ok: ctx.link.connected, nats: ctx.link.connected, clients: ctx.clients.size, ...ctx.board.stats, alerts: ctx.sink.stats }));
  }
  if (url.pathname !== '/') return void res.writeHead(404).end();
  if (!allowed(ctx, req, url)) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong token (?token=)\n');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(ctx.page);
}

function handleUpgrade(ctx: ServeContext, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  socket.on('error', () => socket.destroy());
  if (url.pathname !== '/updates') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  if (!allowed(ctx, req, url)) return void socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => undefined);
    if (ctx.clients.size >= MAX_DASHBOARD_CLIENTS) return ws.close(1013, 'too many dashboard pages');
    const client: PageClient = { ws, stale: false };
    ctx.clients.add(client);
    ws.once('close', () => ctx.clients.delete(client));
    ws.send(ctx.snapshot());
  });
}

/** Connects to NATS (EMO_ERR_NETWORK if it cannot), starts reading the cluster and serving the page. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8090;
  checkAccess(host, options.token, port);
  const log = options.log ?? ((line: string) => process.stderr.write(`emostream dashboard: ${line}\n`));
  const link: NatsLink = await connectNats({ url: options.nats, name: 'emostream dashboard' });
  const clients = new Set<PageClient>();
  let feed: ClusterFeed | undefined;
  let http: Server | undefined;
  try {
    const store = await openClusterStore(link);
    const sink = createAlertSink(link, options.rules.webhook, log);
    const snapshot = (): string => JSON.stringify(board.snapshot());
    const board: CallBoard = createCallBoard(createAlertEngine(options.rules.rules), (u: BoardUpdate) => {
      if (clients.size > 0) broadcast(clients, JSON.stringify(u), snapshot);
    }, (a, storedAtMs) => sink.send(a, storedAtMs));
    feed = await startClusterFeed(link, store, Date.now() - DASHBOARD_HISTORY_S * 1000, {
      message: (m) => board.onMessage(m), streamEntry: (s, e) => board.onStreamEntry(s, e), instanceEntry: (i, e) => board.onInstanceEntry(i, e),
    });
    const sweeper = setInterval(() => board.sweep(Date.now()), 1000);
    sweeper.unref();
    const ctx: ServeContext = { link, board, sink, clients, token: options.token, page: renderDashboardPage(), snapshot };
    http = createServer((req, res) => handleRequest(ctx, req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
    http.on('upgrade', (req, socket, head) => handleUpgrade(ctx, wss, req, socket, head));
    await listen(http, host, port);
    const actual = (http.address() as AddressInfo).port;
    const server = http;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`, port: actual, board, alerts: sink,
      get clients() { return clients.size; },
      async close() {
        clearInterval(sweeper);
        for (const c of clients) c.ws.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await feed?.stop();
        await sink.flush();
        await link.close();
      },
    };
  } catch (err) {
    await feed?.stop();
    http?.close();
    await link.close();
    throw err;
  }
}
