import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSpectralScale } from '../../src/features/spectral-scale.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('spectral-scale');

/** Recipe 5.3.1 written out directly: peak enhancement, 1-2-1 smoothing, a natural spline from a dense solve, weighting. */
function directScale(magnitude: Float64Array, fs: number, nfft: number): Float64Array {
  const n = magnitude.length;
  const a = Array.from(magnitude);
  const peaks: number[] = [];
  if (a[0] > a[1]) peaks.push(0);
  for (let i = 1; i < n - 1; i++) if (a[i] > a[i - 1] && a[i] >= a[i + 1]) peaks.push(i);
  if (a[n - 1] > a[n - 2]) peaks.push(n - 1);
  for (let p = 0; p + 1 < peaks.length; p++) for (let i = peaks[p] + 3; i <= peaks[p + 1] - 3; i++) a[i] = 0;
  const y = a.map((v, i) => (i === n - 1 ? v : ((i > 0 ? a[i - 1] : 0) + 2 * v + a[i + 1]) / 4));
  const x = a.map((_, i) => Math.log2(i * (fs / nfft)));
  x[0] = 2 * x[1] - x[2];
  // Natural spline second derivatives M: M0 = Mn-1 = 0, h(i-1)M(i-1) + 2(h(i-1)+h(i))M(i) + h(i)M(i+1) = 6(slope_i − slope_{i−1}).
  const m = n - 2;
  const A = Array.from({ length: m }, () => new Float64Array(m + 1));
  for (let r = 0; r < m; r++) {
    const i = r + 1;
    const h0 = x[i] - x[i - 1];
    const h1 = x[i + 1] - x[i];
    if (r > 0) A[r][r - 1] = h0;
    A[r][r] = 2 * (h0 + h1);
    if (r < m - 1) A[r][r + 1] = h1;
    A[r][m] = 6 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0);
  }
  for (let c = 0; c < m; c++) {
    for (let r = c + 1; r < m; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= m; k++) A[r][k] -= f * A[c][k];
    }
  }
  const M = new Float64Array(n);
  for (let r = m - 1; r >= 0; r--) {
    let s = A[r][m];
    for (let k = r + 1; k < m; k++) s -= A[r][k] * M[k + 1];
    M[r + 1] = s / A[r][r];
  }
  const lmin = Math.log2(25);
  const lmax = Math.log2(fs / 2);
  const ppo = n / Math.log2(fs / 2 / 25);
  const s0 = ppo * Math.log2(65 / 50) - 1;
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const xt = lmin + (j * (lmax - lmin)) / (n - 1);
    let k = 1;
    while (k < n - 1 && x[k] < xt) k++;
    const h = x[k] - x[k - 1];
    const t = (xt - x[k - 1]) / h;
    const u = 1 - t;
    const v = u * y[k - 1] + t * y[k] + ((u ** 3 - u) * M[k - 1] + (t ** 3 - t) * M[k]) * (h * h) / 6;
    out[j] = (0.5 + Math.atan((3 * (j + 1 - s0)) / ppo) / Math.PI) * Math.max(0, v);
  }
  return out;
}

test('matches a direct evaluation of the recipe on random spectra (16 and 44.1 kHz)', () => {
  const rnd = seededRandom(7);
  for (const [fs, nfft] of [[16000, 128], [44100, 256]]) {
    const scale = createSpectralScale(fs, nfft);
    const out = new Float64Array(nfft / 2 + 1);
    for (let trial = 0; trial < 5; trial++) {
      const mag = new Float64Array(nfft / 2 + 1).map(() => rnd() * (rnd() < 0.2 ? 10 : 1));
      scale.apply(mag, out);
      const ref = directScale(mag, fs, nfft);
      let peak = 0;
      let err = 0;
      for (let j = 0; j < out.length; j++) {
        peak = Math.max(peak, Math.abs(ref[j]));
        err = Math.max(err, Math.abs(out[j] - ref[j]));
      }
      assert.ok(err <= 1e-9 * peak, `fs ${fs}: max error ${err} vs peak ${peak}`);
    }
  }
});

test('grid: n points from 25 Hz to fs/2 in log2 steps', () => {
  const scale = createSpectralScale(16000, 1024);
  assert.is(scale.pointCount, 513);
  assert.ok(Math.abs(scale.log2MinHz - Math.log2(25)) < 1e-12);
  assert.ok(Math.abs(scale.log2MinHz + 512 * scale.log2Step - Math.log2(8000)) < 1e-9);
  assert.ok(Math.abs(scale.pointsPerOctave - 513 / Math.log2(320)) < 1e-9);
});

test('a single spectral line peaks at its log2 frequency', () => {
  const fs = 16000;
  const nfft = 1024;
  const scale = createSpectralScale(fs, nfft);
  const mag = new Float64Array(513);
  const bin = 64; // 1000 Hz
  mag[bin - 1] = 0.5;
  mag[bin] = 1;
  mag[bin + 1] = 0.5;
  const out = new Float64Array(513);
  scale.apply(mag, out);
  let best = 0;
  for (let j = 1; j < out.length; j++) if (out[j] > out[best]) best = j;
  const hz = 2 ** (scale.log2MinHz + best * scale.log2Step);
  assert.ok(Math.abs(Math.log2(hz / 1000)) < 0.02, `peak at ${hz} Hz`);
  for (const v of out) assert.ok(v >= 0 && Number.isFinite(v));
});

test('a zero spectrum gives zeros', () => {
  const scale = createSpectralScale(44100, 4096);
  const out = new Float64Array(2049).fill(1);
  scale.apply(new Float64Array(2049), out);
  assert.ok(out.every((v) => v === 0));
});

test('rejects invalid configuration', () => {
  assert.throws(() => createSpectralScale(16000, 1000.5), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
  assert.throws(() => createSpectralScale(16000, 1024, { minFrequencyHz: 9000 }), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
});

test.run();
