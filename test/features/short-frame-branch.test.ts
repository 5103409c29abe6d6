import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createShortFrameBranch, SHORT_BRANCH_FIRST_COLUMN, SHORT_BRANCH_LAST_COLUMN } from '../../src/features/short-frame-branch.ts';
import { createFrameGeometry, frameCountOf, type FrameGeometry } from '../../src/features/frame-geometry.ts';
import { COL, LLD_COLUMNS } from '../../src/features/registry.ts';
import { smoothColumn } from '../../src/features/smoothing.ts';
import { availableClips, loadGoldenClip, maxRelativeError } from '../fixtures/golden.ts';
import { noise, silence, sine } from '../fixtures/signals.ts';

const test = suite('short-frame-branch');
const FIRST = SHORT_BRANCH_FIRST_COLUMN;
const LAST = SHORT_BRANCH_LAST_COLUMN;
/** The floor; the measured worst case is ≈ 3e-4 (MFCC on pure tones, float32 FFT) and ≈ 1e-5 elsewhere. */
const PARITY_TOLERANCE = 1e-3;

/** Runs the branch over every frame of `samples`; returns one Float64Array per column 0 … 64 (0 … 5 stay NaN). */
async function analyseAll(samples: Float32Array, geometry: FrameGeometry): Promise<Float64Array[]> {
  const branch = await createShortFrameBranch(geometry);
  const n = frameCountOf(samples.length, geometry);
  const columns = Array.from({ length: 65 }, () => new Float64Array(n));
  const row = new Float32Array(65);
  for (let k = 0; k < n; k++) {
    row.fill(NaN);
    branch.analyse(samples, k * geometry.hop, row);
    for (let c = 0; c < 65; c++) columns[c][k] = row[c];
  }
  branch.release();
  return columns;
}

function assertAllFinite(columns: Float64Array[], label: string): void {
  for (let c = FIRST; c <= LAST; c++) {
    for (const v of columns[c]) assert.ok(Number.isFinite(v), `${label}: ${LLD_COLUMNS[c].name} = ${v}`);
  }
}

test('writes exactly columns 6 … 64', async () => {
  assert.is(FIRST, 6);
  assert.is(LAST, 64);
  const g = createFrameGeometry(16000);
  const cols = await analyseAll(noise(0.5, 16000), g);
  for (let c = 0; c < FIRST; c++) assert.ok(cols[c].every(Number.isNaN), `column ${c} touched`);
  assertAllFinite(cols, 'noise');
});

test('parity with openSMILE golden files on every available clip (rows 0 … N−3, smoothed)', async () => {
  const worst = new Map<string, { error: number; clip: string }>();
  for (const name of availableClips()) {
    const clip = loadGoldenClip(name);
    const g = createFrameGeometry(clip.sampleRateHz);
    const cols = await analyseAll(clip.samples, g);
    assert.is(cols[FIRST].length, clip.rows - 1, `${name}: frame count`);
    for (let c = FIRST; c <= LAST; c++) {
      const column = LLD_COLUMNS[c].name;
      const golden = clip.values.get(column);
      assert.ok(golden, `${name}: golden column ${column}`);
      const error = maxRelativeError(smoothColumn(cols[c], 'plain'), golden, clip.rows - 2);
      const previous = worst.get(column);
      if (!previous || previous.error < error) worst.set(column, { error, clip: name });
      assert.ok(error <= PARITY_TOLERANCE, `${name}: ${column} max error ${error.toExponential(2)} × peak`);
    }
  }
  const overall = [...worst.entries()].sort((a, b) => b[1].error - a[1].error);
  console.log(`  short-frame parity, ${availableClips().length} clips, worst columns (max |err| / peak):`);
  for (const [column, { error, clip }] of overall.slice(0, 5)) console.log(`    ${column} ${error.toExponential(2)} (${clip})`);
  const median = overall[Math.floor(overall.length / 2)][1].error;
  console.log(`    median column worst ${median.toExponential(2)}`);
});

test('sine analytic values: RMS A/√2, ZCR 2f/fs, centroid and roll-offs at f, flux ≈ 0 once stationary', async () => {
  const fs = 16000, f = 500, a = 0.5; // 500 Hz: a 10 ms hop is 5 whole periods
  const g = createFrameGeometry(fs);
  const cols = await analyseAll(sine(f, 0.5, fs, a), g);
  const n = cols[FIRST].length;
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs(cols[COL.RMS][k] - a / Math.SQRT2) < 1e-5);
    assert.ok(Math.abs(cols[COL.ZCR][k] - (2 * f) / fs) <= 2 / g.longLength);
    assert.ok(Math.abs(cols[COL.CENTROID][k] - f) < 25);
    for (let r = 0; r < 4; r++) assert.ok(Math.abs(cols[COL.ROLLOFF + r][k] - f) <= 2 * (fs / g.shortFftSize));
    assert.ok(cols[COL.FBAND_250_650][k] > 1e3 * cols[COL.FBAND_1000_4000][k]);
  }
  assert.is(cols[COL.FLUX][0], 0);
  for (let k = 1; k < n; k++) assert.ok(cols[COL.FLUX][k] < 1e-3, `flux ${cols[COL.FLUX][k]}`);
});

