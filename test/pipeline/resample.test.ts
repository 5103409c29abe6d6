import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Subject } from 'rxjs';
import { resampleTo } from '../../src/pipeline/resample.ts';
import { resample } from '../../src/audio/resample.ts';
import type { AudioChunk } from '../../src/audio/sources/types.ts';
import { testAudio16k } from './helpers.ts';

const test = suite('pipeline/resample');
const x = testAudio16k(1.3, 2).samples;

function run(chunks: AudioChunk[], rateHz: number): Promise<{ out: AudioChunk[]; error?: unknown }> {
  const input = new Subject<AudioChunk>();
  const out: AudioChunk[] = [];
  const done = new Promise<{ out: AudioChunk[]; error?: unknown }>((resolve) => input.pipe(resampleTo(rateHz)).subscribe({
    next: (c) => out.push(c), complete: () => resolve({ out }), error: (error) => resolve({ out, error }),
  }));
  for (const c of chunks) input.next(c);
  input.complete();
  return done;
}
const split = (samples: Float32Array, size: number, rate: number): AudioChunk[] => {
  const out: AudioChunk[] = [];
  for (let at = 0; at < samples.length; at += size) out.push({ streamId: 's', samples: samples.slice(at, at + size), sampleRateHz: rate, arrivedAtMs: at });
  return out;
};
const join = (chunks: AudioChunk[]) => {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.samples.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c.samples, at); at += c.samples.length; }
  return out;
};

test('16 kHz → 44.1 kHz in 333-sample chunks equals the one-shot resampler, tail flushed at completion', async () => {
  const { out } = await run(split(x, 333, 16000), 44100);
  assert.ok(out.every((c) => c.sampleRateHz === 44100 && c.streamId === 's'));
  assert.equal(Array.from(join(out)), Array.from(await resample(x, 16000, 44100)));
});

test('chunks already at the target rate pass through untouched (same arrays)', async () => {
  const chunks = split(x, 1600, 16000);
  const { out } = await run(chunks, 16000);
  assert.is(out.length, chunks.length);
  out.forEach((c, k) => assert.is(c, chunks[k]));
});

test('a rate change midway errors the stream (EMO_ERR_BAD_AUDIO)', async () => {
  const chunks = [...split(x.subarray(0, 1000), 500, 22050), ...split(x.subarray(0, 500), 500, 48000)];
  const { error } = await run(chunks, 16000);
  assert.is((error as { code: string }).code, 'EMO_ERR_BAD_AUDIO');
});

test.run();
