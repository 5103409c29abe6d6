import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPcmParser } from '../../src/audio/pcm.ts';
import { expectError, lcgBytes } from './helpers.ts';

const test = suite('audio/pcm');

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function s16Bytes(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  values.forEach((v, i) => new DataView(b.buffer).setInt16(i * 2, v, true));
  return b;
}

test('s16le: v / 32767, little endian', () => {
  const p = createPcmParser('s16le');
  const out = p.push(s16Bytes([32767, -32768, 0, 256, -1]));
  assert.equal(Array.from(out), [1, -32768 / 32767, 0, 256 / 32767, -1 / 32767].map(Math.fround));
  assert.is(p.pendingBytes, 0);
});

test('s16le: every split point of the stream gives the same samples', () => {
  const bytes = lcgBytes(41, 5); // odd length: last byte stays pending
  const whole = createPcmParser('s16le').push(bytes);
  assert.is(whole.length, 20);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const p = createPcmParser('s16le');
    const got = concat([p.push(bytes.subarray(0, cut)), p.push(bytes.subarray(cut))]);
    assert.equal(got, whole, `split at ${cut}`);
    assert.is(p.pendingBytes, 1);
  }
});

test('f32le: byte-at-a-time and random chunk sizes lose nothing', () => {
  const values = Float32Array.from({ length: 257 }, (_, i) => Math.sin(i * 0.1) * 0.8);
  const bytes = new Uint8Array(values.buffer.slice(0));
  const single = createPcmParser('f32le');
  const parts: Float32Array[] = [];
  for (let i = 0; i < bytes.length; i++) parts.push(single.push(bytes.subarray(i, i + 1)));
  assert.equal(concat(parts), values);
  const sizes = lcgBytes(200, 9);
  const p = createPcmParser('f32le');
  const chunks: Float32Array[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const n = (sizes[k % sizes.length]! % 13) + 1;
    chunks.push(p.push(bytes.subarray(at, at + n)));
    at += n;
  }
  assert.equal(concat(chunks), values);
  assert.is(p.pendingBytes, 0);
});

test('f32le: NaN/Inf become 0 and are counted, also across chunk borders', () => {
  const values = Float32Array.from([0.5, NaN, Infinity, -0.25, -Infinity]);
  const bytes = new Uint8Array(values.buffer);
  const p = createPcmParser('f32le');
  const out = concat([p.push(bytes.subarray(0, 6)), p.push(bytes.subarray(6, 15)), p.push(bytes.subarray(15))]);
  assert.equal(Array.from(out), [0.5, 0, 0, -0.25, 0]);
  assert.is(p.nonFiniteSamples, 3);
});

test('empty chunks are harmless; unknown format is EMO_ERR_BAD_CONFIG', async () => {
  const p = createPcmParser('s16le');
  assert.is(p.push(new Uint8Array(0)).length, 0);
  assert.is(p.push(Uint8Array.from([1])).length, 0);
  assert.is(p.push(new Uint8Array(0)).length, 0);
  assert.equal(Array.from(p.push(Uint8Array.from([0]))), [Math.fround(1 / 32767)]);
  await expectError(() => createPcmParser('u8' as never), 'EMO_ERR_BAD_CONFIG');
});

test.run();
