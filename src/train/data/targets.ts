/**
 * Manifest targets → per-window training targets: reads whichever target form a sequence uses
 * (CSV, inline samples, categorical segments), reduces it to 1 Hz and aligns it to pooled windows
 * (rules in align.ts), and summarises how many windows were dropped.
 */
import { EmostreamError } from '../../errors.ts';
import { alignToWindows, segmentsToOneHz, toOneHz, type AlignedTargets, type AlignOptions, type SecondTargets } from './align.ts';
import { readTargetCsv } from './csv.ts';
import type { Manifest, ManifestSequence } from './manifest-types.ts';

/** Loads one sequence's targets as 1 Hz values (second T ↔ window ending at T). */
export async function sequenceSecondTargets(seq: ManifestSequence, manifest: Pick<Manifest, 'categoryMap' | 'neutralCategory'>): Promise<SecondTargets> {
  const t = seq.targets;
  if ('csv' in t) return toOneHz(await readTargetCsv(t.csv));
  if ('samples' in t) return toOneHz(t.samples);
  const map = manifest.categoryMap;
  if (!map) throw new EmostreamError('EMO_ERR_DATASET', `sequence ${seq.id}: segment targets need a categoryMap`);
  const neutral = manifest.neutralCategory !== undefined ? map[manifest.neutralCategory] : undefined;
  return segmentsToOneHz(t.segments, map, neutral);
}

/** Loads and aligns one sequence's targets to `windowCount` pooled windows. */
export async function alignSequenceTargets(
  seq: ManifestSequence,
  manifest: Pick<Manifest, 'categoryMap' | 'neutralCategory'>,
  windowCount: number,
  options: AlignOptions = {},
): Promise<AlignedTargets> {
  return alignToWindows(await sequenceSecondTargets(seq, manifest), windowCount, options);
}

/** Totals of kept and dropped windows over a dataset. */
export interface AlignmentSummary {
  readonly sequences: number;
  readonly windowsWithTargets: number;
  readonly droppedLeading: number;
  readonly droppedTrailing: number;
  readonly maskedInterior: number;
  readonly unmatchedTargets: number;
}

/** Sums the dropped/kept counts of several aligned sequences (for logs and reports). */
export function summariseAlignment(aligned: readonly AlignedTargets[]): AlignmentSummary {
  let kept = 0, lead = 0, trail = 0, inner = 0, unmatched = 0;
  for (const a of aligned) {
    kept += a.count - a.dropped.interior;
    lead += a.dropped.leading;
    trail += a.dropped.trailing;
    inner += a.dropped.interior;
    unmatched += a.unmatchedTargets;
  }
  return { sequences: aligned.length, windowsWithTargets: kept, droppedLeading: lead, droppedTrailing: trail, maskedInterior: inner, unmatchedTargets: unmatched };
}
