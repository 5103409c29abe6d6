import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createGapNoise, partSpans, renderSequenceAudio } from '../../../src/train/data/render.ts';
import type { ManifestSequence } from '../../../src/train/data/manifest-types.ts';

const test = suite('train/data/render');

const tone = (n: number, f: number, amp: number) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / 16000));
const files: Record<string, Float32Array> = { '/a.wav': tone(16000, 440, 0.5), '/b.wav': tone(8000, 220, 0.25) };
let decodes = 0;
const decode = async (p: string): Promise<Float32Array> => {
  decodes++;
  const x = files[p];
  if (!x) throw new Error(`no file ${p}`);
  return x.slice();
};

const seq: ManifestSequence = {
  id: 'spk', domain: 'speech', group: 'spk', gapNoiseDb: -60, gapNoiseSeed: 42,
  parts: [{ audio: '/a.wav', gapBeforeS: 0.5 }, { audio: '/b.wav', gapBeforeS: 0.25, durationS: 1 }],
  targets: { segments: [{ start: 0.5, end: 1.5, category: 'x' }] },
};

const rmsDb = (x: Float32Array, from: number, to: number): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return 10 * Math.log10(s / (to - from));
};

test('parts are placed after their gaps; durationS pads with noise to the exact length', async () => {
  const out = await renderSequenceAudio(seq, decode);
  assert.is(out.length, 8000 + 16000 + 4000 + 16000);
  assert.equal(partSpans(seq, [16000, 8000]), [{ startSample: 8000, endSample: 24000 }, { startSample: 28000, endSample: 44000 }]);
  for (const i of [8000, 8123, 23999]) assert.is(out[i], files['/a.wav']![i - 8000]);
  for (const i of [28000, 35999]) assert.is(out[i], files['/b.wav']![i - 28000]);
  // Gaps and padding: low-level noise at −60 dBFS RMS, never digital silence.
  for (const [from, to] of [[0, 8000], [24000, 28000], [36000, 44000]] as const) {
    const db = rmsDb(out, from, to);
    assert.ok(Math.abs(db + 60) < 0.5, `noise [${from}, ${to}) at ${db.toFixed(2)} dBFS`);
    let zeros = 0;
    for (let i = from; i < to; i++) if (out[i] === 0) zeros++;
    assert.is(zeros, 0);
  }
});

test('gap noise is seeded: same seed same samples, other seed other samples, roughly Gaussian', async () => {
  const a = await renderSequenceAudio(seq, decode);
  const b = await renderSequenceAudio(seq, decode);
  const c = await renderSequenceAudio({ ...seq, gapNoiseSeed: 43 }, decode);
  assert.equal(Array.from(a.subarray(0, 100)), Array.from(b.subarray(0, 100)));
  assert.not.equal(Array.from(a.subarray(0, 100)), Array.from(c.subarray(0, 100)));
  const x = new Float32Array(100000);
  createGapNoise(0, 1)(x, 0, x.length);
  let m = 0, within1 = 0;
  for (const v of x) (m += v), Math.abs(v) < 1 && within1++;
  assert.ok(Math.abs(m / x.length) < 0.01, `mean ${m / x.length}`);
  assert.ok(Math.abs(within1 / x.length - 0.6827) < 0.01, `P(|x|<σ) = ${within1 / x.length}`);
});

test('gapNoiseDb "silence": gaps and padding are digital silence (+0 exactly), the parts are untouched', async () => {
  const out = await renderSequenceAudio({ ...seq, gapNoiseDb: 'silence' }, decode);
  assert.is(out.length, 44000);
  for (const [from, to] of [[0, 8000], [24000, 28000], [36000, 44000]] as const) {
    for (let i = from; i < to; i++) if (!Object.is(out[i], 0)) assert.unreachable(`sample ${i} is ${out[i]}, not +0`);
  }
  for (const i of [8000, 8123, 23999]) assert.is(out[i], files['/a.wav']![i - 8000]);
  for (const i of [28000, 35999]) assert.is(out[i], files['/b.wav']![i - 28000]);
  const x = new Float32Array(10).fill(1);
  createGapNoise(-Infinity, 5)(x, 2, 8);
  assert.equal(Array.from(x), [1, 1, 0, 0, 0, 0, 0, 0, 1, 1]);
});

test('a single-audio sequence is its decoded file; missing noise params are a dataset error', async () => {
  decodes = 0;
  const out = await renderSequenceAudio({ id: 's', domain: 'music', group: 'g', audio: '/b.wav', targets: seq.targets }, decode);
  assert.is(out.length, 8000);
  assert.is(decodes, 1);
  try {
    await renderSequenceAudio({ ...seq, gapNoiseDb: undefined }, decode);
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_DATASET');
  }
});

test.run();
