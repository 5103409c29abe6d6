import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Subject } from 'rxjs';
import { extractWindows } from '../../src/pipeline/extract.ts';
import type { PooledWindow } from '../../src/pipeline/types.ts';
import type { AudioChunk } from '../../src/audio/sources/types.ts';
import { extractLlds } from '../../src/features/extractor.ts';
import { poolRows } from '../../src/pool/pooler.ts';
import { testAudio16k } from './helpers.ts';

const test = suite('pipeline/extract');
// 5.05 s = exactly 500 frames: the window ending at 5 s needs the last row (4.99 s), whose smoothing/delta lookahead reaches past the
// end of the audio, so it can only come from the completion flush.
const audio = testAudio16k(5.05, 6).samples;
const chunk = (samples: Float32Array, at: number): AudioChunk => ({ streamId: 's', samples, sampleRateHz: 16000, arrivedAtMs: at });
/** Waits (up to 20 s: CI machines are loaded) until `done()` holds; the extractor starts asynchronously (WASM). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 20000; waited += 10) await new Promise((r) => setTimeout(r, 10));
}

function feed(subject: Subject<AudioChunk>, size: number): void {
  for (let at = 0; at < audio.length; at += size) subject.next(chunk(audio.slice(at, at + size), at));
}

test('timeline: windows w0..w2 while chunks arrive, the last (t = 5 s) only at completion (extractor.finish flush)', async () => {
  const input = new Subject<AudioChunk>();
  const out: PooledWindow[] = [];
  let completed = false;
  input.pipe(extractWindows()).subscribe({ next: (w) => out.push(w), complete: () => { completed = true; } });
  feed(input, 1600);
  await until(() => out.length >= 3);
  // Once the extractor exists, the waiting chunks are handled in one synchronous run: every chunk is in, and
  // nothing more may come out before completion.
  assert.equal(out.map((w) => w.endTimeS), [2, 3, 4]);
  assert.ok(out.every((w) => w.completedAtMs >= w.endTimeS * 16000), 'a window is completed by a chunk after its last sample (lookahead)');
  input.complete();
  await until(() => completed);
  assert.equal(out.map((w) => w.endTimeS), [2, 3, 4, 5]);
});

test('windows equal batch extraction + pooling of the whole signal', async () => {
  const input = new Subject<AudioChunk>();
  const out: PooledWindow[] = [];
  const done = new Promise<void>((resolve) => input.pipe(extractWindows()).subscribe({ next: (w) => out.push(w), complete: resolve }));
  feed(input, 777);
  input.complete();
  await done;
  const lld = await extractLlds(audio, { sampleRateHz: 16000 });
  const pooled = poolRows(lld.rows, lld.count);
  assert.is(out.length, pooled.count);
  out.forEach((w, k) => assert.equal(Array.from(w.features), Array.from(pooled.features.subarray(k * 260, (k + 1) * 260))));
});

test('an upstream error after the first window propagates; unsubscribing stops the windows', async () => {
  const input = new Subject<AudioChunk>();
  const out: PooledWindow[] = [];
  let error: unknown;
  const sub = input.pipe(extractWindows()).subscribe({ next: (w) => out.push(w), error: (e) => { error = e; } });
  input.next(chunk(audio.slice(0, 48000), 0)); // 3 s: window w0 once the extractor exists
  await until(() => out.length === 1);
  input.error(new Error('boom'));
  assert.is((error as Error).message, 'boom');
  sub.unsubscribe();
  const again = new Subject<AudioChunk>();
  const seen: PooledWindow[] = [];
  const sub2 = again.pipe(extractWindows()).subscribe((w) => seen.push(w));
  again.next(chunk(audio.slice(0, 48000), 0));
  await until(() => seen.length === 1);
  sub2.unsubscribe();
  again.next(chunk(audio.slice(48000), 1)); // two more windows' worth: none may come out
  assert.is(seen.length, 1);
  assert.is(again.observed, false, 'upstream unsubscribed');
});

test('a stream that changes its sample rate midway errors with EMO_ERR_BAD_AUDIO', async () => {
  const input = new Subject<AudioChunk>();
  const error = new Promise<unknown>((resolve) => input.pipe(extractWindows()).subscribe({ error: resolve }));
  input.next(chunk(audio.slice(0, 100), 0));
  input.next({ ...chunk(audio.slice(100, 200), 1), sampleRateHz: 44100 });
  const e = await error as { code: string; message: string };
  assert.is(e.code, 'EMO_ERR_BAD_AUDIO');
  assert.match(e.message, /changed its sample rate from 16000 to 44100/);
});

test.run();
