/**
 * `emostream manifest <corpus> <data-dir> --out manifest.json [--by speaker|emotion] [--pause noise|silence]`:
 * writes the dataset manifest of a built-in corpus laid out as in ../shared/data, for `train` and
 * `experiment` plans. The manifest points at the audio in <data-dir> (nothing is copied).
 * Format: docs/dataset-manifest.md.
 */
import { resolve } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import { buildCorpusManifest, CORPUS_BUILDERS, writeManifest, type CorpusBuildOptions } from '../../train/data/builders/index.ts';
import { parseCommandArgs } from '../args.ts';

/** Help text of `emostream manifest`. */
export const MANIFEST_HELP = `Usage: emostream manifest <corpus> <data-dir> --out <manifest.json> [--by speaker|emotion] [--pause noise|silence]

Builds the dataset manifest of a built-in corpus from its folder (the layout of the project's shared data):
  emomusic  emoMusic songs with audio, continuous 2 Hz arousal/valence averaged to 1 Hz (group: song)
  pmemo     PMEmo demo songs, dynamic arousal/valence mapped from [0, 1] to [-1, 1] (group: song)
  music4q   4Q dataset, 720 clips, constant target at the centre of the clip's quadrant (group: artist)
  ravdess   RAVDESS speech, one minutes-long sequence per actor of joined utterances, NRC category mapping (group: actor)
  emodb     EmoDB speech, one sequence per speaker likewise (group: speaker)
  nemo      nEMO Polish speech, one sequence per speaker, NRC mapping (group: speaker; CC BY-NC-SA, non-commercial)
  ased      ASED Amharic speech, one sequence per speaker, NRC mapping (group: speaker)
  baved     BAVED Arabic words, one sequence per speaker, arousal levels only, valence missing (group: speaker)
The manifest refers to the audio in <data-dir>; nothing is copied. Format: docs/dataset-manifest.md.

Options of the joined speech corpora (ravdess, emodb, nemo, ased, baved):
  --by speaker     one stream per speaker with all its utterances (default)
  --by emotion     one stream per speaker and emotion (single-emotion streams; group stays the speaker)
  --pause noise    pauses of low-level white noise at the corpus's background level (default)
  --pause silence  pauses of digital silence (exact zeros)

Example:
  emostream manifest ravdess ../shared/data --out ravdess.json
  emostream manifest emodb ../shared/data --out emodb-silence.json --pause silence`;

/** Checks a CLI value against its allowed words (EMO_ERR_USAGE otherwise). */
function choice<T extends string>(flag: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new EmostreamError('EMO_ERR_USAGE', `manifest: --${flag} must be ${allowed.join(' or ')}, got '${String(value)}'`);
  return value as T;
}

/** Runs `emostream manifest` (usage errors: EMO_ERR_USAGE; bad data: EMO_ERR_DATASET; bad builder options: EMO_ERR_BAD_CONFIG). */
export async function runManifest(argv: readonly string[]): Promise<void> {
  const spec = { out: { type: 'string' }, by: { type: 'string' }, pause: { type: 'string' } } as const;
  const { values, positionals } = parseCommandArgs(argv, spec, 'manifest');
  if (positionals.length !== 2) throw new EmostreamError('EMO_ERR_USAGE', 'manifest: give a corpus name and its data folder (see --help)');
  if (!values.out) throw new EmostreamError('EMO_ERR_USAGE', 'manifest: --out <manifest.json> is required');
  const [corpus, dataDir] = positionals as [string, string];
  if (!(corpus in CORPUS_BUILDERS)) {
    throw new EmostreamError('EMO_ERR_USAGE', `manifest: unknown corpus '${corpus}' (known: ${Object.keys(CORPUS_BUILDERS).join(', ')})`);
  }
  const by = choice('by', values.by, ['speaker', 'emotion'] as const);
  const pause = choice('pause', values.pause, ['noise', 'silence'] as const);
  const options: CorpusBuildOptions = { ...(by && { by }), ...(pause && { pause }) };
  const manifest = await buildCorpusManifest(corpus, resolve(dataDir), options);
  await writeManifest(manifest, values.out as string);
  const groups = new Set(manifest.sequences.map((s) => s.group));
  process.stdout.write(`${values.out}: ${manifest.sequences.length} sequences in ${groups.size} groups\n`);
}
