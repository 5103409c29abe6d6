/**
 * `ws /twilio`: Twilio Media Streams (`<Connect><Stream>` / `<Start><Stream>`), as Twilio documents it: JSON text
 * messages `connected`, `start` (callSid, tracks, customParameters, mediaFormat audio/x-mulaw 8000 Hz mono),
 * `media` (track, chunk, timestamp, base64 μ-law payload of 20 ms), `mark`, `dtmf` and `stop`. Each track is its own
 * stream `<callSid>.<track>` (`inbound`, `outbound`), decoded with G.711 μ-law (src/audio/g711.ts) and resampled to
 * 16 kHz by the pipeline; `customParameters` are kept as the stream's metadata.
 *
 * Token: Twilio cannot set headers, so besides `Authorization: Bearer` and `?token=` the token may come as the
 * custom parameter `token` (`<Parameter name="token" value="…"/>`), checked at `start`. The X-Twilio-Signature
 * header is not verified (docs/protocol.md).
 *
 * Bad input gets the stable JSON errors of /ingest (docs/protocol.md): garbage or unknown events `bad_message`
 * (ignored); `media` before `start`, an unsupported mediaFormat or a bad callSid `bad_config` (close 1008); a
 * payload that is not base64 `invalid_frame` (1007); a text message above MAX_TELEPHONY_TEXT_BYTES
 * `message_too_large` (1009); a binary message `invalid_frame`. A fatal error ends this call's streams with that
 * code; nothing else is affected. `stop` ends the tracks normally and the socket is closed (1000) once their last
 * results are out.
 */
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { muLawDecode } from '../../audio/g711.ts';
import { presentedToken, tokenMatches } from '../auth.ts';
import { MAX_TELEPHONY_TEXT_BYTES } from '../limits.ts';
import { CONNECTION_ERRORS, connectionError, type ConnectionErrorCode } from '../protocol.ts';
import { admitTelephonySocket } from './admit-socket.ts';
import { openCallChannel, type CallChannel, type TelephonyContext } from './call-channel.ts';

/** Twilio's μ-law rate, Hz. */
export const TWILIO_RATE_HZ = 8000;
const TRACKS = ['inbound', 'outbound'] as const;
type Track = (typeof TRACKS)[number];
const CALL_SID = /^[A-Za-z0-9]{1,54}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface TwilioStart {
  readonly callSid?: unknown;
  readonly streamSid?: unknown;
  readonly tracks?: unknown;
  readonly customParameters?: unknown;
  readonly mediaFormat?: { readonly encoding?: unknown; readonly sampleRate?: unknown; readonly channels?: unknown };
}

/** Which tracks a `start` message announces (Twilio: `inbound` when the attribute is absent). */
function startTracks(tracks: unknown): Track[] | undefined {
  if (tracks === undefined) return ['inbound'];
  if (!Array.isArray(tracks) || tracks.length === 0) return undefined;
  const out = new Set<Track>();
  for (const t of tracks) {
    if (!TRACKS.includes(t)) return undefined;
    out.add(t);
  }
  return [...out];
}

/** One Twilio Media Streams socket: its call's track channels. */
interface TwilioSession {
  readonly ws: WebSocket;
  readonly ctx: TelephonyContext;
  /** Token from the Authorization header or ?token= (the custom parameter may give it instead). */
  readonly headerToken: string | undefined;
  readonly channels: Map<Track, CallChannel>;
  closing: boolean;
  /** Drained: the tracks are detached (not flushed) once the socket has closed. */
  leaving: boolean;
}

type TwilioMedia = { track?: unknown; payload?: unknown } | undefined;

/** Sends the connection error; codes that close the connection end the tracks with the code. */
function fail(s: TwilioSession, code: ConnectionErrorCode, message: string): void {
  const { ws } = s;
  s.ctx.metrics.protocolErrors++;
  if (ws.readyState === ws.OPEN) ws.send(connectionError(code, message));
  const { closeCode } = CONNECTION_ERRORS[code];
  if (closeCode === undefined) return;
  s.closing = true;
  for (const channel of s.channels.values()) channel.fail(code, message);
  ws.close(closeCode, code);
}

