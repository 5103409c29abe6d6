/**
 * Generated training audio of the content classifier, as data recipes (JSON, seeded, so each renders the same
 * samples every time and keys its own feature-cache entry):
 * - `noise`: 20 s of digital silence, white / pink / brown noise, or mains hum (50/60 Hz and 5 harmonics over a pink
 *   floor) at a level in dBFS: all windows `silence` (no speech, no music);
 * - `sparse-speech`: one speaker's utterances separated by 1–6 s pauses of a low noise floor, at a random gain: a
 *   microphone with someone talking now and then;
 * - `mixture`: one music clip with one speaker's utterances over it (speech-to-music level ratio in dB, measured on
 *   active levels): a host talking over a music bed.
 * Rendering also returns where the speech is, so each window can be labelled by how much of it the speech covers
 * (`labelWindows`).
 */
import { activePower, coloredNoise, meanPower } from '../../audio/augment/index.ts';
import { mulberry32 } from '../../random.ts';
import type { ContentLabel } from '../../model/content-classifier.ts';

/** Colours of the `noise` recipe ('silence': exact zeros; 'hum': mains hum over pink noise). */
export type NoiseKind = 'silence' | 'white' | 'pink' | 'brown' | 'hum';

/** Steady noise or silence. */
export interface NoiseRecipe {
  readonly kind: 'noise';
  readonly noise: NoiseKind;
  /** RMS level, dBFS (unused for 'silence'). */
  readonly levelDb: number;
  readonly seconds: number;
  readonly seed: number;
}

/** Utterances with long pauses. */
export interface SparseSpeechRecipe {
  readonly kind: 'sparse-speech';
  /** Absolute paths of the utterances, in order. */
  readonly utterances: readonly string[];
  /** Pause before each utterance, s (same length as `utterances`); the last utterance is followed by `tailS`. */
  readonly pausesS: readonly number[];
  readonly tailS: number;
  /** Gain applied to the speech, dB. */
  readonly gainDb: number;
  /** Level of the pink noise floor under everything, dBFS. */
  readonly floorDb: number;
  readonly seed: number;
}

/** Speech over music. */
export interface MixtureRecipe {
  readonly kind: 'mixture';
  /** Absolute path of the music clip (its length is the mixture's). */
  readonly music: string;
  readonly utterances: readonly string[];
  /** Where the first utterance starts, s, and the gap before each later one, s. */
  readonly startS: number;
  readonly gapsS: readonly number[];
  /** Active speech level minus mean music level, dB. */
  readonly speechToMusicDb: number;
  /** Gain of the whole mixture, dB (then limited to a 0.99 peak). */
  readonly gainDb: number;
}

/** Any generated recipe. */
export type SynthRecipe = NoiseRecipe | SparseSpeechRecipe | MixtureRecipe;

/** Rendered audio and the sample ranges [start, end) holding speech. */
export interface RenderedSynth {
  readonly samples: Float32Array;
  readonly speech: readonly (readonly [number, number])[];
}

/** Decoder: absolute path → 16 kHz mono samples. */
export type Decode16k = (path: string) => Promise<Float32Array>;

const RATE = 16000;
const dbToGain = (db: number): number => 10 ** (db / 20);

/** Mains hum (fundamental + 5 harmonics falling 4 dB each) over pink noise 20 dB below, RMS 1 overall. */
function hum(length: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const f0 = random() < 0.5 ? 50 : 60;
  const out = coloredNoise(length, 'pink', seed + 1);
  for (let i = 0; i < length; i++) out[i]! *= 0.1;
  const phases = Array.from({ length: 6 }, () => 2 * Math.PI * random());
  for (let h = 1; h <= 6; h++) {
    const a = dbToGain(-4 * (h - 1));
    const w = (2 * Math.PI * f0 * h) / RATE;
    for (let i = 0; i < length; i++) out[i]! += a * Math.sin(w * i + phases[h - 1]!);
  }
  const rms = Math.sqrt(meanPower(out));
  for (let i = 0; i < length; i++) out[i]! /= rms;
  return out;
}

function renderNoise(r: NoiseRecipe): Float32Array {
  const n = Math.round(r.seconds * RATE);
  if (r.noise === 'silence') return new Float32Array(n);
  const x = r.noise === 'hum' ? hum(n, r.seed) : coloredNoise(n, r.noise, r.seed);
  const g = dbToGain(r.levelDb);
  for (let i = 0; i < n; i++) x[i]! *= g;
  return x;
}

