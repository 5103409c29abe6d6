import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../src/server/index.ts';
import { fileSource } from '../../src/audio/sources/index.ts';
import { tempDir, testAudio16k, writeTestModel, writeWav16k } from '../pipeline/helpers.ts';
import { connectClient, runCli, sendFrames, type Message } from './helpers.ts';

const test = suite('server/create-server (end to end)');
const dir = tempDir('server-e2e');
let modelPath: string;
const audio = testAudio16k(6.3, 3);
const wavPath = writeWav16k(dir.path, 'talk.wav', audio.samples);
let model: EmotionModel;
let server: EmostreamServer; // default: feature workers (one per CPU)
let inThread: EmostreamServer; // workers: 0

test.before(async () => {
  modelPath = await writeTestModel(dir.path, 11);
  model = await loadModel(modelPath);
  server = await startServer({ model, port: 0, ingest: true, workers: 2 });
  inThread = await startServer({ model, port: 0, ingest: true, workers: 0 });
});
test.after(async () => {
  await server.close();
  await inThread.close();
  await model.release();
  dir.cleanup();
});

const av = (messages: Message[], stream: string) => messages.filter((m) => m.type === 'av' && m.stream === stream);

let expected: Message[] = [];

test('`analyse` gives one result per second for the test audio', async () => {
  const cli = await runCli(['analyse', wavPath, '--model', modelPath, '--allow-test-model', '--format', 'jsonl']);
  assert.is(cli.code, 0, cli.stderr);
  assert.match(cli.stderr, /TEST-FIXTURE/);
  expected = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as Message);
  assert.is(expected.length, 5, 'windows end at 2, 3, 4, 5, 6 s');
  assert.equal(expected.map((m) => m.t), [2, 3, 4, 5, 6]);
});

for (const mode of ['feature workers', 'in-thread extraction (workers: 0)'] as const) {
  test(`${mode}: a file source and an ingest stream give, per second, exactly what \`analyse\` gives`, async () => {
    await sameAsAnalyse(mode === 'feature workers' ? server : inThread);
  });
}

async function sameAsAnalyse(server: EmostreamServer): Promise<void> {
  assert.is(expected.length, 5);
  const ws = server.url.replace('http', 'ws');
  const all = await connectClient(`${ws}/results`);
  const onlyLive = await connectClient(`${ws}/results?stream=live`);
  const hello = await all.waitFor((m) => m.type === 'hello');
  assert.is(hello.model, 'speech@test-11');
  assert.is(hello.test_model, true);

  server.addSource(fileSource(wavPath, { streamId: 'file', chunkMs: 100 }));
  const ingest = await connectClient(`${ws}/ingest?stream=live&rate=16000&format=s16le`);
  const ready = await ingest.waitFor((m) => m.type === 'ready');
  assert.equal([ready.stream, ready.rate, ready.format], ['live', 16000, 's16le']);
  sendFrames(ingest.ws, audio.s16le, 3200); // 100 ms frames
  ingest.ws.send(JSON.stringify({ type: 'end' }));

  await all.waitFor((m) => m.type === 'stream' && m.stream === 'file' && m.state === 'ended', 'file end');
  await all.waitFor((m) => m.type === 'stream' && m.stream === 'live' && m.state === 'ended', 'live end');
  await onlyLive.waitFor((m) => m.type === 'stream' && m.state === 'ended', 'live end (filtered client)');
  assert.equal(await ingest.closed, [1000, 'end'], 'after {"type":"end"} the server closes the ingest socket once the last result is out');

  for (const stream of ['file', 'live']) {
    const got = av(all.messages, stream);
    assert.is(got.length, expected.length, stream);
    got.forEach((m, k) => {
      assert.is(m.t, expected[k].t);
      assert.is(m.arousal, expected[k].arousal, `${stream} arousal at t=${m.t}`);
      assert.is(m.valence, expected[k].valence, `${stream} valence at t=${m.t}`);
      assert.is(m.model, 'speech@test-11');
      assert.ok(typeof m.latency_ms === 'number' && m.latency_ms >= 0);
    });
  }
  assert.ok(onlyLive.messages.every((m) => m.type === 'hello' || m.stream === 'live'), 'filtered client sees only its stream');
  assert.is(av(onlyLive.messages, 'live').length, expected.length);
  const kinds = all.messages.filter((m) => m.type === 'stream' && m.state === 'started').map((m) => `${m.stream}:${m.source}`).sort();
  assert.equal(kinds, ['file:file', 'live:ingest']);
  all.ws.close();
  onlyLive.ws.close();
  ingest.ws.close();
}

