/** writeExp (bytes) against the toExponential-based reference formatExp, value by value: identical text. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXP_MAX_BYTES, writeExp } from '../../src/features/exp-format.ts';
import { formatExp } from '../../src/features/opensmile-csv.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('exp-format');

const bytes = new Uint8Array(64);
const view = new DataView(bytes.buffer);
const decoder = new TextDecoder();
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer); // [low, high] on a little-endian host
const single = new Float32Array(1);
const singleWord = new Uint32Array(single.buffer);

/** writeExp's text for x, written at an odd offset after a marker byte (unaligned stores must be fine). */
function written(x: number): string {
  bytes.fill(0x21);
  const end = writeExp(x, view, 3);
  assert.ok(end - 3 <= EXP_MAX_BYTES, `${x}: ${end - 3} bytes`);
  assert.is(bytes[2], 0x21, `${x}: wrote before pos`);
  assert.is(bytes[end], 0x21, `${x}: wrote past the returned position`);
  return decoder.decode(bytes.subarray(3, end));
}

/** Checks every value; reports the first few differences. */
function checkAll(label: string, values: Iterable<number>): void {
  const bad: string[] = [];
  let count = 0;
  for (const x of values) {
    count++;
    const got = written(x);
    const want = formatExp(x);
    if (got !== want && bad.length < 5) bad.push(`${x} (bits ${bitsOf(x)}): got ${got}, want ${want}`);
  }
  assert.ok(count > 0, label);
  assert.equal(bad, [], `${label}: ${bad.join('; ')}`);
}

function bitsOf(x: number): string {
  bits[0] = x;
  return words[1].toString(16).padStart(8, '0') + words[0].toString(16).padStart(8, '0');
}

function fromWords(high: number, low: number): number {
  words[1] = high >>> 0;
  words[0] = low >>> 0;
  return bits[0];
}

/** x and its neighbouring doubles (± up to `span` ulps). */
function* neighbours(x: number, span = 2): Generator<number> {
  bits[0] = x;
  const high = words[1], low = words[0];
  for (let d = -span; d <= span; d++) {
    const l = low + d;
    yield fromWords(high + Math.floor(l / 2 ** 32), l);
  }
}

test('fixed values: zeros, specials, extremes, exponent widths', () => {
  assert.is(written(439.6679), '4.396679e+02');
  assert.is(written(-5.185721e-6), '-5.185721e-06');
  assert.is(written(0), '0.000000e+00');
  assert.is(written(-0), '-0.000000e+00');
  assert.is(written(NaN), 'nan');
  assert.is(written(fromWords(0xfff80000, 0)), 'nan'); // a NaN with the sign bit set prints no sign either
  assert.is(written(Infinity), 'inf');
  assert.is(written(-Infinity), '-inf');
  assert.is(written(1e-100), '1.000000e-100');
  assert.is(written(1e100), '1.000000e+100');
  assert.is(written(5e-324), '4.940656e-324');
  assert.is(written(-Number.MAX_VALUE), '-1.797693e+308');
  assert.is(written(0.99999995), '9.999999e-01'); // the nearest double is just below the tie
  assert.is(written(0.999999950000001), '1.000000e+00'); // just above it: carries into the exponent
  assert.is(written(Math.fround(0.99999995)), '9.999999e-01'); // float32: 1 − 2⁻²⁴
  // Exact decimal ties round away from zero, as toExponential does (glibc's printf would round half to even).
  assert.is(written(1.0078125), '1.007813e+00');
  assert.is(written(-0.00048828125), '-4.882813e-04');
  checkAll('fixed', [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308,
    2.225073858507201e-308, Number.MAX_VALUE, Number.EPSILON, 1, -1, 0.1, 0.5, 1.5, 2.5, 9.5, 123456.5, 1e21, 1e22, 1e23]);
});

test('random doubles of every exponent (random bit patterns)', () => {
  const rnd = seededRandom(11);
  checkAll('doubles', (function* () {
    for (let i = 0; i < 300_000; i++) yield fromWords(rnd() * 2 ** 32, rnd() * 2 ** 32);
  })());
});

test('float32 values: random bit patterns, subnormals, and float32-rounded values of all magnitudes', () => {
  const rnd = seededRandom(12);
  checkAll('float32 bits', (function* () {
    for (let i = 0; i < 300_000; i++) {
      singleWord[0] = rnd() * 2 ** 32;
      yield single[0];
    }
  })());
  checkAll('float32 subnormals', (function* () {
    for (let i = 0; i < 50_000; i++) {
      singleWord[0] = (rnd() * 2 ** 23) | (rnd() < 0.5 ? 0x80000000 : 0);
      yield single[0];
    }
  })());
  checkAll('float32-rounded decimals', (function* () {
    for (let i = 0; i < 300_000; i++) yield Math.fround((rnd() - 0.5) * 10 ** (rnd() * 90 - 45));
  })());
});

test('double subnormals and the smallest normals', () => {
  const rnd = seededRandom(13);
  checkAll('subnormals', (function* () {
    for (let i = 0; i < 50_000; i++) yield fromWords(rnd() * 2 ** 20, rnd() * 2 ** 32);
    for (let i = 0; i < 20_000; i++) yield fromWords(0x00100000 + rnd() * 2 ** 24, rnd() * 2 ** 32); // ~1e-308 … 1e-303
  })());
});

test('rounding edges: decimal ties and their neighbours, d.dddddd(4|5)9…, powers of ten, 9.9999995eK', () => {
  const rnd = seededRandom(14);
  checkAll('decimal near-ties', (function* () {
    for (let e = -320; e <= 300; e++) {
      for (let j = 0; j < 40; j++) {
        const digits = 1_000_000 + Math.floor(rnd() * 9_000_000);
        yield* neighbours(Number(`${digits}5e${e}`), 3);
        yield Number(`${digits}49999999e${e - 7}`);
        yield Number(`${digits}50000001e${e - 7}`);
      }
      yield* neighbours(Number(`1e${e}`), 3);
      yield* neighbours(Number(`9.9999995e${e}`), 3);
      yield* neighbours(-Number(`9.9999995e${e}`), 1);
    }
  })());
  // Exact binary ties: M·2^E with odd M (e.g. 1.0078125 = 129/128, 2⁻¹¹ = 4.8828125e-4), positive and negative.
  checkAll('dyadic ties', (function* () {
    for (let m = 1; m < 1 << 14; m += 2) {
      for (let e = -40; e <= 12; e++) {
        yield m * 2 ** e;
        yield -m * 2 ** e;
      }
    }
  })());
});

test.run();
