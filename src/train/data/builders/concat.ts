/**
 * Turns a speaker's labelled utterances into one concatenated manifest sequence: utterances in a
 * seeded random order (Fisher–Yates with mulberry32), each preceded by `gapS` of low-level noise,
 * each part's length fixed by `durationS` so that segment times are sample-exact
 * (segment i = [startSample_i, endSample_i) / 16000 s, gaps carry no segment).
 */
import { partSpans } from '../render.ts';
import { seededShuffle } from '../../../random.ts';

export { seededShuffle };
import { RENDER_RATE_HZ } from '../manifest-types.ts';
import type { Domain, GapNoiseLevel, ManifestSequence, TargetSegment } from '../manifest-types.ts';

/** One labelled utterance. */
export interface Utterance {
  /** Path relative to the manifest's baseDir. */
  readonly audio: string;
  readonly durationS: number;
  readonly category: string;
  /** Fraction of the distance from neutral, [0, 1]. Default 1. */
  readonly intensity?: number;
}

/** Options shared by the concatenating builders. */
export interface ConcatOptions {
  /** Gap before every utterance, s. Default 0.5 (as in the measured RAVDESS baseline). */
  readonly gapS?: number;
  /** Gap noise RMS, dBFS (with pause 'noise'). Default: per corpus (RAVDESS −95, EmoDB −60; see docs). */
  readonly gapNoiseDb?: number;
  /** Base seed of the utterance order and the gap noise. Default 2017. */
  readonly seed?: number;
  /** Longest sequence in utterances; a speaker with more is split into several sequences. Default Infinity. */
  readonly maxPartsPerSequence?: number;
}

/** 32-bit FNV-1a hash of a string (to derive per-sequence seeds). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}


/** Builds the concatenated sequence(s) of one speaker; ids get a `-k` suffix when split. */
export function concatenateUtterances(
  id: string,
  group: string,
  domain: Domain,
  utterances: readonly Utterance[],
  options: Required<Pick<ConcatOptions, 'gapS' | 'seed' | 'maxPartsPerSequence'>> & { readonly gapNoiseDb: GapNoiseLevel },
  meta?: Readonly<Record<string, string>>,
): ManifestSequence[] {
  const order = seededShuffle(utterances, hash32(`${options.seed}:${id}:order`));
  const chunks: Utterance[][] = [];
  for (let i = 0; i < order.length; i += options.maxPartsPerSequence) chunks.push(order.slice(i, i + options.maxPartsPerSequence));
  return chunks.map((chunk, k) => {
    const seqId = chunks.length > 1 ? `${id}-${k + 1}` : id;
    const parts = chunk.map((u) => ({ audio: u.audio, gapBeforeS: options.gapS, durationS: u.durationS }));
    const spans = partSpans({ parts }, []);
    const segments: TargetSegment[] = chunk.map((u, i) => ({
      start: spans[i]!.startSample / RENDER_RATE_HZ,
      end: spans[i]!.endSample / RENDER_RATE_HZ,
      category: u.category,
      ...(u.intensity !== undefined && u.intensity !== 1 && { intensity: u.intensity }),
    }));
    return {
      id: seqId,
      domain,
      group,
      parts,
      gapNoiseDb: options.gapNoiseDb,
      gapNoiseSeed: hash32(`${options.seed}:${seqId}:noise`),
      targets: { segments },
      ...(meta && { meta }),
    };
  });
}
