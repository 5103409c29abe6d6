import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, MAX_PAYLOAD_BYTES, type EmostreamServer } from '../../src/server/index.ts';
import { EmostreamError } from '../../src/errors.ts';
import { tempDir, testAudio16k, writeTestModel } from '../pipeline/helpers.ts';
import { connectClient, sendFrames } from './helpers.ts';

const test = suite('server (protocol abuse)');
const dir = tempDir('abuse');
const TOKEN = 'sekret-token-123';
let model: EmotionModel;
let server: EmostreamServer;
let ws = '';
const audio = testAudio16k(3.2, 5);

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 2));
  server = await startServer({ model, port: 0, ingest: true, token: TOKEN, maxQueuedMessages: 4, maxBufferedBytes: 1024 });
  ws = server.url.replace('http', 'ws');
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

const auth = `token=${TOKEN}`;

test('wrong or missing token: error `unauthorized`, close 1008; HTTP 401 on /metrics; /health stays open', async () => {
  for (const url of [`${ws}/results`, `${ws}/results?token=nope`, `${ws}/ingest?stream=x&token=wrong`]) {
    const c = await connectClient(url);
    const [code] = await c.closed;
    assert.is(code, 1008);
    assert.equal(c.messages.map((m) => m.code), ['unauthorized']);
  }
  const header = await connectClient(`${ws}/results`, { authorization: `Bearer ${TOKEN}` });
  assert.is((await header.waitFor((m) => m.type === 'hello')).type, 'hello');
  header.ws.close();
  assert.is((await fetch(`${server.url}/metrics`)).status, 401);
  assert.is((await fetch(`${server.url}/metrics?${auth}`)).status, 200);
  const health = await (await fetch(`${server.url}/health`)).json() as Record<string, unknown>;
  assert.is(health.status, 'ok');
  assert.is(health.stream_ids, undefined, 'no stream names without the token');
});

test('odd byte count → `invalid_frame`, close 1007, stream error event; other streams unaffected', async () => {
  const watcher = await connectClient(`${ws}/results?${auth}`);
  const good = await connectClient(`${ws}/ingest?stream=good&${auth}`);
  const bad = await connectClient(`${ws}/ingest?stream=bad&${auth}`);
  await bad.waitFor((m) => m.type === 'ready');
  bad.ws.send(audio.s16le.subarray(0, 3200));
  bad.ws.send(audio.s16le.subarray(0, 3201));
  const [code, reason] = await bad.closed;
  assert.is(code, 1007);
  assert.is(reason, 'invalid_frame');
  assert.is(bad.messages.find((m) => m.type === 'error')?.code, 'invalid_frame');
  const event = await watcher.waitFor((m) => m.type === 'error' && m.stream === 'bad');
  assert.is(event.code, 'invalid_frame');
  sendFrames(good.ws, audio.s16le, 3200);
  good.ws.send(JSON.stringify({ type: 'end' }));
  await watcher.waitFor((m) => m.type === 'stream' && m.stream === 'good' && m.state === 'ended');
  assert.is(watcher.messages.filter((m) => m.type === 'av' && m.stream === 'good').length, 2);
  watcher.ws.close();
});

test('oversize messages → `message_too_large`, close 1009 (also beyond the hard ws limit)', async () => {
  for (const size of [MAX_PAYLOAD_BYTES + 2, 8 * MAX_PAYLOAD_BYTES]) {
    const c = await connectClient(`${ws}/ingest?stream=big&${auth}`);
    await c.waitFor((m) => m.type === 'ready');
    c.ws.send(new Uint8Array(size));
    const [code] = await c.closed;
    assert.is(code, 1009);
    if (size === MAX_PAYLOAD_BYTES + 2) assert.is(c.messages.find((m) => m.type === 'error')?.code, 'message_too_large');
  }
  const text = await connectClient(`${ws}/ingest?stream=bigtext&${auth}`);
  text.ws.send('x'.repeat(10000));
  assert.is((await text.closed)[0], 1009);
});

test('garbage JSON → `bad_message` (socket stays open); bad config → `bad_config`; busy id → `stream_busy`', async () => {
  const c = await connectClient(`${ws}/ingest?stream=cfg&${auth}`);
  c.ws.send('{not json');
  c.ws.send('[1,2]');
  c.ws.send(JSON.stringify({ type: 'dance' }));
  c.ws.send(JSON.stringify({ type: 'config', rate: 8000, format: 'f32le' }));
  const ready = await c.waitFor((m) => m.type === 'ready' && m.rate === 8000);
  assert.is(ready.format, 'f32le');
  assert.equal(c.messages.filter((m) => m.type === 'error').map((m) => m.code), ['bad_message', 'bad_message', 'bad_message']);
  c.ws.send(new Uint8Array(8));
  const busy = await connectClient(`${ws}/ingest?stream=cfg&${auth}`);
  assert.is((await busy.closed)[0], 1008);
  assert.is(busy.messages[0].code, 'stream_busy');
  c.ws.send(JSON.stringify({ type: 'config', rate: 16000 }));
  assert.is((await c.closed)[0], 1008);
  assert.is(c.messages.at(-1)?.code, 'bad_config');
  for (const q of ['rate=44', 'format=u8', 'stream=no%20spaces', 'rate=abc']) {
    const b = await connectClient(`${ws}/ingest?${q}&${auth}`);
    assert.is((await b.closed)[0], 1008, q);
    assert.is(b.messages[0].code, 'bad_config', q);
  }
});

