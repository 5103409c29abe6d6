/**
 * Refusing a WebSocket at the connection level: one JSON `error` message with a stable code (protocol.ts), then the
 * close code that goes with it (1008 when the code defines none). Counted in `emostream_protocol_errors_total`.
 */
import type { WebSocket } from 'ws';
import type { ServerMetrics } from './metrics.ts';
import { CONNECTION_ERRORS, connectionError, type ConnectionErrorCode } from './protocol.ts';

/** Sends the error `code` with `message` on `ws` and closes it with the code's close code. */
export function rejectSocket(ws: WebSocket, metrics: ServerMetrics, code: ConnectionErrorCode, message: string): void {
  metrics.protocolErrors++;
  ws.send(connectionError(code, message));
  ws.close(CONNECTION_ERRORS[code].closeCode ?? 1008, code);
}
