/**
 * Concrete augmentation recipes: an ordered list of transform steps with all parameters fixed (plain JSON),
 * validated by `validateRecipe` and applied to 16 kHz audio by `applyRecipe`. The same recipe on the same
 * audio (and babble talkers) gives bit-identical output: every random choice is a seed inside the recipe.
 *
 *   [{"kind":"speed","factor":1.04},{"kind":"reverb","rt60S":0.5,"drrDb":3,"preDelayMs":8,"seed":7},
 *    {"kind":"noise","color":"pink","snrDb":14.2,"seed":99},{"kind":"gain","db":-12.3},
 *    {"kind":"telephone","codec":"mulaw"}]
 *
 * Steps run in the order given; each kind may appear at most once. Limits of a concrete step (wider than the
 * training defaults, so evaluations may use e.g. +12 dB): `STEP_LIMITS`.
 */
import { EmostreamError } from '../../errors.ts';
import { addBabble } from './babble.ts';
import { applyGain } from './gain.ts';
import { NOISE_COLORS, type NoiseColor } from './noise-color.ts';
import { addNoise } from './noise.ts';
import { addReverb } from './reverb.ts';
import { speedPerturb } from './speed.ts';
import { TELEPHONE_CODECS, telephoneChannel, type TelephoneCodec } from './telephone.ts';

/** Version of the transforms' numerics; part of feature-cache keys (bump when any output sample changes). */
export const AUGMENT_VERSION = 1;

/** Speed perturbation by resampling (speed.ts). */
export interface SpeedStep { readonly kind: 'speed'; readonly factor: number }
/** Synthetic-RIR reverberation (reverb.ts). */
export interface ReverbStep { readonly kind: 'reverb'; readonly rt60S: number; readonly drrDb: number; readonly preDelayMs: number; readonly seed: number }
/** Colored noise at an SNR (noise.ts). */
export interface NoiseStep { readonly kind: 'noise'; readonly color: NoiseColor; readonly snrDb: number; readonly seed: number }
/**
 * Babble at an SNR (babble.ts). `talkers` names each talker's audio (in the trainer: the files of one other
 * speaker group, concatenated); the signals themselves are passed to `applyRecipe` in the same order.
 */
export interface BabbleStep { readonly kind: 'babble'; readonly snrDb: number; readonly talkers: readonly (readonly string[])[]; readonly seed: number }
/** Gain with hard clipping (gain.ts). */
export interface GainStep { readonly kind: 'gain'; readonly db: number }
/** Telephone channel (telephone.ts). */
export interface TelephoneStep { readonly kind: 'telephone'; readonly codec: TelephoneCodec }

/** One concrete transform. */
export type AugmentStep = SpeedStep | ReverbStep | NoiseStep | BabbleStep | GainStep | TelephoneStep;
/** A concrete recipe: steps applied in order. */
export type AugmentRecipe = readonly AugmentStep[];
/** A step kind. */
export type AugmentKind = AugmentStep['kind'];
/** The step kinds, in the order the trainer's drawn recipes apply them (speed → room → background → level → line). */
export const AUGMENT_KINDS: readonly AugmentKind[] = Object.freeze(['speed', 'reverb', 'noise', 'babble', 'gain', 'telephone']);

/** Inclusive limits of concrete step parameters. */
export const STEP_LIMITS = Object.freeze({
  speedFactor: [0.5, 2],
  rt60S: [0.05, 3],
  drrDb: [-20, 30],
  preDelayMs: [0, 100],
  snrDb: [-10, 60],
  gainDb: [-60, 40],
  talkers: [1, 16],
} as const);

const MAX_SEED = 2 ** 32 - 1;

