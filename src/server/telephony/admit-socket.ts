/**
 * Admission of a telephony WebSocket (/twilio, /fork): refused with a protocol error when ingest is off, the
 * instance is draining, or MAX_INGEST_STREAMS are open; an admitted socket counts as an ingest client until it closes.
 */
import type { WebSocket } from 'ws';
import { MAX_INGEST_STREAMS } from '../limits.ts';
import { rejectSocket } from '../reject-socket.ts';
import type { TelephonyContext } from './call-channel.ts';

/** True when the socket may stream (and is now counted); false when it was refused and closed. */
export function admitTelephonySocket(ws: WebSocket, ctx: TelephonyContext): boolean {
  const { metrics } = ctx;
  ws.on('error', () => undefined);
  if (!ctx.enabled) return refuse(ws, ctx, 'ingest_disabled', 'this server was started without --ingest');
  if (ctx.handoff?.draining) return refuse(ws, ctx, 'server_full', 'this instance is draining; connect to another one');
  if (metrics.ingestClients >= MAX_INGEST_STREAMS) return refuse(ws, ctx, 'server_full', `at most ${MAX_INGEST_STREAMS} ingest streams`);
  metrics.ingestClients++;
  ws.once('close', () => { metrics.ingestClients--; });
  return true;
}

function refuse(ws: WebSocket, ctx: TelephonyContext, code: 'ingest_disabled' | 'server_full', message: string): false {
  rejectSocket(ws, ctx.metrics, code, message);
  return false;
}
