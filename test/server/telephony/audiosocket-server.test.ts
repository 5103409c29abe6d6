import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../../src/model/index.ts';
import type { EmotionModel } from '../../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../../src/server/index.ts';
import { createAudiosocketParser, formatUuid } from '../../../src/server/telephony/audiosocket-framing.ts';
import { tempDir, writeTestModel } from '../../pipeline/helpers.ts';
import { connectClient } from '../helpers.ts';
import { audiosocketClient, audiosocketFrame, referenceResults, testAudio8k } from './clients.ts';

const test = suite('server/telephony/audiosocket (an Asterisk AudioSocket client over TCP)');
const dir = tempDir('audiosocket');
let model: EmotionModel;
let server: EmostreamServer;
const audio = testAudio8k(5, 7);
const uuidBytes = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 8));
  server = await startServer({ model, port: 0, ingest: true, workers: 1, audiosocket: { port: 0 } });
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

test('framing: any split of the byte stream gives the same messages; UUIDs in canonical 8-4-4-4-12 form', () => {
  const bytes = Buffer.concat([audiosocketFrame(0x01, uuidBytes), audiosocketFrame(0x10, new Uint8Array(320)), audiosocketFrame(0x03, Uint8Array.of(0x35)), audiosocketFrame(0x00)]);
  for (const split of [1, 2, 3, 7, 100]) {
    const parser = createAudiosocketParser();
    const got = [];
    for (let at = 0; at < bytes.length; at += split) got.push(...parser.push(bytes.subarray(at, at + split)));
    assert.equal(got.map((m) => [m.type, m.payload.length]), [[1, 16], [0x10, 320], [3, 1], [0, 0]], `split ${split}`);
    assert.is(parser.pendingBytes, 0);
  }
  assert.is(formatUuid(uuidBytes), '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
});

test('a call: UUID, 20 ms slin frames, DTMF, hang-up → stream <uuid> with the pipeline\'s numbers at 8 kHz', async () => {
  const watcher = await connectClient(`${server.url.replace('http', 'ws')}/results`);
  const call = await audiosocketClient(server.audiosocketPort!);
  call.socket.write(audiosocketFrame(0x01, uuidBytes));
  for (let at = 0; at < audio.s16le.length; at += 320) {
    call.socket.write(audiosocketFrame(0x10, audio.s16le.subarray(at, at + 320)));
    if (at === 3200) call.socket.write(audiosocketFrame(0x03, Uint8Array.of(0x37)));
  }
  call.socket.write(audiosocketFrame(0x00));
  const id = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  await watcher.waitFor((m) => m.type === 'stream' && m.stream === id && m.state === 'ended', 'ended');
  const got = watcher.messages.filter((m) => m.type === 'av' && m.stream === id).map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence }));
  assert.equal(got, await referenceResults(model, audio.samples, 8000));
  assert.ok(watcher.messages.some((m) => m.type === 'stream' && m.stream === id && m.source === 'audiosocket'));
  await call.ended;
  watcher.ws.close();
});

test('a 16 kHz call (type 0x12) is resampled like any rate', async () => {
  const watcher = await connectClient(`${server.url.replace('http', 'ws')}/results`);
  const call = await audiosocketClient(server.audiosocketPort!);
  const uuid = Buffer.from('11111111222233334444555555555555', 'hex');
  call.socket.write(audiosocketFrame(0x01, uuid));
  const pcm = Buffer.alloc(640);
  for (let k = 0; k < 200; k++) {
    for (let i = 0; i < 320; i++) pcm.writeInt16LE(Math.round(6000 * Math.sin((k * 320 + i) / 7)), 2 * i);
    call.socket.write(audiosocketFrame(0x12, pcm));
  }
  call.socket.end(audiosocketFrame(0x00));
  await watcher.waitFor((m) => m.type === 'stream' && m.stream === formatUuid(uuid) && m.state === 'ended', 'ended');
  assert.ok(watcher.messages.filter((m) => m.type === 'av' && m.stream === formatUuid(uuid)).length >= 2);
  watcher.ws.close();
});

test('bad input: audio before the UUID, an odd slin payload → an AudioSocket error (0xff) then hang-up; other calls unaffected', async () => {
  const noUuid = await audiosocketClient(server.audiosocketPort!);
  noUuid.socket.write(audiosocketFrame(0x10, new Uint8Array(320)));
  await noUuid.ended;
  assert.equal([...noUuid.received()], [0xff, 0, 1, 0x01, 0, 0, 0], 'error bad_config (1), then hang-up');
  const odd = await audiosocketClient(server.audiosocketPort!);
  odd.socket.write(audiosocketFrame(0x01, Buffer.from('22222222333344445555666666666666', 'hex')));
  odd.socket.write(audiosocketFrame(0x10, new Uint8Array(321)));
  await odd.ended;
  assert.equal([...odd.received()], [0xff, 0, 1, 0x02, 0, 0, 0], 'error invalid_frame (2), then hang-up');
  const res = await fetch(`${server.url}/health`);
  assert.is(res.status, 200);
});

test('a non-loopback AudioSocket host is refused without the insecure switch (no credentials in the protocol)', async () => {
  try {
    await startServer({ model, port: 0, ingest: true, workers: 0, token: 's3cret-token', host: '127.0.0.1', audiosocket: { port: 0, host: '0.0.0.0' } });
    assert.unreachable('should refuse');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'EMO_ERR_USAGE');
  }
});

test.run();
