/**
 * Telephony ingest (`serve --ingest`): the WebSocket routes `/twilio`, `/fork`, `/audiohook` and the AudioSocket TCP
 * listener (`--audiosocket PORT`), one module per platform, all feeding call channels (call-channel.ts).
 */
import type { SelfAuthRoute, SocketHandler } from '../upgrade-router.ts';
import { handleAudiohookSocket, type AudiohookAuth } from './audiohook-endpoint.ts';
import type { TelephonyContext } from './call-channel.ts';
import { handleForkSocket } from './fork-endpoint.ts';
import { handleTwilioSocket } from './twilio-endpoint.ts';

export type { TelephonyContext } from './call-channel.ts';
export type { AudiohookAuth } from './audiohook-endpoint.ts';
export { startAudiosocketServer, type AudiosocketServer, type AudiosocketOptions } from './audiosocket-server.ts';

/** The telephony WebSocket routes for the upgrade router. */
export function telephonyRoutes(ctx: TelephonyContext, audiohook: AudiohookAuth): Record<string, SocketHandler | SelfAuthRoute> {
  return {
    '/twilio': { auth: 'self', handler: (ws, url, req) => handleTwilioSocket(ws, url, req, ctx) },
    '/fork': (ws) => handleForkSocket(ws, ctx),
    '/audiohook': { auth: 'self', handler: (ws, _url, req) => handleAudiohookSocket(ws, req, ctx, audiohook) },
  };
}
