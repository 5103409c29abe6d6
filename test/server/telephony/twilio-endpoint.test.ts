import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../../src/model/index.ts';
import type { EmotionModel } from '../../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../../src/server/index.ts';
import { tempDir, writeTestModel } from '../../pipeline/helpers.ts';
import { connectClient } from '../helpers.ts';
import { openSocket, referenceResults, testAudio8k, TwilioClient } from './clients.ts';

const test = suite('server/telephony/twilio (a Twilio Media Streams client)');
const dir = tempDir('twilio');
const TOKEN = 's3cret-token';
let model: EmotionModel;
let server: EmostreamServer;
let ws: string;
const callSid = 'CA0123456789abcdef0123456789abcdef';
const inbound = testAudio8k(5, 3);
const outbound = testAudio8k(5, 4);

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 5));
  server = await startServer({ model, port: 0, ingest: true, token: TOKEN, workers: 1 });
  ws = server.url.replace('http', 'ws');
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

test('both tracks of a call are two streams <callSid>.<track>; their numbers equal the pipeline on the decoded μ-law; stop closes with 1000', async () => {
  const watcher = await connectClient(`${ws}/results?token=${TOKEN}`);
  const call = await TwilioClient.connect(`${ws}/twilio`, callSid, { tracks: ['inbound', 'outbound'], customParameters: { token: TOKEN, agent: 'a-17' } });
  call.media('inbound', inbound.mulaw);
  call.media('outbound', outbound.mulaw);
  call.stop();
  assert.equal(await call.socket.closed, [1000, 'stop']);
  for (const [track, audio] of [['inbound', inbound], ['outbound', outbound]] as const) {
    const id = `${callSid}.${track}`;
    await watcher.waitFor((m) => m.type === 'stream' && m.stream === id && m.state === 'ended', `${id} ended`);
    const got = watcher.messages.filter((m) => m.type === 'av' && m.stream === id).map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence }));
    const expected = await referenceResults(model, audio.samples, 8000);
    assert.ok(got.length >= 3, `${id}: ${got.length} results`);
    assert.equal(got, expected, `${id} equals the in-process pipeline at 8 kHz`);
    assert.ok(watcher.messages.some((m) => m.type === 'stream' && m.stream === id && m.state === 'started' && m.source === 'twilio'));
  }
  watcher.ws.close();
});

test('the token: refused without it (unauthorized, 1008) at start; accepted as Bearer header', async () => {
  const bad = await TwilioClient.connect(`${ws}/twilio`, 'CAbad0', { customParameters: { token: 'wrong-token' } });
  const [code] = await bad.socket.closed;
  assert.is(code, 1008);
  assert.is(bad.socket.messages.find((m) => m.type === 'error')?.code, 'unauthorized');
  const good = await TwilioClient.connect(`${ws}/twilio`, 'CAgood0', { headers: { Authorization: `Bearer ${TOKEN}` } });
  good.media('inbound', inbound.mulaw.subarray(0, 8000 * 3));
  good.stop();
  assert.equal(await good.socket.closed, [1000, 'stop']);
});

test('bad input: garbage is reported and ignored; bad base64 ends only that call (invalid_frame, 1007); media before start is bad_config', async () => {
  const watcher = await connectClient(`${ws}/results?token=${TOKEN}`);
  const healthy = await TwilioClient.connect(`${ws}/twilio`, 'CAhealthy', { customParameters: { token: TOKEN } });
  const broken = await TwilioClient.connect(`${ws}/twilio`, 'CAbroken', { customParameters: { token: TOKEN } });
  broken.socket.ws.send('not json {');
  await broken.socket.waitFor((m) => m.code === 'bad_message', 'bad_message');
  broken.media('inbound', inbound.mulaw.subarray(0, 8000));
  broken.send({ event: 'media', sequenceNumber: '99', media: { track: 'inbound', payload: '@@@notbase64' } });
  assert.is((await broken.socket.closed)[0], 1007);
  assert.ok(broken.socket.messages.some((m) => m.code === 'invalid_frame'));
  await watcher.waitFor((m) => m.type === 'error' && m.stream === 'CAbroken.inbound' && m.code === 'invalid_frame', 'stream error');
  healthy.media('inbound', inbound.mulaw);
  healthy.stop();
  assert.equal(await healthy.socket.closed, [1000, 'stop']);
  assert.ok(watcher.messages.filter((m) => m.type === 'av' && m.stream === 'CAhealthy.inbound').length >= 3, 'the other call went on');
  const early = await openSocket(`${ws}/twilio?token=${TOKEN}`);
  early.ws.send(JSON.stringify({ event: 'media', media: { track: 'inbound', payload: 'AAAA' } }));
  assert.is((await early.closed)[0], 1008);
  assert.is(early.messages[0].code, 'bad_config');
  const wrongFormat = await openSocket(`${ws}/twilio?token=${TOKEN}`);
  wrongFormat.ws.send(JSON.stringify({ event: 'start', start: { callSid: 'CAx', tracks: ['inbound'], mediaFormat: { encoding: 'audio/l16', sampleRate: 16000, channels: 1 } } }));
  assert.is((await wrongFormat.closed)[0], 1008);
  assert.match(String(wrongFormat.messages[0].message), /mediaFormat/);
  watcher.ws.close();
});

test('a busy id: the same callSid and track twice is stream_busy', async () => {
  const a = await TwilioClient.connect(`${ws}/twilio`, 'CAtwice', { customParameters: { token: TOKEN } });
  a.media('inbound', inbound.mulaw.subarray(0, 1600));
  const b = await TwilioClient.connect(`${ws}/twilio`, 'CAtwice', { customParameters: { token: TOKEN } });
  assert.is((await b.socket.closed)[0], 1008);
  assert.is(b.socket.messages[0].code, 'stream_busy');
  a.stop();
  await a.socket.closed;
});

test.run();
