/**
 * Dataset manifest validation, loading and path resolution (format: manifest-types.ts,
 * docs/dataset-manifest.md). Every problem throws `EmostreamError('EMO_ERR_DATASET')` whose message
 * names the JSON path of the offending field, e.g. `sequences[3].targets.segments[2].end`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import {
  MANIFEST_VERSION,
  type CategoryPoint,
  type Manifest,
  type ManifestSequence,
  type ResolvedManifest,
  type SequencePart,
  type SequenceTargets,
  type TargetSegment,
} from './manifest-types.ts';

type Json = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', `manifest ${where}: ${what}`);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Json, key: string, where: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length === 0) fail(`${where}.${key}`, `must be a non-empty string (got ${JSON.stringify(v)})`);
  return v;
}

function num(o: Json, key: string, where: string, lo: number, hi: number, optional = false): number | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    fail(`${where}.${key}`, `must be a number in [${lo}, ${hi}] (got ${JSON.stringify(v)})`);
  }
  return v;
}

function onlyKeys(o: Json, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${where}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
}

/** A category point: each dimension a number in [-1, 1] or explicitly `null` (not labelled); not both null. */
function parsePoint(v: unknown, where: string): CategoryPoint {
  if (!isObject(v)) fail(where, 'must be an object { arousal, valence }');
  onlyKeys(v, ['arousal', 'valence'], where);
  const dim = (k: 'arousal' | 'valence'): number | null => (v[k] === null ? null : num(v, k, where, -1, 1)!);
  const point = { arousal: dim('arousal'), valence: dim('valence') };
  if (point.arousal === null && point.valence === null) fail(where, 'arousal and valence cannot both be null (a category must label at least one dimension)');
  return point;
}

/** Checks that the neutral point has every dimension a scaled segment's category labels (the interpolation origin). */
function checkScaledDimensions(m: Pick<Manifest, 'categoryMap' | 'neutralCategory'>, seg: TargetSegment, where: string): void {
  const neutral = m.categoryMap![m.neutralCategory!]!, point = m.categoryMap![seg.category]!;
  for (const k of ['arousal', 'valence'] as const) {
    if (point[k] !== null && neutral[k] === null) {
      fail(`${where}.intensity`, `intensity < 1 scales ${k} from the neutral category "${m.neutralCategory}", whose ${k} is null`);
    }
  }
}

/** Gap filler of a joined sequence: a dBFS level in [-200, 0] or "silence". */
function parseGapLevel(v: Json, where: string): number | 'silence' {
  const x = v['gapNoiseDb'];
  if (x === 'silence') return 'silence';
  if (typeof x !== 'number' || !Number.isFinite(x) || x < -200 || x > 0) {
    fail(`${where}.gapNoiseDb`, `must be a number in [-200, 0] (dBFS of the gap noise) or "silence" (got ${JSON.stringify(x)})`);
  }
  return x;
}

function parseSegment(v: unknown, where: string, categories: ReadonlySet<string>): TargetSegment {
  if (!isObject(v)) fail(where, 'must be an object { start, end, category, intensity? }');
  onlyKeys(v, ['start', 'end', 'category', 'intensity'], where);
  const start = num(v, 'start', where, 0, Infinity)!;
  const end = num(v, 'end', where, 0, Infinity)!;
  if (end <= start) fail(`${where}.end`, `must be > start (${start}), got ${end}`);
  const category = str(v, 'category', where)!;
  if (!categories.has(category)) fail(`${where}.category`, `"${category}" is not a key of categoryMap`);
  const intensity = num(v, 'intensity', where, 0, 1, true);
  return intensity === undefined ? { start, end, category } : { start, end, category, intensity };
}

