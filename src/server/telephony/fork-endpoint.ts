/**
 * `ws /fork`: jambonz `listen` and FreeSWITCH mod_audio_fork, as their docs describe them. The first text frame is
 * JSON metadata (jambonz sends the call's attributes plus `sampleRate` and `mixType`; with mod_audio_fork, put them
 * in the metadata argument of `uuid_audio_fork`), then binary frames of L16 (signed 16-bit little-endian PCM) at
 * `sampleRate`: one channel for `mixType` `mono` (the caller) or `mixed` (both parties mixed), two interleaved for
 * `stereo` (left: caller, right: callee). Stream ids `<callSid or uuid>.<channel>` with channel `caller`, `callee`
 * or `mixed`; the other metadata fields are kept with the streams. jambonz's subprotocol `audio.jambonz.org` is
 * accepted; later text frames (jambonz events such as DTMF) are ignored.
 *
 * Token: `Authorization: Bearer`, `Authorization: Basic` with the token as password (jambonz `wsAuth`) or
 * `?token=`, checked by the upgrade router. Bad input: unparseable text `bad_message` (ignored); metadata without a
 * call id, a rate outside 8000–192000 Hz or an unknown mixType, and audio before the metadata, `bad_config` (1008);
 * a binary frame that is not whole (stereo) samples `invalid_frame` (1007); a binary frame above MAX_PAYLOAD_BYTES
 * `message_too_large` (1009).
 */
import type { RawData, WebSocket } from 'ws';
import { MAX_PCM_RATE_HZ, MIN_PCM_RATE_HZ } from '../../audio/sources/pcm-format.ts';
import { MAX_PAYLOAD_BYTES, MAX_TELEPHONY_TEXT_BYTES } from '../limits.ts';
import { CONNECTION_ERRORS, connectionError, type ConnectionErrorCode } from '../protocol.ts';
import { admitTelephonySocket } from './admit-socket.ts';
import { openCallChannel, type CallChannel, type TelephonyContext } from './call-channel.ts';

/** Mix types of jambonz `listen` / mod_audio_fork. */
export type ForkMixType = 'mono' | 'mixed' | 'stereo';
const CHANNEL_NAMES: Readonly<Record<ForkMixType, readonly string[]>> = Object.freeze({ mono: ['caller'], mixed: ['mixed'], stereo: ['caller', 'callee'] });
const CALL_ID = /^[A-Za-z0-9_-]{1,54}$/;

/** Splits interleaved s16le `bytes` of `count` channels into one float array per channel (s16 / 32767). */
export function deinterleaveS16(bytes: Uint8Array, count: number): Float32Array[] {
  const frames = bytes.length / (2 * count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Array.from({ length: count }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) for (let c = 0; c < count; c++) out[c][i] = view.getInt16(2 * (i * count + c), true) / 32767;
  return out;
}

/** Serves one accepted /fork socket. */
export function handleForkSocket(ws: WebSocket, ctx: TelephonyContext): void {
  if (!admitTelephonySocket(ws, ctx)) return;
  const { metrics } = ctx;
  let channels: CallChannel[] | undefined;
  let closing = false;
  let leaving = false; // drained: the channels are detached (not flushed) once the socket has closed

  const fail = (code: ConnectionErrorCode, message: string): void => {
    metrics.protocolErrors++;
    if (ws.readyState === ws.OPEN) ws.send(connectionError(code, message));
    const { closeCode } = CONNECTION_ERRORS[code];
    if (closeCode === undefined) return;
    closing = true;
    for (const channel of channels ?? []) channel.fail(code, message);
    ws.close(closeCode, code);
  };
  const onMetadata = (meta: Record<string, unknown>): void => {
    const id = meta.callSid ?? meta.uuid ?? meta.callId;
    if (typeof id !== 'string' || !CALL_ID.test(id)) return fail('bad_config', 'metadata needs callSid (jambonz) or uuid (mod_audio_fork): 1–54 characters of [A-Za-z0-9_-]');
    const rate = Number(meta.sampleRate);
    if (!Number.isInteger(rate) || rate < MIN_PCM_RATE_HZ || rate > MAX_PCM_RATE_HZ) {
      return fail('bad_config', `metadata.sampleRate must be an integer in ${MIN_PCM_RATE_HZ}..${MAX_PCM_RATE_HZ} Hz, got ${JSON.stringify(meta.sampleRate)}`);
    }
    const mix = (meta.mixType ?? 'mono') as ForkMixType;
    if (!Object.hasOwn(CHANNEL_NAMES, mix)) return fail('bad_config', `metadata.mixType must be mono, mixed or stereo, got ${JSON.stringify(meta.mixType)}`);
    const opened: CallChannel[] = [];
    for (const name of CHANNEL_NAMES[mix]) {
      const streamId = `${id}.${name}`;
      const channel = openCallChannel(ctx, {
        streamId, kind: 'fork', rateHz: rate, metadata: { ...meta, channel: name },
        leave: () => { // drain: close with 1012; audio that arrives until the platform closes is still taken
          leaving = true;
          ws.close(1012, 'drain');
        },
      });
      if (!channel) {
        channels = opened;
        return fail('stream_busy', `stream '${streamId}' is already running`);
      }
      opened.push(channel);
    }
    channels = opened;
  };

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (closing) return;
    const bytes = data as Buffer;
    if (!isBinary) {
      if (bytes.length > MAX_TELEPHONY_TEXT_BYTES) return fail('message_too_large', `text messages are limited to ${MAX_TELEPHONY_TEXT_BYTES} bytes`);
      let msg: unknown;
      try {
        msg = JSON.parse(bytes.toString('utf8'));
        if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new Error('not an object');
      } catch {
        return fail('bad_message', 'text frames must be JSON objects (the first one: the call metadata)');
      }
      if (!channels) onMetadata(msg as Record<string, unknown>);
      return; // later text frames (jambonz events) carry nothing to analyse
    }
    if (!channels) return fail('bad_config', 'the first frame must be the JSON metadata (callSid or uuid, sampleRate, mixType)');
    if (bytes.length > MAX_PAYLOAD_BYTES) return fail('message_too_large', `binary frames are limited to ${MAX_PAYLOAD_BYTES} bytes, got ${bytes.length}`);
    const width = 2 * channels.length;
    if (bytes.length % width !== 0) return fail('invalid_frame', `frame of ${bytes.length} bytes is not a whole number of ${channels.length}-channel L16 samples (${width} bytes each)`);
    metrics.ingestBytes += bytes.length;
    const parts = deinterleaveS16(bytes, channels.length);
    channels.forEach((channel, c) => channel.push(parts[c]));
  });
  ws.on('close', () => {
    closing = true;
    for (const channel of channels ?? []) leaving ? channel.detach() : channel.end();
  });
}