function fail(path: string, message: string): never {
  throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${path}: ${message}`);
}

function field(o: Record<string, unknown>, path: string, key: string, [min, max]: readonly [number, number]): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${path}.${key}`, `must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return v;
}

function seedOf(o: Record<string, unknown>, path: string): number {
  const v = field(o, path, 'seed', [0, MAX_SEED]);
  if (!Number.isInteger(v)) fail(`${path}.seed`, `must be an integer, got ${v}`);
  return v;
}

function choice<T extends string>(o: Record<string, unknown>, path: string, key: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.includes(v as T)) fail(`${path}.${key}`, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

const KEYS: Readonly<Record<AugmentKind, readonly string[]>> = {
  speed: ['factor'], reverb: ['rt60S', 'drrDb', 'preDelayMs', 'seed'], noise: ['color', 'snrDb', 'seed'],
  babble: ['snrDb', 'talkers', 'seed'], gain: ['db'], telephone: ['codec'],
};

function validateStep(v: unknown, path: string): AugmentStep {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(path, `must be an object, got ${JSON.stringify(v)}`);
  const o = v as Record<string, unknown>;
  const kind = choice(o, path, 'kind', AUGMENT_KINDS);
  for (const k of Object.keys(o)) if (k !== 'kind' && !KEYS[kind].includes(k)) fail(path, `unknown field "${k}" for kind ${kind} (allowed: ${KEYS[kind].join(', ')})`);
  switch (kind) {
    case 'speed': return { kind, factor: field(o, path, 'factor', STEP_LIMITS.speedFactor) };
    case 'reverb': return {
      kind, rt60S: field(o, path, 'rt60S', STEP_LIMITS.rt60S), drrDb: field(o, path, 'drrDb', STEP_LIMITS.drrDb),
      preDelayMs: field(o, path, 'preDelayMs', STEP_LIMITS.preDelayMs), seed: seedOf(o, path),
    };
    case 'noise': return { kind, color: choice(o, path, 'color', NOISE_COLORS), snrDb: field(o, path, 'snrDb', STEP_LIMITS.snrDb), seed: seedOf(o, path) };
    case 'babble': {
      const t = o['talkers'];
      const [lo, hi] = STEP_LIMITS.talkers;
      if (!Array.isArray(t) || t.length < lo || t.length > hi) fail(`${path}.talkers`, `must be an array of ${lo}..${hi} talkers, got ${JSON.stringify(t)}`);
      const talkers = t.map((files, i) => {
        if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string' && f.length > 0)) {
          fail(`${path}.talkers[${i}]`, `must be a non-empty array of names, got ${JSON.stringify(files)}`);
        }
        return Object.freeze([...(files as string[])]);
      });
      return { kind, snrDb: field(o, path, 'snrDb', STEP_LIMITS.snrDb), talkers: Object.freeze(talkers), seed: seedOf(o, path) };
    }
    case 'gain': return { kind, db: field(o, path, 'db', STEP_LIMITS.gainDb) };
    case 'telephone': return { kind, codec: choice(o, path, 'codec', TELEPHONE_CODECS) };
  }
}

/**
 * Validates a concrete recipe (JSON value); throws EMO_ERR_BAD_CONFIG naming the bad field, e.g.
 * `recipe[1].snrDb: must be a number in [-10, 60], got 99`. Returns a frozen copy.
 */
export function validateRecipe(json: unknown, path = 'recipe'): AugmentRecipe {
  if (!Array.isArray(json)) fail(path, `must be an array of steps, got ${JSON.stringify(json)}`);
  const seen = new Set<string>();
  const steps = json.map((s, i) => {
    const step = validateStep(s, `${path}[${i}]`);
    if (seen.has(step.kind)) fail(`${path}[${i}].kind`, `${step.kind} appears twice (each kind at most once)`);
    seen.add(step.kind);
    return Object.freeze(step);
  });
  return Object.freeze(steps);
}

/** Inputs of `applyRecipe` besides the audio. */
export interface ApplyRecipeContext {
  /** Talker signals (16 kHz) of the recipe's babble step, one per `talkers` entry. Required with a babble step. */
  readonly babble?: readonly Float32Array[];
}

/**
 * Applies a concrete recipe to 16 kHz audio (input not modified; an empty recipe returns a copy).
 * The output has the input's length, except after a speed step (≈ length / factor).
 */
export async function applyRecipe(samples: Float32Array, recipe: AugmentRecipe, context: ApplyRecipeContext = {}): Promise<Float32Array> {
  let x = samples;
  for (const step of recipe) {
    switch (step.kind) {
      case 'speed': x = await speedPerturb(x, step.factor); break;
      case 'reverb': x = addReverb(x, step); break;
      case 'noise': x = addNoise(x, step.color, step.snrDb, step.seed); break;
      case 'babble': {
        const talkers = context.babble;
        if (!talkers || talkers.length !== step.talkers.length) {
          throw new EmostreamError('EMO_ERR_BAD_CONFIG', `babble step needs ${step.talkers.length} talker signals, got ${talkers?.length ?? 0}`);
        }
        x = addBabble(x, talkers, step.snrDb, step.seed);
        break;
      }
      case 'gain': x = applyGain(x, step.db, x === samples ? undefined : x).samples; break;
      case 'telephone': x = await telephoneChannel(x, step.codec); break;
    }
  }
  return x === samples ? samples.slice() : x;
}
