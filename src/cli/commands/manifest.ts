/**
 * `emostream manifest <corpus> <data-dir> --out manifest.json`: writes the dataset manifest of a built-in corpus
 * (emomusic, pmemo, ravdess, emodb) laid out as in ../shared/data, for `train` and `experiment` plans. The manifest
 * points at the audio in <data-dir> (nothing is copied). Format: docs/dataset-manifest.md.
 */
import { resolve } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import { buildCorpusManifest, CORPUS_BUILDERS, writeManifest } from '../../train/data/builders/index.ts';
import { parseCommandArgs } from '../args.ts';

export const MANIFEST_HELP = `Usage: emostream manifest <corpus> <data-dir> --out <manifest.json>

Builds the dataset manifest of a built-in corpus from its folder (the layout of the project's shared data):
  emomusic  emoMusic songs with audio, continuous 2 Hz arousal/valence averaged to 1 Hz (group: song)
  pmemo     PMEmo demo songs, dynamic arousal/valence mapped from [0, 1] to [-1, 1] (group: song)
  ravdess   RAVDESS speech, one minutes-long sequence per actor of joined utterances, NRC category mapping (group: actor)
  emodb     EmoDB speech, one sequence per speaker likewise (group: speaker)
The manifest refers to the audio in <data-dir>; nothing is copied. Format: docs/dataset-manifest.md.

Example:
  emostream manifest ravdess ../shared/data --out ravdess.json`;

export async function runManifest(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' } }, 'manifest');
  if (positionals.length !== 2) throw new EmostreamError('EMO_ERR_USAGE', 'manifest: give a corpus name and its data folder (see --help)');
  if (!values.out) throw new EmostreamError('EMO_ERR_USAGE', 'manifest: --out <manifest.json> is required');
  const [corpus, dataDir] = positionals as [string, string];
  if (!(corpus in CORPUS_BUILDERS)) {
    throw new EmostreamError('EMO_ERR_USAGE', `manifest: unknown corpus '${corpus}' (known: ${Object.keys(CORPUS_BUILDERS).join(', ')})`);
  }
  const manifest = await buildCorpusManifest(corpus, resolve(dataDir));
  await writeManifest(manifest, values.out as string);
  const groups = new Set(manifest.sequences.map((s) => s.group));
  process.stdout.write(`${values.out}: ${manifest.sequences.length} sequences in ${groups.size} groups\n`);
}
