/**
 * `serve --audiosocket PORT`: a TCP listener for Asterisk AudioSocket (the `AudioSocket()` dialplan application or
 * channel driver; framing in audiosocket-framing.ts). The first message must be the call UUID (within
 * AUDIOSOCKET_UUID_TIMEOUT_MS); the stream id is that UUID in its canonical 8-4-4-4-12 form; signed-linear audio of
 * any defined rate follows (one rate per call; the stream starts with its first audio, at that rate); DTMF is accepted and ignored; hang-up (0x00), an error message
 * (0xff) or the connection closing ends the stream normally (0xff is logged in the metrics as a protocol error).
 *
 * AudioSocket has no field for credentials, so the token rule is applied to where it listens: loopback only unless
 * `insecure` is set (put Asterisk on the same host or a private network). Bad input (a first message that is not a
 * 16-byte UUID, an odd slin payload, a second rate, an unknown type, a busy id) is answered with an AudioSocket
 * error message (0xff, payload: one byte, AUDIOSOCKET_ERROR_CODES) then a hang-up, and ends only that call, with the
 * matching stable code on the results side.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { EmostreamError } from '../../errors.ts';
import { isLoopbackHost } from '../auth.ts';
import { AUDIOSOCKET_UUID_TIMEOUT_MS, MAX_AUDIOSOCKET_CONNECTIONS } from '../limits.ts';
import { AUDIOSOCKET_SLIN_RATES, AUDIOSOCKET_TYPES, createAudiosocketParser, encodeAudiosocket, formatUuid } from './audiosocket-framing.ts';
import { openCallChannel, type CallChannel, type TelephonyContext } from './call-channel.ts';

/** Application error codes this server sends in 0xff messages (one byte). */
export const AUDIOSOCKET_ERROR_CODES = Object.freeze({ bad_config: 0x01, invalid_frame: 0x02, stream_busy: 0x03, server_full: 0x04, bad_message: 0x05, ingest_disabled: 0x06 });
type ErrorCode = keyof typeof AUDIOSOCKET_ERROR_CODES;

/** A running AudioSocket listener. */
export interface AudiosocketServer {
  readonly port: number;
  /** Stops accepting connections (drain); open calls go on. */
  stopAccepting(): void;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

/** Options of `startAudiosocketServer`. */
export interface AudiosocketOptions {
  readonly host: string;
  /** TCP port (0 = any free port). */
  readonly port: number;
  /** Allow a non-loopback host (AudioSocket carries no credentials). Default false. */
  readonly insecure?: boolean;
}

/** Serves one AudioSocket connection. */
function serveConnection(socket: Socket, ctx: TelephonyContext): void {
  const parser = createAudiosocketParser();
  let channel: CallChannel | undefined;
  let streamId: string | undefined;
  let rateHz = 0;
  let ended = false;
  let leaving = false;
  const uuidTimer = setTimeout(() => fail('bad_config', 'no call UUID within the first seconds'), AUDIOSOCKET_UUID_TIMEOUT_MS);

  const hangUp = (): void => {
    if (!socket.destroyed) socket.end(encodeAudiosocket(AUDIOSOCKET_TYPES.hangup));
  };
  function fail(code: ErrorCode, message: string): void {
    if (ended) return;
    ended = true;
    clearTimeout(uuidTimer);
    ctx.metrics.protocolErrors++;
    channel?.fail(code, message);
    if (!socket.destroyed) socket.write(encodeAudiosocket(AUDIOSOCKET_TYPES.error, Uint8Array.of(AUDIOSOCKET_ERROR_CODES[code])));
    hangUp();
  }
  const finish = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(uuidTimer);
    if (leaving) channel?.detach();
    else channel?.end();
  };
  const onUuid = (payload: Buffer): void => {
    if (payload.length !== 16) return fail('bad_config', `the UUID message has ${payload.length} bytes, not 16`);
    clearTimeout(uuidTimer);
    streamId = formatUuid(payload);
    if (ctx.handoff?.draining) return fail('server_full', 'this instance is draining');
  };
  /** Opens the call's stream with its first audio (its type gives the rate). */
  const openChannel = (id: string): void => {
    channel = openCallChannel(ctx, {
      streamId: id, kind: 'audiosocket', rateHz, metadata: { uuid: id },
      leave: () => { // drain: hang up this leg (the dialplan may reconnect elsewhere with the same UUID); audio
        leaving = true; // that arrives until Asterisk closes its side is still taken, then the stream is detached
        hangUp();
      },
    });
    if (!channel) fail('stream_busy', `stream '${id}' is already running`);
  };

