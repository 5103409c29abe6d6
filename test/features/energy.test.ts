import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmsEnergy, zeroCrossingRate } from '../../src/features/energy.ts';
import { noise, silence, sine } from '../fixtures/signals.ts';

const test = suite('energy');

test('RMS of a sine over whole periods is A/√2', () => {
  const x = sine(500, 0.1, 16000, 0.4); // 32 samples per period; 320-sample frame = 10 periods
  for (const start of [0, 37, 800]) assert.ok(Math.abs(rmsEnergy(x, start, 320) - 0.4 / Math.SQRT2) < 1e-6);
});

test('RMS of uniform noise is amplitude/√3 and reads only its window', () => {
  const x = noise(1, 16000, 0.3, 7);
  assert.ok(Math.abs(rmsEnergy(x, 0, 16000) - 0.3 / Math.sqrt(3)) < 0.003);
  const y = new Float32Array(1000);
  y.fill(1, 100, 200);
  assert.is(rmsEnergy(y, 100, 100), 1);
  assert.is(rmsEnergy(y, 200, 100), 0);
  assert.ok(Math.abs(rmsEnergy(y, 150, 100) - Math.SQRT1_2) < 1e-12);
});

test('ZCR of a sine is ≈ 2f/fs', () => {
  for (const f of [100, 440, 1000, 3000]) {
    const x = sine(f, 0.2, 16000, 0.5);
    const z = zeroCrossingRate(x, 123, 960);
    assert.ok(Math.abs(z - (2 * f) / 16000) <= 2 / 960, `f=${f}: ${z}`);
  }
});

test('ZCR edge cases: silence (N−2)/N, DC 0, alternating sign (N−2)/N', () => {
  assert.is(zeroCrossingRate(silence(0.1), 0, 960), 958 / 960);
  assert.is(zeroCrossingRate(new Float32Array(960).fill(0.2), 0, 960), 0);
  const alt = new Float32Array(960).map((_, i) => (i % 2 === 0 ? 0.1 : -0.1));
  assert.is(zeroCrossingRate(alt, 0, 960), 958 / 960); // i = 1 … N−2
  // A single exact zero between opposite signs is one crossing, not two.
  const step = new Float32Array([1, 1, 0, -1, -1]);
  assert.is(zeroCrossingRate(step, 0, 5), 1 / 5);
});

test.run();
