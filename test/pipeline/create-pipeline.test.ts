import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { from, lastValueFrom, of, toArray, Subject } from 'rxjs';
import { createPipeline, createFeaturePool } from '../../src/pipeline/index.ts';
import type { PipelineEvent } from '../../src/pipeline/types.ts';
import { fileSource, createPushSource } from '../../src/audio/sources/index.ts';
import { resample } from '../../src/audio/resample.ts';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { tempDir, testAudio16k, writeTestModel, writeWav16k } from './helpers.ts';
import { encodeWav } from '../../src/audio/wav.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamSource } from '../../src/audio/sources/types.ts';

const test = suite('pipeline/create-pipeline');
const dir = tempDir('pipeline');
const audio = testAudio16k(5.5, 2);
const wav = writeWav16k(dir.path, 'a.wav', audio.samples);
let model: EmotionModel;

test.before(async () => { model = await loadModel(await writeTestModel(dir.path, 5)); });
test.after(async () => { await model.release(); dir.cleanup(); });

const run = (sources: StreamSource[]) => lastValueFrom(createPipeline(from(sources), { model }).pipe(toArray()));
const avOf = (events: PipelineEvent[], id: string) => events.filter((e) => e.type === 'av' && e.streamId === id)
  .map((e) => (e.type === 'av' ? [e.t, e.arousal, e.valence] : []));

test('chunk size never changes a result (37 ms vs 1 s chunks), and per stream the order is started, results, ended', async () => {
  const small = await run([fileSource(wav, { streamId: 'x', chunkMs: 37 })]);
  const big = await run([fileSource(wav, { streamId: 'x', chunkMs: 1000 })]);
  assert.equal(avOf(small, 'x'), avOf(big, 'x'));
  assert.equal(avOf(small, 'x').map((r) => r[0]), [2, 3, 4, 5]);
  assert.equal(small.map((e) => e.type), ['stream', 'av', 'av', 'av', 'av', 'stream']);
  assert.equal(small[0].type === 'stream' && small[0].state, 'started');
  assert.equal(small[5].type === 'stream' && small[5].state, 'ended');
});

test('streams run together (batched) give the same values as each stream alone', async () => {
  const other = writeWav16k(dir.path, 'b.wav', testAudio16k(4.2, 9).samples);
  const together = await run([fileSource(wav, { streamId: 'a' }), fileSource(other, { streamId: 'b' })]);
  const aloneA = await run([fileSource(wav, { streamId: 'a' })]);
  const aloneB = await run([fileSource(other, { streamId: 'b' })]);
  assert.equal(avOf(together, 'a'), avOf(aloneA, 'a'));
  assert.equal(avOf(together, 'b'), avOf(aloneB, 'b'));
  assert.is.not(avOf(together, 'a')[0][1], avOf(together, 'b')[0][1], 'different audio, different results');
  assert.is(model.has('a') || model.has('b'), false, 'ended streams drop their LSTM state');
});

test('a 44.1 kHz file is resampled in the pipeline exactly as the one-shot resampler does', async () => {
  const at44 = await resample(audio.samples, 16000, 44100);
  const path = join(dir.path, 'a44.wav');
  writeFileSync(path, encodeWav([at44], 44100, 'f32'));
  const back = await resample(at44, 44100, 16000);
  const direct = createPushSource('d', { format: 'f32le', sampleRateHz: 16000 });
  const events$ = createPipeline(of<StreamSource[]>(fileSource(path, { streamId: 'r', chunkMs: 50 }), direct), { model }).pipe(toArray());
  const done = lastValueFrom(events$);
  direct.push(new Uint8Array(back.buffer, back.byteOffset, back.byteLength));
  direct.end();
  const events = await done;
  const r = avOf(events, 'r');
  assert.is(r.length, 4);
  assert.equal(r.map((x) => x.slice(1)), avOf(events, 'd').map((x) => x.slice(1)));
});

test('an error in one stream ends that stream with an error event; the other completes', async () => {
  const bad = createPushSource('bad', { format: 's16le', sampleRateHz: 16000 });
  const events$ = createPipeline(of<StreamSource[]>(bad, fileSource(wav, { streamId: 'good' })), { model }).pipe(toArray());
  const done = lastValueFrom(events$);
  bad.push(audio.s16le.subarray(0, 32000));
  bad.fail(Object.assign(new Error('socket reset'), { protocolCode: 'invalid_frame' }));
  const events = await done;
  const err = events.find((e) => e.type === 'error');
  assert.ok(err && err.type === 'error');
  assert.is(err.streamId, 'bad');
  assert.is(err.code, 'invalid_frame');
  assert.is(avOf(events, 'good').length, 4);
  assert.ok(events.some((e) => e.type === 'stream' && e.streamId === 'good' && e.state === 'ended'));
});

test('with a feature-worker pool, results and event order are exactly those of the in-thread pipeline', async () => {
  const pool = createFeaturePool({ workers: 2 });
  try {
    const at44 = await resample(audio.samples, 16000, 44100);
    const path = join(dir.path, 'w44.wav');
    writeFileSync(path, encodeWav([at44], 44100, 'f32'));
    const live = (id: string) => {
      const src = createPushSource(id, { format: 's16le', sampleRateHz: 16000 });
      return { src, feed: () => { for (let at = 0; at < audio.s16le.length; at += 3200) src.push(audio.s16le.subarray(at, at + 3200)); src.end(); } };
    };
    const runWith = async (featurePool?: typeof pool) => {
      const push = live('p');
      const done = lastValueFrom(createPipeline(of<StreamSource[]>(fileSource(wav, { streamId: 'x', chunkMs: 37 }), fileSource(path, { streamId: 'r' }), push.src),
        { model, featurePool, lagAfterS: 60 }).pipe(toArray()));
      push.feed();
      return done;
    };
    const inThread = await runWith();
    const inWorkers = await runWith(pool);
    for (const id of ['x', 'r', 'p']) {
      assert.equal(avOf(inWorkers, id), avOf(inThread, id), id);
      assert.equal(inWorkers.filter((e) => e.streamId === id).map((e) => e.type), ['stream', 'av', 'av', 'av', 'av', 'stream'], id);
    }
    assert.equal((await pool.stats()).workers.map((w) => w.streams), [0, 0], 'ended streams freed their worker state');
  } finally {
    await pool.release();
  }
});

test('unsubscribing early stops every stage: no further events, sources closed', async () => {
  const src = createPushSource('live', { format: 's16le', sampleRateHz: 16000 });
  const sources = new Subject<StreamSource>();
  const seen: PipelineEvent[] = [];
  const sub = createPipeline(sources, { model }).subscribe((e) => seen.push(e));
  sources.next(src);
  src.push(audio.s16le.subarray(0, 16000 * 2 * 3)); // 3 s: one result
  for (let waited = 0; !seen.some((e) => e.type === 'av') && waited < 20000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  assert.ok(seen.some((e) => e.type === 'av'), 'results arrived before the unsubscribe');
  sub.unsubscribe();
  const count = seen.length;
  assert.is(sources.observed, false, 'sources$ unsubscribed');
  src.push(audio.s16le.subarray(16000 * 2 * 3)); // 2.5 s more: two results' worth
  src.end();
  for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r)); // a batching turn would run here
  assert.is(seen.length, count);
});

test.run();
