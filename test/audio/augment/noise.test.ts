import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { activePower } from '../../../src/audio/augment/active-level.ts';
import { coloredNoise, NOISE_COLORS } from '../../../src/audio/augment/noise-color.ts';
import { addNoise } from '../../../src/audio/augment/noise.ts';
import { bursts, octaveSlopeDb, power, sameSamples } from './signals.ts';

const test = suite('audio/augment/noise');
const N = 1 << 18; // 16.4 s

test('generated noise has zero mean and unit RMS', () => {
  for (const c of NOISE_COLORS) {
    const n = coloredNoise(40000, c, 5);
    let s = 0;
    for (const v of n) s += v;
    assert.ok(Math.abs(s / n.length) < 1e-6, `${c} mean`);
    assert.ok(Math.abs(power(n) - 1) < 1e-5, `${c} power ${power(n)}`);
  }
});

test('spectral slopes: white ≈ 0, pink ≈ −3, brown ≈ −6 dB/octave (62.5 Hz – 4 kHz)', () => {
  const white = octaveSlopeDb(coloredNoise(N, 'white', 1), 62.5, 4000);
  const pink = octaveSlopeDb(coloredNoise(N, 'pink', 2), 62.5, 4000);
  const brown = octaveSlopeDb(coloredNoise(N, 'brown', 3), 62.5, 4000);
  assert.ok(Math.abs(white) < 0.15, `white ${white.toFixed(2)}`);
  assert.ok(Math.abs(pink + 3) < 0.3, `pink ${pink.toFixed(2)}`);
  assert.ok(Math.abs(brown + 6) < 0.3, `brown ${brown.toFixed(2)}`);
});

test('pink falls ≈ 3 dB per octave in every two-octave span from 31 Hz to 8 kHz', () => {
  const x = coloredNoise(N, 'pink', 9);
  const slope = octaveSlopeDb(x, 31.25, 8000);
  assert.ok(Math.abs(slope + 3) < 0.4, `slope ${slope.toFixed(2)}`);
  // neighbouring octave pairs each fall by ≈ 3 dB
  for (let f = 31.25; f * 4 <= 8000; f *= 2) {
    const local = octaveSlopeDb(x, f, 4 * f);
    assert.ok(Math.abs(local + 3) < 0.75, `octave ${f} Hz: ${local.toFixed(2)} dB`);
  }
});

test('SNR on the active level is within ±0.5 dB of the target (bursts with digital silence between)', () => {
  const x = bursts(6, 440, 0.3); // active power 0.045 during the bursts
  for (const color of NOISE_COLORS) {
    for (const snr of [5, 14.2, 30]) {
      const y = addNoise(x, color, snr, 77);
      const n = Float32Array.from(y, (v, i) => v - x[i]!);
      const measured = 10 * Math.log10(0.045 / power(n));
      assert.ok(Math.abs(measured - snr) < 0.5, `${color} ${snr} dB → ${measured.toFixed(3)}`);
    }
  }
});

test('the active level ignores pauses and low gap noise; silence has none', () => {
  const x = bursts(4, 300, 0.2);
  for (let i = 0; i < x.length; i++) if (x[i] === 0) x[i] = 1e-3 * Math.sin(i); // −63 dB "gap noise"
  const p = activePower(x);
  assert.ok(Math.abs(10 * Math.log10(p / 0.02)) < 0.1, `active ${p}`);
  assert.ok(power(x) < 0.6 * p, 'the plain mean is diluted by the pauses');
  assert.is(activePower(new Float32Array(1000)), 0);
  const silent = new Float32Array(500);
  assert.ok(sameSamples(addNoise(silent, 'white', 10, 1), silent), 'silence gets no noise');
});

test('same seed → bit-identical noise; another seed → different', () => {
  const x = bursts(1, 500, 0.1);
  assert.ok(sameSamples(addNoise(x, 'pink', 10, 3), addNoise(x, 'pink', 10, 3)));
  assert.not.ok(sameSamples(addNoise(x, 'pink', 10, 3), addNoise(x, 'pink', 10, 4)));
  assert.not.ok(sameSamples(coloredNoise(100, 'white', 1), coloredNoise(100, 'brown', 1)));
});

test.run();
