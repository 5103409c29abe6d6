/**
 * The short-frame branch with its WebAssembly kernel against the all-TypeScript reference (the TypeScript modules
 * chained as the branch did before the kernel): every raw LLD column 6 … 64 bit-identical, frame by frame.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createShortFrameBranch } from '../../src/features/short-frame-branch.ts';
import { createFrameGeometry, frameCountOf, type FrameGeometry } from '../../src/features/frame-geometry.ts';
import { COL, LLD_COLUMNS, LLD_COUNT } from '../../src/features/registry.ts';
import { createRealFft } from '../../src/features/fft.ts';
import { hammingWindow } from '../../src/features/windows.ts';
import { rmsEnergy, zeroCrossingRate } from '../../src/features/energy.ts';
import { applyMelFilterbank, createMelFilterbank } from '../../src/features/mel-filterbank.ts';
import { auditorySpectrum, createEqualLoudnessTable, createRastaFilter } from '../../src/features/auditory-spectrum.ts';
import { bandEnergy, createBandEnergyTable } from '../../src/features/band-energy.ts';
import { createSpectralShapeTables, spectralShapeInto } from '../../src/features/spectral-shape.ts';
import { createMfccTable, mfccInto } from '../../src/features/mfcc.ts';
import { createShortFrameKernel, SHORT_OUT_ENTROPY, SHORT_OUT_TOTAL } from '../../src/features/short-frame-wasm.ts';
import { availableClips, loadGoldenClip } from '../fixtures/golden.ts';
import { impulse, noise, seededRandom, silence, sine } from '../fixtures/signals.ts';

const test = suite('short-frame-wasm');

/** The branch as pure TypeScript: the module functions in the order the branch used them before the kernel. */
async function referenceBranch(g: FrameGeometry) {
  const window = hammingWindow(g.shortLength);
  const bins = g.shortFftSize / 2 + 1;
  let magnitude = new Float32Array(bins);
  let previous = new Float32Array(bins);
  let havePrevious = false;
  const power = new Float32Array(bins);
  const bank = createMelFilterbank(g.sampleRateHz, g.shortFftSize);
  const mel = new Float64Array(bank.bandCount);
  const loudness = createEqualLoudnessTable(bank);
  const audspec = new Float64Array(bank.bandCount);
  const rastaBands = new Float64Array(bank.bandCount);
  const rasta = createRastaFilter(loudness);
  const low = createBandEnergyTable(250, 650, g.sampleRateHz, g.shortFftSize);
  const high = createBandEnergyTable(1000, 4000, g.sampleRateHz, g.shortFftSize);
  const shape = createSpectralShapeTables(g.sampleRateHz, g.shortFftSize);
  const mfcc = createMfccTable(bank.bandCount);
  const fft = await createRealFft(g.shortFftSize);
  fft.input.fill(0);
  return {
    analyse(samples: Float32Array, start: number, row: Float32Array): void {
      row[COL.RMS] = rmsEnergy(samples, start, g.shortLength);
      row[COL.ZCR] = zeroCrossingRate(samples, start, g.longLength);
      const input = fft.input;
      for (let i = 0; i < g.shortLength; i++) input[g.shortPad + i] = samples[start + i] * window[i];
      fft.transform();
      const spectrum = fft.spectrum;
      for (let k = 0; k < bins; k++) {
        const p = spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1];
        power[k] = p;
        magnitude[k] = Math.sqrt(p);
      }
      applyMelFilterbank(bank, power, mel);
      row[COL.LOUDNESS] = auditorySpectrum(mel, loudness, audspec);
      row[COL.RASTA_LOUDNESS] = rasta.process(mel, rastaBands);
      for (let b = 0; b < bank.bandCount; b++) row[COL.RASTA_BANDS + b] = rastaBands[b];
      row[COL.FBAND_250_650] = bandEnergy(low, power);
      row[COL.FBAND_1000_4000] = bandEnergy(high, power);
      spectralShapeInto(shape, magnitude, power, havePrevious ? previous : null, row, COL.ROLLOFF);
      mfccInto(mfcc, mel, row, COL.MFCC);
      [previous, magnitude] = [magnitude, previous];
      havePrevious = true;
    },
    release: () => fft.release(),
  };
}

/** Runs both over every frame; returns the first differing (frame, column) or null. */
async function firstDifference(samples: Float32Array, g: FrameGeometry): Promise<string | null> {
  const branch = await createShortFrameBranch(g);
  const reference = await referenceBranch(g);
  const a = new Float32Array(LLD_COUNT), b = new Float32Array(LLD_COUNT);
  try {
    for (let k = 0; k < frameCountOf(samples.length, g); k++) {
      branch.analyse(samples, k * g.hop, a);
      reference.analyse(samples, k * g.hop, b);
      for (let c = 6; c < LLD_COUNT; c++) {
        if (!Object.is(a[c], b[c])) return `frame ${k}, ${LLD_COLUMNS[c].name}: kernel ${a[c]}, reference ${b[c]}`;
      }
    }
  } finally {
    branch.release();
    reference.release();
  }
  return null;
}

