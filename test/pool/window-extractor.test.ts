import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createWindowExtractor, extractWindowMatrix, paddedLength, type FeatureWindow } from '../../src/pool/window-extractor.ts';
import { extractLlds } from '../../src/features/extractor.ts';
import { poolRows } from '../../src/pool/pooler.ts';
import { testAudio16k } from '../pipeline/helpers.ts';

const test = suite('pool/window-extractor');

test('a 10.0 s input ends at t = 10: the tail is padded by 50 ms so the last whole second gets its window', async () => {
  const audio = testAudio16k(10, 2).samples;
  assert.is(paddedLength(audio.length, 16000), 160800, '(999 × 160) + 960 samples');
  const padded = await extractWindowMatrix(audio, { inputRateHz: 16000 });
  assert.is(padded.count, 9, 'windows ending at 2 … 10 s');
  const unpadded = await extractWindowMatrix(audio, { inputRateHz: 16000, padTail: false });
  assert.is(unpadded.count, 8, 'without padding the last window (t = 10) never completes');
  assert.equal(Array.from(padded.windows.subarray(0, 8 * 260)), Array.from(unpadded.windows), 'padding changes only the last window');
  // 10.5 s needs no padding for t = 10 and gets no window for t = 11 (only 0.5 s of it exists).
  assert.is(paddedLength(Math.round(10.5 * 16000), 16000), Math.round(10.5 * 16000));
});

test('windows equal the LLD extractor + pooler of the same samples; frames are the real frames only', async () => {
  const audio = testAudio16k(5.05, 4).samples; // exactly 500 frames: no padding needed for t = 5
  const frames: number[] = [];
  const windows: FeatureWindow[] = [];
  const x = await createWindowExtractor({ inputRateHz: 16000 }, (w) => windows.push(w), (_row, i) => frames.push(i));
  for (let at = 0; at < audio.length; at += 1234) x.push(audio.subarray(at, at + 1234));
  x.finish();
  x.release();
  const lld = await extractLlds(audio, { sampleRateHz: 16000 });
  const pooled = poolRows(lld.rows, lld.count);
  assert.is(windows.length, pooled.count);
  windows.forEach((w, k) => assert.equal(Array.from(w.features), Array.from(pooled.features.subarray(k * 260, (k + 1) * 260))));
  assert.equal(windows.map((w) => w.endTimeS), [2, 3, 4, 5]);
  assert.is(frames.length, lld.count, 'one frame callback per real frame');
});

test('44.1 kHz input is resampled to 16 kHz by the same streaming resampler whatever the chunking', async () => {
  const fs = 44100, n = Math.round(3.2 * fs);
  const audio = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / fs) * (1 + 0.5 * Math.sin(i / 9000)));
  const whole = await extractWindowMatrix(audio, { inputRateHz: fs });
  const parts: Float32Array[] = [];
  const x = await createWindowExtractor({ inputRateHz: fs }, (w) => parts.push(w.features));
  for (let at = 0; at < n; at += 777) x.push(audio.subarray(at, at + 777));
  x.finish();
  x.release();
  assert.is(x.analysisRateHz, 16000);
  assert.is(parts.length, whole.count);
  parts.forEach((p, k) => assert.equal(Array.from(p), Array.from(whole.windows.subarray(k * 260, (k + 1) * 260))));
});

test('bad input rate and non-finite features are clear errors', async () => {
  const err = await createWindowExtractor({ inputRateHz: 4000 }, () => {}).then(() => undefined, (e: Error) => e);
  assert.match(String(err?.message), /sample rate must be 8000–192000 Hz, got 4000/);
  const x = await createWindowExtractor({ inputRateHz: 16000, name: 'nan-stream' }, () => {});
  const bad = new Float32Array(48000).fill(0.1);
  bad[100] = NaN;
  assert.throws(() => { x.push(bad); x.finish(); }, /nan-stream: pooled feature \d+ of window 0 is NaN/);
  x.release();
});

test.run();
