import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyGain } from '../../../src/audio/augment/gain.ts';
import { sine } from '../helpers.ts';
import { power } from './signals.ts';

const test = suite('audio/augment/gain');

test('below full scale the level changes by exactly the gain in dB', () => {
  const x = sine(16000, 440, 16000, 0.1);
  for (const db of [-20, -12.3, -3, 0, 1.5, 6]) {
    const { samples, clipped } = applyGain(x, db);
    const measured = 10 * Math.log10(power(samples) / power(x));
    assert.ok(Math.abs(measured - db) < 1e-4, `${db} dB → measured ${measured}`);
    assert.is(clipped, 0);
  }
});

test('hard clip at ±1: overdriven samples saturate, the rest scale', () => {
  const x = sine(1600, 100, 16000, 0.8);
  const g = 10 ** (6 / 20);
  const { samples: y, clipped } = applyGain(x, 6);
  let expectClipped = 0;
  for (let i = 0; i < x.length; i++) {
    const v = g * x[i]!;
    if (Math.abs(v) > 1) {
      expectClipped++;
      assert.is(y[i], Math.sign(v));
    } else assert.is(y[i], Math.fround(v));
  }
  assert.ok(expectClipped > 100);
  assert.is(clipped, expectClipped);
});

test('in place into out; the input is untouched otherwise', () => {
  const x = Float32Array.of(0.5, -0.25);
  const y = applyGain(x, -6.0206).samples;
  assert.equal(Array.from(x), [0.5, -0.25]);
  assert.ok(Math.abs(y[0]! - 0.25) < 1e-6);
  assert.is(applyGain(x, 0, x).samples, x);
  assert.throws(() => applyGain(x, 0, new Float32Array(1)));
});

test.run();
