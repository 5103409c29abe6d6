/**
 * The shared part of every categorical speech builder (RAVDESS, EmoDB, nEMO, ASED, BAVED): a table of
 * each speaker's labelled utterances → joined streams (builders/concat.ts) → a manifest whose
 * `categoryMap` holds the categories used. Group = speaker, so CV never splits a speaker, whichever
 * way the streams are cut:
 * - `by: 'speaker'` (default): one minutes-long stream per speaker with all of its utterances;
 * - `by: 'emotion'`: one stream per speaker and category, holding only that speaker's utterances of
 *   that category (single-emotion streams: an emotion held from the first second, for checking what
 *   per-stream normalisation does to it).
 * Pauses are low-level white noise (`pause: 'noise'`, level `gapNoiseDb`) or digital silence
 * (`pause: 'silence'`, manifest `gapNoiseDb: "silence"`).
 */
import { EmostreamError } from '../../../errors.ts';
import type { CategoryPoint, GapNoiseLevel, Manifest, ManifestSequence } from '../manifest-types.ts';
import { concatenateUtterances, type ConcatOptions, type Utterance } from './concat.ts';

/** How a speaker's utterances are cut into streams. */
export type StreamGrouping = 'speaker' | 'emotion';

/** What fills the pauses between utterances (and pads parts to their durationS). */
export type PauseKind = 'noise' | 'silence';

/** Options of every categorical speech builder. */
export interface SpeakerStreamOptions extends ConcatOptions {
  /** 'speaker': one stream per speaker; 'emotion': one per speaker and category. Default 'speaker'. */
  readonly by?: StreamGrouping;
  /** 'noise': white noise at `gapNoiseDb`; 'silence': exact zeros (then `gapNoiseDb` must be unset). Default 'noise'. */
  readonly pause?: PauseKind;
}

/** Defaults shared by the speech builders: 0.5 s gaps, seed 2017, no splitting, per-speaker noise-gapped streams. */
export const DEFAULT_SPEECH_BUILD_OPTIONS = Object.freeze({ gapS: 0.5, seed: 2017, maxPartsPerSequence: Infinity, by: 'speaker', pause: 'noise' } as const);

/** Builder options with every default applied and the pause folded into the manifest's gap level. */
export interface ResolvedStreamOptions {
  readonly gapS: number;
  readonly seed: number;
  readonly maxPartsPerSequence: number;
  readonly gapNoiseDb: GapNoiseLevel;
  readonly by: StreamGrouping;
}

/** One speaker's utterances and metadata (the first utterance filed sets the metadata). */
export interface SpeakerEntry {
  readonly utts: Utterance[];
  readonly meta: Record<string, string>;
}

/** Speaker id (unique within the corpus) → utterances. */
export type SpeakerTable = Map<string, SpeakerEntry>;

/** What a speech builder knows about its corpus. */
export interface SpeakerCorpusSpec {
  /** Manifest name and sequence id prefix. */
  readonly name: string;
  readonly description: string;
  /** Absolute data folder (the manifest's baseDir). */
  readonly base: string;
  /** Category → point; only the categories used (and `neutralCategory`) go into the manifest. */
  readonly points: Readonly<Record<string, CategoryPoint>>;
  /** Origin of intensity scaling, written as the manifest's neutralCategory. Default: none. */
  readonly neutralCategory?: string;
  /** Gap noise level of pause 'noise' when the options give none, dBFS. */
  readonly defaultGapNoiseDb: number;
}

