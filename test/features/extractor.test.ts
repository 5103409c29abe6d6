import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLldExtractor, extractLlds } from '../../src/features/extractor.ts';
import { FRAME_WIDTH } from '../../src/features/registry.ts';
import { loadGoldenClip } from '../fixtures/golden.ts';
import { noise, seededRandom, silence, sine } from '../fixtures/signals.ts';

const test = suite('extractor');

async function streamInChunks(samples: Float32Array, sampleRateHz: number, nextChunk: () => number): Promise<Float32Array> {
  const rows: number[] = [];
  let expectIndex = 0;
  const ex = await createLldExtractor({ sampleRateHz }, (row, index) => {
    assert.is(index, expectIndex++);
    for (let i = 0; i < row.length; i++) rows.push(row[i]);
  });
  for (let offset = 0; offset < samples.length;) {
    const n = Math.min(samples.length - offset, nextChunk());
    ex.push(samples.subarray(offset, offset + n));
    offset += n;
  }
  ex.finish();
  ex.release();
  return Float32Array.from(rows);
}

test('random chunk sizes give bit-identical rows to whole-signal extraction', async () => {
  const clip = loadGoldenClip('speech1_16k');
  const whole = await extractLlds(clip.samples, { sampleRateHz: 16000 });
  for (const seed of [1, 2, 3]) {
    const rnd = seededRandom(seed);
    const sizes = [1, 7, 160, 333, 1024, 4801];
    const streamed = await streamInChunks(clip.samples, 16000, () => (rnd() < 0.2 ? sizes[Math.floor(rnd() * sizes.length)] : 1 + Math.floor(rnd() * 3000)));
    assert.is(streamed.length, whole.rows.length);
    let differing = 0;
    for (let i = 0; i < streamed.length; i++) if (!Object.is(streamed[i], whole.rows[i])) differing++;
    assert.is(differing, 0, `seed ${seed}: ${differing} values differ`);
  }
});

test('44.1 kHz streaming in 1-sample and odd chunks equals whole-signal extraction', async () => {
  const clip = loadGoldenClip('saw220vib_44k');
  const part = clip.samples.subarray(0, 44100); // 1 s keeps the 1-sample case quick
  const whole = await extractLlds(part, { sampleRateHz: 44100 });
  const ones = await streamInChunks(part.subarray(0, 8000), 44100, () => 1);
  const wholeShort = await extractLlds(part.subarray(0, 8000), { sampleRateHz: 44100 });
  assert.equal(Array.from(ones), Array.from(wholeShort.rows));
  const odd = await streamInChunks(part, 44100, () => 441 * 3 + 1);
  assert.equal(Array.from(odd), Array.from(whole.rows));
});

test('row count: one per complete 60 ms frame; shorter input gives none', async () => {
  assert.is((await extractLlds(sine(200, 1), { sampleRateHz: 16000 })).count, 95); // (16000 − 960)/160 + 1
  assert.is((await extractLlds(new Float32Array(959), { sampleRateHz: 16000 })).count, 0);
  assert.is((await extractLlds(new Float32Array(960), { sampleRateHz: 16000 })).count, 1);
});

test('silence, clipping, noise and tones give finite rows at 8, 16, 44.1 and 96 kHz', async () => {
  const square = sine(150, 1, 16000, 4).map((v) => Math.max(-1, Math.min(1, v))); // full-scale clipping
  for (const [name, signal, rate] of [
    ['silence', silence(1), 16000], ['clipped', square, 16000], ['noise', noise(1), 16000],
    ['8 kHz tone', sine(300, 1, 8000), 8000], ['96 kHz tone', sine(300, 0.5, 96000), 96000], ['44.1 kHz noise', noise(0.5, 44100), 44100],
  ] as const) {
    const { rows, count } = await extractLlds(signal as Float32Array, { sampleRateHz: rate as number });
    assert.ok(count > 0, name);
    for (let i = 0; i < rows.length; i++) assert.ok(Number.isFinite(rows[i]), `${name}: non-finite value in column ${i % FRAME_WIDTH}`);
  }
});

test('a voiced tone is tracked: F0 column ≈ 220 Hz after smoothing', async () => {
  const clip = loadGoldenClip('saw220vib_16k');
  const { rows, count } = await extractLlds(clip.samples, { sampleRateHz: 16000 });
  let voiced = 0;
  for (let r = 10; r < count - 10; r++) if (Math.abs(rows[r * FRAME_WIDTH] - 220) < 15) voiced++;
  assert.ok(voiced > 0.9 * (count - 20), `voiced frames near 220 Hz: ${voiced}`);
});

test('correct voicing deltas do not decay over time, the compat ones do', async () => {
  const clip = loadGoldenClip('saw220vib_16k');
  const correct = await extractLlds(clip.samples, { sampleRateHz: 16000 });
  const compat = await extractLlds(clip.samples, { sampleRateHz: 16000, voicingDeltas: 'opensmile-compat' });
  const meanAbs = (rows: Float32Array, from: number, to: number) => {
    let s = 0;
    for (let r = from; r < to; r++) s += Math.abs(rows[r * FRAME_WIDTH + 65]);
    return s / (to - from);
  };
  const early = meanAbs(correct.rows, 20, 60), late = meanAbs(correct.rows, 330, 370);
  assert.ok(late > 0.3 * early, `correct: early ${early}, late ${late}`);
  assert.ok(meanAbs(compat.rows, 330, 370) < 0.2 * late, 'compat deltas have shrunk');
});

test('rejects a bad option and push after finish', async () => {
  const bad = await createLldExtractor({ sampleRateHz: 16000, voicingDeltas: 'x' as never }, () => {}).then(() => null, (e) => e);
  assert.is(bad?.code, 'EMO_ERR_BAD_CONFIG');
  const badRate = await createLldExtractor({ sampleRateHz: 4000 }, () => {}).then(() => null, (e) => e);
  assert.is(badRate?.code, 'EMO_ERR_BAD_AUDIO');
  const ex = await createLldExtractor({ sampleRateHz: 16000 }, () => {});
  ex.finish();
  assert.throws(() => ex.push(new Float32Array(10)), /after finish/);
  ex.release();
});

test.run();
