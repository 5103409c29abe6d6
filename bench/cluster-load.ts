/**
 * Load generator of bench/cluster.bench.ts, run as its own process (`node --import tsx bench/cluster-load.ts
 * '<json plan>'`): streams synthetic voice-like audio in real time to serve instances, each group of streams in one
 * platform's protocol, paced as the platform does:
 *
 *   ingest16     /ingest?rate=16000&format=s16le, 100 ms binary frames
 *   ingest8      /ingest?rate=8000&format=s16le, 20 ms binary frames (the baseline of the telephony adapters)
 *   twilio       /twilio, Media Streams JSON: connected, start (tracks inbound + outbound), base64 μ-law `media` per
 *                track every 20 ms, stop; one call = 2 streams `<callSid>.inbound|outbound`
 *   audiosocket  AudioSocket TCP: 0x01 call UUID, 0x10 slin 8 kHz frames of 20 ms, 0x00 hang-up; 1 stream
 *
 * Streams of a group are spread over the frame period. Prints one JSON line: for every stream the wall time (Unix
 * ms) its frame holding the last sample of second t was sent (`sent[stream][t]`), for end-to-end latency.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { muLawEncode } from '../src/audio/g711.ts';

export interface LoadGroup {
  readonly protocol: 'ingest16' | 'ingest8' | 'twilio' | 'audiosocket';
  /** ws://host:port of the instance. */
  readonly ws: string;
  readonly audiosocketPort?: number;
  /** Streams (a Twilio call counts 2). */
  readonly streams: number;
  /** Stream id prefix (unique per group). */
  readonly prefix: string;
}
export interface LoadPlan { readonly groups: readonly LoadGroup[]; readonly seconds: number }

/** A voice-like test signal at `rate` (a gliding harmonic tone with noise), `seconds` long. */
function signal(rate: number, seconds: number, seed: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  let s = seed >>> 0;
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    phase += 2 * Math.PI * (140 + 60 * Math.sin(i / (rate * 0.6) + seed)) / rate;
    const voiced = Math.floor(i / (rate * 0.35)) % 4 !== 3;
    out[i] = (voiced ? 0.25 * Math.sin(phase) + 0.08 * Math.sin(2 * phase) : 0) + 0.02 * (s / 2 ** 32 - 0.5);
  }
  return out;
}
const s16 = (x: Float32Array): Buffer => {
  const b = Buffer.alloc(2 * x.length);
  for (let i = 0; i < x.length; i++) b.writeInt16LE(Math.round(Math.max(-1, Math.min(1, x[i])) * 32767), 2 * i);
  return b;
};

/** One connection: sends frame k (of `frameMs`), ends. */
interface Sender { readonly streams: readonly string[]; readonly frameMs: number; readonly rate: number; send(k: number): void; end(): void }

const open = (url: string, protocol?: string): Promise<WebSocket> => new Promise((resolve, reject) => {
  const ws = protocol ? new WebSocket(url, protocol, { perMessageDeflate: false }) : new WebSocket(url, { perMessageDeflate: false });
  ws.once('open', () => resolve(ws));
  ws.once('error', reject);
});

async function ingest(g: LoadGroup, id: string, rate: number, frameMs: number, seconds: number, seed: number): Promise<Sender> {
  const pcm = s16(signal(rate, seconds, seed));
  const ws = await open(`${g.ws}/ingest?stream=${id}&rate=${rate}&format=s16le`);
  const bytes = (rate * frameMs / 1000) * 2;
  return { streams: [id], frameMs, rate, send: (k) => ws.send(pcm.subarray(k * bytes, (k + 1) * bytes)), end: () => { ws.send(JSON.stringify({ type: 'end' })); } };
}

