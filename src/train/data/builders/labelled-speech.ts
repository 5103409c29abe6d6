/**
 * Manifest builders for the speech corpora listed by a `labels.csv` (nEMO, ASED, BAVED; 16 kHz mono
 * Ogg Opus in ../shared/data): each speaker's utterances become one joined sequence (or one per speaker
 * and category with `by: 'emotion'`; builders/speakers.ts). Group = speaker. Durations come from the
 * Ogg Opus headers (exact to the sample; `duration_s` is rounded to ms and only cross-checked).
 * - nEMO (Christop 2024), Polish: `emotion` ∈ anger, fear, happiness, neutral, sadness, surprised
 *   (= NRC surprise); NRC-mapped points.
 * - ASED v1 (Retta et al. 2023), Amharic: `emotion` ∈ neutral, fear, happiness, sadness, anger; NRC.
 * - BAVED, Arabic single words: `level` 0 / 1 / 2 = low / neutral / high **arousal only**; the level
 *   categories have valence `null` (a missing target, never invented): BAVED_LEVEL_POINTS.
 */
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../../errors.ts';
import { NRC_CATEGORY_MAP, NRC_RAW, nrcToUnit } from '../categories.ts';
import type { CategoryPoint, Manifest } from '../manifest-types.ts';
import { checkedDurationS, readLabelTable } from './label-table.ts';
import { addUtterance, speakerCorpusManifest, type SpeakerStreamOptions, type SpeakerTable } from './speakers.ts';
import { DEFAULT_GAP_NOISE_DB } from './speech.ts';

/** nEMO emotion label → NRC category name. */
export const NEMO_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  anger: 'anger', fear: 'fear', happiness: 'happiness', neutral: 'neutral', sadness: 'sadness', surprised: 'surprise',
});

/** ASED emotion label → NRC category name. */
export const ASED_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  neutral: 'neutral', fear: 'fear', happiness: 'happiness', sadness: 'sadness', anger: 'anger',
});

/** BAVED `level` → category name of BAVED_LEVEL_POINTS. */
export const BAVED_LEVEL_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  '0': 'level0-low', '1': 'level1-neutral', '2': 'level2-high',
});

/**
 * NRC categories averaged for BAVED level 2 ("strong positive or negative emotion"): the
 * high-arousal categories of the other acted speech corpora (RAVDESS, EmoDB, nEMO, ASED), positive and
 * negative alike, each NRC arousal > 0.7.
 */
export const BAVED_HIGH_AROUSAL_CATEGORIES = Object.freeze(['happiness', 'surprise', 'anger', 'fear', 'disgust'] as const);

/**
 * BAVED level points, arousal only (valence `null`): level 0 (tired, down) = NRC boredom (−0.722),
 * level 1 (everyday speech) = NRC neutral (−0.632), level 2 = the mean NRC arousal of
 * BAVED_HIGH_AROUSAL_CATEGORIES (0.8174 → 0.6348). Same scale as the NRC-mapped corpora it is
 * trained with, so "neutral" means the same target in every corpus.
 */
export const BAVED_LEVEL_POINTS: Readonly<Record<string, CategoryPoint>> = Object.freeze({
  'level0-low': Object.freeze({ arousal: NRC_CATEGORY_MAP['boredom']!.arousal, valence: null }),
  'level1-neutral': Object.freeze({ arousal: NRC_CATEGORY_MAP['neutral']!.arousal, valence: null }),
  'level2-high': Object.freeze({
    arousal: nrcToUnit(BAVED_HIGH_AROUSAL_CATEGORIES.reduce((s, c) => s + NRC_RAW[c]!.arousal, 0) / BAVED_HIGH_AROUSAL_CATEGORIES.length),
    valence: null,
  }),
});

/** What differs between the labels.csv speech corpora. */
interface LabelledSpeechSpec {
  readonly name: 'nemo' | 'ased' | 'baved';
  readonly description: string;
  /** Column holding the category label. */
  readonly labelColumn: 'emotion' | 'level';
  /** Label → category name (a key of `points`). */
  readonly categories: Readonly<Record<string, string>>;
  readonly points: Readonly<Record<string, CategoryPoint>>;
  readonly neutralCategory?: string;
}

const NEMO: LabelledSpeechSpec = {
  name: 'nemo', labelColumn: 'emotion', categories: NEMO_CATEGORIES, points: NRC_CATEGORY_MAP, neutralCategory: 'neutral',
  description: 'nEMO Polish acted speech (CC BY-NC-SA 4.0, non-commercial), one concatenated sequence per speaker, NRC-mapped categorical targets',
};
const ASED: LabelledSpeechSpec = {
  name: 'ased', labelColumn: 'emotion', categories: ASED_CATEGORIES, points: NRC_CATEGORY_MAP, neutralCategory: 'neutral',
  description: 'ASED v1 Amharic acted speech, one concatenated sequence per speaker, NRC-mapped categorical targets',
};
const BAVED: LabelledSpeechSpec = {
  name: 'baved', labelColumn: 'level', categories: BAVED_LEVEL_CATEGORIES, points: BAVED_LEVEL_POINTS,
  description: 'BAVED Arabic single words, one concatenated sequence per speaker, arousal levels only (valence not labelled: null)',
};

/** Reads a labels.csv speech corpus into a manifest (see the module header). */
async function buildLabelledSpeech(spec: LabelledSpeechSpec, dataDir: string, options: SpeakerStreamOptions): Promise<Manifest> {
  const base = resolve(dataDir);
  const rows = await readLabelTable(base, spec.name, ['path', 'speaker', 'sex', spec.labelColumn, 'duration_s'] as const);
  const table: SpeakerTable = new Map();
  for (const r of rows) {
    const where = `${spec.name}/labels.csv line ${r.line}`;
    const label = r[spec.labelColumn];
    const category = spec.categories[label];
    if (!category) {
      throw new EmostreamError('EMO_ERR_DATASET', `${where}: unknown ${spec.labelColumn} "${label}" (known: ${Object.keys(spec.categories).join(', ')})`);
    }
    const audio = `${spec.name}/${r.path}`;
    const durationS = await checkedDurationS(join(base, audio), r.duration_s, where);
    addUtterance(table, `speaker${r.speaker}`, { sex: r.sex }, { audio, durationS, category });
  }
  return speakerCorpusManifest(
    { name: spec.name, description: spec.description, base, points: spec.points, defaultGapNoiseDb: DEFAULT_GAP_NOISE_DB[spec.name], ...(spec.neutralCategory && { neutralCategory: spec.neutralCategory }) },
    table,
    options,
  );
}

/** Builds the nEMO manifest from `<dataDir>/nemo/labels.csv`: one joined sequence per speaker (9). */
export function buildNemoManifest(dataDir: string, options: SpeakerStreamOptions = {}): Promise<Manifest> {
  return buildLabelledSpeech(NEMO, dataDir, options);
}

/** Builds the ASED manifest from `<dataDir>/ased/labels.csv`: one joined sequence per speaker (65). */
export function buildAsedManifest(dataDir: string, options: SpeakerStreamOptions = {}): Promise<Manifest> {
  return buildLabelledSpeech(ASED, dataDir, options);
}

/** Builds the BAVED manifest from `<dataDir>/baved/labels.csv`: one joined sequence per speaker (60), arousal only. */
export function buildBavedManifest(dataDir: string, options: SpeakerStreamOptions = {}): Promise<Manifest> {
  return buildLabelledSpeech(BAVED, dataDir, options);
}
