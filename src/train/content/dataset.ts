/**
 * The content classifier's labelled windows (260 pooled features each), in four parts:
 * - corpora through the data layer, read-only (`loadCorpus`, features cached in `.cache/features`): every window of
 *   the speech corpora (RAVDESS, nEMO, ASED, BAVED; their 0.5 s pauses included) is `speech`, of the music corpora
 *   (music4q, emoMusic) `music`;
 * - per corpus, 20 % of the speakers / artists (songs for emoMusic) are `test`, 20 % of the rest `validation`
 *   (model selection), the others `train` (split.ts);
 * - generated audio (synthetic.ts, recipes.ts: steady noise and silence, sparse speech, speech over music) is drawn
 *   per part from that part's speakers and clips only, extracted here and cached under its own key;
 * - `outside`: EmoDB (speech) and PMEmo (music), never trained or tuned on, reported apart.
 */
import { createHash } from 'node:crypto';
import { EmostreamError } from '../../errors.ts';
import { CONTENT_LABELS, type ContentLabel } from '../../model/content-classifier.ts';
import { loadCorpus, decode16k, type LoadedCorpus } from '../data/sequences.ts';
import { fileSha256, readCachedFeatures, writeCachedFeatures, type PooledFeatures } from '../data/feature-cache.ts';
import { DEFAULT_CACHE_DIR } from '../data/extract-dataset.ts';
import { pooledFeatures, POOLED_FEATURES_IDENTITY } from '../data/pooled-features.ts';
import { SILENT_PROGRESS, type ProgressReporter } from '../progress.ts';
import { drawRecipes, type RecipeCounts, type SpeakerPool } from './recipes.ts';
import { heldOutGroups, hashString } from './split.ts';
import { labelWindows, renderSynth, type SynthRecipe } from './synthetic.ts';

/** Data parts. */
export const PARTS = ['train', 'validation', 'test', 'outside'] as const;
export type Part = (typeof PARTS)[number];

/** Corpora and the label of all their windows. */
export const TRAINING_CORPORA: readonly (readonly [string, ContentLabel])[] = [
  ['ravdess', 'speech'], ['nemo', 'speech'], ['ased', 'speech'], ['baved', 'speech'], ['music4q', 'music'], ['emomusic', 'music'],
];
/** Outside tests only: never trained or tuned on. */
export const OUTSIDE_CORPORA: readonly (readonly [string, ContentLabel])[] = [['emodb', 'speech'], ['pmemo', 'music']];

/** Generated recipes per part. */
export const RECIPE_COUNTS: Readonly<Record<'train' | 'validation' | 'test', RecipeCounts>> = Object.freeze({
  train: { noise: 100, sparseSpeech: 64, mixture: 170 },
  validation: { noise: 25, sparseSpeech: 16, mixture: 40 },
  test: { noise: 30, sparseSpeech: 20, mixture: 50 },
});

/** Version of the generated audio (part of its cache keys). */
export const SYNTH_VERSION = 1;

/** The windows. */
export interface ContentDataset {
  readonly dims: number;
  readonly count: number;
  /** Row-major count × dims. */
  readonly features: Float32Array;
  /** Index into CONTENT_LABELS. */
  readonly labels: Uint8Array;
  /** Index into PARTS. */
  readonly parts: Uint8Array;
  /** Index into `sourceNames` (corpus, or generated kind). */
  readonly sources: Uint8Array;
  readonly sourceNames: readonly string[];
  /** Groups (speakers, artists, songs) per corpus and part. */
  readonly groupCounts: Readonly<Record<string, Readonly<Record<Part, number>>>>;
  /** Generated windows left out as ambiguous (speech covering 10–50 % of them). */
  readonly ambiguous: number;
}

/** Options of `buildContentDataset`. */
export interface ContentDatasetOptions {
  /** The shared data folder. Default '../shared/data'. */
  readonly dataDir?: string;
  readonly cacheDir?: string;
  /** Extraction workers for the corpora. Default 1. */
  readonly workers?: number;
  readonly seed?: number;
  readonly progress?: ProgressReporter;
}

class Collector {
  private readonly rows: Float32Array[] = [];
  readonly labels: number[] = [];
  readonly parts: number[] = [];
  readonly sources: number[] = [];
  readonly sourceNames: string[] = [];
  ambiguous = 0;

  add(windows: Float32Array, dims: number, w: number, label: ContentLabel, part: Part, source: string): void {
    let s = this.sourceNames.indexOf(source);
    if (s < 0) s = this.sourceNames.push(source) - 1;
    this.rows.push(windows.subarray(w * dims, (w + 1) * dims));
    this.labels.push(CONTENT_LABELS.indexOf(label));
    this.parts.push(PARTS.indexOf(part));
    this.sources.push(s);
  }

