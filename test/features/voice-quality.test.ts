import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createVoiceQuality, DEFAULT_VOICE_QUALITY_OPTIONS, VOICE_QUALITY_WIDTH } from '../../src/features/voice-quality.ts';
import { createFrameGeometry, frameCountOf } from '../../src/features/frame-geometry.ts';
import { EmostreamError } from '../../src/errors.ts';
import { noise, pulseTrain, silence, sine } from '../fixtures/signals.ts';

const test = suite('voice-quality');

const JITTER = 0, DDP = 1, SHIMMER = 2, HNR = 3;

/** Runs the stage over every frame of x (whole signal as the buffer); f0 per frame. Returns 4 values per frame. */
function run(x: Float32Array, fs: number, f0: (k: number) => number): Float32Array {
  const g = createFrameGeometry(fs);
  const n = frameCountOf(x.length, g);
  const vq = createVoiceQuality(g);
  const out = new Float32Array(VOICE_QUALITY_WIDTH * n);
  for (let k = 0; k < n; k++) vq.analyse(k, f0(k), x, 0, out, VOICE_QUALITY_WIDTH * k);
  return out;
}

/** Mean of one output column over frames from `from` on. */
function meanOf(out: Float32Array, column: number, from = 2): number {
  const n = out.length / VOICE_QUALITY_WIDTH;
  let sum = 0;
  for (let k = from; k < n; k++) sum += out[VOICE_QUALITY_WIDTH * k + column];
  return sum / (n - from);
}

function allFinite(out: Float32Array): boolean {
  return out.every((v) => Number.isFinite(v));
}

/** Pulse train whose pulses alternate in amplitude (1 + a), (1 − a): local shimmer 2a. */
function alternatingPulses(f0: number, a: number, fs = 16000): Float32Array {
  const x = pulseTrain(f0, 1, 0, fs);
  const period = fs / f0;
  for (let i = 0; i < x.length; i++) x[i] *= Math.floor((i + 0.5) / period) % 2 ? 1 - a : 1 + a;
  return x;
}

test('pulse trains: local jitter ≈ 2·jitter, DDP ≈ 0 (alternating periods have constant |ΔT|)', () => {
  for (const fs of [16000, 44100]) {
    assert.is(meanOf(run(pulseTrain(100, 1, 0, fs), fs, () => 100), JITTER), 0, `${fs}: no jitter`);
    for (const j of [0.005, 0.01, 0.02]) {
      const out = run(pulseTrain(100, 1, j, fs), fs, () => 100);
      const local = meanOf(out, JITTER);
      assert.ok(local > 1.5 * j && local < 2.5 * j, `${fs} Hz, jitter ${j}: jitterLocal ${local}`);
      assert.ok(meanOf(out, DDP) < 0.1 * local, `${fs} Hz, jitter ${j}: jitterDDP ${meanOf(out, DDP)}`);
      assert.ok(allFinite(out));
    }
  }
});

test('pulse trains at 220 Hz: jitterLocal grows with the jitter', () => {
  let previous = -1;
  for (const j of [0, 0.01, 0.02, 0.04]) {
    const local = meanOf(run(pulseTrain(220, 1, j), 16000, () => 220), JITTER);
    assert.ok(local > previous, `jitter ${j}: ${local} after ${previous}`);
    previous = local;
  }
});

test('pure sine: jitter and shimmer ≈ 0, HNR high', () => {
  for (const f of [100, 200]) {
    const out = run(sine(f, 1), 16000, () => f);
    assert.ok(meanOf(out, JITTER) < 1e-3, `jitter ${meanOf(out, JITTER)}`);
    assert.ok(meanOf(out, DDP) < 1e-3);
    assert.ok(meanOf(out, SHIMMER) < 1e-3, `shimmer ${meanOf(out, SHIMMER)}`);
    assert.ok(meanOf(out, HNR) > 60, `HNR ${meanOf(out, HNR)} dB`);
  }
});

test('amplitude-alternating pulses: shimmerLocal = 2a', () => {
  for (const f of [100, 200]) {
    for (const a of [0.05, 0.1, 0.2]) {
      const shimmer = meanOf(run(alternatingPulses(f, a), 16000, () => f), SHIMMER);
      assert.ok(Math.abs(shimmer - 2 * a) < 2e-3, `${f} Hz, a ${a}: shimmer ${shimmer}`);
    }
  }
});

test('sine plus noise: logHNR follows the SNR and falls as noise grows', () => {
  let previous = Infinity;
  for (const snr of [30, 20, 10, 0]) {
    const x = sine(200, 1, 16000, 0.5);
    const amplitude = (0.5 / Math.SQRT2) * Math.pow(10, -snr / 20) * Math.sqrt(3); // uniform noise RMS = amplitude/√3
    const n = noise(1, 16000, amplitude, 7);
    for (let i = 0; i < x.length; i++) x[i] += n[i];
    const hnr = meanOf(run(x, 16000, () => 200), HNR);
    assert.ok(hnr < previous, `SNR ${snr}: HNR ${hnr} after ${previous}`);
    assert.ok(Math.abs(hnr - snr) < 5, `SNR ${snr}: HNR ${hnr}`);
    previous = hnr;
  }
});

