import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { serveIngest, DEFAULT_INGEST_FORMAT } from '../../src/server/ingest.ts';
import { MAX_PAYLOAD_BYTES } from '../../src/server/limits.ts';
import type { StreamOutcome } from '../../src/server/stream-registry.ts';
import type { AudioChunk, StreamSource } from '../../src/audio/sources/types.ts';
import { connectClient, type TestClient } from './helpers.ts';

const test = suite('server/ingest (frame protocol, real ws sockets)');
let wss: WebSocketServer;
let url = '';

/** What one served socket did: its source's chunks, end or error, and the ids given up. */
interface Served {
  readonly chunks: AudioChunk[];
  readonly protocolErrors: string[];
  abandoned: boolean;
  ended: boolean;
  error?: unknown;
  bytes: number;
  /** Resolves the stream's outcome (as the registry would after its last result). */
  settle(outcome: Omit<StreamOutcome, 'streamId' | 'kind'>): void;
}
let next: Served;

test.before(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws: WebSocket) => {
    const served = next;
    let settle!: (o: StreamOutcome) => void;
    const outcome = new Promise<StreamOutcome>((r) => { settle = r; });
    served.settle = (o) => settle({ streamId: 'ing', kind: 'ingest', ...o });
    serveIngest(ws, 'ing', DEFAULT_INGEST_FORMAT, {
      addSource(source: StreamSource) {
        source.chunks.subscribe({
          next: (c) => served.chunks.push(c),
          error: (e) => { served.error = e; },
          complete: () => { served.ended = true; },
        });
      },
      outcome,
      onProtocolError: (code) => served.protocolErrors.push(code),
      onBytes: (n) => { served.bytes += n; },
      onAbandoned: () => { served.abandoned = true; },
    });
  });
});
test.after(() => new Promise<void>((r) => wss.close(() => r())));

async function open(): Promise<{ client: TestClient; served: Served }> {
  const served: Served = { chunks: [], protocolErrors: [], abandoned: false, ended: false, bytes: 0, settle: () => undefined };
  next = served;
  const client = await connectClient(url);
  await client.waitFor((m) => m.type === 'ready', 'ready');
  return { client, served };
}
/** Resolves once the server has handled everything sent before (a ping is answered after the messages before it). */
const roundTrip = (client: TestClient): Promise<void> => new Promise((r) => { client.ws.once('pong', () => r()); client.ws.ping(); });
const s16 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(2 * values.length);
  values.forEach((v, i) => b.writeInt16LE(v, 2 * i));
  return b;
};

test('s16le frames become chunks (v / 32767); an odd byte count is `invalid_frame`, close 1007, the stream fails with that code', async () => {
  const { client, served } = await open();
  client.ws.send(s16(32767, -16384, 0));
  client.ws.send(Buffer.alloc(0)); // empty frames are ignored
  client.ws.send(Buffer.alloc(3));
  const [code, reason] = await client.closed;
  assert.equal([code, reason], [1007, 'invalid_frame']);
  assert.equal(served.chunks.map((c) => [...c.samples]), [[1, -16384 / 32767, 0].map(Math.fround)]);
  assert.is(served.chunks[0].sampleRateHz, 16000);
  assert.is(served.bytes, 6);
  assert.equal(served.protocolErrors, ['invalid_frame']);
  assert.is((served.error as { protocolCode?: string }).protocolCode, 'invalid_frame');
  assert.is(client.messages.find((m) => m.type === 'error')?.stream, 'ing');
});

test('an odd first frame ends a stream that never started: its id is given up (abandoned), no source', async () => {
  const { client, served } = await open();
  client.ws.send(Buffer.alloc(1));
  assert.is((await client.closed)[0], 1007);
  assert.is(served.abandoned, true);
  assert.is(served.chunks.length, 0);
});

test('frames up to MAX_PAYLOAD_BYTES pass; one more sample → `message_too_large`, close 1009', async () => {
  const { client, served } = await open();
  client.ws.send(Buffer.alloc(MAX_PAYLOAD_BYTES));
  await roundTrip(client);
  assert.is(served.chunks[0]?.samples.length, MAX_PAYLOAD_BYTES / 2);
  client.ws.send(Buffer.alloc(MAX_PAYLOAD_BYTES + 2));
  assert.equal(await client.closed, [1009, 'message_too_large']);
  assert.equal(served.protocolErrors, ['message_too_large']);
  assert.ok(served.error, 'the started stream failed');
});

test('f32le (config message): NaN and ±Inf samples become 0, the rest pass exactly, the stream goes on', async () => {
  const { client, served } = await open();
  client.ws.send(JSON.stringify({ type: 'config', format: 'f32le', rate: 8000 }));
  await client.waitFor((m) => m.type === 'ready' && m.format === 'f32le');
  client.ws.send(Buffer.from(Float32Array.of(0.5, NaN, -Infinity, Infinity, -0.25).buffer));
  client.ws.send(Buffer.from(Float32Array.of(0.125).buffer));
  await roundTrip(client);
  assert.equal(served.chunks.map((c) => [...c.samples]), [[0.5, 0, 0, 0, -0.25], [0.125]]);
  assert.ok(served.chunks.every((c) => c.sampleRateHz === 8000));
  assert.equal(served.protocolErrors, []);
  assert.is(served.error, undefined);
  client.ws.close();
  await client.closed;
});

test('{"type":"end"}: the stream ends at once, the socket closes 1000 only after the stream\'s outcome (its last result)', async () => {
  const { client, served } = await open();
  client.ws.send(s16(1, 2));
  client.ws.send(JSON.stringify({ type: 'end' }));
  await roundTrip(client);
  assert.is(served.ended, true, 'source completed (the pipeline flushes)');
  assert.is(client.ws.readyState, client.ws.OPEN, 'still open while the last seconds are processed');
  served.settle({ state: 'ended' });
  assert.equal(await client.closed, [1000, 'end']);
});

test('{"type":"end"} and a flush that fails: close 1011 with the stream\'s error code as the reason', async () => {
  const { client, served } = await open();
  client.ws.send(s16(1, 2));
  client.ws.send(JSON.stringify({ type: 'end' }));
  await roundTrip(client);
  served.settle({ state: 'error', code: 'server_full' });
  assert.equal(await client.closed, [1011, 'server_full']);
});

test('{"type":"end"} before any audio: nothing to flush, the id is given up and the socket closes 1000', async () => {
  const { client, served } = await open();
  client.ws.send(JSON.stringify({ type: 'end' }));
  await roundTrip(client);
  assert.is(served.abandoned, true);
  served.settle({ state: 'abandoned' });
  assert.equal(await client.closed, [1000, 'end']);
});

test.run();