/** `start`: checks the token, call SID, media format and tracks, then opens one call channel per track. */
function onStart(s: TwilioSession, start: TwilioStart | undefined): void {
  const { ctx, channels } = s;
  if (channels.size > 0) return fail(s, 'bad_config', 'a second start message on the same socket');
  const params = (start?.customParameters && typeof start.customParameters === 'object' ? start.customParameters : {}) as Record<string, unknown>;
  const token = s.headerToken ?? (typeof params.token === 'string' ? params.token : undefined);
  if (!tokenMatches(ctx.token, token)) return fail(s, 'unauthorized', 'missing or wrong token (header, ?token= or the custom parameter "token")');
  const callSid = start?.callSid;
  if (typeof callSid !== 'string' || !CALL_SID.test(callSid)) return fail(s, 'bad_config', 'start.callSid must be 1–54 letters or digits');
  const format = start?.mediaFormat;
  if (format && (format.encoding !== 'audio/x-mulaw' || Number(format.sampleRate) !== TWILIO_RATE_HZ || Number(format.channels ?? 1) !== 1)) {
    return fail(s, 'bad_config', `unsupported mediaFormat ${JSON.stringify(format)} (expected audio/x-mulaw, 8000 Hz, 1 channel)`);
  }
  const tracks = startTracks(start?.tracks);
  if (!tracks) return fail(s, 'bad_config', 'start.tracks must list "inbound" and/or "outbound"');
  const metadata = { ...params, token: undefined, callSid, streamSid: start?.streamSid };
  delete metadata.token;
  for (const track of tracks) {
    const streamId = `${callSid}.${track}`;
    const channel = openCallChannel(ctx, {
      streamId, kind: 'twilio', rateHz: TWILIO_RATE_HZ, metadata: { ...metadata, track },
      leave: () => { // drain: close with 1012 (service restart); media that arrives until Twilio closes is still taken
        s.leaving = true;
        s.ws.close(1012, 'drain');
      },
    });
    if (!channel) return fail(s, 'stream_busy', `stream '${streamId}' is already running`);
    channels.set(track, channel);
  }
}

/** `media`: base64 μ-law for an announced track. */
function onMedia(s: TwilioSession, media: TwilioMedia): void {
  if (s.channels.size === 0) return fail(s, 'bad_config', 'media before start');
  const track = (media?.track ?? 'inbound') as Track;
  const channel = s.channels.get(track);
  if (!channel) return fail(s, 'bad_config', `media for track ${JSON.stringify(media?.track)}, which start did not announce`);
  const payload = media?.payload;
  if (typeof payload !== 'string' || payload.length % 4 !== 0 || !BASE64.test(payload)) return fail(s, 'invalid_frame', 'media.payload must be base64 μ-law');
  const bytes = Buffer.from(payload, 'base64');
  s.ctx.metrics.ingestBytes += bytes.length;
  channel.push(muLawDecode(bytes));
}

/** `stop`: the tracks end; the socket closes once their last results went out. */
function onStop(s: TwilioSession): void {
  const { ws, channels } = s;
  s.closing = true;
  for (const channel of channels.values()) channel.end();
  void Promise.all([...channels.values()].map((c) => c.outcome)).then(() => {
    if (ws.readyState === ws.OPEN) ws.close(1000, 'stop');
  });
}

/** One socket message: a JSON text message dispatched by its `event`. */
function onMessage(s: TwilioSession, bytes: Buffer, isBinary: boolean): void {
  if (isBinary) return fail(s, 'invalid_frame', 'Twilio Media Streams send JSON text messages only');
  if (bytes.length > MAX_TELEPHONY_TEXT_BYTES) return fail(s, 'message_too_large', `text messages are limited to ${MAX_TELEPHONY_TEXT_BYTES} bytes`);
  let msg: { event?: unknown; start?: TwilioStart; media?: TwilioMedia };
  try {
    msg = JSON.parse(bytes.toString('utf8'));
    if (typeof msg !== 'object' || msg === null) throw new Error('not an object');
  } catch {
    return fail(s, 'bad_message', 'messages must be JSON objects with an "event" (connected, start, media, mark, dtmf, stop)');
  }
  switch (msg.event) {
    case 'connected': case 'mark': case 'dtmf': return;
    case 'start': return onStart(s, msg.start);
    case 'media': return onMedia(s, msg.media);
    case 'stop': return onStop(s);
    default: return fail(s, 'bad_message', `unknown event ${JSON.stringify(msg.event)}`);
  }
}

/** Serves one accepted /twilio socket (the router left the token check to us). */
export function handleTwilioSocket(ws: WebSocket, url: URL, req: IncomingMessage, ctx: TelephonyContext): void {
  if (!admitTelephonySocket(ws, ctx)) return;
  const s: TwilioSession = { ws, ctx, headerToken: presentedToken(req, url), channels: new Map(), closing: false, leaving: false };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (s.closing) return;
    onMessage(s, data as Buffer, isBinary);
  });
  ws.on('close', () => {
    s.closing = true;
    for (const channel of s.channels.values()) s.leaving ? channel.detach() : channel.end(); // no-op after stop or fail
  });
}