test('unvoiced frames give exactly 0, 0, 0, −100 and reset the held values', () => {
  const fs = 16000;
  const x = pulseTrain(100, 1, 0.02, fs);
  x.fill(0, 5000, 9000); // frames ~32 … 50 read only silence
  const withGap = run(x, fs, (k) => (k === 30 ? 0 : 100));
  const withoutGap = run(x, fs, () => 100);
  const row = (out: Float32Array, k: number) => Array.from(out.subarray(4 * k, 4 * k + 4));
  assert.equal(row(withGap, 30), [0, 0, 0, -100]);
  assert.equal(row(run(x, fs, () => 0), 12), [0, 0, 0, -100]);
  // Silent voiced frames find no period, so they repeat the held values: non-zero without the unvoiced frame,
  // zero after it (it reset them).
  const k = 40;
  assert.ok(withoutGap[4 * k + JITTER] > 0.02, `held jitter ${withoutGap[4 * k + JITTER]}`);
  assert.ok(withoutGap[4 * k + SHIMMER] >= 0);
  assert.is(withGap[4 * k + JITTER], 0);
  assert.is(withGap[4 * k + SHIMMER], 0);
});

test('silence or a constant while F0 > 0: finite output, logHNR exactly 0 (no noise energy)', () => {
  for (const x of [silence(1), new Float32Array(16000).fill(0.25)]) {
    const out = run(x, 16000, () => 150);
    assert.ok(allFinite(out));
    for (let k = 0; k < out.length / 4; k++) assert.equal(Array.from(out.subarray(4 * k, 4 * k + 4)), [0, 0, 0, 0]);
  }
  const mixed = pulseTrain(120, 1, 0.01);
  mixed.fill(0, 4000, 8000);
  assert.ok(allFinite(run(mixed, 16000, () => 120)));
});

test('streaming with a discarding buffer gives the same values as the whole signal', () => {
  const fs = 16000;
  const x = pulseTrain(110, 2, 0.01, fs);
  const n2 = noise(2, fs, 0.05, 4);
  for (let i = 0; i < x.length; i++) x[i] += n2[i] * (i > 12000 ? 1 : 0.1);
  const f0 = (k: number) => (k % 37 < 5 ? 0 : k % 37 < 20 ? 110 : 55 + k);
  const whole = run(x, fs, f0);
  const g = createFrameGeometry(fs);
  const n = frameCountOf(x.length, g);
  const vq = createVoiceQuality(g);
  const out = new Float32Array(4 * n);
  let previousOldest = 0;
  for (let k = 0; k < n; k++) {
    const oldest = vq.oldestNeededSample();
    assert.ok(oldest >= previousOldest && oldest <= k * g.hop, `frame ${k}: oldest ${oldest}`);
    previousOldest = oldest;
    const window = x.slice(oldest, k * g.hop + g.longLength); // only what the contract guarantees
    vq.analyse(k, f0(k), window, oldest, out, 4 * k);
  }
  assert.equal(Array.from(out), Array.from(whole));
});

test('worst case: 52 Hz at 96 kHz stays in bounds and agrees with 16 kHz', () => {
  // With the period (19 ms) longer than the hop, consecutive frames re-measure the same period, so jitterLocal reads
  // ≈ jitter rather than 2·jitter; the value must not depend on the sample rate.
  const at = (fs: number) => {
    const out = run(pulseTrain(52, 0.6, 0.01, fs), fs, () => 52);
    assert.ok(allFinite(out), `${fs} Hz`);
    return meanOf(out, JITTER, 6);
  };
  const high = at(96000);
  const low = at(16000);
  assert.ok(high > 0.005 && Math.abs(high - low) < 0.15 * low, `jitterLocal ${high} at 96 kHz, ${low} at 16 kHz`);
});

test('rejects a bad F0, a bad pitch range and missing samples', () => {
  const g = createFrameGeometry(16000);
  const vq = createVoiceQuality(g);
  const x = pulseTrain(100, 0.5);
  const out = new Float32Array(4);
  const code = (f: () => void) => {
    try { f(); } catch (e) { return e instanceof EmostreamError ? e.code : 'other'; }
    return 'none';
  };
  assert.is(code(() => vq.analyse(0, NaN, x, 0, out, 0)), 'EMO_ERR_INTERNAL');
  assert.is(code(() => vq.analyse(0, 30, x, 0, out, 0)), 'EMO_ERR_INTERNAL');
  assert.is(code(() => vq.analyse(0, 100, x.subarray(0, 300), 0, out, 0)), 'EMO_ERR_INTERNAL');
  assert.is(code(() => createVoiceQuality(g, { ...DEFAULT_VOICE_QUALITY_OPTIONS, minPitchHz: 0 })), 'EMO_ERR_BAD_CONFIG');
  assert.is(code(() => createVoiceQuality(g, { minPitchHz: 300, maxPitchHz: 200 })), 'EMO_ERR_BAD_CONFIG');
  assert.is(code(() => vq.analyse(0, 100, x, 0, out, 0)), 'none');
});

test.run();
