import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../../src/model/index.ts';
import type { EmotionModel } from '../../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../../src/server/index.ts';
import { deinterleaveS16 } from '../../../src/server/telephony/fork-endpoint.ts';
import { tempDir, writeTestModel } from '../../pipeline/helpers.ts';
import { connectClient, sendFrames } from '../helpers.ts';
import { forkClient, interleaveS16, referenceResults, testAudio8k } from './clients.ts';

const test = suite('server/telephony/fork (jambonz listen / mod_audio_fork clients)');
const dir = tempDir('fork');
const TOKEN = 's3cret-token';
let model: EmotionModel;
let server: EmostreamServer;
let ws: string;
const caller = testAudio8k(5, 5);
const callee = testAudio8k(5, 6);
const basic = { Authorization: `Basic ${Buffer.from(`jambonz:${TOKEN}`).toString('base64')}` };

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 6));
  server = await startServer({ model, port: 0, ingest: true, token: TOKEN, workers: 1 });
  ws = server.url.replace('http', 'ws');
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

test('deinterleaveS16 splits stereo L16 into channels (s16 / 32767)', () => {
  const [l, r] = deinterleaveS16(Uint8Array.of(0xff, 0x7f, 0x01, 0x80, 0, 0, 0xff, 0xff), 2);
  assert.equal([...l], [1, 0]);
  assert.equal([...r].map((x) => Math.round(x * 32767)), [-32767, -1]);
});

test('jambonz stereo: caller (left) and callee (right) are <callSid>.caller / .callee, equal to the pipeline at 8 kHz', async () => {
  const watcher = await connectClient(`${ws}/results?token=${TOKEN}`);
  const callSid = '6c3f0a7e-0b5d-4f0b-9a8e-1c2d3e4f5a6b';
  const socket = await forkClient(`${ws}/fork`, { callSid, from: '+15551230000', to: '+15557770000', sampleRate: 8000, mixType: 'stereo' }, basic);
  assert.is(socket.ws.protocol, 'audio.jambonz.org');
  sendFrames(socket.ws, interleaveS16([caller.s16le, callee.s16le]), 640); // 20 ms stereo frames
  socket.ws.close(1000);
  for (const [name, audio] of [['caller', caller], ['callee', callee]] as const) {
    const id = `${callSid}.${name}`;
    await watcher.waitFor((m) => m.type === 'stream' && m.stream === id && m.state === 'ended', `${id} ended`);
    const got = watcher.messages.filter((m) => m.type === 'av' && m.stream === id).map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence }));
    assert.equal(got, await referenceResults(model, audio.samples, 8000), id);
    assert.ok(got.length >= 3);
  }
  watcher.ws.close();
});

test('mod_audio_fork mono with a uuid at 16 kHz (token in the query): one stream <uuid>.caller', async () => {
  const watcher = await connectClient(`${ws}/results?token=${TOKEN}`);
  const uuid = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
  const pcm16 = new Uint8Array(2 * 16000 * 4);
  const view = new DataView(pcm16.buffer);
  for (let i = 0; i < pcm16.length / 2; i++) view.setInt16(2 * i, Math.round(8000 * Math.sin(i / 9) * Math.sin(i / 2000)), true);
  const socket = await forkClient(`${ws}/fork?token=${TOKEN}`, { uuid, sampleRate: 16000, mixType: 'mono', agentId: 'x' });
  sendFrames(socket.ws, pcm16, 640);
  socket.ws.close(1000);
  await watcher.waitFor((m) => m.type === 'stream' && m.stream === `${uuid}.caller` && m.state === 'ended', 'ended');
  assert.ok(watcher.messages.filter((m) => m.type === 'av' && m.stream === `${uuid}.caller`).length >= 2);
  watcher.ws.close();
});

test('bad input: audio before the metadata, bad metadata (bad_config 1008), odd stereo frames (invalid_frame 1007), no token (1008)', async () => {
  const first = await forkClient(`${ws}/fork?token=${TOKEN}`, { callSid: 'c1', sampleRate: 8000, mixType: 'stereo' });
  first.ws.send(new Uint8Array(6)); // 1.5 stereo samples
  assert.is((await first.closed)[0], 1007);
  assert.is(first.messages[0].code, 'invalid_frame');
  for (const meta of [{ sampleRate: 8000 }, { callSid: 'c2', sampleRate: 4000 }, { callSid: 'c3', sampleRate: 8000, mixType: 'quad' }]) {
    const s = await forkClient(`${ws}/fork?token=${TOKEN}`, meta);
    assert.is((await s.closed)[0], 1008, JSON.stringify(meta));
    assert.is(s.messages[0].code, 'bad_config');
  }
  const noToken = await forkClient(`${ws}/fork`, { callSid: 'c4', sampleRate: 8000 });
  assert.is((await noToken.closed)[0], 1008);
  assert.is(noToken.messages[0].code, 'unauthorized');
});

test.run();
