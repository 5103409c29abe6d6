/**
 * Telephony clients for the tests, written from the vendors' public protocol descriptions (not from this server's
 * code): Twilio Media Streams, jambonz listen / mod_audio_fork, Genesys AudioHook (with its HTTP message signature)
 * and Asterisk AudioSocket. Plus 8 kHz test audio and the reference results of the in-process pipeline.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { from, lastValueFrom, toArray } from 'rxjs';
import { WebSocket } from 'ws';
import { muLawDecode, muLawEncode } from '../../../src/audio/g711.ts';
import type { EmotionModel } from '../../../src/model/types.ts';
import { createPipeline } from '../../../src/pipeline/index.ts';
import { seededRandom } from '../../fixtures/signals.ts';

/** `seconds` of 8 kHz test audio: floats exactly representable as μ-law (`mulaw`) and their s16le bytes. */
export function testAudio8k(seconds: number, seed = 1): { samples: Float32Array; mulaw: Uint8Array; s16le: Uint8Array } {
  const n = Math.round(seconds * 8000);
  const random = seededRandom(seed);
  const raw = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const segment = Math.floor(i / 5600) % 3;
    const f = 140 + 70 * Math.sin(i / 4000) + 35 * ((seed + Math.floor(i / 5600)) % 4);
    phase += (2 * Math.PI * f) / 8000;
    raw[i] = segment === 0 ? 0.4 * Math.sin(phase) : segment === 1 ? 0.25 * (2 * random() - 1) : 0.3 * Math.sin(phase) * Math.sin(phase / 3);
  }
  const mulaw = muLawEncode(raw);
  const samples = muLawDecode(mulaw);
  const s16le = new Uint8Array(2 * n);
  const view = new DataView(s16le.buffer);
  for (let i = 0; i < n; i++) view.setInt16(2 * i, Math.round(samples[i] * 32767), true);
  return { samples, mulaw, s16le };
}

/**
 * Speech as a telephony platform sends it: the two synthetic speech clips of test/fixtures/golden (11.8 s),
 * resampled to 8 kHz and μ-law coded (`samples`: what the server decodes).
 */
export async function speechAudio8k(): Promise<{ samples: Float32Array; mulaw: Uint8Array }> {
  const { loadGoldenClip } = await import('../../fixtures/golden.ts');
  const { resample } = await import('../../../src/audio/resample.ts');
  const parts = ['speech1_16k', 'speech2_16k'].map((n) => loadGoldenClip(n).samples);
  const joined = new Float32Array(parts[0].length + parts[1].length);
  joined.set(parts[0]);
  joined.set(parts[1], parts[0].length);
  const mulaw = muLawEncode(await resample(joined, 16000, 8000));
  return { samples: muLawDecode(mulaw), mulaw };
}

/** The av results (t, arousal, valence) the pipeline computes for `samples` at `rateHz` as one stream. */
export async function referenceResults(model: EmotionModel, samples: Float32Array, rateHz: number): Promise<Array<{ t: number; arousal: number; valence: number }>> {
  const source = { streamId: 'reference', kind: 'api' as const, chunks: from([{ streamId: 'reference', samples, sampleRateHz: rateHz, arrivedAtMs: 0 }]) };
  const events = await lastValueFrom(createPipeline(from([source]), { model }).pipe(toArray()));
  return events.flatMap((e) => (e.type === 'av' ? [{ t: e.t, arousal: e.arousal, valence: e.valence }] : []));
}

