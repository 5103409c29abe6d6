import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aLawDecode, aLawEncode, muLawDecode, muLawEncode } from '../../src/audio/g711.ts';
import { sine } from './helpers.ts';

const test = suite('audio/g711');

// ITU-T G.711 Tables 1 and 2: per segment, the first quantised magnitude and the step between intervals
// (μ-law in 14-bit units, A-law in 13-bit units).
const MU_FIRST = [0, 33, 99, 231, 495, 1023, 2079, 4191];
const MU_STEP = [2, 4, 8, 16, 32, 64, 128, 256];
const A_FIRST = [1, 33, 66, 132, 264, 528, 1056, 2112];
const A_STEP = [2, 2, 4, 8, 16, 32, 64, 128];
const ALL = Uint8Array.from({ length: 256 }, (_, i) => i);

/** ITU value of a μ-law code in 16-bit units (all bits inverted; bit 1 = 1 for positive after inversion). */
function ituMu(code: number): number {
  const seg = 7 - ((code >> 4) & 7), q = 15 - (code & 15);
  const mag = 4 * (MU_FIRST[seg]! + MU_STEP[seg]! * q);
  return code & 0x80 ? mag : -mag;
}
/** ITU value of an A-law code in 16-bit units (even bits inverted; bit 1 = 1 for positive). */
function ituA(code: number): number {
  const u = code ^ 0x55;
  const seg = (u >> 4) & 7, q = u & 15;
  const mag = 8 * (A_FIRST[seg]! + A_STEP[seg]! * q);
  return u & 0x80 ? mag : -mag;
}

test('all 256 μ-law and A-law codes decode to the ITU quantised values / 32767', () => {
  const mu = muLawDecode(ALL), a = aLawDecode(ALL);
  for (let c = 0; c < 256; c++) {
    assert.is(mu[c], Math.fround(ituMu(c) / 32767), `μ-law 0x${c.toString(16)}`);
    assert.is(a[c], Math.fround(ituA(c) / 32767), `A-law 0x${c.toString(16)}`);
  }
});

test('known values: μ-law ±0 / ±32124, A-law ±8 / ±32256', () => {
  const mu = muLawDecode(Uint8Array.of(0xff, 0x7f, 0x80, 0x00, 0xef));
  assert.equal(Array.from(mu, (x) => Math.round(x * 32767)), [0, 0, 32124, -32124, 132]);
  const a = aLawDecode(Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a));
  assert.equal(Array.from(a, (x) => Math.round(x * 32767)), [8, -8, 32256, -32256]);
  assert.equal(Array.from(muLawEncode(Float32Array.of(0, 1, -1, 2, -2, NaN))), [0xff, 0x80, 0x00, 0x80, 0x00, 0xff]);
  assert.equal(Array.from(aLawEncode(Float32Array.of(0, 1, -1, -1e-9))), [0xd5, 0xaa, 0x2a, 0xd5]);
});

test('encode ∘ decode is the identity on codes (μ-law −0 = 0x7F becomes +0 = 0xFF)', () => {
  const mu = muLawEncode(muLawDecode(ALL));
  const a = aLawEncode(aLawDecode(ALL));
  for (let c = 0; c < 256; c++) {
    assert.is(mu[c], c === 0x7f ? 0xff : c, `μ-law 0x${c.toString(16)}`);
    assert.is(a[c], c, `A-law 0x${c.toString(16)}`);
  }
});

test('segment boundaries: the decision value between segments starts the next segment', () => {
  for (let s = 1; s < 8; s++) {
    const muEdge = 4 * (MU_FIRST[s]! - MU_STEP[s]! / 2); // 16-bit decision value
    const aEdge = 8 * (A_FIRST[s]! - A_STEP[s]! / 2);
    for (const sign of [1, -1]) {
      const mu = muLawDecode(muLawEncode(Float32Array.of((sign * (muEdge - 1)) / 32767, (sign * muEdge) / 32767)));
      assert.is(Math.round(mu[0]! * 32767), sign * 4 * (MU_FIRST[s - 1]! + 15 * MU_STEP[s - 1]!), `μ-law below edge ${s}`);
      assert.is(Math.round(mu[1]! * 32767), sign * 4 * MU_FIRST[s]!, `μ-law at edge ${s}`);
      const a = aLawDecode(aLawEncode(Float32Array.of((sign * (aEdge - 1)) / 32767, (sign * aEdge) / 32767)));
      assert.is(Math.round(a[0]! * 32767), sign * 8 * (A_FIRST[s - 1]! + 15 * A_STEP[s - 1]!), `A-law below edge ${s}`);
      assert.is(Math.round(a[1]! * 32767), sign * 8 * A_FIRST[s]!, `A-law at edge ${s}`);
    }
  }
});

test('every 16-bit value is quantised monotonically to within half an interval (μ-law clips above 32635)', () => {
  const lin = Float32Array.from({ length: 65535 }, (_, i) => (i - 32767) / 32767);
  for (const [name, enc, dec, first, step, unit] of [
    ['μ-law', muLawEncode, muLawDecode, MU_FIRST, MU_STEP, 4],
    ['A-law', aLawEncode, aLawDecode, A_FIRST, A_STEP, 8],
  ] as const) {
    const y = dec(enc(lin));
    let prev = -Infinity;
    for (let i = 0; i < lin.length; i++) {
      const l = i - 32767, q = Math.round(y[i]! * 32767);
      assert.ok(q >= prev, `${name}: not monotonic at ${l}`);
      prev = q;
      let seg = 7;
      while (seg > 0 && Math.abs(l) < unit * (first[seg]! - step[seg]! / 2)) seg--;
      const half = (unit * step[seg]!) / 2;
      const clipped = name === 'μ-law' && Math.abs(l) > 32635;
      if (!clipped) assert.ok(Math.abs(q - l) <= half, `${name}: ${l} → ${q} (half step ${half})`);
    }
  }
});

test('a −10 dBFS 1 kHz sine survives a round trip with SNR ≥ 35 dB (μ-law and A-law)', () => {
  const x = sine(8000, 1000 + 1 / 7, 8000, 10 ** (-10 / 20));
  for (const [name, y] of [['μ-law', muLawDecode(muLawEncode(x))], ['A-law', aLawDecode(aLawEncode(x))]] as const) {
    let s = 0, n = 0;
    for (let i = 0; i < x.length; i++) {
      s += x[i]! ** 2;
      n += (y[i]! - x[i]!) ** 2;
    }
    const snr = 10 * Math.log10(s / n);
    assert.ok(snr >= 35 && snr < 45, `${name}: SNR ${snr.toFixed(2)} dB`);
  }
});

test('out arrays are filled in place; too-short outputs throw', () => {
  const x = Float32Array.of(0.5, -0.25);
  const codes = new Uint8Array(4);
  assert.is(muLawEncode(x, codes), codes);
  const back = new Float32Array(2);
  assert.is(muLawDecode(codes.subarray(0, 2), back), back);
  assert.ok(Math.abs(back[0]! - 0.5) < 0.02 && Math.abs(back[1]! + 0.25) < 0.01);
  assert.throws(() => aLawEncode(x, new Uint8Array(1)));
  assert.throws(() => aLawDecode(codes, new Float32Array(3)));
});

test.run();
