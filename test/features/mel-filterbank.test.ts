import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyMelFilterbank, createMelFilterbank, hzOfMel, melOf } from '../../src/features/mel-filterbank.ts';
import { EmostreamError } from '../../src/errors.ts';

const test = suite('mel-filterbank');

test('mel scale round-trips and mel(700) = 1127·ln 2', () => {
  assert.ok(Math.abs(melOf(700) - 1127 * Math.LN2) < 1e-9);
  for (const f of [20, 440, 8000]) assert.ok(Math.abs(hzOfMel(melOf(f)) - f) < 1e-9);
});

test('26 bands between 20 Hz and 8 kHz with centres equally spaced in mel', () => {
  const bank = createMelFilterbank(16000, 512);
  assert.is(bank.bandCount, 26);
  assert.is(bank.highHz, 8000);
  const step = (melOf(8000) - melOf(20)) / 27;
  for (let b = 0; b < 26; b++) assert.ok(Math.abs(melOf(bank.centreHz[b]) - melOf(20) - (b + 1) * step) < 1e-9);
  // Bins strictly between round(20/Δf) and round(8000/Δf).
  assert.is(bank.firstBin, 2);
  assert.is(bank.endBin, 256);
});

test('a flat spectrum gives each band the sum of its triangle, and interior power is conserved', () => {
  const bank = createMelFilterbank(16000, 512);
  const flat = new Float32Array(257).fill(1);
  const out = new Float64Array(26);
  applyMelFilterbank(bank, flat, out);
  let total = 0;
  for (let b = 0; b < 26; b++) total += out[b];
  // Every contributing bin except those below the first centre / above the last centre is split with weights summing to 1.
  let lost = 0;
  for (let i = 0; i < bank.lowerBand.length; i++) {
    if (bank.lowerBand[i] < 0) lost += bank.lowerWeight[i];
    if (bank.lowerBand[i] + 1 >= 26) lost += 1 - bank.lowerWeight[i];
  }
  assert.ok(Math.abs(total + lost - (bank.endBin - bank.firstBin)) < 1e-9);
  for (let b = 0; b < 26; b++) assert.ok(out[b] > 0, `band ${b} is empty`);
  assert.ok(out[25] > 5 * out[0], 'high bands span many more bins than low bands');
});

test('a single bin at a band centre lands in that band only', () => {
  const fs = 16000, n = 512;
  const bank = createMelFilterbank(fs, n);
  const out = new Float64Array(26);
  const p = new Float32Array(257);
  const k = Math.round(bank.centreHz[12] / (fs / n));
  p[k] = 1;
  applyMelFilterbank(bank, p, out);
  const best = out.indexOf(Math.max(...out));
  assert.is(best, 12);
  assert.ok(out[12] > 0.8);
});

test('8 kHz: the upper edge is clamped to Nyquist and every weight is finite', () => {
  const bank = createMelFilterbank(8000, 256);
  assert.is(bank.highHz, 4000);
  assert.ok(bank.centreHz[25] < 4000);
  assert.is(bank.endBin, 128);
  for (const w of bank.lowerWeight) assert.ok(w >= 0 && w <= 1);
});

test('invalid options throw EMO_ERR_BAD_CONFIG', () => {
  for (const opts of [{ bandCount: 0, lowHz: 20, highHz: 8000 }, { bandCount: 26, lowHz: 9000, highHz: 8000 }]) {
    try {
      createMelFilterbank(16000, 512, opts);
      assert.unreachable();
    } catch (err) {
      assert.instance(err, EmostreamError);
      assert.is((err as EmostreamError).code, 'EMO_ERR_BAD_CONFIG');
    }
  }
});

test.run();
