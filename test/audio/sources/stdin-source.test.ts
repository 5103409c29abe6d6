import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { lastValueFrom, toArray } from 'rxjs';
import { readableSource } from '../../../src/audio/sources/stdin-source.ts';
import { createPushSource } from '../../../src/audio/sources/push-source.ts';
import { EmostreamError } from '../../../src/errors.ts';

const test = suite('audio/sources/stdin-source');

function s16(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, k) => b.writeInt16LE(v, 2 * k));
  return b;
}

test('raw s16le from a readable, split at odd byte offsets, arrives whole and in order', async () => {
  const values = Array.from({ length: 101 }, (_, k) => (k * 397) % 65536 - 32768);
  const bytes = s16(values);
  const input = new PassThrough();
  const source = readableSource({ format: 's16le', sampleRateHz: 22050, streamId: 'in' }, input);
  const done = lastValueFrom(source.chunks.pipe(toArray()));
  for (const [a, b] of [[0, 3], [3, 4], [4, 101], [101, 202]]) input.write(bytes.subarray(a, b));
  input.end();
  const chunks = await done;
  assert.ok(chunks.every((c) => c.sampleRateHz === 22050 && c.streamId === 'in'));
  const got = chunks.flatMap((c) => Array.from(c.samples));
  assert.equal(got, values.map((v) => Math.fround(v / 32767)));
});

test('f32le push source: chunks per push, end completes, fail errors, bad format is rejected up front', async () => {
  const source = createPushSource('p', { format: 'f32le', sampleRateHz: 16000 });
  const done = lastValueFrom(source.chunks.pipe(toArray()));
  const data = Float32Array.of(0.5, -0.25, 1);
  source.push(new Uint8Array(data.buffer, 0, 6));
  source.push(new Uint8Array(data.buffer, 6, 6));
  source.end();
  const chunks = await done;
  assert.equal(chunks.flatMap((c) => Array.from(c.samples)), [0.5, -0.25, 1]);
  assert.is(source.samplesIn, 3);
  const failing = createPushSource('q', { format: 's16le', sampleRateHz: 16000 });
  const err = lastValueFrom(failing.chunks).catch((e: unknown) => e);
  failing.fail(new Error('gone'));
  assert.is(((await err) as Error).message, 'gone');
  for (const bad of [{ format: 'u8', sampleRateHz: 16000 }, { format: 's16le', sampleRateHz: 100 }, { format: 's16le', sampleRateHz: 16000.5 }]) {
    try {
      createPushSource('r', bad as never);
      assert.unreachable();
    } catch (e) {
      assert.is((e as EmostreamError).code, 'EMO_ERR_BAD_CONFIG');
    }
  }
});

test.run();
