import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLldPostProcessor } from '../../src/features/lld-post.ts';
import { LLD_COLUMNS, LLD_COUNT } from '../../src/features/registry.ts';
import { smoothColumn } from '../../src/features/smoothing.ts';
import { deltaColumn, openSmileSegmentDeltas } from '../../src/features/deltas.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('lld-post');

/** Random raw rows whose voicing columns have unvoiced (zero) stretches, like real F0 contours. */
function randomRaw(frames: number, seed: number): Float32Array[] {
  const rnd = seededRandom(seed);
  let voiced = true;
  return Array.from({ length: frames }, () => {
    if (rnd() < 0.15) voiced = !voiced;
    const row = new Float32Array(LLD_COUNT);
    for (let c = 0; c < LLD_COUNT; c++) row[c] = c < 6 && !voiced ? 0 : Math.fround(100 * rnd() - 20);
    return row;
  });
}

function runStream(rows: Float32Array[], mode: 'correct' | 'opensmile-compat'): Float32Array[] {
  const out: Float32Array[] = [];
  const post = createLldPostProcessor(mode, (row, index) => {
    assert.is(index, out.length, 'rows arrive in order');
    out.push(row.slice());
  });
  for (const r of rows) post.push(r);
  post.finish();
  return out;
}

test('matches the batch smoothing and delta definitions, every frame', () => {
  for (const frames of [1, 2, 3, 4, 5, 57]) {
    const rows = randomRaw(frames, frames);
    const out = runStream(rows, 'correct');
    assert.is(out.length, frames);
    for (let c = 0; c < LLD_COUNT; c++) {
      const smoothed = smoothColumn(rows.map((r) => r[c]), LLD_COLUMNS[c].smoothing);
      const delta = deltaColumn(Float32Array.from(smoothed), LLD_COLUMNS[c].delta);
      for (let n = 0; n < frames; n++) {
        assert.ok(Math.abs(out[n][c] - smoothed[n]) <= 1e-5 * (1 + Math.abs(smoothed[n])), `sma col ${c} row ${n}`);
        assert.ok(Math.abs(out[n][LLD_COUNT + c] - delta[n]) <= 1e-4 * (1 + Math.abs(delta[n])), `delta col ${c} row ${n}: ${out[n][LLD_COUNT + c]} vs ${delta[n]}`);
      }
    }
  }
});

test('voicing deltas skip terms across unvoiced frames (zeros)', () => {
  const rows = Array.from({ length: 9 }, (_, n) => {
    const r = new Float32Array(LLD_COUNT);
    r[0] = n === 4 ? 0 : 100 + 10 * n; // an unvoiced frame in the middle of a rising F0
    return r;
  });
  const out = runStream(rows, 'correct');
  assert.is(out[4][0], 0, 'unvoiced stays 0 after noZero smoothing');
  // Smoothed F0 at 6 (neighbours 5,7 voiced): 160. Its delta uses only 7−5 (i=1) and 8−4 is skipped (4 is 0).
  const s = (k: number) => out[k][0];
  assert.ok(Math.abs(out[6][LLD_COUNT] - (s(7) - s(5)) / 10) < 1e-5);
});

test('opensmile-compat normaliser grows across frames and columns, as the batch quirk', () => {
  const rows = randomRaw(120, 7);
  const out = runStream(rows, 'opensmile-compat');
  const smoothedVoicing = Array.from({ length: 6 }, (_, c) => Float32Array.from(smoothColumn(rows.map((r) => r[c]), 'nonzero')));
  const expected = openSmileSegmentDeltas(smoothedVoicing);
  for (let c = 0; c < 6; c++) {
    for (let n = 0; n < rows.length; n++) {
      assert.ok(Math.abs(out[n][LLD_COUNT + c] - expected[c][n]) <= 1e-6 * (1 + Math.abs(expected[c][n])), `compat delta ${c}/${n}`);
    }
  }
  // And it decays: late compat deltas are much smaller than the correct ones.
  const correct = runStream(rows, 'correct');
  let lateCompat = 0, lateCorrect = 0;
  for (let n = 100; n < 118; n++) { lateCompat += Math.abs(out[n][LLD_COUNT]); lateCorrect += Math.abs(correct[n][LLD_COUNT]); }
  assert.ok(lateCompat < lateCorrect / 5, `compat ${lateCompat} vs correct ${lateCorrect}`);
});

test('emits each row 3 frames late and nothing before finish for short input', () => {
  let emitted = 0;
  const post = createLldPostProcessor('correct', () => emitted++);
  const rows = randomRaw(10, 3);
  post.push(rows[0]); post.push(rows[1]); post.push(rows[2]);
  assert.is(emitted, 0);
  post.push(rows[3]);
  assert.is(emitted, 1);
  assert.is(post.pending, 3);
  post.finish();
  assert.is(emitted, 4);
});

test.run();