function parseTargets(v: unknown, where: string, categories: ReadonlySet<string>): SequenceTargets {
  if (!isObject(v)) fail(where, 'must be an object with one of: csv, samples, segments');
  const forms = ['csv', 'samples', 'segments'].filter((k) => v[k] !== undefined);
  if (forms.length !== 1) fail(where, `needs exactly one of csv, samples, segments (got ${forms.length ? forms.join(', ') : 'none'})`);
  onlyKeys(v, [forms[0]!], where);
  if (forms[0] === 'csv') return { csv: str(v, 'csv', where)! };
  if (forms[0] === 'samples') {
    const s = v['samples'];
    const w = `${where}.samples`;
    if (!isObject(s)) fail(w, 'must be an object { timeS, arousal, valence }');
    onlyKeys(s, ['timeS', 'arousal', 'valence'], w);
    const cols = ['timeS', 'arousal', 'valence'].map((k) => {
      const a = s[k];
      if (!Array.isArray(a) || a.length === 0) fail(`${w}.${k}`, 'must be a non-empty array of numbers');
      a.forEach((x, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${w}.${k}[${i}]`, `must be a finite number (got ${JSON.stringify(x)})`);
        if (k !== 'timeS' && (x < -1 || x > 1)) fail(`${w}.${k}[${i}]`, `must be in [-1, 1] (got ${x})`);
      });
      return a as number[];
    });
    const [timeS, arousal, valence] = cols as [number[], number[], number[]];
    if (arousal.length !== timeS.length || valence.length !== timeS.length) {
      fail(w, `timeS, arousal and valence must have equal lengths (${timeS.length}, ${arousal.length}, ${valence.length})`);
    }
    for (let i = 1; i < timeS.length; i++) {
      if (!(timeS[i]! > timeS[i - 1]!)) fail(`${w}.timeS[${i}]`, `times must increase strictly (${timeS[i - 1]} then ${timeS[i]})`);
    }
    return { samples: { timeS, arousal, valence } };
  }
  const segs = v['segments'];
  if (!Array.isArray(segs) || segs.length === 0) fail(`${where}.segments`, 'must be a non-empty array');
  if (categories.size === 0) fail(`${where}.segments`, 'segment targets need a top-level categoryMap');
  const out = segs.map((s, i) => parseSegment(s, `${where}.segments[${i}]`, categories));
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.start < out[i - 1]!.end - 1e-9) fail(`${where}.segments[${i}].start`, `segments must be sorted and not overlap (${out[i]!.start} < previous end ${out[i - 1]!.end})`);
  }
  return { segments: out };
}

function parsePart(v: unknown, where: string): SequencePart {
  if (!isObject(v)) fail(where, 'must be an object { audio, gapBeforeS?, durationS? }');
  onlyKeys(v, ['audio', 'gapBeforeS', 'durationS'], where);
  const audio = str(v, 'audio', where)!;
  const gapBeforeS = num(v, 'gapBeforeS', where, 0, 3600, true);
  const durationS = num(v, 'durationS', where, 1e-3, 86400, true);
  return { audio, ...(gapBeforeS !== undefined && { gapBeforeS }), ...(durationS !== undefined && { durationS }) };
}

const SEQUENCE_KEYS = ['id', 'domain', 'group', 'audio', 'parts', 'gapNoiseDb', 'gapNoiseSeed', 'features', 'targets', 'meta'] as const;

function parseSequence(v: unknown, where: string, categories: ReadonlySet<string>): ManifestSequence {
  if (!isObject(v)) fail(where, 'must be an object');
  onlyKeys(v, SEQUENCE_KEYS, where);
  const id = str(v, 'id', where)!;
  const domain = v['domain'];
  if (domain !== 'music' && domain !== 'speech') fail(`${where}.domain`, `must be "music" or "speech" (got ${JSON.stringify(domain)})`);
  const group = str(v, 'group', where)!;
  const sources = (['audio', 'parts', 'features'] as const).filter((k) => v[k] !== undefined);
  if (sources.length !== 1) fail(where, `needs exactly one of audio, parts, features (got ${sources.length ? sources.join(', ') : 'none'})`);
  const base = { id, domain, group, targets: parseTargets(v['targets'], `${where}.targets`, categories) } as const;
  let meta: Record<string, string> | undefined;
  if (v['meta'] !== undefined) {
    if (!isObject(v['meta'])) fail(`${where}.meta`, 'must be an object of strings');
    meta = {};
    for (const [k, x] of Object.entries(v['meta'])) {
      if (typeof x !== 'string') fail(`${where}.meta.${k}`, 'must be a string');
      meta[k] = x;
    }
  }
  const withMeta = meta ? { ...base, meta } : base;
  if (sources[0] !== 'parts' && (v['gapNoiseDb'] !== undefined || v['gapNoiseSeed'] !== undefined)) {
    fail(where, 'gapNoiseDb / gapNoiseSeed only apply to sequences with parts');
  }
  if (sources[0] === 'audio') return { ...withMeta, audio: str(v, 'audio', where)! };
  if (sources[0] === 'features') return { ...withMeta, features: str(v, 'features', where)! };
  const parts = v['parts'];
  if (!Array.isArray(parts) || parts.length === 0) fail(`${where}.parts`, 'must be a non-empty array');
  const gapNoiseDb = parseGapLevel(v, where);
  const seed = v['gapNoiseSeed'];
  if (!Number.isSafeInteger(seed)) fail(`${where}.gapNoiseSeed`, `must be an integer (got ${JSON.stringify(seed)})`);
  return { ...withMeta, parts: parts.map((p, i) => parsePart(p, `${where}.parts[${i}]`)), gapNoiseDb, gapNoiseSeed: seed as number };
}

/** Validates a parsed manifest JSON value and returns it typed (paths untouched); throws EMO_ERR_DATASET. */
export function validateManifest(json: unknown): Manifest {
  if (!isObject(json)) fail('(root)', 'must be a JSON object');
  onlyKeys(json, ['version', 'name', 'description', 'baseDir', 'categoryMap', 'neutralCategory', 'sequences'], '(root)');
  if (json['version'] !== MANIFEST_VERSION) fail('version', `must be ${MANIFEST_VERSION} (got ${JSON.stringify(json['version'])})`);
  const name = str(json, 'name', '(root)')!;
  const description = str(json, 'description', '(root)', true);
  const baseDir = str(json, 'baseDir', '(root)', true);
  let categoryMap: Record<string, CategoryPoint> | undefined;
  if (json['categoryMap'] !== undefined) {
    if (!isObject(json['categoryMap'])) fail('categoryMap', 'must be an object { category: { arousal, valence } }');
    categoryMap = {};
    for (const [k, p] of Object.entries(json['categoryMap'])) categoryMap[k] = parsePoint(p, `categoryMap.${k}`);
  }
  const categories = new Set(Object.keys(categoryMap ?? {}));
  const neutralCategory = str(json, 'neutralCategory', '(root)', true);
  if (neutralCategory !== undefined && !categories.has(neutralCategory)) fail('neutralCategory', `"${neutralCategory}" is not a key of categoryMap`);
  const seqs = json['sequences'];
  if (!Array.isArray(seqs) || seqs.length === 0) fail('sequences', 'must be a non-empty array');
  const sequences = seqs.map((s, i) => parseSequence(s, `sequences[${i}]`, categories));
  const ids = new Set<string>();
  sequences.forEach((s, i) => {
    if (ids.has(s.id)) fail(`sequences[${i}].id`, `duplicate id "${s.id}"`);
    ids.add(s.id);
    if (!('segments' in s.targets)) return;
    s.targets.segments.forEach((g, j) => {
      if ((g.intensity ?? 1) === 1) return;
      if (neutralCategory === undefined) fail(`sequences[${i}].targets`, 'intensity < 1 needs a top-level neutralCategory');
      checkScaledDimensions({ categoryMap, neutralCategory }, g, `sequences[${i}].targets.segments[${j}]`);
    });
  });
  return {
    version: MANIFEST_VERSION,
    name,
    ...(description !== undefined && { description }),
    ...(baseDir !== undefined && { baseDir }),
    ...(categoryMap !== undefined && { categoryMap }),
    ...(neutralCategory !== undefined && { neutralCategory }),
    sequences,
  };
}

function abs(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/** Returns a copy of `m` with `baseDir` and every audio, features and CSV path made absolute. */
export function resolveManifestPaths(m: Manifest, manifestDir: string, sourcePath?: string): ResolvedManifest {
  const baseDir = abs(manifestDir, m.baseDir ?? '.');
  const sequences = m.sequences.map((s): ManifestSequence => ({
    ...s,
    ...(s.audio !== undefined && { audio: abs(baseDir, s.audio) }),
    ...(s.features !== undefined && { features: abs(baseDir, s.features) }),
    ...(s.parts !== undefined && { parts: s.parts.map((p) => ({ ...p, audio: abs(baseDir, p.audio) })) }),
    targets: 'csv' in s.targets ? { csv: abs(baseDir, s.targets.csv) } : s.targets,
  }));
  return { ...m, baseDir, sequences, ...(sourcePath !== undefined && { sourcePath }) };
}

/** Reads, validates and path-resolves a manifest JSON file. */
export async function loadManifest(path: string): Promise<ResolvedManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `manifest ${path}: cannot read (${(cause as Error).message})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `manifest ${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const full = resolve(path);
  return resolveManifestPaths(validateManifest(json), dirname(full), full);
}

/** Lists every file a resolved sequence reads (audio, parts, features, target CSV). */
export function sequenceFiles(s: ManifestSequence): string[] {
  const files: string[] = [];
  if (s.audio) files.push(s.audio);
  if (s.features) files.push(s.features);
  for (const p of s.parts ?? []) files.push(p.audio);
  if ('csv' in s.targets) files.push(s.targets.csv);
  return files;
}
