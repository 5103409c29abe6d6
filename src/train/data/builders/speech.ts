/**
 * Manifest builders for the categorical speech corpora: each speaker's utterances become one
 * minutes-long concatenated sequence (builders/concat.ts) with piecewise-constant NRC targets
 * (categories.ts). Group = speaker, so CV never splits a speaker.
 * - RAVDESS (Livingstone & Russo 2018): `ravdess/labels.csv` (path, emotion, intensity, actor, sex);
 *   intensity "normal" = 0.5, "strong" = 1.0 of the way from neutral (DEFAULT_INTENSITY_SCALE).
 * - EmoDB (Burkhardt et al. 2005): `emodb/flac/<ss><text><E><v>.flac`, speaker = first two digits,
 *   category = 6th letter (W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral).
 * Exact utterance durations come from each FLAC's STREAMINFO.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../../errors.ts';
import { DEFAULT_INTENSITY_SCALE, NRC_CATEGORY_MAP } from '../categories.ts';
import { readFlacInfo } from '../flac-info.ts';
import type { AffectPoint, Manifest, ManifestSequence } from '../manifest-types.ts';
import { concatenateUtterances, type ConcatOptions, type Utterance } from './concat.ts';
import { splitCsvLine } from './music.ts';

/** Options of the speech builders. */
export interface SpeechBuildOptions extends ConcatOptions {
  /** Distance-from-neutral factor per RAVDESS intensity label. Default { normal: 0.5, strong: 1 }. */
  readonly intensityScale?: Readonly<Record<'normal' | 'strong', number>>;
}

/**
 * Gap noise defaults, dBFS RMS, near each corpus's own background level (measured on the 16 kHz
 * files: quietest non-zero 50 ms blocks of RAVDESS clips lie around −88…−112 dBFS, and the clips
 * themselves contain digitally silent stretches; EmoDB's quietest blocks have a median of −60 dBFS).
 */
export const DEFAULT_GAP_NOISE_DB: Readonly<Record<'ravdess' | 'emodb', number>> = Object.freeze({ ravdess: -95, emodb: -60 });

/** Defaults shared by both speech builders (gap length, seed, no splitting). */
export const DEFAULT_SPEECH_BUILD_OPTIONS = Object.freeze({ gapS: 0.5, seed: 2017, maxPartsPerSequence: Infinity });

/** RAVDESS emotion label → NRC category name. */
export const RAVDESS_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  neutral: 'neutral', calm: 'calm', happy: 'happiness', sad: 'sadness', angry: 'anger', fearful: 'fear', disgust: 'disgust', surprised: 'surprise',
});

/** EmoDB emotion letter → NRC category name (A = Angst mapped to fear, as RAVDESS "fearful"). */
export const EMODB_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  W: 'anger', L: 'boredom', E: 'disgust', A: 'fear', F: 'happiness', T: 'sadness', N: 'neutral',
});

function bad(what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', what);
}

function categoryMapFor(categories: Iterable<string>): Record<string, AffectPoint> {
  const map: Record<string, AffectPoint> = { neutral: NRC_CATEGORY_MAP['neutral']! };
  for (const c of categories) map[c] = NRC_CATEGORY_MAP[c]!;
  return map;
}

function speakerSequences(
  bySpeaker: Map<string, { utts: Utterance[]; meta: Record<string, string> }>,
  prefix: string,
  options: SpeechBuildOptions,
  defaultNoiseDb: number,
): ManifestSequence[] {
  const o = { ...DEFAULT_SPEECH_BUILD_OPTIONS, gapNoiseDb: defaultNoiseDb, ...options };
  if (!(o.gapS >= 0) || !(o.maxPartsPerSequence >= 1) || !Number.isSafeInteger(o.seed)) bad(`${prefix}: bad builder options ${JSON.stringify(options)}`);
  const out: ManifestSequence[] = [];
  for (const [speaker, { utts, meta }] of [...bySpeaker].sort(([a], [b]) => a.localeCompare(b))) {
    const id = `${prefix}-${speaker}`;
    out.push(...concatenateUtterances(id, `speaker:${id}`, 'speech', utts, o, meta));
  }
  return out;
}

