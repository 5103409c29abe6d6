/**
 * Seeded augmentation of training sequences: the configuration (how many augmented copies per sequence,
 * which transforms with which probabilities and parameter ranges), its validation, and the draw of one
 * concrete recipe (src/audio/augment/recipe.ts) per (sequence, copy). Format: docs/trainer.md
 * ("Augmentation").
 *
 * Drawing: every transform kind has its own generator, mulberry32(uint32 of sha256("<seed>|<sequence id>|
 * <copy>|<kind>")), so the same config gives the same recipes, and changing one transform's settings never
 * changes another's draws. From its generator a kind draws, in order: u < probability (included?), then its
 * parameters uniformly from their ranges (rounded: dB and ms to 0.1, seconds to 0.01, the speed factor to
 * 0.001), choices uniformly from their lists, and 32-bit seeds for its noise. Included kinds run in the fixed
 * order speed → reverb → noise → babble → gain → telephone. A copy that draws nothing gets the one enabled
 * kind picked (uniformly) by the generator of kind "fallback". Babble talkers are other groups of the same
 * manifest's speech sequences (see `BabblePool`); with no other group babble is never drawn.
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../random.ts';
import {
  AUGMENT_KINDS, NOISE_COLORS, STEP_LIMITS, TELEPHONE_CODECS,
  type AugmentKind, type AugmentRecipe, type AugmentStep, type NoiseColor, type TelephoneCodec,
} from '../../audio/augment/index.ts';
import { asObject, configFail, int, list, num, oneOf, onlyKeys } from '../protocol/config-check.ts';
import type { Domain } from './manifest-types.ts';

/** An inclusive [min, max] range. */
export type Range = readonly [number, number];

/** Per-transform settings; `probability` ∈ [0, 1] is the chance that a copy includes it. */
export interface AugmentTransforms {
  readonly speed: { readonly probability: number; readonly factor: Range };
  readonly reverb: { readonly probability: number; readonly rt60S: Range; readonly drrDb: Range; readonly preDelayMs: Range };
  readonly noise: { readonly probability: number; readonly colors: readonly NoiseColor[]; readonly snrDb: Range };
  /** `talkers`: integer range of talker count; `filesPerTalker`: files of one group concatenated per talker. */
  readonly babble: { readonly probability: number; readonly talkers: Range; readonly filesPerTalker: number; readonly snrDb: Range };
  readonly gain: { readonly probability: number; readonly db: Range };
  readonly telephone: { readonly probability: number; readonly codecs: readonly TelephoneCodec[] };
}

/** A validated augmentation configuration. */
export interface AugmentationConfig {
  /** Augmented copies per sequence, 0..32 (0 = off). Default 2. */
  readonly copies: number;
  /** Seed of all draws (integer 0..2³¹−1). Default 1. */
  readonly seed: number;
  /** Domains whose sequences are augmented. Default both. */
  readonly domains: readonly Domain[];
  readonly transforms: AugmentTransforms;
}

const freeze = <T>(v: T): T => {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) freeze(x);
    Object.freeze(v);
  }
  return v;
};

/** Defaults (issue 9 §3): gain −20…+6 dB, SNR 5…30 dB, RT60 0.2…0.9 s, speed 0.9…1.1. */
export const DEFAULT_AUGMENTATION: AugmentationConfig = freeze({
  copies: 2,
  seed: 1,
  domains: ['music', 'speech'],
  transforms: {
    speed: { probability: 0.3, factor: [0.9, 1.1] },
    reverb: { probability: 0.3, rt60S: [0.2, 0.9], drrDb: [-5, 10], preDelayMs: [0, 30] },
    noise: { probability: 0.4, colors: ['white', 'pink', 'brown'], snrDb: [5, 30] },
    babble: { probability: 0.2, talkers: [3, 6], filesPerTalker: 6, snrDb: [5, 30] },
    gain: { probability: 0.7, db: [-20, 6] },
    telephone: { probability: 0.2, codecs: ['mulaw', 'alaw'] },
  },
} satisfies AugmentationConfig);

const TRANSFORM_KEYS: Readonly<Record<AugmentKind, readonly string[]>> = {
  speed: ['probability', 'factor'], reverb: ['probability', 'rt60S', 'drrDb', 'preDelayMs'], noise: ['probability', 'colors', 'snrDb'],
  babble: ['probability', 'talkers', 'filesPerTalker', 'snrDb'], gain: ['probability', 'db'], telephone: ['probability', 'codecs'],
};

