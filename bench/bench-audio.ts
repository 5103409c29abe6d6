/**
 * The benchmarks' deterministic test material (generated, never downloaded): 16 kHz mono, alternating 5 s of
 * speech-like sound (glottal pulse train with a wandering 90–260 Hz F0 through three formant resonators, syllable
 * envelopes, fricative noise bursts and pauses) and 5 s of music-like sound (a chord progression of harmonic tones
 * with vibrato plus noise-burst percussion).
 */
import { seededRandom } from '../test/fixtures/signals.ts';
import { encodeWav } from '../src/audio/index.ts';

/** Two-pole resonator y[n] = x[n] + 2r·cos(θ)·y[n−1] − r²·y[n−2] (a formant at f Hz with bandwidth bw Hz). */
function resonate(x: Float32Array, fHz: number, bwHz: number, fs: number): Float32Array {
  const r = Math.exp((-Math.PI * bwHz) / fs);
  const a1 = 2 * r * Math.cos((2 * Math.PI * fHz) / fs);
  const a2 = -r * r;
  const y = new Float32Array(x.length);
  let y1 = 0, y2 = 0;
  for (let n = 0; n < x.length; n++) {
    const v = x[n] + a1 * y1 + a2 * y2;
    y[n] = v; y2 = y1; y1 = v;
  }
  return y;
}

function speechLike(seconds: number, fs: number, rnd: () => number): Float32Array {
  const n = Math.round(seconds * fs);
  const source = new Float32Array(n);
  let phase = 0;
  let f0 = 140;
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 3.7 * t)) ** 0.7; // ~4 syllables/s
    const pause = (t % 2.3) > 1.9 ? 0 : 1;
    if (i % 160 === 0) f0 = Math.min(260, Math.max(90, f0 + (rnd() - 0.5) * 12));
    phase += f0 / fs;
    if (phase >= 1) { phase -= 1; source[i] += syllable * pause; }
    if ((t % 0.9) > 0.78) source[i] += 0.05 * (2 * rnd() - 1) * pause; // fricatives
  }
  const f1 = resonate(source, 600, 80, fs), f2 = resonate(source, 1200, 100, fs), f3 = resonate(source, 2500, 150, fs);
  const out = new Float32Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) { out[i] = f1[i] + 0.6 * f2[i] + 0.3 * f3[i]; peak = Math.max(peak, Math.abs(out[i])); }
  for (let i = 0; i < n; i++) out[i] = (0.5 * out[i]) / peak + 0.001 * (2 * rnd() - 1);
  return out;
}

function musicLike(seconds: number, fs: number, rnd: () => number): Float32Array {
  const n = Math.round(seconds * fs);
  const out = new Float32Array(n);
  const chords = [[261.6, 329.6, 392.0], [220.0, 261.6, 329.6], [174.6, 220.0, 261.6], [196.0, 246.9, 293.7]];
  let drum = 0;
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const chord = chords[Math.floor(t / 1.25) % chords.length];
    let v = 0;
    for (const f of chord) {
      const vib = 1 + 0.004 * Math.sin(2 * Math.PI * 5.5 * t);
      for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f * h * vib * t) / (h * h);
    }
    if (i % Math.round(fs * 0.5) === 0) drum = 1;
    drum *= 0.9992;
    out[i] = 0.12 * v + 0.25 * drum * (2 * rnd() - 1);
  }
  return out;
}

/** `seconds` of alternating speech-like and music-like 5 s blocks at `fs` Hz, from a fixed seed. */
export function benchAudio(seconds = 60, fs = 16000, seed = 2017): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(Math.round(seconds * fs));
  for (let block = 0; block * 5 < seconds; block++) {
    const part = block % 2 === 0 ? speechLike(5, fs, rnd) : musicLike(5, fs, rnd);
    out.set(part.subarray(0, Math.min(part.length, out.length - block * 5 * fs)), block * 5 * fs);
  }
  return out;
}

/** The same material as a 16-bit mono WAV file's bytes (what a user's clip looks like to `emostream extract`). */
export function benchWav(seconds = 300, fs = 16000, seed = 2017): Uint8Array {
  return encodeWav([benchAudio(seconds, fs, seed)], fs, 's16');
}