function badOption(corpus: string, key: string, what: string, got: unknown): never {
  throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${corpus} builder options.${key}: ${what} (got ${JSON.stringify(got)})`);
}

/** Applies the defaults and validates builder options; throws EMO_ERR_BAD_CONFIG naming the option. */
export function resolveStreamOptions(corpus: string, options: SpeakerStreamOptions, defaultGapNoiseDb: number): ResolvedStreamOptions {
  const o = { ...DEFAULT_SPEECH_BUILD_OPTIONS, ...options };
  if (!(o.gapS >= 0 && o.gapS <= 3600)) badOption(corpus, 'gapS', 'must be a number of seconds in [0, 3600]', options.gapS);
  if (!(o.maxPartsPerSequence === Infinity || (Number.isInteger(o.maxPartsPerSequence) && o.maxPartsPerSequence >= 1))) {
    badOption(corpus, 'maxPartsPerSequence', 'must be an integer ≥ 1 or Infinity', options.maxPartsPerSequence);
  }
  if (!Number.isSafeInteger(o.seed)) badOption(corpus, 'seed', 'must be an integer', options.seed);
  if (o.by !== 'speaker' && o.by !== 'emotion') badOption(corpus, 'by', 'must be "speaker" or "emotion"', options.by);
  if (o.pause !== 'noise' && o.pause !== 'silence') badOption(corpus, 'pause', 'must be "noise" or "silence"', options.pause);
  if (options.gapNoiseDb !== undefined) {
    if (o.pause === 'silence') badOption(corpus, 'gapNoiseDb', 'only applies to pause "noise"', options.gapNoiseDb);
    if (!(options.gapNoiseDb >= -200 && options.gapNoiseDb <= 0)) badOption(corpus, 'gapNoiseDb', 'must be a dBFS level in [-200, 0]', options.gapNoiseDb);
  }
  const gapNoiseDb: GapNoiseLevel = o.pause === 'silence' ? 'silence' : (options.gapNoiseDb ?? defaultGapNoiseDb);
  return { gapS: o.gapS, seed: o.seed, maxPartsPerSequence: o.maxPartsPerSequence, gapNoiseDb, by: o.by };
}

/** Files an utterance under its speaker (the first utterance of a speaker sets the speaker's metadata). */
export function addUtterance(table: SpeakerTable, speaker: string, meta: Record<string, string>, utterance: Utterance): void {
  const entry = table.get(speaker) ?? { utts: [], meta };
  entry.utts.push(utterance);
  table.set(speaker, entry);
}

/** The streams of one speaker: all utterances, or one stream per category (sorted by name). */
function speakerStreams(prefix: string, speaker: string, entry: SpeakerEntry, o: ResolvedStreamOptions): ManifestSequence[] {
  const id = `${prefix}-${speaker}`;
  const group = `speaker:${id}`;
  if (o.by === 'speaker') return concatenateUtterances(id, group, 'speech', entry.utts, o, entry.meta);
  const categories = [...new Set(entry.utts.map((u) => u.category))].sort();
  return categories.flatMap((c) =>
    concatenateUtterances(`${id}-${c}`, group, 'speech', entry.utts.filter((u) => u.category === c), o, { ...entry.meta, emotion: c }));
}

/** The manifest of a categorical speech corpus from its speaker table (see the module header). */
export function speakerCorpusManifest(spec: SpeakerCorpusSpec, table: SpeakerTable, options: SpeakerStreamOptions = {}): Manifest {
  if (table.size === 0) throw new EmostreamError('EMO_ERR_DATASET', `${spec.name}: no utterances found`);
  const o = resolveStreamOptions(spec.name, options, spec.defaultGapNoiseDb);
  const used = new Set([...table.values()].flatMap((s) => s.utts.map((u) => u.category)));
  if (spec.neutralCategory !== undefined) used.add(spec.neutralCategory);
  const categoryMap: Record<string, CategoryPoint> = {};
  for (const c of [...used].sort()) {
    const p = spec.points[c];
    if (!p) throw new EmostreamError('EMO_ERR_INTERNAL', `${spec.name}: category "${c}" has no point`);
    categoryMap[c] = p;
  }
  const notes = [o.by === 'emotion' && 'single-emotion streams (one per speaker and category)', o.gapNoiseDb === 'silence' && 'digital-silence pauses'].filter(Boolean);
  const sequences = [...table].sort(([a], [b]) => a.localeCompare(b)).flatMap(([speaker, entry]) => speakerStreams(spec.name, speaker, entry, o));
  return {
    version: 1,
    name: spec.name,
    description: notes.length ? `${spec.description}; ${notes.join('; ')}` : spec.description,
    baseDir: spec.base,
    categoryMap,
    ...(spec.neutralCategory !== undefined && { neutralCategory: spec.neutralCategory }),
    sequences,
  };
}
