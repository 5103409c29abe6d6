/**
 * `emostream train-content`: builds the content dataset (dataset.ts), picks the network by validation balanced
 * accuracy among a few candidates (each trained on the train part only), trains the pick on train + validation, and
 * scores it once on the held-out test part (speakers and artists never seen) and on the outside corpora (EmoDB,
 * PMEmo: never trained or tuned on). The shipped file is exactly the model those scores describe.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CONTENT_LABELS, CONTENT_MODEL_FORMAT, validateContentModel, type ContentModelFile } from '../../model/content-classifier.ts';
import { POOLED_FEATURES_IDENTITY } from '../data/pooled-features.ts';
import { SILENT_PROGRESS, type ProgressReporter } from '../progress.ts';
import { buildContentDataset, PARTS, RECIPE_COUNTS, type ContentDataset, type ContentDatasetOptions, type Part } from './dataset.ts';
import { scoreContent, type ContentScores } from './evaluate.ts';
import { fitNetwork, predictClasses, standardisation, standardise, type FitOptions } from './fit.ts';
import { contentReport } from './report.ts';

/** Networks tried (validation balanced accuracy decides). */
export const CONTENT_CANDIDATES: readonly Partial<FitOptions>[] = Object.freeze([
  { hidden: [], l2: 1e-4, learningRate: 3e-3, epochs: 20 },
  { hidden: [16], l2: 1e-3, learningRate: 3e-3, epochs: 20 },
  { hidden: [32], l2: 1e-3, learningRate: 3e-3, epochs: 20 },
]);

/** Options of `trainContent`. */
export interface TrainContentOptions extends ContentDatasetOptions {
  /** Model file written. Default 'models/content.json'. */
  readonly out?: string;
  /** Markdown report written (undefined: none). */
  readonly report?: string;
  /** Candidates (default CONTENT_CANDIDATES). */
  readonly candidates?: readonly Partial<FitOptions>[];
}

/** What `trainContent` measured. */
export interface TrainContentResult {
  readonly file: ContentModelFile;
  readonly selection: readonly { readonly candidate: Partial<FitOptions>; readonly validation: ContentScores }[];
  readonly chosen: Partial<FitOptions>;
  readonly test: ContentScores;
  /** Test scores per source (corpus or generated kind). */
  readonly testBySource: Readonly<Record<string, ContentScores>>;
  /** Outside corpora. */
  readonly outside: Readonly<Record<string, ContentScores>>;
  readonly dataset: Pick<ContentDataset, 'count' | 'groupCounts' | 'ambiguous' | 'sourceNames'> & { readonly windowsPerPart: Readonly<Record<Part, number>> };
}

const rowsWhere = (ds: ContentDataset, keep: (k: number) => boolean): number[] => {
  const out: number[] = [];
  for (let k = 0; k < ds.count; k++) if (keep(k)) out.push(k);
  return out;
};

/** Scores the rows of `z` with `layers`. */
function score(ds: ContentDataset, z: Float32Array, layers: ContentModelFile['layers'], rows: readonly number[]): ContentScores {
  return scoreContent(CONTENT_LABELS, rows.map((r) => ds.labels[r]!), predictClasses(layers, z, ds.dims, rows));
}