/** An open WebSocket that records its text messages (parsed) and its close. */
export interface RecordingSocket {
  readonly ws: WebSocket;
  readonly messages: Array<Record<string, unknown>>;
  readonly closed: Promise<[number, string]>;
  waitFor(predicate: (m: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

export function openSocket(url: string, options: { headers?: Record<string, string>; protocol?: string } = {}): Promise<RecordingSocket> {
  const ws = options.protocol ? new WebSocket(url, options.protocol, { headers: options.headers }) : new WebSocket(url, { headers: options.headers });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<{ p: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
  const closed = new Promise<[number, string]>((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(m);
    for (let k = waiters.length - 1; k >= 0; k--) if (waiters[k].p(m)) { waiters[k].resolve(m); waiters.splice(k, 1); }
  });
  const socket: RecordingSocket = {
    ws, messages, closed,
    waitFor(p, what) {
      const found = messages.find(p);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ p, resolve });
        void closed.then(([code]) => reject(new Error(`closed (${code}) while waiting for ${what}; got ${JSON.stringify(messages).slice(0, 300)}`)));
      });
    },
  };
  return new Promise((resolve, reject) => { ws.once('open', () => resolve(socket)); ws.once('error', reject); });
}

/** Twilio Media Streams: `connected`, `start`, `media` (20 ms μ-law chunks per track), `stop`. */
export class TwilioClient {
  private seq = 0;
  private chunk = 0;
  constructor(readonly socket: RecordingSocket, readonly callSid: string, readonly streamSid = `MZ${randomUUID().replace(/-/g, '')}`) {}
  static async connect(url: string, callSid: string, options: { tracks?: string[]; customParameters?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<TwilioClient> {
    const client = new TwilioClient(await openSocket(url, { headers: options.headers }), callSid);
    client.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    client.send({
      event: 'start', sequenceNumber: String(++client.seq), streamSid: client.streamSid,
      start: {
        accountSid: 'AC0123456789abcdef0123456789abcdef', streamSid: client.streamSid, callSid, tracks: options.tracks ?? ['inbound'],
        customParameters: options.customParameters ?? {}, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    return client;
  }
  send(msg: Record<string, unknown>): void { this.socket.ws.send(JSON.stringify(msg)); }
  /** Sends `mulaw` of `track` as 20 ms media messages. */
  media(track: string, mulaw: Uint8Array): void {
    for (let at = 0; at < mulaw.length; at += 160) {
      const payload = Buffer.from(mulaw.subarray(at, Math.min(mulaw.length, at + 160))).toString('base64');
      this.send({ event: 'media', sequenceNumber: String(++this.seq), streamSid: this.streamSid,
        media: { track, chunk: String(++this.chunk), timestamp: String(Math.round(at / 8)), payload } });
    }
  }
  stop(): void {
    this.send({ event: 'stop', sequenceNumber: String(++this.seq), streamSid: this.streamSid, stop: { accountSid: 'AC0123456789abcdef0123456789abcdef', callSid: this.callSid } });
  }
}

/** jambonz listen / mod_audio_fork: metadata text frame, then L16 frames (20 ms), stereo interleaved. */
export async function forkClient(url: string, metadata: Record<string, unknown>, headers?: Record<string, string>): Promise<RecordingSocket> {
  const socket = await openSocket(url, { protocol: 'audio.jambonz.org', headers });
  socket.ws.send(JSON.stringify(metadata));
  return socket;
}

/** Interleaves s16le channels (equal lengths). */
export function interleaveS16(channels: Uint8Array[]): Uint8Array {
  const n = channels[0].length / 2;
  const out = new Uint8Array(2 * n * channels.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels.length; c++) out.set(channels[c].subarray(2 * i, 2 * i + 2), 2 * (i * channels.length + c));
  return out;
}

/** The AudioHook request headers, signed as the protocol describes (HMAC-SHA256 over the signature base). */
export function audiohookHeaders(url: string, apiKey: string, clientSecret: Uint8Array | undefined, sessionId: string): Record<string, string> {
  const u = new URL(url);
  const headers: Record<string, string> = {
    'Audiohook-Organization-Id': 'd7934305-0972-4844-938e-9060eef73d05', 'Audiohook-Correlation-Id': randomUUID(),
    'Audiohook-Session-Id': sessionId, 'X-API-KEY': apiKey,
  };
  if (!clientSecret) return headers;
  const components: Array<[string, string]> = [
    ['@request-target', u.pathname + u.search], ['@authority', u.host.toLowerCase()],
    ['audiohook-organization-id', headers['Audiohook-Organization-Id']], ['audiohook-session-id', sessionId],
    ['audiohook-correlation-id', headers['Audiohook-Correlation-Id']], ['x-api-key', apiKey],
  ];
  const created = Math.floor(Date.now() / 1000);
  const params = `(${components.map(([c]) => `"${c}"`).join(' ')});keyid="${apiKey}";nonce="${Buffer.from(randomUUID()).toString('base64')}";alg="hmac-sha256";created=${created};expires=${created + 30}`;
  const base = [...components.map(([c, v]) => `"${c}": ${v}`), `"@signature-params": ${params}`].join('\n');
  headers['Signature-Input'] = `sig1=${params}`;
  headers['Signature'] = `sig1=:${createHmac('sha256', clientSecret).update(base).digest('base64')}:`;
  return headers;
}

/** A Genesys AudioHook client session. */
export class AudiohookClient {
  private seq = 0;
  private serverseq = 0;
  private samples = 0;
  constructor(readonly socket: RecordingSocket, readonly sessionId: string) {
    socket.ws.on('message', (d, bin) => { if (!bin) this.serverseq = Number(JSON.parse(d.toString()).seq); });
  }
  static async connect(url: string, apiKey: string, clientSecret?: Uint8Array): Promise<AudiohookClient> {
    const sessionId = randomUUID();
    return new AudiohookClient(await openSocket(url, { headers: audiohookHeaders(url, apiKey, clientSecret, sessionId) }), sessionId);
  }
  send(type: string, parameters: Record<string, unknown>): void {
    const position = `PT${(this.samples / 8000).toFixed(3)}S`;
    this.socket.ws.send(JSON.stringify({ version: '2', id: this.sessionId, type, seq: ++this.seq, serverseq: this.serverseq, position, parameters }));
  }
  open(conversationId: string, channels: string[] = ['external', 'internal']): Promise<Record<string, unknown>> {
    this.send('open', {
      organizationId: 'd7934305-0972-4844-938e-9060eef73d05', conversationId,
      participant: { id: randomUUID(), ani: '+15551234567', aniName: 'Caller', dnis: '+15557654321' },
      media: [{ type: 'audio', format: 'PCMU', channels, rate: 8000 }, { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 }],
      language: 'en-US',
    });
    return this.socket.waitFor((m) => m.type === 'opened' || m.type === 'disconnect', 'opened');
  }
  /** Sends PCMU audio, interleaved external/internal, in 20 ms frames. */
  audio(channels: Uint8Array[]): void {
    const n = channels[0].length;
    for (let at = 0; at < n; at += 160) {
      const len = Math.min(160, n - at);
      const frame = new Uint8Array(len * channels.length);
      for (let i = 0; i < len; i++) for (let c = 0; c < channels.length; c++) frame[i * channels.length + c] = channels[c][at + i];
      this.socket.ws.send(frame);
      this.samples += len;
    }
  }
  close(reason = 'end'): Promise<Record<string, unknown>> {
    this.send('close', { reason });
    return this.socket.waitFor((m) => m.type === 'closed', 'closed');
  }
}

/** An Asterisk AudioSocket connection: UUID, then slin frames; `hangup()` ends it. */
export async function audiosocketClient(port: number): Promise<{ socket: Socket; received: () => Buffer; ended: Promise<void> }> {
  const socket = tcpConnect(port, '127.0.0.1');
  let got = Buffer.alloc(0);
  socket.on('data', (d) => { got = Buffer.concat([got, d]); });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('error', reject); });
  return { socket, received: () => got, ended };
}

/** One AudioSocket message: type, 16-bit big-endian length, payload. */
export function audiosocketFrame(type: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const b = Buffer.alloc(3 + payload.length);
  b[0] = type;
  b.writeUInt16BE(payload.length, 1);
  b.set(payload, 3);
  return b;
}
