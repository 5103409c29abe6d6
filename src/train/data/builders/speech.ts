/**
 * Manifest builders for RAVDESS and EmoDB: each speaker's utterances become one minutes-long joined
 * sequence (or one per speaker and emotion with `by: 'emotion'`; builders/speakers.ts) with
 * piecewise-constant NRC targets (categories.ts). Group = speaker, so CV never splits a speaker.
 * - RAVDESS (Livingstone & Russo 2018): `ravdess/labels.csv` (path, emotion, intensity, actor, sex);
 *   intensity "normal" = 0.5, "strong" = 1.0 of the way from neutral (DEFAULT_INTENSITY_SCALE).
 * - EmoDB (Burkhardt et al. 2005): `emodb/flac/<ss><text><E><v>.flac`, speaker = first two digits,
 *   category = 6th letter (W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral).
 * Exact utterance durations come from each FLAC's STREAMINFO.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../../errors.ts';
import { DEFAULT_INTENSITY_SCALE, NRC_CATEGORY_MAP } from '../categories.ts';
import { readFlacInfo } from '../flac-info.ts';
import type { Manifest } from '../manifest-types.ts';
import { readLabelTable } from './label-table.ts';
import { addUtterance, speakerCorpusManifest, type SpeakerStreamOptions, type SpeakerTable } from './speakers.ts';

export { DEFAULT_SPEECH_BUILD_OPTIONS } from './speakers.ts';

/** Options of the speech builders. */
export interface SpeechBuildOptions extends SpeakerStreamOptions {
  /** Distance-from-neutral factor per RAVDESS intensity label. Default { normal: 0.5, strong: 1 }. */
  readonly intensityScale?: Readonly<Record<'normal' | 'strong', number>>;
}

/**
 * Gap noise defaults, dBFS RMS, near each corpus's own background level (measured on the 16 kHz
 * files: quietest non-zero 50 ms blocks of RAVDESS clips lie around −88…−112 dBFS, and the clips
 * themselves contain digitally silent stretches; EmoDB's quietest blocks have a median of −60 dBFS;
 * medians of the decoded Opus files: nEMO −62, ASED −114, BAVED −100 dBFS).
 */
export const DEFAULT_GAP_NOISE_DB: Readonly<Record<'ravdess' | 'emodb' | 'nemo' | 'ased' | 'baved', number>> = Object.freeze({
  ravdess: -95, emodb: -60, nemo: -60, ased: -110, baved: -100,
});

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

/** The NRC-mapped speech corpora share points and the neutral origin. */
function nrcSpec(name: 'ravdess' | 'emodb', description: string, base: string) {
  return { name, description, base, points: NRC_CATEGORY_MAP, neutralCategory: 'neutral', defaultGapNoiseDb: DEFAULT_GAP_NOISE_DB[name] };
}

/** Builds the RAVDESS manifest: one concatenated sequence per actor from `<dataDir>/ravdess`. */
export async function buildRavdessManifest(dataDir: string, options: SpeechBuildOptions = {}): Promise<Manifest> {
  const base = resolve(dataDir);
  const scale = options.intensityScale ?? DEFAULT_INTENSITY_SCALE;
  const rows = await readLabelTable(base, 'ravdess', ['path', 'emotion', 'intensity', 'actor', 'sex'] as const);
  const bySpeaker: SpeakerTable = new Map();
  for (const r of rows) {
    const category = RAVDESS_CATEGORIES[r.emotion];
    if (!category) bad(`ravdess/labels.csv: unknown emotion "${r.emotion}"`);
    const level = r.intensity as 'normal' | 'strong';
    if (scale[level] === undefined) bad(`ravdess/labels.csv: unknown intensity "${r.intensity}"`);
    const audio = `ravdess/${r.path}`;
    const info = await readFlacInfo(join(base, audio));
    const utterance = { audio, durationS: info.durationS, category, intensity: category === 'neutral' ? 1 : scale[level] };
    addUtterance(bySpeaker, `actor${r.actor.padStart(2, '0')}`, { sex: r.sex }, utterance);
  }
  const description = 'RAVDESS speech, one concatenated sequence per actor, NRC-mapped categorical targets (weak labels, acted speech)';
  return speakerCorpusManifest(nrcSpec('ravdess', description, base), bySpeaker, options);
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
  const description = 'Berlin EmoDB (this copy cut/padded to 2.00 s per file), one concatenated sequence per speaker, NRC-mapped categorical targets';
  return speakerCorpusManifest(nrcSpec('emodb', description, base), bySpeaker, options);
}
