import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../src/server/index.ts';
import { tempDir, testUnless, writeTestModel } from '../pipeline/helpers.ts';
import { connectClient, sendFrames, type TestClient } from '../server/helpers.ts';
import { AudiohookClient, referenceResults, speechAudio8k, testAudio8k, TwilioClient } from '../server/telephony/clients.ts';
import { natsSkipReason, startNatsServer, type NatsServer } from './nats-server.ts';

const test = suite('cluster/state hand-off between two instances (drain, reconnect, resume)');
const withNats = testUnless(test, natsSkipReason());
const dir = tempDir('handoff');
let nats: NatsServer;
let modelPath: string;
const models: EmotionModel[] = [];
const servers: EmostreamServer[] = [];
let ext: { samples: Float32Array; mulaw: Uint8Array }; // speech (caller)
let int: { samples: Float32Array; mulaw: Uint8Array }; // tones and noise (agent), as long as ext

async function instance(name: string): Promise<{ server: EmostreamServer; watcher: TestClient; ws: string }> {
  const model = await loadModel(modelPath);
  models.push(model);
  const server = await startServer({ model, port: 0, ingest: true, workers: 1, nats: { url: nats.url, instance: name, snapshotIntervalS: 1 } });
  servers.push(server);
  const ws = server.url.replace('http', 'ws');
  return { server, watcher: await connectClient(`${ws}/results`), ws };
}
const avOf = (c: TestClient, id: string) => c.messages.filter((m) => m.type === 'av' && m.stream === id).map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence }));

withNats('setup', async () => {
  nats = await startNatsServer();
  modelPath = await writeTestModel(dir.path, 12);
  ext = await speechAudio8k();
  int = testAudio8k(ext.samples.length / 8000, 32);
});

withNats('AudioHook drain: reconnect → new session on B; the stream resumes there, t continues and every number equals an uninterrupted run', async () => {
  const a = await instance('inst-a');
  const b = await instance('inst-b');
  const conversationId = randomUUID();
  const first = await AudiohookClient.connect(`${a.ws}/audiohook`, 'unused');
  await first.open(conversationId);
  const cut = 8000 * 6.5; // 6.5 s on A, the rest on B
  first.audio([ext.mulaw.subarray(0, cut), int.mulaw.subarray(0, cut)]);
  await a.watcher.waitFor((m) => m.type === 'av' && m.stream === `${conversationId}.external` && (m.t as number) >= 6, 'A has t = 6');
  const drained = a.server.drain();
  const reconnect = await first.socket.waitFor((m) => m.type === 'reconnect', 'reconnect');
  assert.ok(reconnect);
  const second = await AudiohookClient.connect(`${b.ws}/audiohook`, 'unused');
  const opened = second.open(conversationId);
  await first.close('reconnect');
  assert.is((await opened).type, 'opened');
  second.audio([ext.mulaw.subarray(cut), int.mulaw.subarray(cut)]);
  await drained;
  await second.close('end');
  for (const [channel, audio] of [['external', ext], ['internal', int]] as const) {
    const id = `${conversationId}.${channel}`;
    await b.watcher.waitFor((m) => m.type === 'stream' && m.stream === id && m.state === 'ended', `${id} ended on B`);
    const onA = avOf(a.watcher, id);
    const onB = avOf(b.watcher, id);
    assert.ok(onA.length >= 4 && onB.length >= 4, `${id}: ${onA.length} seconds on A, ${onB.length} on B`);
    assert.is(onB[0].t, (onA[onA.length - 1].t as number) + 1, 't continues');
    assert.ok(b.watcher.messages.some((m) => m.type === 'stream' && m.stream === id && m.state === 'started' && m.resumed_from === onA[onA.length - 1].t));
    assert.ok(a.watcher.messages.some((m) => m.type === 'stream' && m.stream === id && m.state === 'ended' && m.handoff === true));
    const uninterrupted = await referenceResults(models[0], audio.samples, 8000);
    assert.equal(onA, uninterrupted.slice(0, onA.length), `${id}: A's seconds are those of an uninterrupted run (no flush at the drain)`);
    assert.equal([...onA, ...onB], uninterrupted, `${id}: A then B = one uninterrupted run, every second once, bit for bit`);
  }
});

withNats('Twilio drain: the socket closes with 1012, the call reconnects to B with the same callSid and goes on from the saved state', async () => {
  const a = await instance('inst-c');
  const b = await instance('inst-d');
  const first = await TwilioClient.connect(`${a.ws}/twilio`, 'CAhandoff');
  const cut = 8000 * 5.3;
  first.media('inbound', ext.mulaw.subarray(0, cut));
  await a.watcher.waitFor((m) => m.type === 'av' && m.stream === 'CAhandoff.inbound' && (m.t as number) >= 5, 'A has t = 5');
  const drained = a.server.drain();
  assert.equal(await first.socket.closed, [1012, 'drain']);
  const second = await TwilioClient.connect(`${b.ws}/twilio`, 'CAhandoff');
  second.media('inbound', ext.mulaw.subarray(cut));
  await drained;
  second.stop();
  await second.socket.closed;
  const onA = avOf(a.watcher, 'CAhandoff.inbound');
  const onB = avOf(b.watcher, 'CAhandoff.inbound');
  assert.equal([...onA, ...onB], await referenceResults(models[0], ext.samples, 8000), 'A then B = one uninterrupted run, bit for bit');
});

withNats('/ingest drain: the socket closes with 1012 (drain), the client reconnects to B with the same stream id and the stream goes on exactly', async () => {
  const a = await instance('inst-e');
  const b = await instance('inst-f');
  const pcm = new Uint8Array(2 * ext.samples.length);
  const view = new DataView(pcm.buffer);
  ext.samples.forEach((v, i) => view.setInt16(2 * i, Math.round(v * 32767), true));
  const samples = Float32Array.from(ext.samples, (v) => Math.round(v * 32767) / 32767); // what s16le carries
  const cut = 2 * Math.round(8000 * 4.7);
  const first = await connectClient(`${a.ws}/ingest?stream=ing-1&rate=8000&format=s16le`);
  sendFrames(first.ws, pcm.subarray(0, cut), 1600);
  await a.watcher.waitFor((m) => m.type === 'av' && m.stream === 'ing-1' && (m.t as number) >= 4, 'A has t = 4');
  const drained = a.server.drain();
  assert.equal(await first.closed, [1012, 'drain']);
  const second = await connectClient(`${b.ws}/ingest?stream=ing-1&rate=8000&format=s16le`);
  sendFrames(second.ws, pcm.subarray(cut), 1600);
  second.ws.send(JSON.stringify({ type: 'end' }));
  await drained;
  assert.equal(await second.closed, [1000, 'end']);
  const onA = avOf(a.watcher, 'ing-1');
  const onB = avOf(b.watcher, 'ing-1');
  assert.ok(onA.length >= 3 && onB.length >= 3, `${onA.length} seconds on A, ${onB.length} on B`);
  assert.equal([...onA, ...onB], await referenceResults(models[0], samples, 8000), 'A then B = one uninterrupted run, bit for bit');
});

withNats('teardown', async () => {
  for (const s of servers) await s.close();
  for (const m of models) await m.release();
  await nats.dispose();
  dir.cleanup();
});

test.run();
