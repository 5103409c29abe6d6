/**
 * WebSocket upgrades of the HTTP server, routed by path to one endpoint handler each (`/results`, `/ingest`, and
 * whatever endpoints a server adds). Unknown paths get a plain 404 before any handshake; a route's token is checked
 * after the handshake so the refusal can be a protocol `error` message (`unauthorized`, close 1008).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { presentedToken, tokenMatches } from './auth.ts';
import { HARD_MAX_PAYLOAD_BYTES } from './limits.ts';
import type { ServerMetrics } from './metrics.ts';
import { rejectSocket } from './reject-socket.ts';

/** Serves one accepted, authorised socket; `url` is the request URL (query included). */
export type SocketHandler = (ws: WebSocket, url: URL, req: IncomingMessage) => void;

/**
 * A route whose protocol carries its own credentials (Twilio `customParameters`, AudioHook `X-API-KEY`): the router
 * does not check the token; the handler must (the same rules, see docs/protocol.md).
 */
export interface SelfAuthRoute {
  readonly handler: SocketHandler;
  readonly auth: 'self';
}

/** Options of `createUpgradeRouter`. */
export interface UpgradeRouterOptions {
  /** Path (exact, e.g. '/results') → handler (token checked here) or a self-authenticating route. */
  readonly routes: Readonly<Record<string, SocketHandler | SelfAuthRoute>>;
  /** Token every route requires (undefined: none). */
  readonly token: string | undefined;
  readonly metrics: ServerMetrics;
}

/** The router: `handle` is the HTTP server's 'upgrade' listener; `close` ends every socket it accepted. */
export interface UpgradeRouter {
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
  /** The sockets accepted and still open. */
  readonly clients: ReadonlySet<WebSocket>;
}

/** Creates the router over one `ws` server (no permessage-deflate; frames above HARD_MAX_PAYLOAD_BYTES close 1009). */
export function createUpgradeRouter(options: UpgradeRouterOptions): UpgradeRouter {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  return {
    handle(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = Object.hasOwn(options.routes, url.pathname) ? options.routes[url.pathname] : undefined;
      if (!route) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (typeof route !== 'function') return route.handler(ws, url, req);
        if (!tokenMatches(options.token, presentedToken(req, url))) {
          return rejectSocket(ws, options.metrics, 'unauthorized', 'missing or wrong token');
        }
        route(ws, url, req);
      });
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
    get clients() { return wss.clients; },
  };
}
