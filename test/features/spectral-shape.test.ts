import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  barkOf, createSpectralShapeTables, spectralEntropy, spectralFlux, spectralHarmonicity, spectralShapeInto,
} from '../../src/features/spectral-shape.ts';
import { createRealFft } from '../../src/features/fft.ts';
import { hammingWindow } from '../../src/features/windows.ts';
import { noise, sine } from '../fixtures/signals.ts';

const test = suite('spectral-shape');
const FS = 16000;
const N = 512;
const tables = createSpectralShapeTables(FS, N);
const BIN = FS / N;
// Offsets inside the 13-value block (registry order).
const ROLL = 0, FLUX = 4, CENTROID = 5, ENTROPY = 6, VARIANCE = 7, SKEW = 8, KURT = 9, SLOPE = 10, SHARP = 11, HARM = 12;

async function spectrumOf(x: Float32Array, start = 0): Promise<{ magnitude: Float32Array; power: Float32Array }> {
  const fft = await createRealFft(N);
  const w = hammingWindow(320);
  fft.input.fill(0);
  for (let i = 0; i < 320; i++) fft.input[96 + i] = x[start + i] * w[i];
  fft.transform();
  const magnitude = new Float32Array(N / 2 + 1);
  const power = new Float32Array(N / 2 + 1);
  for (let k = 0; k <= N / 2; k++) {
    power[k] = fft.spectrum[2 * k] ** 2 + fft.spectrum[2 * k + 1] ** 2;
    magnitude[k] = Math.sqrt(power[k]);
  }
  fft.release();
  return { magnitude, power };
}

function shape(power: Float32Array, magnitude: Float32Array = power.map(Math.sqrt), previous: Float32Array | null = null): Float32Array {
  const out = new Float32Array(13).fill(NaN);
  spectralShapeInto(tables, magnitude, power, previous, out, 0);
  return out;
}

test('a sine: centroid ≈ f, all roll-offs within a bin or two of f, positive kurtosis peak', async () => {
  for (const f of [440, 1000, 3000]) {
    const { magnitude, power } = await spectrumOf(sine(f, 0.05, FS, 0.5));
    const s = shape(power, magnitude);
    assert.ok(Math.abs(s[CENTROID] - f) < 0.05 * f, `centroid ${s[CENTROID]} vs ${f}`);
    for (let r = 0; r < 4; r++) assert.ok(Math.abs(s[ROLL + r] - f) <= 2 * BIN, `roll-off ${r}: ${s[ROLL + r]}`);
    assert.ok(s[ROLL] <= s[ROLL + 1] && s[ROLL + 1] <= s[ROLL + 2] && s[ROLL + 2] <= s[ROLL + 3]);
    assert.ok(Math.sqrt(s[VARIANCE]) < 4 * BIN, 'narrow spectrum');
    assert.ok(s[FLUX] === 0, 'no previous frame → flux 0');
  }
});

test('a flat spectrum: uniform-distribution moments, maximal entropy, zero slope', () => {
  const n = N / 2;
  const power = new Float32Array(n + 1).fill(1);
  const s = shape(power);
  const meanHz = ((n + 1) / 2) * BIN;
  assert.ok(Math.abs(s[CENTROID] - meanHz) < 1e-3);
  assert.ok(Math.abs(s[VARIANCE] / (((n * n - 1) / 12) * BIN * BIN) - 1) < 1e-6);
  assert.ok(Math.abs(s[SKEW]) < 1e-6);
  assert.ok(Math.abs(s[KURT] - (3 * (3 * n * n - 7)) / (5 * (n * n - 1))) < 1e-5); // discrete uniform, ≈ 1.8
  assert.ok(Math.abs(s[ENTROPY] - Math.log2(n)) < 1e-5);
  assert.ok(Math.abs(s[SLOPE]) < 1e-6);
  assert.is(s[ROLL + 1], n / 2 * BIN); // half the bins
  assert.is(s[HARM], 0);
});

