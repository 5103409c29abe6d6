/**
 * One ingest WebSocket (`/ingest?stream=<id>&rate=16000&format=s16le`): binary frames of raw mono PCM become a push
 * source in the pipeline. An optional first text message `{"type":"config","rate":…,"format":…}` (before any audio)
 * changes the parameters; `{"type":"end"}` or closing the socket ends the stream (its last seconds are flushed).
 * After `{"type":"end"}` the server closes the socket itself once the stream's outcome is known, i.e. after its last
 * result and its `ended` event went out: close 1000 ('end') normally, 1011 (the stream's error code as reason) when the
 * flush failed.
 *
 * Errors are JSON messages with a stable code (protocol.ts). Fatal ones (`invalid_frame` — a byte count that is not
 * a whole number of samples —, `message_too_large`, `bad_config`) end this stream with an error event and close
 * this socket with the code's close code; `bad_message` (garbage JSON) is reported and ignored. Nothing here can
 * affect another stream.
 *
 * With the NATS hand-off (`serve --nats`, `IngestContext.openChannel`) the stream is a call channel like the
 * telephony ones: a stream id that another instance served resumes its state, and on drain the socket is closed
 * with 1012 ('drain') after the stream was detached, so the client reconnects (to another instance) with the same id.
 */
import type { WebSocket, RawData } from 'ws';
import { EmostreamError } from '../errors.ts';
import { createPushSource } from '../audio/sources/push-source.ts';
import { bytesPerSample, validatePcmStreamFormat, type PcmStreamFormat } from '../audio/sources/pcm-format.ts';
import { ANALYSIS_RATE_HZ } from '../audio/resample.ts';
import { createPcmParser, type PcmFormat } from '../audio/pcm.ts';
import type { CallChannel } from './telephony/call-channel.ts';
import type { StreamSource } from '../audio/sources/types.ts';
import type { StreamOutcome } from './stream-registry.ts';
import { CONNECTION_ERRORS, connectionError, readyMessage, type ConnectionErrorCode } from './protocol.ts';
import { MAX_PAYLOAD_BYTES, MAX_TEXT_MESSAGE_BYTES } from './limits.ts';

/** What an ingest connection needs from the server. */
export interface IngestContext {
  /** Starts the stream in the pipeline (subscribes synchronously). */
  addSource(source: StreamSource): void;
  /** The stream's outcome (its id is reserved): resolves after its last message went to results clients. */
  readonly outcome: Promise<StreamOutcome>;
  /** Called for every protocol error sent. */
  onProtocolError(code: ConnectionErrorCode): void;
  /** Called with the byte count of every accepted PCM frame. */
  onBytes(count: number): void;
  /** Called once when the socket is gone and the stream never started (frees the id). */
  onAbandoned(streamId: string): void;
  /**
   * NATS hand-off: opens the stream as a call channel at `rateHz` (takes over the id's reservation; undefined if
   * the id is taken); `leave` is what a drain calls. Undefined: a push source.
   */
  readonly openChannel?: (rateHz: number, leave: () => void) => CallChannel | undefined;
}

/** The stream an ingest socket feeds: a push source, or (with the hand-off) a call channel fed decoded samples. */
interface IngestFeed {
  push(bytes: Uint8Array): void;
  end(): void;
  /** Stops without a flush (hand-off); a push source has no hand-off and just ends. */
  detach(): void;
  fail(code: ConnectionErrorCode, message: string): void;
  readonly outcome: Promise<StreamOutcome>;
}

function pushSourceFeed(streamId: string, pcm: PcmStreamFormat, ctx: IngestContext): IngestFeed {
  const source = createPushSource(streamId, pcm, 'ingest');
  ctx.addSource(source);
  return {
    push: (bytes) => source.push(bytes),
    end: () => source.end(),
    detach: () => source.end(),
    fail(code, message) {
      source.fail(Object.assign(new EmostreamError('EMO_ERR_NETWORK', `ingest ${code}: ${message}`), { protocolCode: code }));
    },
    outcome: ctx.outcome,
  };
}

function channelFeed(channel: CallChannel, format: PcmFormat): IngestFeed {
  const parser = createPcmParser(format);
  return {
    push(bytes) {
      const samples = parser.push(bytes);
      if (samples.length > 0) channel.push(samples);
    },
    end: () => channel.end(),
    detach: () => channel.detach(),
    fail: (code, message) => channel.fail(code, message),
    outcome: channel.outcome,
  };
}

/** Parses `rate`/`format` query values or config fields into a PCM format; EMO_ERR_BAD_CONFIG if invalid. */
export function parsePcmParams(rate: unknown, format: unknown, fallback: PcmStreamFormat): PcmStreamFormat {
  const sampleRateHz = rate === undefined || rate === null ? fallback.sampleRateHz : Number(rate);
  const fmt = (format === undefined || format === null ? fallback.format : format) as PcmFormat;
  const parsed = { sampleRateHz, format: fmt };
  validatePcmStreamFormat(parsed);
  return parsed;
}

/** The default ingest format: 16 kHz s16le. */
export const DEFAULT_INGEST_FORMAT: PcmStreamFormat = Object.freeze({ sampleRateHz: ANALYSIS_RATE_HZ, format: 's16le' });

