import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bandEnergy, createBandEnergyTable } from '../../src/features/band-energy.ts';
import { EmostreamError } from '../../src/errors.ts';

const test = suite('band-energy');

test('edges at 16 kHz / 512: 250–650 Hz covers 12.8 bins of a flat spectrum', () => {
  const t = createBandEnergyTable(250, 650, 16000, 512);
  assert.is(t.leftBin, 8); // 250 Hz is bin 8 exactly: weight (281.25 − 250)/31.25 = 1
  assert.is(t.leftWeight, 1);
  assert.is(t.rightBin, 20);
  assert.ok(Math.abs(t.rightWeight - 0.8) < 1e-12);
  const flat = new Float32Array(257).fill(2);
  assert.ok(Math.abs(bandEnergy(t, flat) - (2 * 12.8) / 256) < 1e-12);
});

test('an upper edge on a bin includes that bin with weight 1', () => {
  const t = createBandEnergyTable(1000, 4000, 16000, 512);
  assert.is(t.rightBin, 128);
  assert.is(t.rightWeight, 1);
  const p = new Float32Array(257);
  p[128] = 256;
  assert.is(bandEnergy(t, p), 1);
  p[128] = 0;
  p[129] = 256;
  assert.is(bandEnergy(t, p), 0);
});

test('a line inside a band counts, a line outside does not; divisor is N/2', () => {
  for (const [fs, n] of [[16000, 512], [44100, 1024], [8000, 256], [96000, 2048]]) {
    const low = createBandEnergyTable(250, 650, fs, n);
    const high = createBandEnergyTable(1000, 4000, fs, n);
    const p = new Float32Array(n / 2 + 1);
    p[Math.round(440 / (fs / n))] = 1;
    assert.is(bandEnergy(low, p), 1 / (n / 2));
    assert.is(bandEnergy(high, p), 0);
  }
});

test('a band beyond Nyquist throws EMO_ERR_BAD_CONFIG', () => {
  try {
    createBandEnergyTable(1000, 4000, 6000, 128);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, EmostreamError);
    assert.is((err as EmostreamError).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test.run();
