/**
 * Registry of the corpus manifest builders (name → builder taking the shared data folder) and a
 * writer that validates a manifest before saving it as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { EmostreamError } from '../../../errors.ts';
import { validateManifest } from '../manifest.ts';
import type { Manifest } from '../manifest-types.ts';
import { buildAsedManifest, buildBavedManifest, buildNemoManifest } from './labelled-speech.ts';
import { buildEmoMusicManifest, buildPmemoManifest } from './music.ts';
import { buildMusic4qManifest } from './music4q.ts';
import type { PauseKind, StreamGrouping } from './speakers.ts';
import { buildEmoDbManifest, buildRavdessManifest } from './speech.ts';

/** Names of the built-in corpus builders. */
export type CorpusName = 'emomusic' | 'pmemo' | 'music4q' | 'ravdess' | 'emodb' | 'nemo' | 'ased' | 'baved';

/** Options every built-in builder takes (the joined speech corpora use them; music corpora accept none). */
export interface CorpusBuildOptions {
  /** Speech: one stream per 'speaker' (default) or per speaker and 'emotion'. */
  readonly by?: StreamGrouping;
  /** Speech: pauses of low-level 'noise' (default) or digital 'silence'. */
  readonly pause?: PauseKind;
}

type Builder = (dataDir: string, options: CorpusBuildOptions) => Promise<Manifest>;

/** A music builder: one file per sequence, so the stream options do not apply. */
function music(name: CorpusName, build: (dataDir: string) => Promise<Manifest>): Builder {
  return (dataDir, options) => {
    const given = Object.entries(options).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (given.length) {
      throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${name} builder options.${given[0]}: only the joined speech corpora take ${given.join(', ')}`);
    }
    return build(dataDir);
  };
}

/** Builder table: corpus name → (dataDir, options) => manifest with `baseDir` = dataDir. */
export const CORPUS_BUILDERS: Readonly<Record<CorpusName, Builder>> = Object.freeze({
  emomusic: music('emomusic', (d) => buildEmoMusicManifest(d)),
  pmemo: music('pmemo', (d) => buildPmemoManifest(d)),
  music4q: music('music4q', (d) => buildMusic4qManifest(d)),
  ravdess: (d: string, o: CorpusBuildOptions) => buildRavdessManifest(d, o),
  emodb: (d: string, o: CorpusBuildOptions) => buildEmoDbManifest(d, o),
  nemo: (d: string, o: CorpusBuildOptions) => buildNemoManifest(d, o),
  ased: (d: string, o: CorpusBuildOptions) => buildAsedManifest(d, o),
  baved: (d: string, o: CorpusBuildOptions) => buildBavedManifest(d, o),
});

/** Builds the named corpus's manifest from `dataDir` and validates it. */
export async function buildCorpusManifest(name: string, dataDir: string, options: CorpusBuildOptions = {}): Promise<Manifest> {
  const build = (CORPUS_BUILDERS as Record<string, Builder>)[name];
  if (!build) throw new EmostreamError('EMO_ERR_DATASET', `unknown corpus "${name}" (known: ${Object.keys(CORPUS_BUILDERS).join(', ')})`);
  return validateManifest(await build(dataDir, options));
}

/** Validates `manifest` and writes it as indented JSON to `path`. */
export async function writeManifest(manifest: Manifest, path: string): Promise<void> {
  validateManifest(manifest);
  await writeFile(path, JSON.stringify(manifest, null, 1) + '\n');
}

export { buildEmoMusicManifest, buildPmemoManifest, buildMusic4qManifest, buildRavdessManifest, buildEmoDbManifest, buildNemoManifest, buildAsedManifest, buildBavedManifest };