/** Signals with every kind of frame: noise, tones, silence, impulses, clipping, tiny values, exact zeros and ±0. */
function signals(fs: number): [string, Float32Array][] {
  const rnd = seededRandom(fs);
  const tiny = noise(0.5, fs, 1e-30, 3);
  const clipped = sine(150, 0.5, fs, 3).map((v) => Math.max(-1, Math.min(1, v)));
  const sparse = Float32Array.from({ length: Math.round(0.5 * fs) }, () => (rnd() < 0.2 ? (rnd() < 0.5 ? -0 : 0) : rnd() - 0.5));
  const steps = Float32Array.from({ length: Math.round(0.5 * fs) }, (_, i) => [0, 0.25, -0.25, 0, 1][Math.floor(i / 37) % 5]);
  return [
    ['noise', noise(0.6, fs, 0.3, 7)], ['sine', sine(440, 0.5, fs)], ['silence', silence(0.3, fs)],
    ['impulse', impulse(0.3, 1000, fs)], ['clipped', clipped], ['tiny', tiny], ['sparse zeros', sparse], ['steps', steps],
  ];
}

for (const fs of [16000, 8000, 44100]) {
  test(`bit-identical to the TypeScript modules on varied signals at ${fs} Hz`, async () => {
    const g = createFrameGeometry(fs);
    for (const [name, samples] of signals(fs)) assert.is(await firstDifference(samples, g), null, `${name} at ${fs} Hz`);
  });
}

test('bit-identical on every golden clip (speech, music, synthetic; 16 and 44.1 kHz)', async () => {
  for (const name of availableClips()) {
    const clip = loadGoldenClip(name);
    assert.is(await firstDifference(clip.samples, createFrameGeometry(clip.sampleRateHz)), null, name);
  }
});

/** Index of the first element where a and b differ as bit patterns (−1 if none). */
function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

for (const fs of [16000, 8000, 44100]) {
  test(`kernel outputs equal the TypeScript functions' float64 results exactly (${fs} Hz, random frames and spectra)`, () => {
    const g = createFrameGeometry(fs);
    const bins = g.shortFftSize / 2 + 1;
    const bank = createMelFilterbank(fs, g.shortFftSize);
    const low = createBandEnergyTable(250, 650, fs, g.shortFftSize);
    const high = createBandEnergyTable(1000, 4000, fs, g.shortFftSize);
    const shape = createSpectralShapeTables(fs, g.shortFftSize);
    const window = hammingWindow(g.shortLength);
    const kernel = createShortFrameKernel({ shortLength: g.shortLength, longLength: g.longLength, fftSize: g.shortFftSize, pad: g.shortPad, window, bank, lowBand: low, highBand: high, shape });
    const rnd = seededRandom(fs + 1);
    const power = new Float32Array(bins), magnitude = new Float32Array(bins), previous = new Float32Array(bins);
    const mel = new Float64Array(bank.bandCount), values = new Float64Array(13);
    for (let t = 0; t < 300; t++) {
      const scale = 10 ** (8 * rnd() - 6);
      const sparse = t % 3 === 0;
      for (let i = 0; i < g.longLength; i++) kernel.frame[i] = sparse && rnd() < 0.3 ? (rnd() < 0.5 ? -0 : 0) : scale * (rnd() - 0.5);
      kernel.analyseTime();
      assert.ok(Object.is(kernel.out[0], rmsEnergy(kernel.frame, 0, g.shortLength)), `RMS, trial ${t}`);
      assert.ok(Object.is(kernel.out[1], zeroCrossingRate(kernel.frame, 0, g.longLength)), `ZCR, trial ${t}`);
      assert.is(firstMismatch(kernel.windowed, kernel.frame.subarray(0, g.shortLength).map((x, i) => x * window[i])), -1, `windowed, trial ${t}`);

      for (let i = 0; i < 2 * bins; i++) kernel.spectrum[i] = t % 7 === 0 ? 0 : scale * 100 * (rnd() - 0.5) * (rnd() < 0.1 ? 30 : 1);
      const withFlux = t % 5 !== 0;
      kernel.analyseSpectrum(withFlux);
      for (let k = 0; k < bins; k++) {
        const re = kernel.spectrum[2 * k], im = kernel.spectrum[2 * k + 1];
        power[k] = re * re + im * im;
        magnitude[k] = Math.sqrt(re * re + im * im);
      }
      assert.is(firstMismatch(kernel.power, power), -1, `power, trial ${t}`);
      applyMelFilterbank(bank, power, mel);
      assert.is(firstMismatch(kernel.mel, mel), -1, `mel, trial ${t}`);
      assert.ok(Object.is(kernel.out[0], bandEnergy(low, power)), `fband 250-650, trial ${t}`);
      assert.ok(Object.is(kernel.out[1], bandEnergy(high, power)), `fband 1000-4000, trial ${t}`);
      spectralShapeInto(shape, magnitude, power, withFlux ? previous : null, values as unknown as Float32Array, 0);
      let total = 0;
      for (let k = 1; k < bins; k++) total += power[k];
      values[SHORT_OUT_ENTROPY - 2] = kernel.out[SHORT_OUT_ENTROPY]; // the entropy is not the kernel's
      assert.is(firstMismatch(kernel.out.subarray(2, 15), values), -1, `spectral shape, trial ${t}: ${kernel.out.subarray(2, 15)} vs ${values}`);
      assert.ok(Object.is(kernel.out[SHORT_OUT_TOTAL], total), `total, trial ${t}`);
      previous.set(magnitude);
    }
  });
}

test.run();