/** Scales so the peak is at most 0.99. */
function limitPeak(x: Float32Array): void {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  if (peak > 0.99) for (let i = 0; i < x.length; i++) x[i]! *= 0.99 / peak;
}

async function renderSparse(r: SparseSpeechRecipe, decode: Decode16k): Promise<RenderedSynth> {
  const utts = await Promise.all(r.utterances.map(decode));
  const total = utts.reduce((n, u, k) => n + u.length + Math.round(r.pausesS[k]! * RATE), 0) + Math.round(r.tailS * RATE);
  const out = coloredNoise(total, 'pink', r.seed);
  const floor = dbToGain(r.floorDb);
  for (let i = 0; i < total; i++) out[i]! *= floor;
  const g = dbToGain(r.gainDb);
  const speech: [number, number][] = [];
  let at = 0;
  utts.forEach((u, k) => {
    at += Math.round(r.pausesS[k]! * RATE);
    for (let i = 0; i < u.length; i++) out[at + i]! += g * u[i]!;
    speech.push([at, at + u.length]);
    at += u.length;
  });
  limitPeak(out);
  return { samples: out, speech };
}

async function renderMixture(r: MixtureRecipe, decode: Decode16k): Promise<RenderedSynth> {
  const music = (await decode(r.music)).slice();
  const utts = await Promise.all(r.utterances.map(decode));
  const speechTrack = new Float32Array(music.length);
  const speech: [number, number][] = [];
  let at = Math.round(r.startS * RATE);
  utts.forEach((u, k) => {
    if (k > 0) at += Math.round(r.gapsS[k - 1]! * RATE);
    const n = Math.min(u.length, music.length - at);
    if (n <= 0) return;
    speechTrack.set(u.subarray(0, n), at);
    speech.push([at, at + n]);
    at += n;
  });
  const pSpeech = activePower(speechTrack);
  const pMusic = meanPower(music);
  const scale = pSpeech > 0 && pMusic > 0 ? Math.sqrt((pMusic * 10 ** (r.speechToMusicDb / 10)) / pSpeech) : 0;
  const g = dbToGain(r.gainDb);
  for (let i = 0; i < music.length; i++) music[i] = g * (music[i]! + scale * speechTrack[i]!);
  limitPeak(music);
  return { samples: music, speech };
}

/** Renders a recipe at 16 kHz. */
export async function renderSynth(recipe: SynthRecipe, decode: Decode16k): Promise<RenderedSynth> {
  switch (recipe.kind) {
    case 'noise': return { samples: renderNoise(recipe), speech: [] };
    case 'sparse-speech': return renderSparse(recipe, decode);
    case 'mixture': return renderMixture(recipe, decode);
  }
}

/** Fraction of window w (samples [16000·w, 16000·w + 32000), clipped to `length`) covered by `spans`. */
export function windowCoverage(spans: readonly (readonly [number, number])[], w: number, length: number): number {
  const a = w * RATE;
  const b = Math.min(length, a + 2 * RATE);
  if (b <= a) return 0;
  let covered = 0;
  for (const [s, e] of spans) covered += Math.max(0, Math.min(b, e) - Math.max(a, s));
  return covered / (b - a);
}

/** Speech coverage at or above which a window counts as holding speech. */
export const SPEECH_COVERAGE_MIN = 0.5;
/** Speech coverage at or below which a window counts as holding none. */
export const SPEECH_COVERAGE_NONE = 0.1;

/**
 * Label of each window of a rendered recipe, or undefined for an ambiguous window (speech covering between 10 % and
 * 50 % of it: left out of training and evaluation). noise → silence; sparse speech → speech / silence; mixture →
 * mixed / music.
 */
export function labelWindows(recipe: SynthRecipe, rendered: RenderedSynth, count: number): (ContentLabel | undefined)[] {
  const [withSpeech, without]: [ContentLabel, ContentLabel] = recipe.kind === 'mixture' ? ['mixed', 'music'] : ['speech', 'silence'];
  return Array.from({ length: count }, (_, w) => {
    if (recipe.kind === 'noise') return 'silence';
    const f = windowCoverage(rendered.speech, w, rendered.samples.length);
    return f >= SPEECH_COVERAGE_MIN ? withSpeech : f <= SPEECH_COVERAGE_NONE ? without : undefined;
  });
}
