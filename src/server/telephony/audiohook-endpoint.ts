/**
 * `ws /audiohook`: Genesys Cloud AudioHook (protocol version 2), as Genesys documents it. Text messages carry
 * `version`, `id` (session), `type`, `seq`, `parameters`, and from the client `serverseq` and `position`, to the
 * client `clientseq`. Handled: `open` → `opened` with the chosen media (PCMU 8 kHz, channels `external` and
 * `internal` when offered, else one of them), `ping` → `pong`, `update` → `updated`, `close` → `closed`; `paused`,
 * `resumed`, `discarded`, `error` are accepted. Binary messages: PCMU interleaved in the order of the chosen
 * channels; each channel is the stream `<conversationId>.<channel>`. A connection probe (null conversationId) is
 * answered without starting streams. The `participant`, organisation and `customConfig` are kept as metadata.
 *
 * Drain: the server sends `reconnect`; the client opens a session on another instance and then closes this one
 * (`close`, reason `reconnect`): the streams are detached, not flushed, so the other instance resumes them.
 *
 * Credentials (checked on `open`; failure → `disconnect` reason `unauthorized`): the `X-API-KEY` header must equal
 * the API key (`audiohookApiKey`, default: the server token; none configured: not checked), and with a client
 * secret configured the request's HTTP message signature must verify (audiohook-signature.ts says what of the
 * scheme is implemented). Protocol violations (bad JSON, wrong `seq`, audio before `opened`, no PCMU offered, a
 * bad conversationId) get AudioHook's own `disconnect` (reason `error`, `info` starting with the stable code, e.g.
 * `bad_message: …`) and end only this session's streams with that code.
 */
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { muLawDecode } from '../../audio/g711.ts';
import { tokenMatches } from '../auth.ts';
import { MAX_INGEST_STREAMS, MAX_TELEPHONY_TEXT_BYTES } from '../limits.ts';
import { rejectSocket } from '../reject-socket.ts';
import { verifyAudiohookSignature } from './audiohook-signature.ts';
import { openCallChannel, type CallChannel, type TelephonyContext } from './call-channel.ts';

