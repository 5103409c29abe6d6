import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../src/server/index.ts';
import { RESULTS_STREAM, STREAMS_BUCKET, INSTANCES_BUCKET, avSubject } from '../../src/cluster/names.ts';
import { tempDir, testUnless, writeTestModel } from '../pipeline/helpers.ts';
import { connectClient } from '../server/helpers.ts';
import { TwilioClient, testAudio8k } from '../server/telephony/clients.ts';
import { freePort, natsSkipReason, startNatsServer, type NatsServer } from './nats-server.ts';

const test = suite('cluster/results on NATS JetStream (a real nats-server 2.9)');
const withNats = testUnless(test, natsSkipReason());
const dir = tempDir('nats');
let nats: NatsServer;
let model: EmotionModel;
let server: EmostreamServer;
const audio = testAudio8k(6, 21);

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
};
const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 15000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

withNats('setup: nats-server with JetStream, a server publishing to it', async () => {
  nats = await startNatsServer();
  model = await loadModel(await writeTestModel(dir.path, 11));
  server = await startServer({ model, port: 0, ingest: true, workers: 1, nats: { url: nats.url, instance: 'test-a' } });
  assert.ok(server.cluster);
});

withNats('every av and stream event is on JetStream with id <stream>:<t>; a consumer replays the call from its start; KV has the instance and the live stream', async () => {
  const nc = await connect({ servers: nats.url });
  const kvm = new Kvm(nc);
  const streams = await kvm.open(STREAMS_BUCKET);
  const instances = await kvm.open(INSTANCES_BUCKET);
  const watcher = await connectClient(`${server.url.replace('http', 'ws')}/results`);
  const call = await TwilioClient.connect(`${server.url.replace('http', 'ws')}/twilio`, 'CAnats1', { customParameters: { agent: 'ana' } });
  call.media('inbound', audio.mulaw.subarray(0, 8000 * 4));
  await watcher.waitFor((m) => m.type === 'av' && m.stream === 'CAnats1.inbound', 'first result');
  const entry = JSON.parse((await streams.get('CAnats1.inbound'))!.string());
  assert.is(entry.instance, 'test-a');
  assert.is(entry.kind, 'twilio');
  assert.is(entry.metadata.agent, 'ana');
  const hb = JSON.parse((await instances.get('test-a'))!.string());
  assert.is(hb.url, server.url);
  call.media('inbound', audio.mulaw.subarray(8000 * 4));
  call.stop();
  await call.socket.closed;
  const local = watcher.messages.filter((m) => m.type === 'av' && m.stream === 'CAnats1.inbound');
  await until('all published', () => server.cluster!.publisher.pending === 0);
  assert.is((await streams.get('CAnats1.inbound'))?.operation ?? 'DEL', 'DEL', 'the ended stream left the registry');

  const js = jetstream(nc);
  const consumer = await js.consumers.get(RESULTS_STREAM, { filter_subjects: avSubject('CAnats1.inbound'), deliver_policy: DeliverPolicy.All }); // one subject: nats-server 2.9 has no multi-subject filters
  const replay: Array<Record<string, unknown>> = [];
  const msgIds: string[] = [];
  const messages = await consumer.fetch({ max_messages: 100, expires: 2000 });
  for await (const m of messages) {
    replay.push(m.json());
    msgIds.push(m.headers?.get('Nats-Msg-Id') ?? '');
    if (replay.length === local.length) break;
  }
  assert.equal(replay.map((m) => m.t), local.map((m) => m.t), 'replayed from the start, every second once');
  assert.equal(replay.map((m) => m.arousal), local.map((m) => m.arousal), 'the same numbers as the WebSocket');
  assert.equal(msgIds, local.map((m) => `CAnats1.inbound:${m.t}`));
  const dup = await js.publish(avSubject('CAnats1.inbound'), JSON.stringify(replay[0]), { msgID: msgIds[0] });
  assert.ok(dup.duplicate, 'JetStream de-duplicates by message id');
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(RESULTS_STREAM);
  assert.is(info.config.max_age, 7 * 24 * 3600 * 1e9, 'documented retention: 7 days');
  assert.is(info.config.duplicate_window, 120 * 1e9);
  watcher.ws.close();
  await nc.close();
});

withNats('NATS lost while serving: local WebSocket results go on, the gap is counted in /metrics, publishing resumes after the restart', async () => {
  const watcher = await connectClient(`${server.url.replace('http', 'ws')}/results`);
  const call = await TwilioClient.connect(`${server.url.replace('http', 'ws')}/twilio`, 'CAnats2');
  const publishedBefore = await metric('emostream_nats_published_total');
  await nats.stop();
  await until('disconnect seen', async () => (await metric('emostream_nats_connected')) === 0);
  call.media('inbound', audio.mulaw.subarray(0, 8000 * 5));
  await watcher.waitFor((m) => m.type === 'av' && m.stream === 'CAnats2.inbound' && m.t === 4, 'results while NATS is down');
  assert.ok((await metric('emostream_nats_gap_total')) >= 3, 'the missed results are counted');
  await nats.restart();
  await until('reconnected', async () => (await metric('emostream_nats_connected')) === 1, 20000);
  call.media('inbound', audio.mulaw.subarray(8000 * 5));
  call.stop();
  await call.socket.closed;
  await until('published again', async () => (await metric('emostream_nats_published_total')) > publishedBefore + 1);
  watcher.ws.close();
});

withNats('NATS down at start: one clear error naming the URL', async () => {
  const port = await freePort();
  try {
    await startServer({ model, port: 0, ingest: true, workers: 0, nats: { url: `nats://127.0.0.1:${port}` } });
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'EMO_ERR_NETWORK');
    assert.match((err as Error).message, new RegExp(`cannot connect to NATS at nats://127.0.0.1:${port}`));
  }
});

withNats('teardown', async () => {
  await server.close();
  await model.release();
  await nats.dispose();
  dir.cleanup();
});

test.run();
