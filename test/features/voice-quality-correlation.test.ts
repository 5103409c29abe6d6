import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLagCorrelation, crossProduct } from '../../src/features/voice-quality-correlation.ts';
import { noise, sine } from '../fixtures/signals.ts';

const test = suite('voice-quality-correlation');

/** Two-pass mean-removed Pearson correlation of x[a … a+n−1] and x[b … b+n−1] (the definition). */
function directPearson(x: Float32Array, a: number, b: number, n: number): number {
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += x[a + i]; mb += x[b + i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = x[a + i] - ma, db = x[b + i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return sab / (Math.sqrt(saa) * Math.sqrt(sbb));
}

test('crossProduct equals the plain sum for every remainder length', () => {
  const x = noise(0.01, 16000, 0.5, 3);
  for (const len of [1, 2, 3, 4, 5, 17, 63]) {
    let plain = 0;
    for (let i = 0; i < len; i++) plain += x[5 + i] * x[40 + i];
    assert.ok(Math.abs(crossProduct(x, 5, 40, len) - plain) < 1e-12, `len ${len}`);
  }
});

test('prefix-sum correlations match the two-pass definition on a sine with DC and noise', () => {
  const x = sine(180, 0.1, 16000, 0.4);
  const n = noise(0.1, 16000, 0.05, 9);
  for (let i = 0; i < x.length; i++) x[i] += 0.2 + n[i];
  const base = 37;
  const corr = createLagCorrelation(800);
  corr.prepare(x, base, 800);
  const out = new Float64Array(60);
  for (const s of [0, 91, 250]) {
    corr.correlate(x, s, 66, 60, out);
    for (let i = 0; i < 60; i++) {
      const lag = 66 + i;
      const want = directPearson(x, base + s, base + s + lag, lag);
      assert.ok(Math.abs(out[i] - want) < 1e-12, `s ${s} lag ${lag}: ${out[i]} vs ${want}`);
    }
  }
  // The true period (16000/180 ≈ 88.9 samples) is the best lag.
  corr.correlate(x, 0, 66, 60, out);
  let best = 0;
  for (let i = 1; i < 60; i++) if (out[i] > out[best]) best = i;
  assert.ok(Math.abs(66 + best - 16000 / 180) < 1, `best lag ${66 + best}`);
});

test('a silent segment gives NaN, a silent neighbour too', () => {
  const x = new Float32Array(400);
  const tone = sine(200, 0.0125, 16000, 0.5);
  x.set(tone, 200); // samples 0 … 199 silent, 200 … 399 tone
  const corr = createLagCorrelation(400);
  corr.prepare(x, 0, 400);
  const out = new Float64Array(20);
  corr.correlate(x, 0, 60, 20, out); // both halves inside 0 … 199: all silent
  for (let i = 0; i < 20; i++) assert.ok(Number.isNaN(out[i]));
  corr.correlate(x, 100, 80, 20, out); // first half silent, second half partly tone
  for (let i = 0; i < 20; i++) assert.ok(Number.isNaN(out[i]));
  corr.correlate(x, 200, 60, 20, out); // all tone: finite
  for (let i = 0; i < 20; i++) assert.ok(Number.isFinite(out[i]));
});

test('a constant (DC) segment counts as silent', () => {
  const x = new Float32Array(300).fill(0.3);
  const corr = createLagCorrelation(300);
  corr.prepare(x, 0, 300);
  const out = new Float64Array(10);
  corr.correlate(x, 0, 50, 10, out);
  for (let i = 0; i < 10; i++) assert.ok(Number.isNaN(out[i]), `${out[i]}`);
});

test.run();
