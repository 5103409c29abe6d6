import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPitchShs, type PitchCandidateArrays } from '../../src/features/pitch-shs.ts';
import { createSpectralScale, type OctaveGrid } from '../../src/features/spectral-scale.ts';

const test = suite('pitch-shs');

const grid: OctaveGrid = createSpectralScale(16000, 1024);
const n = grid.pointCount;
const pointOf = (hz: number): number => (Math.log2(hz) - grid.log2MinHz) / grid.log2Step;
const candidates = (): PitchCandidateArrays => ({
  frequencies: new Float64Array(6),
  scores: new Float64Array(6),
  voicings: new Float64Array(6),
});

/** An octave-scale spectrum with narrow bumps at the harmonics h·f0 (amplitude 1/h), up to 4 kHz. */
function harmonicSpectrum(f0: number): Float64Array {
  const y = new Float64Array(n);
  for (let h = 1; h * f0 < 4000; h++) {
    const c = pointOf(h * f0);
    for (let j = Math.floor(c) - 3; j <= Math.ceil(c) + 3; j++) {
      if (j >= 0 && j < n) y[j] += Math.exp(-0.5 * ((j - c) / 1.2) ** 2) / h;
    }
  }
  return y;
}

test('harmonic spectrum: the best candidate is the fundamental, strongly voiced', () => {
  const shs = createPitchShs(grid);
  for (const f0 of [80, 140, 220, 400]) {
    const out = candidates();
    const count = shs.analyse(harmonicSpectrum(f0), out);
    assert.ok(count >= 1);
    assert.ok(Math.abs(out.frequencies[0] / f0 - 1) < 0.01, `f0 ${f0}: got ${out.frequencies[0]}`);
    assert.ok(out.voicings[0] > 0.7, `voicing ${out.voicings[0]}`);
  }
});

test('candidates: inside [52, 620] Hz, best score in slot 0, empty slots zero, voicing = 1 − mean/score', () => {
  const shs = createPitchShs(grid);
  const out = candidates();
  const y = harmonicSpectrum(180);
  const count = shs.analyse(y, out);
  for (let c = 0; c < count; c++) {
    assert.ok(out.frequencies[c] >= 52 && out.frequencies[c] <= 620);
    assert.ok(out.scores[c] <= out.scores[0]);
    assert.ok(out.voicings[c] >= 0 && out.voicings[c] < 1);
  }
  for (let c = count; c < 6; c++) assert.ok(out.frequencies[c] === 0 && out.voicings[c] === 0 && out.scores[c] === 0);
  // The voicing of slot 0 against the mean of the subharmonic sum computed here directly.
  let mean = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let h = 1; h <= 15; h++) {
      const k = j + Math.floor(grid.pointsPerOctave * Math.log2(h));
      if (k < n) s += 0.85 ** (h - 1) * y[k];
    }
    mean += s / 15;
  }
  mean /= n;
  assert.ok(Math.abs(out.voicings[0] - (1 - mean / out.scores[0])) < 1e-12);
});

test('a flat or empty spectrum gives no candidate and leaves no stale values', () => {
  const shs = createPitchShs(grid);
  const out = candidates();
  shs.analyse(harmonicSpectrum(200), out);
  assert.is(shs.analyse(new Float64Array(n), out), 0);
  assert.ok(out.frequencies.every((v) => v === 0) && out.voicings.every((v) => v === 0));
});

test('rejects invalid options', () => {
  assert.throws(() => createPitchShs(grid, { harmonics: 0 }), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
  assert.throws(() => createPitchShs(grid, { minPitchHz: 700 }), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
});

test.run();