test('a client vanishing mid-frame ends only its stream (flushed), the server goes on', async () => {
  const watcher = await connectClient(`${ws}/results?${auth}`);
  const c = await connectClient(`${ws}/ingest?stream=vanish&${auth}`);
  sendFrames(c.ws, audio.s16le, 3200);
  await watcher.waitFor((m) => m.type === 'av' && m.stream === 'vanish');
  // Half a WebSocket frame header + payload on a raw TCP connection, then gone.
  const sock = (c.ws as unknown as { _socket: import('node:net').Socket })._socket;
  sock.write(Buffer.from([0x82, 0xfe, 0x10, 0x00, 1, 2, 3, 4, 5, 6]));
  sock.destroy();
  await watcher.waitFor((m) => m.type === 'stream' && m.stream === 'vanish' && m.state === 'ended');
  const raw = connect(server.port, '127.0.0.1');
  raw.write(`GET /ingest?stream=raw&${auth} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x82`);
  await new Promise((r) => setTimeout(r, 50));
  raw.destroy();
  const health = await (await fetch(`${server.url}/health?${auth}`)).json() as Record<string, unknown>;
  assert.is(health.status, 'ok');
  watcher.ws.close();
});

test('a slow client gets drop-oldest with a drop counter and never delays a fast client', async () => {
  const fast = await connectClient(`${ws}/results?${auth}`);
  const slow = new WebSocket(`${ws}/results?${auth}`);
  await new Promise((r) => slow.once('open', r));
  const slowSocket = (slow as unknown as { _socket: import('node:net').Socket })._socket;
  slowSocket.pause(); // stops reading: the server's socket buffer fills up
  const c = await connectClient(`${ws}/ingest?stream=flood&${auth}`);
  const long = testAudio16k(40, 8).s16le;
  sendFrames(c.ws, long, 32000);
  c.ws.send(JSON.stringify({ type: 'end' }));
  await fast.waitFor((m) => m.type === 'stream' && m.stream === 'flood' && m.state === 'ended');
  const ts = fast.messages.filter((m) => m.type === 'av' && m.stream === 'flood').map((m) => m.t as number);
  assert.ok(ts.length >= 38, `fast client got ${ts.length} results`);
  assert.equal(ts, ts.map((_, k) => k + 2), 'the fast client got every second, in order');
  const received: string[] = [];
  slow.on('message', (d) => received.push(d.toString()));
  slowSocket.resume();
  const floodCount = fast.messages.filter((m) => m.stream === 'flood').length;
  // Every message is either delivered or counted in a `dropped` notice.
  for (let k = 0; k < 100; k++) {
    const msgs = received.map((t) => JSON.parse(t));
    const delivered = msgs.filter((m) => m.stream === 'flood').length;
    const dropped = msgs.filter((m) => m.type === 'dropped').reduce((n, m) => n + m.count, 0);
    if (delivered + dropped === floodCount) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const msgs = received.map((t) => JSON.parse(t));
  const delivered = msgs.filter((m) => m.stream === 'flood').length;
  const dropped = msgs.filter((m) => m.type === 'dropped').reduce((n, m) => n + m.count, 0);
  assert.is(delivered + dropped, floodCount);
  slow.close();
  fast.ws.close();
});

test('non-loopback host without a token is refused (EMO_ERR_USAGE)', async () => {
  try {
    await startServer({ model, host: '0.0.0.0', port: 0 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, EmostreamError);
    assert.is((e as EmostreamError).code, 'EMO_ERR_USAGE');
  }
});

test('1000 connect/disconnect cycles leave no handles and no heap growth (child process, --expose-gc)', () => {
  const script = join(dir.path, 'cycles.mts');
  const root = new URL('../..', import.meta.url).pathname;
  writeFileSync(script, `
import { WebSocket } from ${JSON.stringify(join(root, 'node_modules/ws/wrapper.mjs'))};
import { loadModel } from ${JSON.stringify(join(root, 'src/model/index.ts'))};
import { startServer } from ${JSON.stringify(join(root, 'src/server/index.ts'))};
const model = await loadModel(${JSON.stringify(join(dir.path, 'test-2.onnx'))});
const server = await startServer({ model, port: 0, ingest: true });
const url = server.url.replace('http', 'ws');
const pcm = new Uint8Array(3200);
async function cycle(k) {
  const path = k % 2 ? '/results?stream=s' + k : '/ingest?stream=c' + (k % 7);
  const ws = new WebSocket(url + path);
  await new Promise((resolve) => { ws.once('open', resolve); ws.once('error', resolve); });
  if (k % 2 === 0 && ws.readyState === 1) ws.send(pcm);
  if (k % 3 === 0) ws.terminate(); else ws.close();
  await new Promise((resolve) => ws.once('close', resolve));
}
const settle = async () => { for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 20)); global.gc(); } };
for (let k = 0; k < 100; k++) await cycle(k);
await settle();
const handles0 = process._getActiveHandles().length;
const heap0 = process.memoryUsage().heapUsed;
for (let k = 0; k < 1000; k++) await cycle(k);
await settle();
const handles1 = process._getActiveHandles().length;
const heap1 = process.memoryUsage().heapUsed;
console.log(JSON.stringify({ handles0, handles1, heap0, heap1, clients: server.metrics.resultsClients, ingest: server.metrics.ingestClients, streams: server.metrics.streamsActive }));
await server.close();
await model.release();
`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 120000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, r.stderr.slice(-800));
  const m = JSON.parse(line as string);
  assert.is(m.handles1, m.handles0, `handles ${m.handles0} → ${m.handles1}`);
  assert.ok(m.heap1 - m.heap0 < 2 * 1024 * 1024, `heap grew by ${((m.heap1 - m.heap0) / 1024).toFixed(0)} KiB`);
  assert.equal([m.clients, m.ingest, m.streams], [0, 0, 0]);
});

test.run();
