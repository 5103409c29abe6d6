import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createFrameGeometry, frameCountOf } from '../../src/features/frame-geometry.ts';
import { createPitchBranch, PITCH_ENERGY_GATE } from '../../src/features/pitch-branch.ts';
import { smoothColumn } from '../../src/features/smoothing.ts';
import { gaussianWindow } from '../../src/features/windows.ts';
import { availableClips, loadGoldenClip, maxRelativeError, pearson } from '../fixtures/golden.ts';
import { noise, pulseTrain, silence } from '../fixtures/signals.ts';

const test = suite('pitch-branch');

interface Track {
  readonly index: number[];
  readonly f0: Float64Array;
  readonly voicing: Float64Array;
}

/** Runs the branch over every frame of `samples`; drains after each frame or only at the end. */
async function track(samples: Float32Array, sampleRateHz: number, drainEach = true): Promise<Track> {
  const g = createFrameGeometry(sampleRateHz);
  const n = frameCountOf(samples.length, g);
  const branch = await createPitchBranch(g);
  const index: number[] = [];
  const f0 = new Float64Array(n);
  const voicing = new Float64Array(n);
  const sink = (k: number, f: number, v: number): void => {
    index.push(k);
    f0[k] = f;
    voicing[k] = v;
  };
  for (let k = 0; k < n; k++) {
    branch.analyse(samples, k * g.hop);
    if (drainEach) {
      branch.drain(sink);
      assert.ok(branch.pendingFrames <= 30, `pitch look-ahead ${branch.pendingFrames} frames`);
    } else assert.is(branch.pendingFrames, k + 1);
  }
  branch.finish(sink);
  assert.is(branch.pendingFrames, 0);
  branch.release();
  return { index, f0, voicing };
}

const sawtooth = (hz: number, seconds: number, fs: number, amplitude: number): Float32Array =>
  Float32Array.from({ length: Math.round(seconds * fs) }, (_, i) => amplitude * (2 * ((i * hz) / fs % 1) - 1));

for (const name of availableClips()) {
  test(`golden parity: ${name}`, async () => {
    const clip = loadGoldenClip(name);
    const ours = await track(clip.samples, clip.sampleRateHz);
    assert.is(ours.f0.length, clip.rows - 1);
    const f0 = smoothColumn(ours.f0, 'nonzero');
    const voicing = smoothColumn(ours.voicing, 'nonzero');
    const goldF0 = clip.values.get('F0final_sma')!;
    const goldVoicing = clip.values.get('voicingFinalUnclipped_sma')!;
    const rows = clip.rows - 2;
    let agree = 0;
    for (let i = 0; i < rows; i++) if (f0[i] > 0 === goldF0[i] > 0) agree++;
    // Recipe 5.3: exact agreement is reachable (measured: every V/UV decision, ≤ 3.7e-6 of the column peak).
    assert.is(agree, rows, `${name}: V/UV agreement ${agree}/${rows}`);
    const errF0 = maxRelativeError(f0, goldF0, rows);
    const errVoicing = maxRelativeError(voicing, goldVoicing, rows);
    assert.ok(errF0 <= 3e-5, `${name}: F0 max relative error ${errF0}`);
    assert.ok(errVoicing <= 3e-5, `${name}: voicing max relative error ${errVoicing}`);
    assert.ok(pearson(voicing, goldVoicing, rows) >= 0.98);
  });
}

test('draining after every frame or only at the end gives the same sequence, each frame once in order', async () => {
  const clip = loadGoldenClip('speech1_16k');
  const each = await track(clip.samples, clip.sampleRateHz, true);
  const atEnd = await track(clip.samples, clip.sampleRateHz, false);
  assert.equal(each.index, Array.from({ length: each.f0.length }, (_, i) => i));
  assert.equal(atEnd.index, each.index);
  assert.equal(atEnd.f0, each.f0);
  assert.equal(atEnd.voicing, each.voicing);
});

for (const fs of [16000, 44100]) {
  test(`220 Hz sawtooth and pulse train are voiced at 220 Hz (${fs} Hz)`, async () => {
    for (const signal of [sawtooth(220, 1, fs, 0.5), pulseTrain(220, 1, 0, fs)]) {
      const { f0, voicing } = await track(signal, fs);
      for (let k = 0; k < f0.length; k++) {
        assert.ok(Math.abs(f0[k] / 220 - 1) < 0.01, `frame ${k}: ${f0[k]} Hz`);
        assert.ok(voicing[k] > 0.7 && voicing[k] < 1);
      }
    }
  });

  test(`white noise and silence give F0 0 (${fs} Hz)`, async () => {
    const noisy = await track(noise(1, fs, 0.3, 3), fs);
    assert.ok(noisy.f0.every((f) => f === 0));
    assert.ok(noisy.voicing.every((v) => Number.isFinite(v) && v >= 0 && v < 0.7));
    const quiet = await track(silence(1, fs), fs);
    assert.ok(quiet.f0.every((f) => f === 0) && quiet.voicing.every((v) => v === 0));
  });
}

test('energy gate: a clearly periodic signal whose windowed RMS is ≤ 0.001 gets F0 = voicing = 0', async () => {
  const fs = 16000;
  const g = createFrameGeometry(fs);
  const w = gaussianWindow(g.longLength, 0.4);
  const rmsOf = (x: Float32Array): number => Math.sqrt(w.reduce((s, wi, i) => s + (wi * x[i]) ** 2, 0) / w.length);
  const below = sawtooth(220, 1, fs, 0.002);
  const above = sawtooth(220, 1, fs, 0.01);
  assert.ok(rmsOf(below) < PITCH_ENERGY_GATE && rmsOf(above) > PITCH_ENERGY_GATE);
  const gated = await track(below, fs);
  assert.ok(gated.f0.every((f) => f === 0) && gated.voicing.every((v) => v === 0));
  const open = await track(above, fs);
  assert.ok(open.f0.every((f) => Math.abs(f / 220 - 1) < 0.01));
});

test('rejects a frame outside the sample buffer and use after release', async () => {
  const g = createFrameGeometry(16000);
  const branch = await createPitchBranch(g);
  assert.throws(() => branch.analyse(new Float32Array(g.longLength - 1), 0), (e: { code?: string }) => e.code === 'EMO_ERR_INTERNAL');
  branch.release();
  assert.throws(() => branch.analyse(new Float32Array(g.longLength), 0), (e: { code?: string }) => e.code === 'EMO_ERR_INTERNAL');
});

test.run();