async function twilio(g: LoadGroup, callSid: string, seconds: number, seed: number): Promise<Sender> {
  const tracks = ['inbound', 'outbound'].map((_, c) => muLawEncode(signal(8000, seconds, seed + c)));
  const ws = await open(`${g.ws}/twilio`);
  const streamSid = `MZ${callSid.slice(2)}`;
  let seq = 0;
  const send = (m: Record<string, unknown>) => ws.send(JSON.stringify({ sequenceNumber: String(++seq), streamSid, ...m }));
  ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
  send({ event: 'start', start: { accountSid: 'AC0123456789abcdef0123456789abcdef', streamSid, callSid, tracks: ['inbound', 'outbound'], customParameters: {}, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } });
  return {
    streams: [`${callSid}.inbound`, `${callSid}.outbound`], frameMs: 20, rate: 8000,
    send: (k) => ['inbound', 'outbound'].forEach((track, c) => send({ event: 'media', media: { track, chunk: String(k + 1), timestamp: String(k * 20), payload: Buffer.from(tracks[c].subarray(k * 160, (k + 1) * 160)).toString('base64') } })),
    end: () => send({ event: 'stop', stop: { accountSid: 'AC0123456789abcdef0123456789abcdef', callSid } }),
  };
}

const frame = (type: number, payload: Uint8Array): Buffer => {
  const b = Buffer.alloc(3 + payload.length);
  b[0] = type;
  b.writeUInt16BE(payload.length, 1);
  b.set(payload, 3);
  return b;
};

async function audiosocket(g: LoadGroup, uuid: string, seconds: number, seed: number): Promise<Sender> {
  const pcm = s16(signal(8000, seconds, seed)); // AudioSocket slin: 16-bit little-endian
  const socket: Socket = await new Promise((resolve, reject) => { const s = tcpConnect(g.audiosocketPort!, '127.0.0.1', () => resolve(s)); s.once('error', reject); });
  socket.on('error', () => undefined);
  socket.write(frame(0x01, Buffer.from(uuid.replace(/-/g, ''), 'hex')));
  return { streams: [uuid], frameMs: 20, rate: 8000, send: (k) => socket.write(frame(0x10, pcm.subarray(k * 320, (k + 1) * 320))), end: () => { socket.end(frame(0x00, new Uint8Array(0))); } };
}

const uuidOf = (prefix: string, k: number): string => {
  const h = Buffer.from(`${prefix}${k}`.padEnd(16, '-')).toString('hex').slice(0, 32).padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

async function connectAll(plan: LoadPlan): Promise<Sender[]> {
  const out: Sender[] = [];
  let seed = 1;
  for (const g of plan.groups) {
    const n = g.protocol === 'twilio' ? Math.ceil(g.streams / 2) : g.streams;
    const batch: Array<Promise<Sender>> = [];
    for (let k = 0; k < n; k++) {
      const s = seed += 2;
      if (g.protocol === 'ingest16') batch.push(ingest(g, `${g.prefix}${k}`, 16000, 100, plan.seconds, s));
      else if (g.protocol === 'ingest8') batch.push(ingest(g, `${g.prefix}${k}`, 8000, 20, plan.seconds, s));
      else if (g.protocol === 'twilio') batch.push(twilio(g, `CA${g.prefix}${String(k).padStart(30, '0')}`, plan.seconds, s));
      else batch.push(audiosocket(g, uuidOf(g.prefix, k), plan.seconds, s));
    }
    out.push(...await Promise.all(batch));
  }
  return out;
}

/** Sends every stream's frames in real time; returns sent[stream][t] (wall ms). */
async function run(plan: LoadPlan): Promise<Record<string, number[]>> {
  const senders = await connectAll(plan);
  const sent: Record<string, number[]> = {};
  const next = new Int32Array(senders.length);
  const start = performance.now() + 50;
  const wall0 = Date.now() + 50;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      let pending = false;
      senders.forEach((s, i) => {
        const frames = Math.floor(plan.seconds * 1000 / s.frameMs);
        const offset = (i * s.frameMs) / senders.length; // spread over the frame period
        while (next[i] < frames && start + offset + (next[i] + 1) * s.frameMs <= now) {
          s.send(next[i]);
          const endSample = (next[i] + 1) * s.frameMs * s.rate / 1000;
          const t = endSample / s.rate;
          if (Number.isInteger(t)) for (const id of s.streams) (sent[id] ??= [])[t] = wall0 + (performance.now() - start);
          next[i]++;
        }
        if (next[i] < frames) pending = true;
      });
      if (pending) setTimeout(tick, 2); else resolve();
    };
    tick();
  });
  for (const s of senders) s.end();
  await new Promise((r) => setTimeout(r, 1500));
  return sent;
}

if (process.argv[2]) {
  const sent = await run(JSON.parse(process.argv[2]) as LoadPlan);
  process.stdout.write(`${JSON.stringify({ sent })}\n`);
  process.exit(0);
}
