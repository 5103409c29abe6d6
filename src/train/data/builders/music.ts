/**
 * Manifest builders for the music corpora in the shared data folder (never copied: the manifest's
 * `baseDir` points at the data folder).
 * - emoMusic ("1000 Songs", Soleymani et al. 2013): songs with audio only; continuous arousal and
 *   valence at 2 Hz from 15.0 s (`annotations/{arousal,valence}_cont_average.csv`, columns
 *   `sample_<ms>ms`), already in [-1, 1]; group = song id (or artist from `songs_info.csv`).
 * - PMEmo (Zhang et al. 2018) demo songs: `<id>.json` → `dynamic.{t,a,v}` at 2 Hz from 15.5 s on
 *   [0, 1], mapped with 2x − 1; group = song id.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../../errors.ts';
import type { Manifest, ManifestSequence } from '../manifest-types.ts';
import { splitCsvLine } from './label-table.ts';

export { splitCsvLine };

/** Options of `buildEmoMusicManifest`. */
export interface EmoMusicOptions {
  /** What a CV group is: one song, or all songs of one artist. Default 'song'. */
  readonly groupBy?: 'song' | 'artist';
}

function bad(what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', what);
}

async function text(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${path}: cannot read (${(cause as Error).message})`, { cause });
  }
}

function lines(t: string): string[] {
  return t.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** Parses a wide emoMusic continuous-annotation CSV: song id → values, with the common sample times (s). */
export function parseWideAnnotations(t: string, path: string): { timeS: number[]; bySong: Map<string, number[]> } {
  const rows = lines(t).map(splitCsvLine);
  const timeS = rows[0]!.slice(1).map((h) => {
    const m = /^sample_(\d+)ms$/.exec(h);
    if (!m) bad(`${path}: unexpected column "${h}" (want sample_<ms>ms)`);
    return Number(m[1]) / 1000;
  });
  const bySong = new Map<string, number[]>();
  for (const r of rows.slice(1)) {
    const vals = r.slice(1).map(Number);
    if (vals.length !== timeS.length || vals.some((x) => !Number.isFinite(x))) bad(`${path}: song ${r[0]} has missing or bad values`);
    bySong.set(r[0]!, vals);
  }
  return { timeS, bySong };
}

/** Builds the emoMusic manifest (songs with audio only) from `<dataDir>/emomusic`. */
export async function buildEmoMusicManifest(dataDir: string, options: EmoMusicOptions = {}): Promise<Manifest> {
  const base = resolve(dataDir);
  const ann = join(base, 'emomusic', 'annotations');
  const arousal = parseWideAnnotations(await text(join(ann, 'arousal_cont_average.csv')), 'arousal_cont_average.csv');
  const valence = parseWideAnnotations(await text(join(ann, 'valence_cont_average.csv')), 'valence_cont_average.csv');
  if (arousal.timeS.join() !== valence.timeS.join()) bad('emomusic: arousal and valence sample times differ');
  const info = new Map<string, string[]>();
  for (const r of lines(await text(join(ann, 'songs_info.csv'))).slice(1).map(splitCsvLine)) info.set(r[0]!, r);
  const sequences: ManifestSequence[] = [];
  const ids = [...arousal.bySong.keys()].filter((id) => existsSync(join(base, 'emomusic', 'audio', `${id}.mp3`)));
  if (ids.length === 0) bad(`${base}/emomusic/audio: no <song_id>.mp3 with annotations found`);
  for (const id of ids.sort((a, b) => Number(a) - Number(b))) {
    const a = arousal.bySong.get(id)!, v = valence.bySong.get(id);
    if (!v) bad(`emomusic: song ${id} has arousal but no valence annotations`);
    const row = info.get(id);
    const artist = row?.[2] ?? 'unknown';
    sequences.push({
      id: `emomusic-${id}`,
      domain: 'music',
      group: options.groupBy === 'artist' ? `artist:${artist}` : `song:${id}`,
      audio: `emomusic/audio/${id}.mp3`,
      targets: { samples: { timeS: arousal.timeS, arousal: a, valence: v } },
      meta: { artist, title: row?.[3] ?? '', genre: row?.[6] ?? '', mediaeval2013Set: row?.[7] ?? '' },
    });
  }
  return {
    version: 1,
    name: 'emomusic',
    description: 'emoMusic (1000 Songs) clips with audio: 45 s excerpts, continuous A/V at 2 Hz from 15 s, averaged over raters',
    baseDir: base,
    sequences,
  };
}

/** Builds the PMEmo demo-song manifest from `<dataDir>/pmemo` (dynamic A/V mapped from [0, 1] with 2x − 1). */
export async function buildPmemoManifest(dataDir: string): Promise<Manifest> {
  const base = resolve(dataDir);
  const index = JSON.parse(await text(join(base, 'pmemo', 'index.json'))) as { id: number }[];
  if (!Array.isArray(index) || index.length === 0) bad('pmemo/index.json: expected a non-empty array of { id }');
  const sequences: ManifestSequence[] = [];
  for (const { id } of index) {
    const song = JSON.parse(await text(join(base, 'pmemo', `${id}.json`))) as {
      title?: string;
      artist?: string;
      dynamic?: { t: number[]; a: number[]; v: number[] };
    };
    const d = song.dynamic;
    if (!d || !Array.isArray(d.t) || d.t.length === 0 || d.a?.length !== d.t.length || d.v?.length !== d.t.length) {
      bad(`pmemo/${id}.json: dynamic.{t,a,v} missing or of unequal length`);
    }
    sequences.push({
      id: `pmemo-${id}`,
      domain: 'music',
      group: `song:pmemo-${id}`,
      audio: `pmemo/${id}.mp3`,
      targets: { samples: { timeS: d.t, arousal: d.a.map((x) => 2 * x - 1), valence: d.v.map((x) => 2 * x - 1) } },
      meta: { artist: song.artist ?? '', title: song.title ?? '' },
    });
  }
  return {
    version: 1,
    name: 'pmemo',
    description: 'PMEmo demo songs (chorus clips, evaluation only): dynamic A/V at 2 Hz from 15.5 s, mapped to [-1, 1] with 2x-1',
    baseDir: base,
    sequences,
  };
}