/** AudioHook credentials of the server. */
export interface AudiohookAuth {
  /** Expected `X-API-KEY` (undefined: the server token; neither: not checked). */
  readonly apiKey?: string;
  /** Client secret (bytes) for the signature check; undefined: signatures are not checked. */
  readonly clientSecret?: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NULL_UUID = '00000000-0000-0000-0000-000000000000';
const CHANNELS = ['external', 'internal'] as const;

interface MediaOffer { readonly type?: unknown; readonly format?: unknown; readonly channels?: unknown; readonly rate?: unknown }

/** The offer to choose: PCMU 8 kHz audio, both channels if offered, else the first single-channel one. */
export function chooseMedia(offers: unknown): { type: 'audio'; format: 'PCMU'; channels: string[]; rate: 8000 } | undefined {
  if (!Array.isArray(offers)) return undefined;
  const usable = (offers as MediaOffer[]).filter((o) => o && o.type === 'audio' && o.format === 'PCMU' && o.rate === 8000 && Array.isArray(o.channels)
    && o.channels.length >= 1 && o.channels.length <= 2 && (o.channels as unknown[]).every((c) => CHANNELS.includes(c as never))
    && new Set(o.channels).size === o.channels.length);
  const best = usable.find((o) => (o.channels as unknown[]).length === 2) ?? usable[0];
  return best ? { type: 'audio', format: 'PCMU', channels: [...(best.channels as string[])], rate: 8000 } : undefined;
}

/** One AudioHook session on its socket. */
interface AudiohookSession {
  readonly ws: WebSocket;
  readonly ctx: TelephonyContext;
  /** Why the credentials failed (reported on `open`), or undefined. */
  readonly authError: string | undefined;
  sessionId: string;
  /** Server messages sent. */
  seq: number;
  /** Last client message seen. */
  clientSeq: number;
  /** After opened. */
  channels: CallChannel[] | undefined;
  state: 'new' | 'open' | 'closed';
  reconnecting: boolean;
}

/** Why the request's credentials fail (X-API-KEY, then the signature), or undefined. */
function credentialError(req: IncomingMessage, ctx: TelephonyContext, auth: AudiohookAuth): string | undefined {
  const apiKey = auth.apiKey ?? ctx.token;
  const presented = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
  let authError = apiKey !== undefined && !tokenMatches(apiKey, presented) ? 'X-API-KEY missing or wrong' : undefined;
  if (!authError && auth.clientSecret) {
    const check = verifyAudiohookSignature(req, presented ?? '', auth.clientSecret);
    if (!check.ok) authError = `signature: ${check.reason}`;
  }
  return authError;
}

function send(s: AudiohookSession, type: string, parameters: Record<string, unknown>): void {
  const { ws } = s;
  if (ws.readyState !== ws.OPEN) return;
  ws.send(JSON.stringify({ version: '2', type, seq: ++s.seq, clientseq: s.clientSeq, id: s.sessionId, parameters }));
}

/** AudioHook's own error: `disconnect` (reason `error`, info with the stable code); the streams end with the code. */
function fail(s: AudiohookSession, code: string, message: string, reason: 'error' | 'unauthorized' = 'error'): void {
  if (s.state === 'closed') return;
  s.state = 'closed';
  s.ctx.metrics.protocolErrors++;
  send(s, 'disconnect', { reason, info: `${code}: ${message}` });
  for (const channel of s.channels ?? []) channel.fail(code, message);
  s.ws.close(1000, code);
}

/** `open`: checks credentials, drain and the offer, then opens one call channel per chosen channel. */
function onOpen(s: AudiohookSession, params: Record<string, unknown>): void {
  const { ctx } = s;
  if (s.authError) return fail(s, 'unauthorized', s.authError, 'unauthorized');
  if (ctx.handoff?.draining) return fail(s, 'server_full', 'this instance is draining; connect to another one');
  const conversationId = params.conversationId;
  if (typeof conversationId !== 'string' || !UUID.test(conversationId)) return fail(s, 'bad_config', 'open.parameters.conversationId must be a UUID');
  const media = chooseMedia(params.media);
  if (!media) return fail(s, 'bad_config', 'no offered media is PCMU 8000 Hz audio with external and/or internal channels');
  s.state = 'open';
  if (conversationId === NULL_UUID) { // connection probe: answer, start nothing
    s.channels = [];
    return send(s, 'opened', { media: [media], startPaused: false });
  }
  const metadata = { organizationId: params.organizationId, participant: params.participant, customConfig: params.customConfig, session: s.sessionId };
  const opened: CallChannel[] = [];
  for (const name of media.channels) {
    const streamId = `${conversationId.toLowerCase()}.${name}`;
    const channel = openCallChannel(ctx, {
      streamId, kind: 'audiohook', rateHz: 8000, metadata: { ...metadata, channel: name },
      leave: () => { // drain: the client reconnects elsewhere, then closes this session (reason 'reconnect')
        if (!s.reconnecting && s.state === 'open') send(s, 'reconnect', { info: 'instance draining' });
        s.reconnecting = true;
      },
    });
    if (!channel) {
      s.channels = opened;
      return fail(s, 'stream_busy', `stream '${streamId}' is already running`);
    }
    opened.push(channel);
  }
  s.channels = opened;
  send(s, 'opened', { media: [media], startPaused: false });
}

/** `close`: the streams end (or are detached when the client reconnects elsewhere); the socket closes after them. */
function onClose(s: AudiohookSession, params: Record<string, unknown>): void {
  const handOver = params.reason === 'reconnect' || s.reconnecting;
  for (const channel of s.channels ?? []) handOver ? channel.detach() : channel.end();
  send(s, 'closed', {});
  s.state = 'closed';
  void Promise.all((s.channels ?? []).map((c) => c.outcome)).then(() => s.ws.close(1000, 'closed'));
}

/** A binary message: PCMU interleaved in the order of the chosen channels. */
function onAudio(s: AudiohookSession, bytes: Buffer): void {
  const { channels } = s;
  if (s.state !== 'open' || !channels) return fail(s, 'bad_config', 'audio before the session was opened');
  const n = channels.length;
  if (n === 0) return;
  if (bytes.length % n !== 0) return fail(s, 'invalid_frame', `audio of ${bytes.length} bytes is not a whole number of ${n}-channel PCMU samples`);
  s.ctx.metrics.ingestBytes += bytes.length;
  const decoded = muLawDecode(bytes);
  if (n === 1) return channels[0].push(decoded);
  const frames = decoded.length / n;
  channels.forEach((channel, c) => {
    const part = new Float32Array(frames);
    for (let i = 0; i < frames; i++) part[i] = decoded[i * n + c];
    channel.push(part);
  });
}

/** A text message: an AudioHook v2 JSON message, checked (size, shape, seq, session id) and dispatched by type. */
function onText(s: AudiohookSession, bytes: Buffer): void {
  if (bytes.length > MAX_TELEPHONY_TEXT_BYTES) return fail(s, 'message_too_large', `text messages are limited to ${MAX_TELEPHONY_TEXT_BYTES} bytes`);
  let msg: { version?: unknown; id?: unknown; type?: unknown; seq?: unknown; parameters?: unknown };
  try {
    msg = JSON.parse(bytes.toString('utf8'));
    if (typeof msg !== 'object' || msg === null) throw new Error('not an object');
  } catch {
    return fail(s, 'bad_message', 'text messages must be AudioHook JSON messages');
  }
  if (msg.version !== '2' || typeof msg.type !== 'string' || typeof msg.id !== 'string' || !UUID.test(msg.id)
    || typeof msg.parameters !== 'object' || msg.parameters === null) {
    return fail(s, 'bad_message', 'not a well-formed AudioHook v2 message (version, id, type, seq, parameters)');
  }
  if (msg.seq !== s.clientSeq + 1) return fail(s, 'bad_message', `seq ${JSON.stringify(msg.seq)} does not follow ${s.clientSeq}`);
  s.clientSeq = msg.seq as number;
  if (s.state === 'new' && msg.type !== 'open') return fail(s, 'bad_message', `'${msg.type}' before open`);
  if (s.state === 'new') s.sessionId = msg.id;
  else if (msg.id !== s.sessionId) return fail(s, 'bad_message', 'session id changed');
  const params = msg.parameters as Record<string, unknown>;
  switch (msg.type) {
    case 'open': return s.state === 'new' ? onOpen(s, params) : fail(s, 'bad_message', 'open on an open session');
    case 'ping': return send(s, 'pong', {});
    case 'update': return send(s, 'updated', {});
    case 'close': return onClose(s, params);
    case 'paused': case 'resumed': case 'discarded': case 'error': return;
    default: return fail(s, 'bad_message', `unknown message type '${msg.type}'`);
  }
}

/** Serves one accepted /audiohook socket (the router left the credentials to us). */
export function handleAudiohookSocket(ws: WebSocket, req: IncomingMessage, ctx: TelephonyContext, auth: AudiohookAuth): void {
  const { metrics } = ctx;
  ws.on('error', () => undefined);
  if (!ctx.enabled) return rejectSocket(ws, metrics, 'ingest_disabled', 'this server was started without --ingest');
  if (metrics.ingestClients >= MAX_INGEST_STREAMS) return rejectSocket(ws, metrics, 'server_full', `at most ${MAX_INGEST_STREAMS} ingest streams`);
  metrics.ingestClients++;
  ws.once('close', () => { metrics.ingestClients--; });
  const s: AudiohookSession = {
    ws, ctx, authError: credentialError(req, ctx, auth),
    sessionId: NULL_UUID, seq: 0, clientSeq: 0, channels: undefined, state: 'new', reconnecting: false,
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (s.state === 'closed') return;
    const bytes = data as Buffer;
    if (isBinary) onAudio(s, bytes);
    else onText(s, bytes);
  });
  ws.on('close', () => {
    const handOver = s.reconnecting;
    for (const channel of s.channels ?? []) handOver ? channel.detach() : channel.end();
  });
}