/** Trains, evaluates and writes the content classifier (see the module header). */
export async function trainContent(options: TrainContentOptions = {}): Promise<TrainContentResult> {
  const progress: ProgressReporter = options.progress ?? SILENT_PROGRESS;
  const ds = await buildContentDataset(options);
  const part = (name: Part) => PARTS.indexOf(name);
  const train = rowsWhere(ds, (k) => ds.parts[k] === part('train'));
  const validation = rowsWhere(ds, (k) => ds.parts[k] === part('validation'));
  const test = rowsWhere(ds, (k) => ds.parts[k] === part('test'));
  const windowsPerPart = Object.fromEntries(PARTS.map((p) => [p, rowsWhere(ds, (k) => ds.parts[k] === part(p)).length])) as Record<Part, number>;
  progress.log(`content: ${ds.count} windows (${PARTS.map((p) => `${p} ${windowsPerPart[p]}`).join(', ')}); ${ds.ambiguous} ambiguous generated windows left out`);

  const K = CONTENT_LABELS.length;
  const s1 = standardisation(ds.features, ds.dims, train);
  const z1 = standardise(ds.features, ds.dims, s1.mean, s1.std);
  const selection = (options.candidates ?? CONTENT_CANDIDATES).map((candidate) => {
    const layers = fitNetwork(z1, ds.dims, ds.labels, train, K, candidate);
    const validationScores = score(ds, z1, layers, validation);
    progress.log(`content: candidate ${JSON.stringify(candidate)}: validation balanced accuracy ${(100 * validationScores.balancedAccuracy).toFixed(1)} %`);
    return { candidate, validation: validationScores };
  });
  const chosen = selection.reduce((a, b) => (b.validation.balancedAccuracy > a.validation.balancedAccuracy ? b : a)).candidate;

  const fitRows = [...train, ...validation];
  const s2 = standardisation(ds.features, ds.dims, fitRows);
  const z2 = standardise(ds.features, ds.dims, s2.mean, s2.std);
  const layers = fitNetwork(z2, ds.dims, ds.labels, fitRows, K, chosen);
  const testScores = score(ds, z2, layers, test);
  const testBySource = Object.fromEntries(ds.sourceNames.flatMap((name, s) => {
    const rows = test.filter((r) => ds.sources[r] === s);
    return rows.length ? [[name, score(ds, z2, layers, rows)]] : [];
  }));
  const outside = Object.fromEntries(ds.sourceNames.flatMap((name, s) => {
    const rows = rowsWhere(ds, (k) => ds.parts[k] === part('outside') && ds.sources[k] === s);
    return rows.length ? [[name, score(ds, z2, layers, rows)]] : [];
  }));
  progress.log(`content: test accuracy ${(100 * testScores.accuracy).toFixed(1)} %, balanced ${(100 * testScores.balancedAccuracy).toFixed(1)} %`);

  const file = validateContentModel({
    format: CONTENT_MODEL_FORMAT, labels: CONTENT_LABELS, features: POOLED_FEATURES_IDENTITY.id,
    mean: Array.from(s2.mean), std: Array.from(s2.std), layers,
    trainingData: `speech: ravdess, nemo, ased, baved; music: music4q, emomusic (80 % of speakers/artists/songs per corpus: train + validation); generated: ${RECIPE_COUNTS.train.noise + RECIPE_COUNTS.validation.noise} noise/silence, ${RECIPE_COUNTS.train.sparseSpeech + RECIPE_COUNTS.validation.sparseSpeech} sparse-speech and ${RECIPE_COUNTS.train.mixture + RECIPE_COUNTS.validation.mixture} speech-over-music recordings from those speakers and clips`,
    metrics: {
      network: chosen, test: { accuracy: testScores.accuracy, balancedAccuracy: testScores.balancedAccuracy, windows: testScores.windows, confusion: testScores.confusion },
      outside: Object.fromEntries(Object.entries(outside).map(([k, v]) => [k, { accuracy: v.accuracy, windows: v.windows }])),
    },
    created: new Date().toISOString(),
  }, 'trainer output');
  const out = options.out ?? 'models/content.json';
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(file) + '\n');
  const result: TrainContentResult = {
    file, selection, chosen, test: testScores, testBySource, outside,
    dataset: { count: ds.count, groupCounts: ds.groupCounts, ambiguous: ds.ambiguous, sourceNames: ds.sourceNames, windowsPerPart },
  };
  if (options.report) {
    await mkdir(dirname(options.report), { recursive: true });
    await writeFile(options.report, contentReport(result));
  }
  return result;
}
