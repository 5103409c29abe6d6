/**
 * Manifest builder for the 4Q audio emotion dataset (Panda, Malheiro & Paiva 2018) as laid out in
 * ../shared/data/music4q: 720 excerpts (20 s; 2 of 10.044 s) in 16 kHz mono Ogg Opus, `labels.csv` with
 * path, song, artist, title, quadrant, moods, genres, duration_s. One sequence per clip; group =
 * **artist** (folds never split an artist; see `artistGroup` for clips without one). Each clip's target is a constant: the centre of its
 * Russell quadrant in [−1, 1]², MUSIC4Q_QUADRANT_POINTS (Q1 = a+ v+, Q2 = a+ v−, Q3 = a− v−, Q4 = a− v+),
 * as one segment over the whole clip; `meta.quadrant` keeps the label for clip-level evaluation
 * (clip-mean AUC, sign accuracy). Research use only; never redistribute the audio.
 */
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../../errors.ts';
import type { AffectPoint, Manifest, ManifestSequence } from '../manifest-types.ts';
import { checkedDurationS, readLabelTable } from './label-table.ts';

/** The four quadrant labels. */
export type Quadrant = 'Q1' | 'Q2' | 'Q3' | 'Q4';

/**
 * Constant target of each quadrant: (±0.5, ±0.5), the centroid of the quadrant of the square
 * [−1, 1]², i.e. the mean of a point spread evenly over the quadrant when only the quadrant is known.
 * The signs are the label; the magnitude 0.5 is a choice (documented in docs/dataset-manifest.md).
 */
export const MUSIC4Q_QUADRANT_POINTS: Readonly<Record<Quadrant, AffectPoint>> = Object.freeze({
  Q1: Object.freeze({ arousal: 0.5, valence: 0.5 }),
  Q2: Object.freeze({ arousal: 0.5, valence: -0.5 }),
  Q3: Object.freeze({ arousal: -0.5, valence: -0.5 }),
  Q4: Object.freeze({ arousal: -0.5, valence: 0.5 }),
});

const isQuadrant = (q: string): q is Quadrant => q in MUSIC4Q_QUADRANT_POINTS;

/**
 * CV group of a clip: `artist:<name>`; a clip without an artist (3 of the 720) is a group of its own,
 * `artist:?<song>`, since nothing says which other clips share its artist.
 */
export function artistGroup(artist: string, song: string): string {
  return artist === '' ? `artist:?${song}` : `artist:${artist}`;
}

/** Builds the music4q manifest from `<dataDir>/music4q/labels.csv` (one sequence per clip, group = artist). */
export async function buildMusic4qManifest(dataDir: string): Promise<Manifest> {
  const base = resolve(dataDir);
  const columns = ['path', 'song', 'artist', 'title', 'quadrant', 'moods', 'genres', 'duration_s'] as const;
  const rows = await readLabelTable(base, 'music4q', columns, ['artist', 'title', 'moods', 'genres']);
  const sequences: ManifestSequence[] = [];
  for (const r of rows) {
    const where = `music4q/labels.csv line ${r.line}`;
    if (!isQuadrant(r.quadrant)) throw new EmostreamError('EMO_ERR_DATASET', `${where}: unknown quadrant "${r.quadrant}" (want Q1…Q4)`);
    const audio = `music4q/${r.path}`;
    const durationS = await checkedDurationS(join(base, audio), r.duration_s, where);
    sequences.push({
      id: `music4q-${r.song}`,
      domain: 'music',
      group: artistGroup(r.artist, r.song),
      audio,
      targets: { segments: [{ start: 0, end: durationS, category: r.quadrant }] },
      meta: { song: r.song, artist: r.artist, title: r.title, quadrant: r.quadrant, moods: r.moods, genres: r.genres },
    });
  }
  return {
    version: 1,
    name: 'music4q',
    description: '4Q audio emotion dataset (Panda et al. 2018, research use, never redistribute): 20 s excerpts, one Russell quadrant per clip as a constant target at the quadrant centre (±0.5, ±0.5); group = artist',
    baseDir: base,
    categoryMap: { ...MUSIC4Q_QUADRANT_POINTS },
    sequences: sequences.sort((a, b) => a.id.localeCompare(b.id)),
  };
}