  finish(dims: number, groupCounts: ContentDataset['groupCounts']): ContentDataset {
    const features = new Float32Array(this.rows.length * dims);
    this.rows.forEach((r, k) => features.set(r, k * dims));
    return {
      dims, count: this.rows.length, features, labels: Uint8Array.from(this.labels), parts: Uint8Array.from(this.parts),
      sources: Uint8Array.from(this.sources), sourceNames: this.sourceNames, groupCounts, ambiguous: this.ambiguous,
    };
  }
}

/** The part of a group: test, validation or train (split.ts). */
function partsOf(corpus: string, groups: string[], seed: number): (group: string) => Part {
  const test = heldOutGroups(groups, 0.2, seed ^ hashString(corpus));
  const validation = heldOutGroups(groups.filter((g) => !test.has(g)), 0.2, seed ^ hashString(`${corpus}/validation`));
  return (g) => (test.has(g) ? 'test' : validation.has(g) ? 'validation' : 'train');
}

/** Pooled features of a generated recipe, from the cache or extracted (and cached). */
async function synthFeatures(recipe: SynthRecipe, cacheDir: string): Promise<{ features: PooledFeatures; labels: (ContentLabel | undefined)[] }> {
  const files = recipe.kind === 'noise' ? [] : [...(recipe.kind === 'mixture' ? [recipe.music] : []), ...recipe.utterances];
  const hashes = await Promise.all(files.map(fileSha256));
  const keyed = { ...recipe, ...(recipe.kind !== 'noise' && { utterances: hashes.slice(recipe.kind === 'mixture' ? 1 : 0) }), ...(recipe.kind === 'mixture' && { music: hashes[0] }) };
  const key = createHash('sha256').update(JSON.stringify({ synth: SYNTH_VERSION, extractor: POOLED_FEATURES_IDENTITY, recipe: keyed })).digest('hex');
  const rendered = await renderSynth(recipe, decode16k);
  let features = await readCachedFeatures(cacheDir, key);
  if (!features) {
    features = await pooledFeatures(rendered.samples);
    await writeCachedFeatures(cacheDir, key, { id: `content-${recipe.kind}` }, POOLED_FEATURES_IDENTITY, features);
  }
  return { features, labels: labelWindows(recipe, rendered, features.count) };
}

function addCorpus(out: Collector, loaded: LoadedCorpus, label: ContentLabel, corpus: string, partOf: (group: string) => Part, dims: number): void {
  for (const seq of loaded.sequences) {
    for (let w = 0; w < seq.T; w++) out.add(seq.features, dims, w, label, partOf(seq.group), corpus);
  }
}

/** Builds the dataset (see the module header). */
export async function buildContentDataset(options: ContentDatasetOptions = {}): Promise<ContentDataset> {
  const dataDir = options.dataDir ?? '../shared/data';
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const seed = options.seed ?? 2026;
  const dims = POOLED_FEATURES_IDENTITY.dims ?? 260;
  const load = (corpus: string) => loadCorpus({ corpus, dataDir }, { cacheDir, workers: options.workers ?? 1, progress: options.progress });
  const out = new Collector();
  const groupCounts: Record<string, Record<Part, number>> = {};
  const speakers: Record<Part, SpeakerPool[]> = { train: [], validation: [], test: [], outside: [] };
  const music: Record<Part, string[]> = { train: [], validation: [], test: [], outside: [] };
  for (const [corpus, label] of [...TRAINING_CORPORA, ...OUTSIDE_CORPORA]) {
    const loaded = await load(corpus);
    const outside = OUTSIDE_CORPORA.some(([c]) => c === corpus);
    const partOf = outside ? () => 'outside' as Part : partsOf(corpus, loaded.manifest.sequences.map((s) => s.group), seed);
    addCorpus(out, loaded, label, corpus, partOf, dims);
    const counts: Record<Part, Set<string>> = { train: new Set(), validation: new Set(), test: new Set(), outside: new Set() };
    for (const seq of loaded.manifest.sequences) {
      const part = partOf(seq.group);
      counts[part].add(seq.group);
      if (outside) continue;
      if (label === 'speech' && seq.parts) speakers[part].push({ group: seq.group, utterances: seq.parts.map((p) => p.audio) });
      if (corpus === 'music4q' && seq.audio) music[part].push(seq.audio);
    }
    groupCounts[corpus] = Object.fromEntries(PARTS.map((p) => [p, counts[p].size])) as Record<Part, number>;
  }
  for (const part of ['train', 'validation', 'test'] as const) {
    const recipes = drawRecipes(speakers[part], music[part], RECIPE_COUNTS[part], seed ^ hashString(`synth/${part}`));
    const task = (options.progress ?? SILENT_PROGRESS).start(`generated ${part} audio`, recipes.length);
    for (const recipe of recipes) {
      const { features, labels } = await synthFeatures(recipe, cacheDir);
      labels.forEach((label, w) => {
        if (label === undefined) out.ambiguous++;
        else out.add(features.windows, dims, w, label, part, recipe.kind);
      });
      task.tick();
    }
    task.done();
  }
  if (out.labels.length === 0) throw new EmostreamError('EMO_ERR_DATASET', 'content dataset: no windows');
  return out.finish(dims, groupCounts);
}