function range(what: string, path: string, v: unknown, limits: Range, fallback: Range, integer = false): Range {
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.length !== 2) configFail(what, path, `must be [min, max], got ${JSON.stringify(v)}`);
  const read = integer ? int : num;
  const lo = read(what, `${path}[0]`, v[0], limits[0], limits[1]);
  const hi = read(what, `${path}[1]`, v[1], limits[0], limits[1]);
  if (hi < lo) configFail(what, path, `max ${hi} is below min ${lo}`);
  return [lo, hi];
}

/**
 * Validates an augmentation config (JSON); missing fields take `DEFAULT_AUGMENTATION`'s values, field by field.
 * Errors are EMO_ERR_BAD_CONFIG naming the JSON path, e.g. `plan augmentation.transforms.noise.snrDb[1]: …`.
 */
export function parseAugmentationConfig(json: unknown, what = 'augmentation config', path = 'augmentation'): AugmentationConfig {
  const o = asObject(what, path, json);
  onlyKeys(what, path, o, ['copies', 'seed', 'domains', 'transforms']);
  const d = DEFAULT_AUGMENTATION;
  const t = o['transforms'] === undefined ? {} : asObject(what, `${path}.transforms`, o['transforms']);
  onlyKeys(what, `${path}.transforms`, t, AUGMENT_KINDS);
  const part = (k: AugmentKind) => {
    const p = `${path}.transforms.${k}`;
    const v = t[k] === undefined ? {} : asObject(what, p, t[k]);
    onlyKeys(what, p, v, TRANSFORM_KEYS[k]);
    return { v, p, probability: num(what, `${p}.probability`, v['probability'], 0, 1, d.transforms[k].probability) };
  };
  const sp = part('speed'), rv = part('reverb'), no = part('noise'), ba = part('babble'), ga = part('gain'), te = part('telephone');
  const L = STEP_LIMITS;
  const transforms: AugmentTransforms = {
    speed: { probability: sp.probability, factor: range(what, `${sp.p}.factor`, sp.v['factor'], L.speedFactor, d.transforms.speed.factor) },
    reverb: {
      probability: rv.probability,
      rt60S: range(what, `${rv.p}.rt60S`, rv.v['rt60S'], L.rt60S, d.transforms.reverb.rt60S),
      drrDb: range(what, `${rv.p}.drrDb`, rv.v['drrDb'], L.drrDb, d.transforms.reverb.drrDb),
      preDelayMs: range(what, `${rv.p}.preDelayMs`, rv.v['preDelayMs'], L.preDelayMs, d.transforms.reverb.preDelayMs),
    },
    noise: {
      probability: no.probability,
      colors: no.v['colors'] === undefined ? d.transforms.noise.colors : list(what, `${no.p}.colors`, no.v['colors'], (x, p) => oneOf(what, p, x, NOISE_COLORS)),
      snrDb: range(what, `${no.p}.snrDb`, no.v['snrDb'], L.snrDb, d.transforms.noise.snrDb),
    },
    babble: {
      probability: ba.probability,
      talkers: range(what, `${ba.p}.talkers`, ba.v['talkers'], L.talkers, d.transforms.babble.talkers, true),
      filesPerTalker: int(what, `${ba.p}.filesPerTalker`, ba.v['filesPerTalker'], 1, 64, d.transforms.babble.filesPerTalker),
      snrDb: range(what, `${ba.p}.snrDb`, ba.v['snrDb'], L.snrDb, d.transforms.babble.snrDb),
    },
    gain: { probability: ga.probability, db: range(what, `${ga.p}.db`, ga.v['db'], L.gainDb, d.transforms.gain.db) },
    telephone: {
      probability: te.probability,
      codecs: te.v['codecs'] === undefined ? d.transforms.telephone.codecs : list(what, `${te.p}.codecs`, te.v['codecs'], (x, p) => oneOf(what, p, x, TELEPHONE_CODECS)),
    },
  };
  const copies = int(what, `${path}.copies`, o['copies'], 0, 32, d.copies);
  if (copies > 0 && AUGMENT_KINDS.every((k) => transforms[k].probability === 0)) {
    configFail(what, `${path}.transforms`, 'every probability is 0: give one transform a probability > 0, or set copies to 0');
  }
  return freeze({
    copies,
    seed: int(what, `${path}.seed`, o['seed'], 0, 2 ** 31 - 1, d.seed),
    domains: o['domains'] === undefined ? d.domains : list(what, `${path}.domains`, o['domains'], (x, p) => oneOf<Domain>(what, p, x, ['music', 'speech'])),
    transforms,
  });
}

