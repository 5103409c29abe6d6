/**
 * Plain HTTP endpoints: `GET /health` (JSON status), `GET /metrics` (Prometheus text: the server's metrics, then the
 * default process metrics of process-metrics.ts), `GET /overlay?stream=<id>` (the OBS overlay page, options in
 * page-options.ts) and `GET /stage?stream=<id>` (the performer's visualiser); a bad page parameter is a 400. Everything else is 404; methods other than GET/HEAD are 405. With a token configured,
 * /metrics, /overlay and /stage need it (header or `?token=`); /health never does and reveals no stream names then.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { presentedToken, tokenMatches } from './auth.ts';
import { EmostreamError } from '../errors.ts';
import { renderOverlayPage, type TrailPoint } from './overlay-page.ts';
import { parseOverlayQuery, streamParam } from './page-options.ts';
import { renderStagePage } from './stage-page.ts';
import { TRAIL_LENGTH } from './limits.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ProcessMetrics } from './process-metrics.ts';

/** What the HTTP routes read from the server. */
export interface HttpContext {
  readonly token: string | undefined;
  readonly metrics: ServerMetrics;
  /** Default process metrics, rendered after the server's own on /metrics. */
  readonly processMetrics: ProcessMetrics;
  readonly model: string;
  readonly testModel: boolean;
  readonly startedAtMs: number;
  /** Running (and reserved) stream ids. */
  streamIds(): readonly string[];
  /** Recent results of a stream (oldest first). */
  trail(stream: string): readonly TrailPoint[];
  /** Whether the pipeline failed (the server then answers 503 on /health). */
  failed(): string | undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Handles one HTTP request. */
export function handleHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  const authorized = tokenMatches(ctx.token, presentedToken(req, url));
  switch (url.pathname) {
    case '/health': {
      const failure = ctx.failed();
      const body: Record<string, unknown> = {
        status: failure ? 'failed' : 'ok', model: ctx.model, test_model: ctx.testModel,
        uptime_s: Math.round((performance.now() - ctx.startedAtMs) / 1000),
        streams: ctx.metrics.streamsActive, results_clients: ctx.metrics.resultsClients, ingest_clients: ctx.metrics.ingestClients,
      };
      if (failure) body.error = failure;
      if (authorized) body.stream_ids = ctx.streamIds();
      return send(res, failure ? 503 : 200, 'application/json', JSON.stringify(body) + '\n');
    }
    case '/metrics':
      if (!authorized) return send(res, 401, 'text/plain; charset=utf-8', 'unauthorized\n');
      return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', ctx.metrics.render() + ctx.processMetrics.render());
    case '/overlay':
    case '/stage': {
      if (!authorized) return send(res, 401, 'text/plain; charset=utf-8', 'unauthorized\n');
      let html: string;
      try {
        const token = ctx.token === undefined ? undefined : presentedToken(req, url);
        const streams = Object.fromEntries(ctx.streamIds().map((id) => [id, { trail: ctx.trail(id) }]));
        html = url.pathname === '/overlay'
          ? renderOverlayPage({ ...parseOverlayQuery(url), token, streams, trailLength: TRAIL_LENGTH })
          : renderStagePage({ stream: streamParam(url), token, streams, trailLength: TRAIL_LENGTH });
      } catch (err) {
        if (!(err instanceof EmostreamError)) throw err;
        return send(res, 400, 'text/plain; charset=utf-8', `${url.pathname}: ${err.message}\n`);
      }
      return send(res, 200, 'text/html; charset=utf-8', html);
    }
    default:
      return send(res, 404, 'text/plain; charset=utf-8', 'not found (endpoints: /results, /ingest (WebSocket), /overlay, /stage, /health, /metrics)\n');
  }
}
