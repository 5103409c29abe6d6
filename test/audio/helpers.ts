/** Shared helpers of the src/audio tests: error-code assertions and tiny signal/byte builders. */
import * as assert from 'uvu/assert';
import { EmostreamError, type EmostreamErrorCode } from '../../src/errors.ts';

/** Asserts that `fn` throws (or rejects with) an EmostreamError of `code`; returns it. */
export async function expectError(fn: () => unknown, code: EmostreamErrorCode): Promise<EmostreamError> {
  try {
    await fn();
  } catch (err) {
    assert.instance(err, EmostreamError, `expected EmostreamError, got ${String(err)}`);
    const e = err as EmostreamError;
    assert.is(e.code, code, `wrong code for: ${e.message}`);
    assert.not.match(e.message, /\n/, 'message must be one line');
    return e;
  }
  assert.unreachable(`expected ${code}, nothing was thrown`);
  throw new Error('unreachable');
}

/** amp · sin(2π f n / rate), n = 0 .. length-1. */
export function sine(length: number, freqHz: number, rateHz: number, amp = 0.5): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = amp * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  return x;
}

/** Deterministic bytes from a 32-bit LCG (seeded "random" input). */
export function lcgBytes(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

/** Amplitude of the DFT bin at exactly `freqHz` (single-bin Goertzel-style correlation). */
export function toneAmplitude(x: Float32Array, freqHz: number, rateHz: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    const ph = (2 * Math.PI * freqHz * i) / rateHz;
    re += x[i]! * Math.cos(ph);
    im += x[i]! * Math.sin(ph);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

/** Largest |a[i] - b[i]| over the common length. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Builds a RIFF/WAVE file from raw chunks: [id, body] pairs, padding odd bodies. */
export function riff(chunks: readonly (readonly [string, Uint8Array, number?])[]): Uint8Array {
  const parts: number[] = [];
  const ascii = (s: string) => { for (let i = 0; i < 4; i++) parts.push(s.charCodeAt(i)); };
  const u32 = (v: number) => { parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff); };
  ascii('RIFF');
  u32(0); // patched below
  ascii('WAVE');
  for (const [id, body, declared] of chunks) {
    ascii(id);
    u32(declared ?? body.length);
    parts.push(...body);
    if (body.length & 1) parts.push(0);
  }
  const out = Uint8Array.from(parts);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

/** A 16-byte PCM/float fmt chunk body. */
export function fmtBody(tag: number, channels: number, rateHz: number, bits: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  const align = (channels * bits) / 8;
  v.setUint16(0, tag, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rateHz, true);
  v.setUint32(8, rateHz * align, true);
  v.setUint16(12, align, true);
  v.setUint16(14, bits, true);
  return b;
}

/** Little-endian int16 bytes. */
export function int16Bytes(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setInt16(i * 2, x, true));
  return b;
}
