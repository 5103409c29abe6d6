import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { loadModel } from '../../../src/model/index.ts';
import type { EmotionModel } from '../../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../../src/server/index.ts';
import { chooseMedia } from '../../../src/server/telephony/audiohook-endpoint.ts';
import { verifyAudiohookSignature } from '../../../src/server/telephony/audiohook-signature.ts';
import { tempDir, writeTestModel } from '../../pipeline/helpers.ts';
import { connectClient } from '../helpers.ts';
import { AudiohookClient, audiohookHeaders, referenceResults, testAudio8k } from './clients.ts';

const test = suite('server/telephony/audiohook (a Genesys AudioHook client)');
const dir = tempDir('audiohook');
const API_KEY = 'ah-api-key-0123';
const SECRET = Buffer.from('TXlTdXBlclNlY3JldEtleVRlbGxOby0xMjM0NTY3ODkw', 'base64');
let model: EmotionModel;
let server: EmostreamServer;
let ws: string;
const external = testAudio8k(5, 9);
const internal = testAudio8k(5, 10);

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 9));
  server = await startServer({ model, port: 0, ingest: true, workers: 1, token: 'results-token', audiohook: { apiKey: API_KEY, clientSecret: SECRET } });
  ws = server.url.replace('http', 'ws');
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

test('media choice: PCMU 8 kHz, both channels preferred', () => {
  assert.equal(chooseMedia([{ type: 'audio', format: 'L16', channels: ['external'], rate: 8000 }, { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 }])?.channels, ['external', 'internal']);
  assert.equal(chooseMedia([{ type: 'audio', format: 'PCMU', channels: ['internal'], rate: 8000 }])?.channels, ['internal']);
  assert.is(chooseMedia([{ type: 'audio', format: 'PCMU', channels: ['external'], rate: 16000 }]), undefined);
});

test('signature: a signed request verifies; a changed header, a wrong secret or an expired signature does not', () => {
  const url = 'ws://127.0.0.1:9000/audiohook';
  const headers = audiohookHeaders(url, API_KEY, SECRET, randomUUID());
  const req = (h: Record<string, string>) => ({ url: '/audiohook', headers: Object.fromEntries(Object.entries({ ...h, Host: '127.0.0.1:9000' }).map(([k, v]) => [k.toLowerCase(), v])) }) as unknown as IncomingMessage;
  assert.equal(verifyAudiohookSignature(req(headers), API_KEY, SECRET), { ok: true });
  assert.is(verifyAudiohookSignature(req({ ...headers, 'Audiohook-Session-Id': randomUUID() }), API_KEY, SECRET).ok, false);
  assert.is(verifyAudiohookSignature(req(headers), API_KEY, Buffer.from('other')).ok, false);
  assert.is(verifyAudiohookSignature(req(headers), API_KEY, SECRET, Date.now() / 1000 + 3600).ok, false);
  const unsigned = { ...headers };
  delete unsigned['Signature'];
  assert.is(verifyAudiohookSignature(req(unsigned), API_KEY, SECRET).ok, false);
});

test('a session: open → opened (PCMU, external+internal), ping → pong, stereo PCMU → two streams equal to the pipeline, close → closed', async () => {
  const watcher = await connectClient(`${ws}/results?token=results-token`);
  const client = await AudiohookClient.connect(`${ws}/audiohook`, API_KEY, SECRET);
  const conversationId = randomUUID();
  const opened = await client.open(conversationId);
  assert.is(opened.type, 'opened');
  assert.equal((opened.parameters as { media: unknown[] }).media, [{ type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 }]);
  assert.is(opened.clientseq, 1);
  client.send('ping', {});
  const pong = await client.socket.waitFor((m) => m.type === 'pong', 'pong');
  assert.is(pong.clientseq, 2);
  client.audio([external.mulaw, internal.mulaw]);
  const closed = await client.close('end');
  assert.is(closed.id, client.sessionId);
  for (const [channel, audio] of [['external', external], ['internal', internal]] as const) {
    const id = `${conversationId}.${channel}`;
    await watcher.waitFor((m) => m.type === 'stream' && m.stream === id && m.state === 'ended', `${id} ended`);
    const got = watcher.messages.filter((m) => m.type === 'av' && m.stream === id).map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence }));
    assert.equal(got, await referenceResults(model, audio.samples, 8000), id);
  }
  await client.socket.closed;
  watcher.ws.close();
});

test('credentials: a wrong API key or an unsigned request gets disconnect (unauthorized)', async () => {
  const wrongKey = await AudiohookClient.connect(`${ws}/audiohook`, 'not-the-key', SECRET);
  const a = await wrongKey.open(randomUUID());
  assert.is(a.type, 'disconnect');
  assert.is((a.parameters as { reason: string }).reason, 'unauthorized');
  const unsigned = await AudiohookClient.connect(`${ws}/audiohook`, API_KEY, undefined);
  const b = await unsigned.open(randomUUID());
  assert.is((b.parameters as { reason: string }).reason, 'unauthorized');
  assert.match(String((b.parameters as { info: string }).info), /signature/);
});

test('protocol errors get AudioHook\'s disconnect (reason error) with the stable code; a connection probe starts no stream', async () => {
  const badSeq = await AudiohookClient.connect(`${ws}/audiohook`, API_KEY, SECRET);
  await badSeq.open(randomUUID());
  badSeq.socket.ws.send(JSON.stringify({ version: '2', id: badSeq.sessionId, type: 'ping', seq: 7, serverseq: 1, position: 'PT0S', parameters: {} }));
  const d = await badSeq.socket.waitFor((m) => m.type === 'disconnect', 'disconnect');
  assert.equal((d.parameters as { reason: string }).reason, 'error');
  assert.match(String((d.parameters as { info: string }).info), /^bad_message: seq/);
  const early = await AudiohookClient.connect(`${ws}/audiohook`, API_KEY, SECRET);
  early.socket.ws.send(new Uint8Array(320));
  const e = await early.socket.waitFor((m) => m.type === 'disconnect', 'disconnect');
  assert.match(String((e.parameters as { info: string }).info), /^bad_config/);
  const probe = await AudiohookClient.connect(`${ws}/audiohook`, API_KEY, SECRET);
  const p = await probe.open('00000000-0000-0000-0000-000000000000');
  assert.is(p.type, 'opened');
  await probe.close('end');
  const health = await (await fetch(`${server.url}/health?token=results-token`)).json() as { stream_ids: string[] };
  assert.not.ok(health.stream_ids.some((s) => s.startsWith('00000000')), 'no stream for the probe');
});

test.run();
