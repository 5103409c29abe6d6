/**
 * Scores of one predictor on one test set, in the forms the generalisation tests of issue 9 report:
 * - per sequence (speaker, song) Pearson r and CCC of arousal and valence, averaged over sequences, and pooled
 *   over all test seconds (eval/metrics.ts; a dimension without targets is NaN, shown as "—");
 * - ranking: sequences whose high-arousal seconds (target > 0) get a higher mean prediction than their
 *   low-arousal ones (target < 0), out of the sequences that have both (eval/ranking.ts);
 * - clips (music excerpts with one label each): AUC and sign accuracy of each clip's mean prediction against
 *   the sign of its target;
 * - single-emotion streams: per speaker, the mean prediction of its high-arousal streams minus that of its
 *   low-arousal ones (does stream normalisation erase an emotion held from the first second?);
 * - channel change: mean |Δ arousal| per second between the same audio clean and through a channel, after a
 *   warm-up; and the range of the predictions.
 */
import { evaluateSequences, pairedTTest, type SequencePrediction } from '../eval/index.ts';
import { auc, rankingMargin, signAccuracy } from '../eval/ranking.ts';
import type { LabelledSequence } from '../data/sequences.ts';

/** Predicted tracks of one sequence. */
export type Tracks = { readonly arousal: Float32Array; readonly valence: Float32Array };

/** Means over sequences and pooled scores of one dimension. */
export interface DimScores {
  readonly r: number;
  readonly ccc: number;
  readonly pooledR: number;
  readonly pooledCcc: number;
}

/** Everything `scoreSet` reports. */
export interface SetScores {
  readonly sequences: number;
  readonly arousal: DimScores;
  readonly valence: DimScores;
  /** Sequences ranking high- over low-arousal seconds / sequences with both. */
  readonly ranking: { readonly ok: number; readonly of: number };
  /** Clip-level measures (each sequence's mean prediction against its mean target's sign). */
  readonly clips: { readonly arousalAuc: number; readonly valenceAuc: number; readonly arousalSign: number; readonly valenceSign: number };
  /** Smallest and largest prediction (either dimension). */
  readonly range: readonly [number, number];
  /** Per-sequence arousal r and CCC, by sequence id (for paired tests). */
  readonly perSequence: ReadonlyMap<string, { readonly r: number; readonly ccc: number }>;
}

/**
 * True when no scored sequence holds both high- and low-arousal seconds: clip-labelled data (one constant target per
 * clip, e.g. music4q), where every predictor's per-sequence r and CCC are 0 and clip AUC and pooled CCC must decide.
 */
export function isClipLabelled(s: SetScores): boolean {
  return s.ranking.of === 0;
}

const col = (x: Float32Array, k: number) => x.filter((_, i) => i % 2 === k);
const meanOf = (x: ArrayLike<number>): number => {
  let s = 0, n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) { s += x[i]!; n++; }
  return n ? s / n : NaN;
};

/** Scores of predictions `preds[i]` of `seqs[i]` (see the module header). */
export function scoreSet(seqs: readonly LabelledSequence[], preds: readonly Tracks[]): SetScores {
  const items: SequencePrediction[] = seqs.map((s, i) => ({ id: s.id, gold: { arousal: col(s.targets, 0), valence: col(s.targets, 1) }, pred: preds[i]! }));
  const e = evaluateSequences(items);
  const dim = (k: 'arousal' | 'valence'): DimScores => ({ r: e.mean[k].r, ccc: e.mean[k].ccc, pooledR: e.pooled[k].r, pooledCcc: e.pooled[k].ccc });
  const margins = items.map((it) => rankingMargin(it.gold.arousal, it.pred.arousal)).filter(Number.isFinite);
  const clipA = items.map((it) => meanOf(it.pred.arousal)), clipV = items.map((it) => meanOf(it.pred.valence));
  const goldA = items.map((it) => meanOf(it.gold.arousal)), goldV = items.map((it) => meanOf(it.gold.valence));
  const labelled = (g: number[], p: number[]) => g.map((v, i) => [v, p[i]!] as const).filter(([v]) => Number.isFinite(v) && v !== 0);
  const aucOf = (g: number[], p: number[]) => { const l = labelled(g, p); return auc(l.map(([, s]) => s), l.map(([v]) => v > 0)); };
  let lo = Infinity, hi = -Infinity;
  for (const p of preds) for (const x of [p.arousal, p.valence]) for (let i = 0; i < x.length; i++) { lo = Math.min(lo, x[i]!); hi = Math.max(hi, x[i]!); }
  return {
    sequences: seqs.length,
    arousal: dim('arousal'), valence: dim('valence'),
    ranking: { ok: margins.filter((m) => m > 0).length, of: margins.length },
    clips: { arousalAuc: aucOf(goldA, clipA), valenceAuc: aucOf(goldV, clipV), arousalSign: signAccuracy(clipA, goldA), valenceSign: signAccuracy(clipV, goldV) },
    range: [lo, hi],
    perSequence: new Map(e.perSequence.map((p) => [p.id, { r: p.arousal.r, ccc: p.arousal.ccc }])),
  };
}

/** Paired t-test of per-sequence arousal r and CCC, a − b (null when fewer than 2 shared finite sequences). */
export function pairedArousalTests(a: SetScores, b: SetScores): { readonly r: { t: number; p: number } | null; readonly ccc: { t: number; p: number } | null } {
  const test = (k: 'r' | 'ccc') => {
    const ids = [...a.perSequence.keys()].filter((id) => b.perSequence.has(id) && Number.isFinite(a.perSequence.get(id)![k]) && Number.isFinite(b.perSequence.get(id)![k]));
    if (ids.length < 2) return null;
    const r = pairedTTest(ids.map((id) => a.perSequence.get(id)![k]), ids.map((id) => b.perSequence.get(id)![k]));
    return Number.isFinite(r.p) ? { t: r.t, p: r.p } : null;
  };
  return { r: test('r'), ccc: test('ccc') };
}

/** Single-emotion streams: speakers whose high-arousal streams get a higher mean arousal than their low ones. */
export function singleEmotionScores(streams: readonly LabelledSequence[], preds: readonly Tracks[]): { readonly speakers: number; readonly ok: number; readonly meanMargin: number } {
  const bySpeaker = new Map<string, { hi: number[]; lo: number[] }>();
  streams.forEach((s, i) => {
    const target = meanOf(col(s.targets, 0));
    if (!Number.isFinite(target) || target === 0) return;
    const e = bySpeaker.get(s.group) ?? { hi: [], lo: [] };
    (target > 0 ? e.hi : e.lo).push(meanOf(preds[i]!.arousal));
    bySpeaker.set(s.group, e);
  });
  const margins = [...bySpeaker.values()].filter((e) => e.hi.length && e.lo.length).map((e) => meanOf(e.hi) - meanOf(e.lo));
  return { speakers: margins.length, ok: margins.filter((m) => m > 0).length, meanMargin: margins.length ? meanOf(margins) : NaN };
}

/** Mean |Δ arousal| per second between paired clean and channel predictions, from second `warmUpS` on. */
export function levelChange(clean: readonly Tracks[], channel: readonly Tracks[], warmUpS: number): number {
  let s = 0, n = 0;
  clean.forEach((c, i) => {
    const d = channel[i]!;
    for (let t = warmUpS; t < Math.min(c.arousal.length, d.arousal.length); t++) { s += Math.abs(c.arousal[t]! - d.arousal[t]!); n++; }
  });
  return n ? s / n : NaN;
}