/** Builds the RAVDESS manifest: one concatenated sequence per actor from `<dataDir>/ravdess`. */
export async function buildRavdessManifest(dataDir: string, options: SpeechBuildOptions = {}): Promise<Manifest> {
  const base = resolve(dataDir);
  const scale = options.intensityScale ?? DEFAULT_INTENSITY_SCALE;
  let text: string;
  try {
    text = await readFile(join(base, 'ravdess', 'labels.csv'), 'utf8');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${base}/ravdess/labels.csv: cannot read`, { cause });
  }
  const rows = text.split(/\r?\n/).filter((l) => l.trim()).map(splitCsvLine);
  const header = rows[0]!;
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) bad(`ravdess/labels.csv: missing column ${name}`);
    return i;
  };
  const [pi, ei, ii, ai, si] = ['path', 'emotion', 'intensity', 'actor', 'sex'].map(col) as [number, number, number, number, number];
  const bySpeaker: SpeakerTable = new Map();
  for (const r of rows.slice(1)) {
    const category = RAVDESS_CATEGORIES[r[ei]!];
    if (!category) bad(`ravdess/labels.csv: unknown emotion "${r[ei]}"`);
    const level = r[ii] as 'normal' | 'strong';
    if (scale[level] === undefined) bad(`ravdess/labels.csv: unknown intensity "${r[ii]}"`);
    const audio = `ravdess/${r[pi]}`;
    const info = await readFlacInfo(join(base, audio));
    const utterance = { audio, durationS: info.durationS, category, intensity: category === 'neutral' ? 1 : scale[level] };
    addUtterance(bySpeaker, `actor${r[ai]!.padStart(2, '0')}`, { sex: r[si]! }, utterance);
  }
  return speakerCorpusManifest('ravdess', 'RAVDESS speech, one concatenated sequence per actor, NRC-mapped categorical targets (weak labels, acted speech)', base, bySpeaker, options);
}

type SpeakerTable = Map<string, { utts: Utterance[]; meta: Record<string, string> }>;

/** Files an utterance under its speaker (the first utterance of a speaker sets the speaker's metadata). */
function addUtterance(bySpeaker: SpeakerTable, speaker: string, meta: Record<string, string>, utterance: Utterance): void {
  const entry = bySpeaker.get(speaker) ?? { utts: [], meta };
  entry.utts.push(utterance);
  bySpeaker.set(speaker, entry);
}

/** The manifest of a categorical speech corpus: one concatenated sequence per speaker, NRC map of the categories used. */
function speakerCorpusManifest(name: 'ravdess' | 'emodb', description: string, base: string, bySpeaker: SpeakerTable, options: SpeechBuildOptions): Manifest {
  const used = new Set([...bySpeaker.values()].flatMap((s) => s.utts.map((u) => u.category)));
  return {
    version: 1,
    name,
    description,
    baseDir: base,
    categoryMap: categoryMapFor(used),
    neutralCategory: 'neutral',
    sequences: speakerSequences(bySpeaker, name, options, DEFAULT_GAP_NOISE_DB[name]),
  };
}

/** Builds the EmoDB manifest: one concatenated sequence per speaker from `<dataDir>/emodb/flac`. */
export async function buildEmoDbManifest(dataDir: string, options: SpeechBuildOptions = {}): Promise<Manifest> {
  const base = resolve(dataDir);
  let files: string[];
  try {
    files = (await readdir(join(base, 'emodb', 'flac'))).filter((f) => f.endsWith('.flac')).sort();
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${base}/emodb/flac: cannot list`, { cause });
  }
  if (files.length === 0) bad(`${base}/emodb/flac: no .flac files`);
  const bySpeaker: SpeakerTable = new Map();
  for (const f of files) {
    const m = /^(\d\d)[a-z]\d\d([A-Z])[a-z]\d*\.flac$/.exec(f);
    if (!m) bad(`emodb/flac/${f}: name does not follow <speaker><text><emotion><version>.flac`);
    const category = EMODB_CATEGORIES[m[2]!];
    if (!category) bad(`emodb/flac/${f}: unknown emotion letter ${m[2]}`);
    const audio = `emodb/flac/${f}`;
    const info = await readFlacInfo(join(base, audio));
    addUtterance(bySpeaker, `speaker${m[1]}`, {}, { audio, durationS: info.durationS, category });
  }
  return speakerCorpusManifest('emodb', 'Berlin EmoDB (this copy cut/padded to 2.00 s per file), one concatenated sequence per speaker, NRC-mapped categorical targets', base, bySpeaker, options);
}