/** Babble sources: each speech group of the manifest with its audio files (sorted by group). */
export interface BabblePool {
  readonly groups: readonly { readonly group: string; readonly files: readonly string[] }[];
}

/** Builds the babble pool from a manifest's sequences (speech sequences with audio files; files in manifest order). */
export function babblePool(sequences: readonly { readonly group: string; readonly domain: Domain; readonly audio?: string; readonly parts?: readonly { readonly audio: string }[] }[]): BabblePool {
  const byGroup = new Map<string, string[]>();
  for (const s of sequences) {
    if (s.domain !== 'speech') continue;
    const files = s.audio !== undefined ? [s.audio] : (s.parts ?? []).map((p) => p.audio);
    if (files.length === 0) continue;
    const list = byGroup.get(s.group) ?? [];
    for (const f of files) if (!list.includes(f)) list.push(f);
    byGroup.set(s.group, list);
  }
  return { groups: [...byGroup.keys()].sort().map((group) => ({ group, files: byGroup.get(group)! })) };
}

/** The uint32 seed of one draw stream (see the module header). */
export function drawSeed(seed: number, sequenceId: string, copy: number, stream: string): number {
  return createHash('sha256').update(`${seed}|${sequenceId}|${copy}|${stream}`).digest().readUInt32LE(0);
}

/** Uniform draw from [lo, hi], rounded to a multiple of `step` (kept inside the range). */
function uniformIn(u: () => number, [lo, hi]: Range, step: number): number {
  const v = Number((Math.round((lo + (hi - lo) * u()) / step) * step).toFixed(6));
  return Math.min(hi, Math.max(lo, v));
}
const pick = <T>(u: () => number, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(u() * xs.length))]!;
const seed32 = (u: () => number): number => Math.floor(u() * 2 ** 32);

/** k distinct elements of `xs` in a seeded order (partial Fisher–Yates). */
function sample<T>(u: () => number, xs: readonly T[], k: number): T[] {
  const a = xs.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(u() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

function drawStep(kind: AugmentKind, u: () => number, t: AugmentTransforms, others: BabblePool['groups']): AugmentStep | undefined {
  switch (kind) {
    case 'speed': return { kind, factor: uniformIn(u, t.speed.factor, 0.001) };
    case 'reverb': return {
      kind, rt60S: uniformIn(u, t.reverb.rt60S, 0.01), drrDb: uniformIn(u, t.reverb.drrDb, 0.1),
      preDelayMs: uniformIn(u, t.reverb.preDelayMs, 0.1), seed: seed32(u),
    };
    case 'noise': return { kind, color: pick(u, t.noise.colors), snrDb: uniformIn(u, t.noise.snrDb, 0.1), seed: seed32(u) };
    case 'babble': {
      if (others.length === 0) return undefined;
      const [lo, hi] = t.babble.talkers;
      const k = lo + Math.min(hi - lo, Math.floor(u() * (hi - lo + 1)));
      const snrDb = uniformIn(u, t.babble.snrDb, 0.1);
      const talkers = sample(u, others, k).map((g) => sample(u, g.files, t.babble.filesPerTalker));
      return { kind, snrDb, talkers, seed: seed32(u) };
    }
    case 'gain': return { kind, db: uniformIn(u, t.gain.db, 0.1) };
    case 'telephone': return { kind, codec: pick(u, t.telephone.codecs) };
  }
}

/**
 * The concrete recipe of copy `copy` of a sequence (see the module header). `pool` supplies babble talkers
 * (the sequence's own group is excluded).
 */
export function drawRecipe(config: AugmentationConfig, seq: { readonly id: string; readonly group: string }, copy: number, pool: BabblePool): AugmentRecipe {
  const others = pool.groups.filter((g) => g.group !== seq.group);
  const feasible = AUGMENT_KINDS.filter((k) => config.transforms[k].probability > 0 && (k !== 'babble' || others.length > 0));
  const steps: AugmentStep[] = [];
  const streams = new Map<AugmentKind, () => number>();
  for (const kind of AUGMENT_KINDS) {
    const u = mulberry32(drawSeed(config.seed, seq.id, copy, kind));
    streams.set(kind, u);
    if (!(u() < config.transforms[kind].probability)) continue;
    const step = drawStep(kind, u, config.transforms, others);
    if (step) steps.push(step);
  }
  if (steps.length === 0 && feasible.length > 0) {
    const kind = pick(mulberry32(drawSeed(config.seed, seq.id, copy, 'fallback')), feasible);
    const step = drawStep(kind, streams.get(kind)!, config.transforms, others);
    if (step) steps.push(step);
  }
  return freeze(steps);
}
