import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMfccTable, DEFAULT_MFCC, mfccInto } from '../../src/features/mfcc.ts';
import { EmostreamError } from '../../src/errors.ts';

const test = suite('mfcc');
const table = createMfccTable(26);
const SCALE = 32767 * 32767;

test('a flat mel spectrum has zero cepstrum c1 … c14', () => {
  const out = new Float32Array(14);
  mfccInto(table, new Float64Array(26).fill(3e-4), out, 0);
  for (const c of out) assert.ok(Math.abs(c) < 1e-4);
});

test('a log spectrum shaped as the i-th DCT basis gives √13·lifter(i) in c_i only', () => {
  for (const i of [1, 5, 14]) {
    const mel = new Float64Array(26);
    for (let m = 0; m < 26; m++) mel[m] = Math.exp(10 + Math.cos((Math.PI * i * (m + 0.5)) / 26)) / SCALE;
    const out = new Float32Array(16).fill(NaN);
    mfccInto(table, mel, out, 2);
    assert.ok(Number.isNaN(out[0]) && Number.isNaN(out[1]), 'writes from the offset only');
    const lift = 1 + 11 * Math.sin((Math.PI * i) / 22);
    for (let j = 1; j <= 14; j++) {
      const expected = j === i ? Math.sqrt(13) * lift : 0;
      assert.ok(Math.abs(out[1 + j] - expected) < 1e-4, `c${j} = ${out[1 + j]}, expected ${expected}`);
    }
  }
});

test('silence hits the floor of 1: every coefficient is exactly 0', () => {
  const out = new Float32Array(14).fill(NaN);
  mfccInto(table, new Float64Array(26), out, 0);
  for (const c of out) assert.is(c, 0);
});

test('invalid ranges throw EMO_ERR_BAD_CONFIG', () => {
  try {
    createMfccTable(13, DEFAULT_MFCC);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EmostreamError);
    assert.is((err as EmostreamError).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test.run();
