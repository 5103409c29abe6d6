import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { from, lastValueFrom, Subject, toArray, type Observable } from 'rxjs';
import { extractWindowsInWorkers } from '../../src/pipeline/extract-in-workers.ts';
import { extractWindows } from '../../src/pipeline/extract.ts';
import { createFeaturePool, type FeaturePool } from '../../src/pipeline/feature-pool.ts';
import { streamErrorCode } from '../../src/pipeline/stream-lifecycle.ts';
import type { LagEvent, PooledWindow } from '../../src/pipeline/types.ts';
import type { AudioChunk } from '../../src/audio/sources/types.ts';
import { resample } from '../../src/audio/resample.ts';
import { EmostreamError } from '../../src/errors.ts';
import { testAudio16k } from './helpers.ts';

const test = suite('pipeline/extract-in-workers');
const audio = testAudio16k(5.05, 6).samples;
/** Whole files pushed at once are not "behind": no lag notices in the equality tests. */
const noLag = { lagAfterS: 60 };
let pool: FeaturePool;

test.before(() => { pool = createFeaturePool({ workers: 2 }); });
test.after(async () => { await pool.release(); });

/** `samples` cut into `size`-sample chunks of stream `id`, arrival stamped with the chunk's first sample index. */
function chunksOf(id: string, samples: Float32Array, size: number, rateHz = 16000): AudioChunk[] {
  const out: AudioChunk[] = [];
  for (let at = 0; at < samples.length; at += size) out.push({ streamId: id, samples: samples.slice(at, at + size), sampleRateHz: rateHz, arrivedAtMs: at });
  return out;
}
const collect = <T>(o: Observable<T>): Promise<T[]> => lastValueFrom(o.pipe(toArray()));
/** Waits (up to 20 s) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 20000; waited += 10) await new Promise((r) => setTimeout(r, 10));
}
type Out = PooledWindow | LagEvent;
interface Run { readonly out: Out[]; error?: unknown; completed: boolean }
function subscribeTo(input: Observable<AudioChunk>, options = {}): Run & { unsubscribe(): void } {
  const run: Run = { out: [], completed: false };
  const sub = input.pipe(extractWindowsInWorkers(pool, options)).subscribe({
    next: (x) => run.out.push(x), error: (e) => { run.error = e; }, complete: () => { run.completed = true; },
  });
  return Object.assign(run, { unsubscribe: () => sub.unsubscribe() });
}

test('windows equal the in-thread extractWindows exactly (16 kHz, 37 ms chunks), completed by the same chunk', async () => {
  const inThread = await collect(from(chunksOf('a', audio, 592)).pipe(extractWindows()));
  const inWorker = await collect(from(chunksOf('a', audio, 592)).pipe(extractWindowsInWorkers(pool, noLag)));
  assert.is(inWorker.length, 4);
  assert.equal(inWorker.map((w) => w.type === 'window' && [w.streamId, w.index, w.endTimeS, w.completedAtMs]),
    inThread.map((w) => [w.streamId, w.index, w.endTimeS, w.completedAtMs]));
  inWorker.forEach((w, k) => assert.equal(w.type === 'window' && [...w.features], [...inThread[k].features], `window ${k}`));
});

test('a long backlog (1585 tiny chunks pushed at once, sent 0.5 s per round) gives the same windows', async () => {
  // In-thread reference with 100 ms chunks (the extractor is chunk-size invariant; its start-up backlog holds ≤ 1000 chunks).
  const inThread = await collect(from(chunksOf('t', audio, 1600)).pipe(extractWindows()));
  const inWorker = await collect(from(chunksOf('t', audio, 51)).pipe(extractWindowsInWorkers(pool, noLag)));
  assert.is(chunksOf('t', audio, 51).length, 1585);
  assert.equal(inWorker.map((w) => w.type === 'window' && [...w.features]), inThread.map((w) => [...w.features]));
});

test('a 44.1 kHz stream is resampled in the worker exactly as extractWindows does in-thread', async () => {
  const at44 = await resample(audio, 16000, 44100);
  const inThread = await collect(from(chunksOf('r', at44, 4410, 44100)).pipe(extractWindows()));
  const inWorker = await collect(from(chunksOf('r', at44, 4410, 44100)).pipe(extractWindowsInWorkers(pool, noLag)));
  assert.ok(inThread.length >= 4);
  assert.equal(inWorker.map((w) => w.type === 'window' && [...w.features]), inThread.map((w) => [...w.features]));
});

test('streams go to the least-loaded worker and stay there; a stream changing its rate fails with bad_audio', async () => {
  const inputs = [new Subject<AudioChunk>(), new Subject<AudioChunk>(), new Subject<AudioChunk>()];
  const runs = inputs.map((input) => subscribeTo(input));
  inputs.forEach((input, k) => input.next(chunksOf(`s${k}`, audio, 1600)[0]));
  assert.equal((await pool.stats()).streamsPerWorker, [2, 1]);
  inputs[1].next({ ...chunksOf('s1', audio, 1600)[1], sampleRateHz: 22050 });
  assert.ok(runs[1].error instanceof EmostreamError && runs[1].error.code === 'EMO_ERR_BAD_AUDIO');
  assert.is(streamErrorCode(runs[1].error), 'bad_audio');
  assert.equal((await pool.stats()).streamsPerWorker, [2, 0]);
  for (const input of [inputs[0], inputs[2]]) input.complete();
  await until(() => runs[0].completed && runs[2].completed);
  assert.equal((await pool.stats()).streamsPerWorker, [0, 0]);
});

test('a stream falling behind raises one lag event; beyond maxQueuedS it fails with server_full', async () => {
  // Chunks pushed in one synchronous burst all wait on the main thread (the pool sends once per event-loop turn).
  const slow = new Subject<AudioChunk>();
  const run = subscribeTo(slow, { lagAfterS: 1, maxQueuedS: 3 });
  for (const c of chunksOf('slow', testAudio16k(4, 2).samples, 1600)) slow.next(c);
  const lags = run.out.filter((x) => x.type === 'lag');
  assert.is(lags.length, 1);
  assert.is(lags[0].type === 'lag' && lags[0].pendingWindows, 2, '1.1 s waiting when raised, rounded up');
  assert.ok(run.error instanceof EmostreamError);
  assert.is(streamErrorCode(run.error), 'server_full');
  assert.match((run.error as Error).message, /wait for feature extraction/);

  const behind = new Subject<AudioChunk>();
  const late = subscribeTo(behind, { lagAfterS: 1, maxQueuedS: 60 });
  for (const c of chunksOf('behind', audio, 1600)) behind.next(c);
  behind.complete();
  await until(() => late.completed);
  assert.equal(late.out.map((x) => x.type), ['lag', 'window', 'window', 'window', 'window'], 'lag reported, no second skipped');
});

test('a worker crash ends only the streams of that worker, with a clear error; the pool replaces the worker', async () => {
  const inputs = [0, 1, 2, 3].map(() => new Subject<AudioChunk>());
  const runs = inputs.map((input) => subscribeTo(input));
  const chunks = inputs.map((_, k) => chunksOf(`c${k}`, audio, 1600));
  inputs.forEach((input, k) => input.next(chunks[k][0])); // least-loaded: c0, c2 → worker 0; c1, c3 → worker 1
  assert.equal((await pool.stats()).streamsPerWorker, [2, 2]);
  for (let i = 1; i < 30; i++) inputs.forEach((input, k) => input.next(chunks[k][i]));
  await until(() => runs.every((r) => r.out.length >= 1));
  pool.crashWorkerForTest(0, 'boom (test)');
  await until(() => runs[0].error !== undefined && runs[2].error !== undefined);
  for (const k of [0, 2]) {
    const err = runs[k].error;
    assert.ok(err instanceof EmostreamError && err.code === 'EMO_ERR_INTERNAL');
    assert.match((err as Error).message, /feature worker 0 crashed \(boom \(test\)\)/);
    assert.is(streamErrorCode(err), 'internal');
  }
  for (let i = 30; i < chunks[1].length; i++) for (const k of [1, 3]) inputs[k].next(chunks[k][i]);
  for (const k of [1, 3]) inputs[k].complete();
  await until(() => runs[1].completed && runs[3].completed);
  assert.is(runs[1].out.length, 4, 'streams of the other worker finish normally');
  assert.is(runs[3].error, undefined);
  const stats = await pool.stats();
  assert.is(stats.replaced, 1);
  assert.equal(stats.streamsPerWorker, [0, 0]);
  assert.equal(stats.workers[0].created, 0, 'worker 0 is a fresh thread');
  const again = await collect(from(chunksOf('again', audio, 1600)).pipe(extractWindowsInWorkers(pool, noLag)));
  assert.is(again.length, 4, 'the replacement worker extracts');
});

test('open/close cycles free every worker state: 120 streams ended, unsubscribed or failed leave nothing behind', async () => {
  const before = await pool.stats();
  const short = audio.subarray(0, 8000);
  for (let cycle = 0; cycle < 40; cycle++) {
    const ended = new Subject<AudioChunk>();
    const dropped = new Subject<AudioChunk>();
    const failing = new Subject<AudioChunk>();
    const runs = [subscribeTo(ended), subscribeTo(dropped), subscribeTo(failing)];
    for (const c of chunksOf(`e${cycle}`, short, 1600)) ended.next(c);
    for (const c of chunksOf(`d${cycle}`, short, 1600)) dropped.next(c);
    failing.next(chunksOf(`f${cycle}`, short, 1600)[0]);
    await new Promise((r) => setImmediate(r)); // let the opens reach the workers
    ended.complete();
    runs[1].unsubscribe();
    failing.error(new Error('upstream failure'));
    await until(() => runs[0].completed);
  }
  const after = await pool.stats();
  assert.equal(after.streamsPerWorker, [0, 0]);
  const created = after.workers.reduce((a, w) => a + w.created, 0) - before.workers.reduce((a, w) => a + w.created, 0);
  assert.is(created, 120, 'every stream had worker state');
  after.workers.forEach((w, k) => {
    assert.is(w.streams, 0, `worker ${k} holds no stream`);
    assert.is(w.released, w.created, `worker ${k} freed every state it created`);
  });
});

test('pool options are validated', () => {
  assert.throws(() => createFeaturePool({ workers: 0 }), (e: unknown) => e instanceof EmostreamError && e.code === 'EMO_ERR_BAD_CONFIG');
  assert.throws(() => createFeaturePool({ workers: 1, maxInFlightS: 0 }), (e: unknown) => e instanceof EmostreamError && e.code === 'EMO_ERR_BAD_CONFIG');
  assert.throws(() => extractWindowsInWorkers(pool, { lagAfterS: 5, maxQueuedS: 2 }), (e: unknown) => e instanceof EmostreamError && e.code === 'EMO_ERR_BAD_CONFIG');
});

test.run();