test('louder input → higher loudness by the 0.33 power law; MFCC 1…14 are gain-invariant except via the floor', async () => {
  const g = createFrameGeometry(16000);
  const x = noise(0.3, 16000, 0.1, 9);
  const y = x.map((v) => 2 * v);
  const cx = await analyseAll(x, g);
  const cy = await analyseAll(y, g);
  for (let k = 0; k < cx[FIRST].length; k++) {
    assert.ok(Math.abs(cy[COL.LOUDNESS][k] / cx[COL.LOUDNESS][k] - Math.pow(4, 0.33)) < 1e-4);
    for (let i = 0; i < 14; i++) assert.ok(Math.abs(cy[COL.MFCC + i][k] - cx[COL.MFCC + i][k]) < 1e-3);
  }
});

test('digital silence: finite, well-defined values', async () => {
  const g = createFrameGeometry(16000);
  const cols = await analyseAll(silence(0.3), g);
  assertAllFinite(cols, 'silence');
  const binHz = 16000 / g.shortFftSize;
  for (let k = 0; k < cols[FIRST].length; k++) {
    assert.is(cols[COL.RMS][k], 0);
    assert.ok(Math.abs(cols[COL.ZCR][k] - (g.longLength - 2) / g.longLength) < 1e-7);
    for (let r = 0; r < 4; r++) assert.is(cols[COL.ROLLOFF + r][k], binHz);
    for (const c of [COL.FLUX, COL.CENTROID, COL.ENTROPY, COL.VARIANCE, COL.SKEWNESS, COL.KURTOSIS, COL.SLOPE, COL.SHARPNESS,
      COL.HARMONICITY, COL.FBAND_250_650, COL.FBAND_1000_4000]) assert.is(cols[c][k], 0);
    for (let i = 0; i < 14; i++) assert.is(cols[COL.MFCC + i][k], 0);
    assert.ok(cols[COL.LOUDNESS][k] > 0 && cols[COL.LOUDNESS][k] < 1e-2);
    // RASTA on a constant log spectrum: the band-pass output stays 0.
    assert.ok(Math.abs(cols[COL.RASTA_LOUDNESS][k] - cols[COL.RASTA_LOUDNESS][0]) < 1e-6);
  }
});

test('8, 44.1, 48 and 96 kHz: finite everywhere, sine centroid near f', async () => {
  for (const fs of [8000, 44100, 48000, 96000]) {
    const g = createFrameGeometry(fs);
    const signal = new Float32Array(Math.round(0.4 * fs));
    const tone = sine(1000, 0.4, fs, 0.4);
    const hiss = noise(0.4, fs, 0.01, 5);
    for (let i = 0; i < signal.length; i++) signal[i] = i < signal.length / 3 ? 0 : tone[i] + hiss[i];
    const cols = await analyseAll(signal, g);
    assertAllFinite(cols, `${fs} Hz`);
    const last = cols[FIRST].length - 1;
    assert.ok(Math.abs(cols[COL.CENTROID][last] - 1000) < 150, `${fs} Hz centroid ${cols[COL.CENTROID][last]}`);
    assert.ok(Math.abs(cols[COL.ZCR][last] - 2000 / fs) < 0.01);
  }
});

test('reset() makes the branch behave like a fresh one; start indexes into the caller buffer', async () => {
  const g = createFrameGeometry(16000);
  const x = noise(0.5, 16000, 0.2, 11);
  const branch = await createShortFrameBranch(g);
  const fresh = await createShortFrameBranch(g);
  const a = new Float32Array(65);
  const b = new Float32Array(65);
  for (let k = 0; k < 10; k++) branch.analyse(x, k * g.hop, a);
  branch.reset();
  const offset = 1234;
  const shifted = new Float32Array(x.length + offset);
  shifted.set(x, offset);
  for (let k = 0; k < 8; k++) {
    branch.analyse(x, k * g.hop, a);
    fresh.analyse(shifted, offset + k * g.hop, b);
    for (let c = FIRST; c <= LAST; c++) assert.is(a[c], b[c], `frame ${k} column ${c}`);
  }
  branch.release();
  branch.release(); // idempotent
  fresh.release();
});

test.run();
