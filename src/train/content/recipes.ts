/**
 * Draws the generated recipes (synthetic.ts) of one data part from that part's own speakers and music clips only, so
 * a held-out mixture holds a held-out speaker over a held-out artist. Seeded: the same pools and seed give the same
 * recipes.
 */
import { mulberry32 } from '../../random.ts';
import type { MixtureRecipe, NoiseKind, NoiseRecipe, SparseSpeechRecipe, SynthRecipe } from './synthetic.ts';

/** A speaker of a part: its utterance files (absolute paths). */
export interface SpeakerPool {
  readonly group: string;
  readonly utterances: readonly string[];
}

/** How many recipes of each kind one part gets. */
export interface RecipeCounts {
  readonly noise: number;
  readonly sparseSpeech: number;
  readonly mixture: number;
}

const NOISE_KINDS: readonly NoiseKind[] = ['silence', 'white', 'pink', 'brown', 'hum'];

function pick<T>(items: readonly T[], u: () => number): T {
  return items[Math.floor(u() * items.length)]!;
}
const between = (u: () => number, a: number, b: number): number => a + (b - a) * u();
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `n` utterances of a speaker in a random order (with repeats when it has fewer). */
function utterancesOf(speaker: SpeakerPool, n: number, u: () => number): string[] {
  return Array.from({ length: n }, () => pick(speaker.utterances, u));
}

/**
 * The recipes of one part: steady noise from −90 to −25 dBFS (digital silence included), sparse speech (6–9
 * utterances, 1–6 s pauses over a −80…−50 dBFS floor, gain −15…+3 dB), and mixtures (speech from 0–6 s on, 0.1–0.5 s
 * gaps, speech 5–20 dB above the music (a ducked music bed), overall gain −12…+3 dB). Kinds with an empty pool get no recipe.
 */
export function drawRecipes(speakers: readonly SpeakerPool[], music: readonly string[], counts: RecipeCounts, seed: number): SynthRecipe[] {
  const u = mulberry32(seed);
  const out: SynthRecipe[] = [];
  for (let k = 0; k < counts.noise; k++) {
    const noise: NoiseRecipe = { kind: 'noise', noise: NOISE_KINDS[k % NOISE_KINDS.length]!, levelDb: round2(between(u, -90, -25)), seconds: 20, seed: Math.floor(u() * 2 ** 31) };
    out.push(noise);
  }
  if (speakers.length === 0) return out;
  for (let k = 0; k < counts.sparseSpeech; k++) {
    const speaker = pick(speakers, u);
    const n = 6 + Math.floor(u() * 4);
    const sparse: SparseSpeechRecipe = {
      kind: 'sparse-speech', utterances: utterancesOf(speaker, n, u), pausesS: Array.from({ length: n }, () => round2(between(u, 1, 6))),
      tailS: round2(between(u, 1, 4)), gainDb: round2(between(u, -15, 3)), floorDb: round2(between(u, -80, -50)), seed: Math.floor(u() * 2 ** 31),
    };
    out.push(sparse);
  }
  if (music.length === 0) return out;
  for (let k = 0; k < counts.mixture; k++) {
    const speaker = pick(speakers, u);
    const n = 12; // more than a 20 s clip holds: the rest is cut
    const mixture: MixtureRecipe = {
      kind: 'mixture', music: pick(music, u), utterances: utterancesOf(speaker, n, u), startS: round2(between(u, 0, 6)),
      gapsS: Array.from({ length: n - 1 }, () => round2(between(u, 0.1, 0.5))), speechToMusicDb: round2(between(u, 5, 20)), gainDb: round2(between(u, -12, 3)),
    };
    out.push(mixture);
  }
  return out;
}
