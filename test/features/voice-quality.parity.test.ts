/**
 * Golden parity of jitterLocal, jitterDDP, shimmerLocal and logHNR (recipe 5.4), driven by the gated, unsmoothed F0 of
 * the pitch branch (recipe 5.3; the golden F0final_sma is smoothed and cannot drive the stage). Compared after the
 * non-zero 3-frame mean on rows 0 … N−7 (the reference's end-of-input artifact touches the last six rows).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createVoiceQuality, VOICE_QUALITY_WIDTH } from '../../src/features/voice-quality.ts';
import { createFrameGeometry, frameCountOf, type FrameGeometry } from '../../src/features/frame-geometry.ts';
import { smoothColumn } from '../../src/features/smoothing.ts';
import { createPitchBranch } from '../../src/features/pitch-branch.ts';
import { availableClips, loadGoldenClip, maxRelativeError, pearson } from '../fixtures/golden.ts';

const test = suite('voice-quality parity');

const COLUMNS = ['jitterLocal_sma', 'jitterDDP_sma', 'shimmerLocal_sma', 'logHNR_sma'] as const;
/** Max |error| / column peak allowed on rows 0 … N−7 (the recipe reaches ≤ 1.1e-5; the floor is 1e-3). */
const MAX_RELATIVE_ERROR = 1e-4;
/** Smallest Pearson r allowed on rows 0 … N−7 (the floor is 0.90). */
const MIN_PEARSON = 0.9999;
/** Smallest Pearson r allowed on rows 0 … N−3, which include the reference's tail artifact. */
const MIN_PEARSON_WITH_TAIL = 0.98;

/** Gated, unsmoothed F0 of every frame from the pitch branch. */
async function f0Track(samples: Float32Array, geometry: FrameGeometry, n: number): Promise<Float64Array> {
  const f0 = new Float64Array(n);
  const branch = await createPitchBranch(geometry);
  const sink = (k: number, hz: number) => { f0[k] = hz; };
  for (let k = 0; k < n; k++) {
    branch.analyse(samples, k * geometry.hop);
    branch.drain(sink);
  }
  branch.finish(sink);
  branch.release();
  return f0;
}

for (const name of availableClips()) {
  test(`${name}: jitter, shimmer and logHNR match the golden columns`, async () => {
    const clip = loadGoldenClip(name);
    const geometry = createFrameGeometry(clip.sampleRateHz);
    const n = frameCountOf(clip.samples.length, geometry);
    const f0 = await f0Track(clip.samples, geometry, n);
    const stage = createVoiceQuality(geometry);
    const raw = new Float32Array(VOICE_QUALITY_WIDTH * n);
    for (let k = 0; k < n; k++) stage.analyse(k, f0[k], clip.samples, 0, raw, VOICE_QUALITY_WIDTH * k);
    COLUMNS.forEach((column, c) => {
      const ours = smoothColumn(Float64Array.from({ length: n }, (_, k) => raw[VOICE_QUALITY_WIDTH * k + c]), 'nonzero');
      const golden = clip.values.get(column)!;
      const error = maxRelativeError(ours, golden, clip.rows - 6);
      const r = pearson(ours, golden, clip.rows - 6);
      const rWithTail = pearson(ours, golden, clip.rows - 2);
      assert.ok(error <= MAX_RELATIVE_ERROR, `${name} ${column}: max relative error ${error.toExponential(2)}`);
      assert.ok(r >= MIN_PEARSON, `${name} ${column}: r ${r.toFixed(6)}`);
      assert.ok(rWithTail >= MIN_PEARSON_WITH_TAIL, `${name} ${column}: r with tail ${rWithTail.toFixed(4)}`);
    });
  });
}

test.run();