/** One ingest socket: its stream id, current format and the stream it feeds once audio arrived. */
interface IngestSession {
  readonly ws: WebSocket;
  readonly streamId: string;
  readonly ctx: IngestContext;
  pcm: PcmStreamFormat;
  source: IngestFeed | undefined;
  done: boolean;
  /** Drained: the stream is detached (not flushed) once the socket has closed. */
  leaving: boolean;
}

/** Sends the connection error; codes that close the connection end the stream (or free the id) with the code. */
function fail(s: IngestSession, code: ConnectionErrorCode, message: string): void {
  s.ctx.onProtocolError(code);
  s.ws.send(connectionError(code, message, s.streamId));
  const { closeCode } = CONNECTION_ERRORS[code];
  if (closeCode === undefined) return;
  s.done = true;
  if (!s.source) s.ctx.onAbandoned(s.streamId);
  else s.source.fail(code, message);
  s.ws.close(closeCode, code);
}

/** The stream starts with the first audio frame (after any config message). */
function openFeed(s: IngestSession): IngestFeed | undefined {
  const { ctx, pcm, ws } = s;
  if (!ctx.openChannel) return pushSourceFeed(s.streamId, pcm, ctx);
  const channel = ctx.openChannel(pcm.sampleRateHz, () => { // drain: ask the client to reconnect elsewhere; what it
    s.leaving = true; // sends until it has closed is still taken, then the stream is detached (not flushed)
    ws.close(1012, 'drain');
  });
  return channel && channelFeed(channel, pcm.format);
}

/** The socket is done: the stream ends (or is detached after a drain); a stream that never started frees its id. */
function finish(s: IngestSession): void {
  if (s.done) return;
  s.done = true;
  if (s.source) s.leaving ? s.source.detach() : s.source.end();
  else s.ctx.onAbandoned(s.streamId);
}

/** `{"type":"end"}`: flush, then close once the stream's last result is out. */
function endRequested(s: IngestSession): void {
  finish(s);
  const { ws } = s;
  void (s.source?.outcome ?? s.ctx.outcome).then((outcome) => {
    if (ws.readyState !== ws.OPEN) return;
    if (outcome.state === 'error') ws.close(1011, String(outcome.code ?? 'internal').slice(0, 120));
    else ws.close(1000, 'end');
  });
}

/** A text message: `config` (before any audio) or `end`. */
function onText(s: IngestSession, bytes: Buffer): void {
  if (bytes.length > MAX_TEXT_MESSAGE_BYTES) return fail(s, 'message_too_large', `text messages are limited to ${MAX_TEXT_MESSAGE_BYTES} bytes`);
  let msg: { type?: unknown; rate?: unknown; format?: unknown };
  try {
    msg = JSON.parse(bytes.toString('utf8'));
    if (typeof msg !== 'object' || msg === null) throw new Error('not an object');
  } catch {
    return fail(s, 'bad_message', 'text messages must be JSON objects ({"type":"config"|"end", ...})');
  }
  if (msg.type === 'end') return endRequested(s);
  if (msg.type !== 'config') return fail(s, 'bad_message', `unknown message type ${JSON.stringify(msg.type)}`);
  if (s.source) return fail(s, 'bad_config', 'config must come before the first audio frame');
  try {
    s.pcm = parsePcmParams(msg.rate, msg.format, s.pcm);
  } catch (err) {
    return fail(s, 'bad_config', (err as Error).message);
  }
  s.ws.send(readyMessage(s.streamId, s.pcm.sampleRateHz, s.pcm.format, MAX_PAYLOAD_BYTES));
}

/** A binary frame of PCM: checked, then pushed (the first one starts the stream). */
function onAudio(s: IngestSession, bytes: Buffer): void {
  const { pcm, ws, streamId, ctx } = s;
  if (bytes.length > MAX_PAYLOAD_BYTES) return fail(s, 'message_too_large', `binary frames are limited to ${MAX_PAYLOAD_BYTES} bytes, got ${bytes.length}`);
  const width = bytesPerSample(pcm.format);
  if (bytes.length % width !== 0) {
    return fail(s, 'invalid_frame', `frame of ${bytes.length} bytes is not a whole number of ${pcm.format} samples (${width} bytes each)`);
  }
  if (bytes.length === 0) return;
  if (!s.source) {
    s.source = openFeed(s);
    if (!s.source) { // the reservation was handed to the channel and lost meanwhile: nothing of ours to free
      s.done = true;
      ctx.onProtocolError('stream_busy');
      ws.send(connectionError('stream_busy', `stream '${streamId}' is already running`, streamId));
      return ws.close(CONNECTION_ERRORS.stream_busy.closeCode, 'stream_busy');
    }
  }
  ctx.onBytes(bytes.length);
  s.source.push(bytes);
}

/** Serves one accepted ingest socket for stream `streamId` (already reserved) with initial format `initial`. */
export function serveIngest(ws: WebSocket, streamId: string, initial: PcmStreamFormat, ctx: IngestContext): void {
  const s: IngestSession = { ws, streamId, ctx, pcm: initial, source: undefined, done: false, leaving: false };
  ws.send(readyMessage(streamId, initial.sampleRateHz, initial.format, MAX_PAYLOAD_BYTES));
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (s.done) return;
    const bytes = data as Buffer; // binaryType 'nodebuffer': one Buffer per message
    if (isBinary) onAudio(s, bytes);
    else onText(s, bytes);
  });
  ws.on('close', () => finish(s));
  ws.on('error', () => finish(s)); // the ws library closes the socket itself (e.g. 1009 above HARD_MAX_PAYLOAD_BYTES)
}