test('slope of P = f is (nBins − 1); a low-heavy spectrum has negative slope and low sharpness', () => {
  const up = tables.frequencyHz.map((f) => f);
  assert.ok(Math.abs(shape(new Float32Array(up))[SLOPE] / (N / 2 - 1) - 1) < 1e-6);
  const down = new Float32Array(N / 2 + 1).map((_, k) => 1 / (k + 1));
  const s = shape(down);
  assert.ok(s[SLOPE] < 0);
  const highOnly = new Float32Array(N / 2 + 1);
  highOnly[200] = 1;
  const h = shape(highOnly);
  assert.ok(Math.abs(h[SHARP] - 0.11 * barkOf(200 * BIN) * (Math.pow((barkOf(200 * BIN) - 16) / 4, 1.5849625) + 1)) < 1e-5);
  assert.ok(h[SHARP] > s[SHARP]);
});

test('white noise: entropy close to log2(nBins), centroid near the middle', async () => {
  const { magnitude, power } = await spectrumOf(noise(0.05, FS, 0.3, 3));
  const s = shape(power, magnitude);
  assert.ok(s[ENTROPY] > Math.log2(N / 2) - 1.2 && s[ENTROPY] <= Math.log2(N / 2));
  assert.ok(Math.abs(s[CENTROID] - FS / 4) < FS / 16);
});

test('flux: 0 for identical spectra, rms difference otherwise', async () => {
  // 500 Hz at 16 kHz: a 10 ms hop is exactly 5 periods, so consecutive frames have the same magnitude.
  const x = sine(500, 0.1, FS, 0.5);
  const a = await spectrumOf(x, 0);
  const b = await spectrumOf(x, 160);
  assert.ok(spectralFlux(b.magnitude, a.magnitude) < 1e-4 * Math.max(...a.magnitude));
  const doubled = a.magnitude.map((m) => 2 * m);
  let ms = 0;
  for (let k = 1; k <= N / 2; k++) ms += a.magnitude[k] ** 2;
  assert.ok(Math.abs(spectralFlux(doubled, a.magnitude) / Math.sqrt(ms / (N / 2)) - 1) < 1e-5);
  assert.ok(Math.abs(shape(b.power, b.magnitude, doubled)[FLUX] - spectralFlux(b.magnitude, doubled)) < 1e-3);
});

test('harmonicity sums steps between alternating 5-point peaks and dips', () => {
  const p = new Float32Array(N / 2 + 1);
  // Peaks of height 10 at 20 and 40, a dip of 0 at 30 (surrounded by 1s): |0−10| + |10−0| = 20 → 20/2/256.
  p.fill(1, 10, 50);
  p[19] = 5; p[20] = 10; p[21] = 5;
  p[30] = 0;
  p[39] = 5; p[40] = 10; p[41] = 5;
  assert.ok(Math.abs(spectralHarmonicity(p) - 20 / 2 / (N / 2)) < 1e-12);
});

test('digital silence: roll-offs Δf, moments 0, entropy 0 from the 1e-7 floors, no NaN', () => {
  const zero = new Float32Array(N / 2 + 1);
  const s = shape(zero, zero, zero);
  for (let r = 0; r < 4; r++) assert.is(s[ROLL + r], BIN);
  for (const i of [FLUX, CENTROID, VARIANCE, SKEW, KURT, SLOPE, SHARP, HARM]) assert.is(s[i], 0);
  assert.is(spectralEntropy(zero, 0), 0);
  assert.is(s[ENTROPY], 0);
});

test('a single-line spectrum (zero variance) keeps skewness and kurtosis finite', () => {
  const p = new Float32Array(N / 2 + 1);
  p[64] = 1;
  const s = shape(p);
  assert.is(s[CENTROID], 64 * BIN);
  assert.is(s[VARIANCE], 0);
  assert.is(s[SKEW], 0);
  assert.is(s[KURT], 0);
  for (const v of s) assert.ok(Number.isFinite(v));
});

test.run();