  socket.on('data', (bytes: Buffer) => {
    if (ended) return;
    for (const msg of parser.push(bytes)) {
      if (ended) return;
      if (streamId === undefined) {
        if (msg.type !== AUDIOSOCKET_TYPES.uuid) return fail('bad_config', `the first message must be the call UUID (0x01), got 0x${msg.type.toString(16)}`);
        onUuid(msg.payload);
        continue;
      }
      const rate = AUDIOSOCKET_SLIN_RATES.get(msg.type);
      if (rate !== undefined) {
        if (rateHz === 0) rateHz = rate;
        if (rate !== rateHz) return fail('invalid_frame', `audio at ${rate} Hz after audio at ${rateHz} Hz`);
        if (msg.payload.length % 2 !== 0) return fail('invalid_frame', `slin payload of ${msg.payload.length} bytes is not whole 16-bit samples`);
        if (!channel) openChannel(streamId);
        if (!channel) return;
        ctx.metrics.ingestBytes += msg.payload.length;
        const samples = new Float32Array(msg.payload.length / 2);
        for (let i = 0; i < samples.length; i++) samples[i] = msg.payload.readInt16LE(2 * i) / 32767;
        channel.push(samples);
      } else if (msg.type === AUDIOSOCKET_TYPES.hangup) {
        hangUp();
        return finish();
      } else if (msg.type === AUDIOSOCKET_TYPES.error) {
        ctx.metrics.protocolErrors++;
        return finish();
      } else if (msg.type !== AUDIOSOCKET_TYPES.dtmf && msg.type !== AUDIOSOCKET_TYPES.uuid) {
        return fail('bad_message', `unknown message type 0x${msg.type.toString(16)}`);
      }
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', finish);
}

/** Starts the AudioSocket listener; EMO_ERR_USAGE for a non-loopback host without `insecure`, EMO_ERR_NETWORK if the port is taken. */
export async function startAudiosocketServer(options: AudiosocketOptions, ctx: TelephonyContext): Promise<AudiosocketServer> {
  if (!isLoopbackHost(options.host) && !options.insecure) {
    throw new EmostreamError('EMO_ERR_USAGE', `AudioSocket carries no credentials: listening on ${options.host} needs --audiosocket-insecure (or use a loopback host)`);
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (!ctx.enabled || sockets.size >= MAX_AUDIOSOCKET_CONNECTIONS) {
      ctx.metrics.protocolErrors++;
      const code = ctx.enabled ? AUDIOSOCKET_ERROR_CODES.server_full : AUDIOSOCKET_ERROR_CODES.ingest_disabled;
      socket.end(Buffer.concat([encodeAudiosocket(AUDIOSOCKET_TYPES.error, Uint8Array.of(code)), encodeAudiosocket(AUDIOSOCKET_TYPES.hangup)]));
      socket.on('error', () => undefined);
      return;
    }
    sockets.add(socket);
    ctx.metrics.ingestClients++;
    socket.once('close', () => { sockets.delete(socket); ctx.metrics.ingestClients--; });
    serveConnection(socket, ctx);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new EmostreamError('EMO_ERR_NETWORK', `cannot listen for AudioSocket on ${options.host}:${options.port} (${err.code ?? err.message})`, { cause: err })));
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    stopAccepting() { server.close(); },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
