import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fftConvolve } from '../../../src/audio/augment/convolve.ts';
import { createFft } from '../../../src/audio/augment/fft.ts';
import { addReverb, syntheticRir } from '../../../src/audio/augment/reverb.ts';
import { lcgBytes } from '../helpers.ts';
import { sameSamples } from './signals.ts';

const test = suite('audio/augment/reverb');
const rand = (n: number, seed: number) => Float32Array.from(lcgBytes(n, seed), (v) => v / 128 - 1);

test('FFT matches the DFT definition (forward and inverse)', () => {
  const n = 64;
  const x = rand(2 * n, 3);
  const re = Float64Array.from({ length: n }, (_, i) => x[i]!), im = Float64Array.from({ length: n }, (_, i) => x[n + i]!);
  const fr = re.slice(), fi = im.slice();
  createFft(n).forward(fr, fi);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
      si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
    }
    assert.ok(Math.abs(sr - fr[k]!) < 1e-9 && Math.abs(si - fi[k]!) < 1e-9, `bin ${k}`);
  }
  createFft(n).inverse(fr, fi);
  for (let t = 0; t < n; t++) assert.ok(Math.abs(fr[t]! - re[t]!) < 1e-12 && Math.abs(fi[t]! - im[t]!) < 1e-12);
  assert.throws(() => createFft(48));
});

test('overlap-add FFT convolution equals direct convolution, truncated to the input length', () => {
  for (const [nx, nh] of [[5000, 700], [300, 1], [1000, 2500], [70000, 300]] as const) {
    const x = rand(nx, nx), h = rand(nh, nh + 1);
    const y = fftConvolve(x, h);
    assert.is(y.length, nx);
    let worst = 0;
    for (let t = 0; t < nx; t += nx > 10000 ? 7 : 1) {
      let s = 0;
      for (let k = 0; k <= Math.min(t, nh - 1); k++) s += h[k]! * x[t - k]!;
      worst = Math.max(worst, Math.abs(s - y[t]!));
    }
    assert.ok(worst < 1e-4, `${nx}×${nh}: max error ${worst}`);
  }
});

/** RT60 from the Schroeder backward integral of the tail, fitted between −5 and −35 dB. */
function measuredRt60(h: Float32Array, tailStart: number, fs = 16000): number {
  const n = h.length - tailStart;
  const edc = new Float64Array(n);
  let acc = 0;
  for (let k = n - 1; k >= 0; k--) edc[k] = acc += h[tailStart + k]! ** 2;
  const xs: number[] = [], ys: number[] = [];
  for (let k = 0; k < n; k++) {
    const d = 10 * Math.log10(edc[k]! / edc[0]!);
    if (d <= -5 && d >= -35) {
      xs.push(k / fs);
      ys.push(d);
    }
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0, den = 0;
  xs.forEach((x, i) => { num += (x - mx) * (ys[i]! - my); den += (x - mx) ** 2; });
  return -60 / (num / den);
}

test('RIR: decay matches RT60 within 10 %, DRR and pre-delay as asked, unit energy', () => {
  for (const [rt60S, drrDb, preDelayMs] of [[0.2, 0, 0], [0.5, 6, 10], [0.9, -3, 25]] as const) {
    const h = syntheticRir({ rt60S, drrDb, preDelayMs, seed: 5 });
    const d = Math.round(preDelayMs * 16);
    assert.is(h.length, 1 + d + Math.round(rt60S * 16000));
    for (let k = 1; k <= d; k++) assert.is(h[k], 0, 'silent pre-delay');
    assert.ok(h[d + 1] !== 0);
    const rt = measuredRt60(h, d + 1);
    assert.ok(Math.abs(rt / rt60S - 1) < 0.1, `RT60 ${rt60S} → ${rt.toFixed(3)}`);
    let tail = 0, total = 0;
    for (let k = 0; k < h.length; k++) {
      total += h[k]! ** 2;
      if (k > 0) tail += h[k]! ** 2;
    }
    assert.ok(Math.abs(total - 1) < 1e-5, `energy ${total}`);
    assert.ok(Math.abs(10 * Math.log10(h[0]! ** 2 / tail) - drrDb) < 1e-3, 'DRR');
  }
});

test('reverberating an impulse returns the RIR; same seed → identical, other seed → different', () => {
  const p = { rt60S: 0.3, drrDb: 3, preDelayMs: 5, seed: 9 };
  const imp = new Float32Array(8000);
  imp[100] = 1;
  const y = addReverb(imp, p);
  const h = syntheticRir(p);
  let worst = 0;
  for (let k = 0; k < h.length; k++) worst = Math.max(worst, Math.abs(y[100 + k]! - h[k]!));
  assert.ok(worst < 1e-6, `max error ${worst}`);
  for (let i = 0; i < 100; i++) assert.ok(Math.abs(y[i]!) < 1e-6, 'causal');
  const x = rand(4000, 1);
  assert.ok(sameSamples(addReverb(x, p), addReverb(x, p)));
  assert.not.ok(sameSamples(addReverb(x, p), addReverb(x, { ...p, seed: 10 })));
});

test.run();
