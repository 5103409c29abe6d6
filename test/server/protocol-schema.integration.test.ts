import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, PROTOCOL_VERSION, type EmostreamServer } from '../../src/server/index.ts';
import { withUncertainty, wrapperSd } from '../model/uncertain-model.ts';
import { tempDir, testAudio16k, writeTestModel } from '../pipeline/helpers.ts';
import { connectClient, runCli, sendFrames, type Message } from './helpers.ts';
import { writeWav16k } from '../pipeline/helpers.ts';

const test = suite('protocol schema (docs/protocol.schema.json) against real messages');
const schema = JSON.parse(readFileSync(new URL('../../docs/protocol.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
const check = (m: unknown) => assert.ok(validate(m), `${JSON.stringify(m)}: ${JSON.stringify(validate.errors)}`);
const dir = tempDir('schema');
let model: EmotionModel;
test.before(async () => { model = await loadModel(await writeTestModel(dir.path, 5)); });
test.after(async () => { await model.release(); dir.cleanup(); });

/** Every message of one ingest stream of 5 s, from both endpoints, on a server running `m`. */
async function session(m: EmotionModel): Promise<{ results: Message[]; ingest: Message[] }> {
  const server: EmostreamServer = await startServer({ model: m, port: 0, ingest: true, workers: 0 });
  try {
    const ws = server.url.replace('http', 'ws');
    const watcher = await connectClient(`${ws}/results`);
    const ingest = await connectClient(`${ws}/ingest?stream=sch`);
    ingest.ws.send(JSON.stringify({ type: 'config', rate: 16000, format: 's16le' }));
    sendFrames(ingest.ws, testAudio16k(5, 2).s16le, 3200);
    ingest.ws.send(JSON.stringify({ type: 'end' }));
    await watcher.waitFor((x) => x.type === 'stream' && x.state === 'ended');
    watcher.ws.close();
    return { results: watcher.messages, ingest: ingest.messages };
  } finally {
    await server.close();
  }
}

test(`protocol ${PROTOCOL_VERSION}: hello, ready, stream and av messages validate; av carries content and, with uncertainty, confidence and intervals`, async () => {
  const { results, ingest } = await session(withUncertainty(model));
  for (const m of [...results, ...ingest]) check(m);
  assert.is(results[0]!.protocol, 2);
  assert.ok(ingest.every((m) => m.type !== 'ready' || m.protocol === 2));
  const av = results.filter((m) => m.type === 'av') as Array<Message & Record<string, any>>;
  assert.ok(av.length >= 3, `${av.length} results`);
  for (const m of av) {
    assert.ok(['speech', 'music', 'silence', 'mixed'].includes(m.content), m.content);
    const ha = 1.6448536269514722 * wrapperSd(m.arousal), hv = 1.6448536269514722 * wrapperSd(m.valence);
    assert.ok(Math.abs(m.interval.arousal[0] - (m.arousal - ha)) < 1e-4 && Math.abs(m.interval.valence[1] - (m.valence + hv)) < 1e-4, JSON.stringify(m));
    assert.ok(Math.abs(m.confidence - Math.max(0, Math.min(1, 1 - (ha + hv) / 2))) < 1e-4, JSON.stringify(m));
  }
});

test('a model without uncertainty: confidence and interval are null (present, never made up); v1 fields unchanged for old clients', async () => {
  const { results } = await session(model);
  const av = results.filter((m) => m.type === 'av');
  for (const m of av) {
    check(m);
    assert.is(m.confidence, null);
    assert.is(m.interval, null);
    for (const k of ['type', 'stream', 't', 'arousal', 'valence', 'model', 'latency_ms']) assert.ok(k in m, `v1 field ${k}`);
    assert.is(typeof m.arousal, 'number');
  }
});

test('the schema rejects what it should: a confidence without its interval, an unknown content, a confidence above 1', () => {
  const base = { type: 'av', stream: 's', t: 2, arousal: 0, valence: 0, model: 'speech@1' };
  assert.ok(validate(base), 'a version-1 av message still validates');
  for (const bad of [{ ...base, confidence: 0.5 }, { ...base, content: 'noise', content_p: 0.5 }, { ...base, confidence: 1.5, interval: null }]) {
    assert.not.ok(validate(bad), JSON.stringify(bad));
  }
});

test('analyse --format jsonl lines validate too (shipped model, --model auto)', async () => {
  const wav = writeWav16k(dir.path, 'a.wav', testAudio16k(5, 3).samples);
  const r = await runCli(['analyse', wav, '--model', 'auto']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length >= 3);
  for (const m of lines) {
    check(m);
    assert.match(m.model, /^(speech|music)@/);
  }
});

test.run();