test('/health and /metrics report streams, messages and the latency histogram', async () => {
  const health = await (await fetch(`${server.url}/health`)).json() as Record<string, unknown>;
  assert.is(health.status, 'ok');
  assert.is(health.model, 'speech@test-11');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^emostream_streams_started_total 2$/m);
  assert.match(metrics, /^emostream_results_total 10$/m);
  assert.match(metrics, /^emostream_latency_ms_count 10$/m);
  assert.match(metrics, /^emostream_latency_ms_bucket\{le="\+Inf"\} 10$/m);
  assert.match(metrics, /^emostream_messages_dropped_total 0$/m);
  assert.is((await fetch(`${server.url}/nope`)).status, 404);
});

test('a stream that fails (missing file) ends with an error event and the others go on', async () => {
  const ws = server.url.replace('http', 'ws');
  const all = await connectClient(`${ws}/results`);
  server.addSource(fileSource(`${dir.path}/missing.wav`, { streamId: 'broken' }));
  server.addSource(fileSource(wavPath, { streamId: 'fine' }));
  const err = await all.waitFor((m) => m.type === 'error' && m.stream === 'broken');
  assert.is(err.code, 'input_not_found');
  await all.waitFor((m) => m.type === 'stream' && m.stream === 'fine' && m.state === 'ended');
  assert.is(av(all.messages, 'fine').length, 5);
  all.ws.close();
});

test('a feature-worker crash ends only the streams of that worker (error `internal`); the server keeps serving', async () => {
  const ws = server.url.replace('http', 'ws');
  const all = await connectClient(`${ws}/results`);
  const a = await connectClient(`${ws}/ingest?stream=on-w0&rate=16000&format=s16le`);
  sendFrames(a.ws, audio.s16le.subarray(0, 3 * 32000), 3200); // 3 s: first result at t = 2
  await all.waitFor((m) => m.type === 'av' && m.stream === 'on-w0', 'first result of on-w0');
  const b = await connectClient(`${ws}/ingest?stream=on-w1&rate=16000&format=s16le`);
  sendFrames(b.ws, audio.s16le.subarray(0, 3 * 32000), 3200);
  await all.waitFor((m) => m.type === 'av' && m.stream === 'on-w1', 'first result of on-w1');
  assert.equal((await server.featurePool!.stats()).streamsPerWorker, [1, 1]);

  server.featurePool!.crashWorkerForTest(0, 'injected fault');
  const err = await all.waitFor((m) => m.type === 'error' && m.stream === 'on-w0', 'error of on-w0');
  assert.is(err.code, 'internal');
  assert.match(String(err.message), /feature worker 0 crashed \(injected fault\)/);
  sendFrames(b.ws, audio.s16le.subarray(3 * 32000), 3200);
  b.ws.send(JSON.stringify({ type: 'end' }));
  await all.waitFor((m) => m.type === 'stream' && m.stream === 'on-w1' && m.state === 'ended', 'end of on-w1');
  assert.equal(av(all.messages, 'on-w1').map((m) => m.t), [2, 3, 4, 5, 6]);
  assert.is(all.messages.some((m) => m.type === 'error' && m.stream === 'on-w1'), false);
  const health = await (await fetch(`${server.url}/health`)).json() as Record<string, unknown>;
  assert.is(health.status, 'ok');
  assert.is((await server.featurePool!.stats()).replaced, 1);
  for (const c of [all, a, b]) c.ws.close();
});

test.run();
