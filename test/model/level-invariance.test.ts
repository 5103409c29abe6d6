/**
 * Issue 9 §5 level invariance, guarded on generated audio: the shipped speech and music models, fed the same signal
 * at −12 dB and +12 dB, change their per-second arousal by ≤ 0.10 on average after the documented warm-up
 * (`warmUpS` of experiments/default-models.json), and every output stays in [−1, 1].
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { applyGain } from '../../src/audio/augment/gain.ts';
import { createAnalyser } from '../../src/pipeline/analyser.ts';
import { shippedModelPath, type ShippedModelName } from '../../src/model/shipped-models.ts';
import { loadModel } from '../../src/model/session.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('model/level-invariance');
const RATE = 16000;
const SECONDS = 40;
const MAX_MEAN_CHANGE = 0.10;
const plan = JSON.parse(readFileSync(new URL('../../experiments/default-models.json', import.meta.url), 'utf8')) as { warmUpS: number };

/** Speech-like audio: syllables of a glottal source (f0 90–260 Hz with a falling contour) through two moving formant resonators, with breathy pauses. */
function speechLike(seconds: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(seconds * RATE);
  let i = 0;
  let f1y1 = 0, f1y2 = 0, f2y1 = 0, f2y2 = 0;
  while (i < out.length) {
    const voiced = Math.round((0.12 + 0.25 * rand()) * RATE);
    const f0 = 90 + 170 * rand();
    const f1 = 300 + 600 * rand(), f2 = 900 + 1500 * rand();
    const level = 0.15 + 0.35 * rand();
    let phase = 0;
    for (let k = 0; k < voiced && i < out.length; k++, i++) {
      const u = k / voiced;
      phase += (f0 * (1.1 - 0.2 * u)) / RATE;
      const source = (phase % 1) < 0.4 ? Math.sin(Math.PI * (phase % 1) / 0.4) : 0;
      const r1 = resonate(source, f1, 80, f1y1, f1y2); f1y2 = f1y1; f1y1 = r1;
      const r2 = resonate(source, f2, 120, f2y1, f2y2); f2y2 = f2y1; f2y1 = r2;
      out[i] = level * Math.sin(Math.PI * u) * (0.02 * r1 + 0.01 * r2);
    }
    const pause = Math.round((0.03 + 0.3 * rand() * rand()) * RATE);
    for (let k = 0; k < pause && i < out.length; k++, i++) out[i] = 0.002 * (rand() - 0.5);
  }
  return out;
}

/** Two-pole resonator step (centre `hz`, bandwidth `bw` Hz). */
function resonate(x: number, hz: number, bw: number, y1: number, y2: number): number {
  const r = Math.exp(-Math.PI * bw / RATE);
  return x + 2 * r * Math.cos(2 * Math.PI * hz / RATE) * y1 - r * r * y2;
}

/** Music-like audio: a chord progression of harmonic tones with a plucked envelope on every beat, and a noisy hi-hat. */
function musicLike(seconds: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(seconds * RATE);
  const beat = Math.round(0.5 * RATE);
  const roots = [220, 196, 174.6, 261.6];
  for (let b = 0; b * beat < out.length; b++) {
    const root = roots[Math.floor(b / 4) % roots.length]!;
    const chord = [root, root * 1.26, root * 1.5];
    for (let k = 0; k < beat && b * beat + k < out.length; k++) {
      const t = k / RATE;
      let s = 0;
      for (const f of chord) for (let h = 1; h <= 4; h++) s += Math.sin(2 * Math.PI * f * h * t) / (h * h);
      const hat = t < 0.03 ? (rand() - 0.5) * 0.6 * (1 - t / 0.03) : 0;
      out[b * beat + k] = 0.12 * Math.exp(-3 * t) * s + hat;
    }
  }
  return out;
}

/** Peak of the reference level: +12 dB then peaks at 0.8, so no version clips. */
const REFERENCE_PEAK = 0.2;

function atReferenceLevel(x: Float32Array): Float32Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  return scaled(x, 20 * Math.log10(REFERENCE_PEAK / peak));
}

/** The audio at `db` dB: the augmentation's gain (its hard clip at ±1 never acts: the reference peak is 0.2). */
const scaled = (x: Float32Array, db: number): Float32Array => applyGain(x, db).samples;

async function arousalTrack(model: EmotionModel, samples: Float32Array): Promise<number[]> {
  const analyser = await createAnalyser({ model, sampleRateHz: RATE });
  analyser.push(samples);
  const estimates = await analyser.end();
  for (const e of estimates) {
    assert.ok(e.arousal >= -1 && e.arousal <= 1 && e.valence >= -1 && e.valence <= 1, `output in [-1, 1] at t=${e.t}`);
  }
  return estimates.map((e) => e.arousal);
}

function meanChange(a: readonly number[], b: readonly number[], fromIndex: number): number {
  let s = 0, n = 0;
  for (let k = fromIndex; k < Math.min(a.length, b.length); k++) { s += Math.abs(a[k]! - b[k]!); n++; }
  assert.ok(n >= 20, 'enough seconds after the warm-up');
  return s / n;
}

for (const [name, make] of [['speech', speechLike], ['music', musicLike]] as [ShippedModelName, (s: number, seed: number) => Float32Array][]) {
  test(`shipped ${name} model: −12 dB / +12 dB change arousal by ≤ ${MAX_MEAN_CHANGE} per second after ${plan.warmUpS} s`, async () => {
    const model = await loadModel(shippedModelPath(name));
    try {
      const clean = atReferenceLevel(make(SECONDS, 3));
      const base = await arousalTrack(model, clean);
      // Estimates start at t = 2 (index 0), so the warm-up ends at index warmUpS − 2.
      const from = Math.max(0, plan.warmUpS - 2);
      const quiet = meanChange(base, await arousalTrack(model, scaled(clean, -12)), from);
      const loud = meanChange(base, await arousalTrack(model, scaled(clean, 12)), from);
      assert.ok(quiet <= MAX_MEAN_CHANGE, `−12 dB: mean |Δ arousal| ${quiet.toFixed(3)}`);
      assert.ok(loud <= MAX_MEAN_CHANGE, `+12 dB: mean |Δ arousal| ${loud.toFixed(3)}`);
    } finally {
      await model.release();
    }
  });
}

test.run();
