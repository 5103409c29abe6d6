/**
 * Registry of the corpus manifest builders (name → builder taking the shared data folder) and a
 * writer that validates a manifest before saving it as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { EmostreamError } from '../../../errors.ts';
import { validateManifest } from '../manifest.ts';
import type { Manifest } from '../manifest-types.ts';
import { buildEmoMusicManifest, buildPmemoManifest } from './music.ts';
import { buildEmoDbManifest, buildRavdessManifest } from './speech.ts';

/** Names of the built-in corpus builders. */
export type CorpusName = 'emomusic' | 'pmemo' | 'ravdess' | 'emodb';

/** Builder table: corpus name → (dataDir) => manifest with `baseDir` = dataDir. */
export const CORPUS_BUILDERS: Readonly<Record<CorpusName, (dataDir: string) => Promise<Manifest>>> = Object.freeze({
  emomusic: (d: string) => buildEmoMusicManifest(d),
  pmemo: (d: string) => buildPmemoManifest(d),
  ravdess: (d: string) => buildRavdessManifest(d),
  emodb: (d: string) => buildEmoDbManifest(d),
});

/** Builds the named corpus's manifest from `dataDir` and validates it. */
export async function buildCorpusManifest(name: string, dataDir: string): Promise<Manifest> {
  const build = (CORPUS_BUILDERS as Record<string, (d: string) => Promise<Manifest>>)[name];
  if (!build) throw new EmostreamError('EMO_ERR_DATASET', `unknown corpus "${name}" (known: ${Object.keys(CORPUS_BUILDERS).join(', ')})`);
  return validateManifest(await build(dataDir));
}

/** Validates `manifest` and writes it as indented JSON to `path`. */
export async function writeManifest(manifest: Manifest, path: string): Promise<void> {
  validateManifest(manifest);
  await writeFile(path, JSON.stringify(manifest, null, 1) + '\n');
}

export { buildEmoMusicManifest, buildPmemoManifest, buildRavdessManifest, buildEmoDbManifest };
