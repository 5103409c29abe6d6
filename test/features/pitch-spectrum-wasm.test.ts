import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPitchSpectrumKernel } from '../../src/features/pitch-spectrum-wasm.ts';
import { createSpectralScale } from '../../src/features/spectral-scale.ts';
import { createPitchShs, type PitchCandidateArrays } from '../../src/features/pitch-shs.ts';
import { createRealFft } from '../../src/features/fft.ts';
import { gaussianWindow } from '../../src/features/windows.ts';
import { createFrameGeometry } from '../../src/features/frame-geometry.ts';

/** The pitch branch's frame layout at `fs` (60 ms Gaussian frame inside the long FFT). */
function layout(fs: number) {
  const g = createFrameGeometry(fs);
  return { length: g.longLength, window: gaussianWindow(g.longLength, 0.4), fftSize: g.longFftSize, pad: g.longPad };
}
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('pitch-spectrum-wasm');

const candidates = (k: number): PitchCandidateArrays => ({
  frequencies: new Float64Array(k),
  scores: new Float64Array(k),
  voicings: new Float64Array(k),
});

/** Index of the first element where a and b differ as float64 bit patterns (−1 if none). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

/** Magnitude spectra of varied shapes: noise, harmonic combs, silence, a constant, ramps, a single peak. */
function magnitudes(n: number, seed: number): Float64Array[] {
  const rnd = seededRandom(seed);
  const out: Float64Array[] = [];
  for (let t = 0; t < 20; t++) out.push(Float64Array.from({ length: n }, () => rnd() * rnd()));
  for (const f0Bin of [3.3, 7.9, 12.5, 31]) {
    out.push(Float64Array.from({ length: n }, (_, k) => {
      const h = Math.round(k / f0Bin);
      return h > 0 ? Math.exp(-0.5 * ((k - h * f0Bin) / 0.8) ** 2) / h + 1e-3 * rnd() : 1e-3 * rnd();
    }));
  }
  out.push(new Float64Array(n), new Float64Array(n).fill(0.5));
  out.push(Float64Array.from({ length: n }, (_, k) => k), Float64Array.from({ length: n }, (_, k) => n - k));
  const single = new Float64Array(n);
  single[Math.floor(n / 3)] = 1;
  out.push(single);
  return out;
}

for (const [fs, nfft] of [[16000, 1024], [44100, 4096], [8000, 512]] as const) {
  test(`octave scale, subharmonic sum and candidates are bit-identical to the TypeScript modules (${fs} Hz, N = ${nfft})`, () => {
    const scale = createSpectralScale(fs, nfft);
    const shs = createPitchShs(scale);
    const kernel = createPitchSpectrumKernel(layout(fs), scale.tables, shs);
    const n = scale.pointCount;
    const scaled = new Float64Array(n);
    const expected = candidates(shs.candidates);
    const actual = candidates(shs.candidates);
    for (const magnitude of magnitudes(n, nfft)) {
      scale.apply(magnitude, scaled);
      kernel.magnitude.set(magnitude);
      kernel.scaleOnly();
      assert.is(firstDifference(kernel.scaled, scaled), -1, 'octave scale');
      const expectedCount = shs.analyse(scaled, expected);
      kernel.sumOnly();
      const peakCount = kernel.peaksOnly();
      const actualCount = shs.candidatesFromPeaks(kernel.sum, kernel.mean, kernel.peaks, peakCount, actual);
      assert.is(actualCount, expectedCount);
      assert.is(firstDifference(actual.frequencies, expected.frequencies), -1, 'frequencies');
      assert.is(firstDifference(actual.scores, expected.scores), -1, 'scores');
      assert.is(firstDifference(actual.voicings, expected.voicings), -1, 'voicings');
    }
  });
}

test('window + energy + FFT equal the TypeScript framing and KissFFT bit for bit, and run() chains all stages', async () => {
  const nfft = 1024;
  const fft = await createRealFft(nfft);
  const scale = createSpectralScale(16000, nfft);
  const shs = createPitchShs(scale);
  const kernel = createPitchSpectrumKernel(layout(16000), scale.tables, shs);
  const window = gaussianWindow(960);
  const rnd = seededRandom(7);
  const n = nfft / 2 + 1;
  const magnitude = new Float64Array(n);
  const scaled = new Float64Array(n);
  const expected = candidates(shs.candidates);
  const actual = candidates(shs.candidates);
  try {
    for (let frame = 0; frame < 10; frame++) {
      const input = fft.input;
      input.fill(0);
      const f0 = 90 + 30 * frame;
      let energy = 0;
      for (let i = 0; i < 960; i++) {
        kernel.frame[i] = Math.sin((2 * Math.PI * f0 * i) / 16000) + 0.3 * (rnd() - 0.5);
        const x = kernel.frame[i] * window[i];
        input[32 + i] = x;
        energy += x * x;
      }
      fft.transform();
      const spectrum = fft.spectrum;
      for (let k = 0; k < n; k++) magnitude[k] = Math.sqrt(spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1]);
      kernel.windowFrame();
      kernel.transform();
      assert.ok(Object.is(kernel.energy, energy), 'frame energy');
      assert.is(firstDifference(kernel.spectrum, spectrum), -1, 'spectrum (KissFFT vs WebAssembly FFT)');
      const peakCount = kernel.run();
      scale.apply(magnitude, scaled);
      const expectedCount = shs.analyse(scaled, expected);
      assert.is(firstDifference(kernel.scaled, scaled), -1, 'octave scale');
      assert.is(shs.candidatesFromPeaks(kernel.sum, kernel.mean, kernel.peaks, peakCount, actual), expectedCount);
      assert.is(firstDifference(actual.frequencies, expected.frequencies), -1);
      assert.ok(Math.abs(actual.frequencies[0] - f0) < 0.05 * f0, `f0 ${f0} Hz found as ${actual.frequencies[0]}`);
    }
  } finally {
    fft.release();
  }
});

test('inconsistent harmonic tables are rejected', () => {
  const scale = createSpectralScale(16000, 1024);
  const shs = createPitchShs(scale);
  assert.throws(
    () => createPitchSpectrumKernel(layout(16000), scale.tables, { ...shs, harmonics: 3, candidates: shs.candidates }),
    (e: { code?: string }) => e.code === 'EMO_ERR_INTERNAL',
  );
});

test.run();
