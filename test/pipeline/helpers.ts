/**
 * Shared helpers of the pipeline and server tests: a test-fixture model written to a temp file, deterministic test
 * audio that is exactly representable as s16le (so a WAV file and an ingest stream carry identical samples), small
 * collectors, and `testUnless` (skips with a printed reason).
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import type { Callback, Test } from 'uvu';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestModelWeights, writeLstmModel } from '../../src/model/index.ts';
import { createLldExtractor } from '../../src/features/extractor.ts';
import { createPooler, POOLED_FEATURE_NAMES, POOLED_WIDTH } from '../../src/pool/pooler.ts';
import { encodeWav } from '../../src/audio/wav.ts';
import { seededRandom } from '../fixtures/signals.ts';

/** A temporary directory removed by `cleanup()`. */
export function tempDir(prefix: string): { readonly path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `emostream-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

/**
 * Writes a test-fixture model (random weights, `seed`) to `dir`. Its feature standardisation is measured on pooled
 * features of test audio (so outputs react to the audio instead of saturating); `targetStd` widens the output range.
 */
export async function writeTestModel(dir: string, seed = 7, targetStd = 0.5, targetMean?: readonly [number, number]): Promise<string> {
  const path = join(dir, `test-${seed}${targetMean ? '-centred' : ''}.onnx`);
  const windows: Float32Array[] = [];
  const pooler = createPooler((f) => windows.push(f.slice()));
  const extractor = await createLldExtractor({ sampleRateHz: 16000 }, (row) => pooler.push(row));
  for (const s of [1, 4]) extractor.push(testAudio16k(6, s).samples);
  extractor.finish();
  extractor.release();
  const n = POOLED_WIDTH;
  const mean = new Float32Array(n);
  const std = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    let m = 0;
    for (const w of windows) m += w[c];
    m /= windows.length;
    let v = 0;
    for (const w of windows) v += (w[c] - m) ** 2;
    mean[c] = m;
    std[c] = Math.max(1e-3, Math.sqrt(v / windows.length));
  }
  const weights = createTestModelWeights(seed);
  const bytes = writeLstmModel({ ...weights, featureMean: mean, featureStd: std, targetStd: Float32Array.of(targetStd, targetStd),
    ...(targetMean ? { targetMean: Float32Array.from(targetMean) } : {}) }, {
    featureNames: POOLED_FEATURE_NAMES, domain: 'speech', trainingData: `none: random weights, seed ${seed}`,
    purpose: 'test-fixture', modelVersion: `test-${seed}`, created: '2000-01-01T00:00:00.000Z',
  });
  writeFileSync(path, bytes);
  return path;
}

/**
 * `seconds` of 16 kHz test audio quantised to int16/32767 (so s16le bytes and a 16-bit WAV decode to the very same
 * floats): a sequence of tone / noise / gliding-tone segments of 0.7 s each, different per seed.
 */
export function testAudio16k(seconds: number, seed = 1): { readonly samples: Float32Array; readonly s16le: Uint8Array } {
  const n = Math.round(seconds * 16000);
  const random = seededRandom(seed);
  const samples = new Float32Array(n);
  const s16le = new Uint8Array(2 * n);
  const view = new DataView(s16le.buffer);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const segment = Math.floor(i / 11200) % 3;
    const f = 150 + 80 * Math.sin(i / 8000) + 40 * ((seed + Math.floor(i / 11200)) % 4);
    phase += (2 * Math.PI * f) / 16000;
    const x = segment === 0 ? 0.4 * Math.sin(phase) : segment === 1 ? 0.25 * (2 * random() - 1) : 0.3 * Math.sin(phase) * Math.sin(phase / 3);
    const v = Math.round(x * 32767);
    view.setInt16(2 * i, v, true);
    samples[i] = v / 32767;
  }
  return { samples, s16le };
}

/** Writes `samples` (16 kHz mono) as a 16-bit WAV file; returns its path. */
export function writeWav16k(dir: string, name: string, samples: Float32Array): string {
  const path = join(dir, name);
  writeFileSync(path, encodeWav([samples], 16000, 's16'));
  return path;
}

/**
 * Registers tests on `test`, or, when `reason` is given, as `test.skip` with the reason printed as
 * `[skip] <title>: <reason>` (test/run.mjs collects these lines and lists them in its summary). A skip is decided
 * before the test runs, never by an early return inside it, so a skipped test is counted as skipped, not passed.
 */
export function testUnless(test: Test, reason: string | undefined): (title: string, fn: Callback) => void {
  return (title, fn) => {
    if (reason === undefined) return test(title, fn);
    console.log(`[skip] ${title}: ${reason}`);
    test.skip(title, fn);
  };
}
