/**
 * Evaluation metrics of the paper (method.md): root-mean-square error, Pearson's r and Lin's
 * concordance correlation coefficient CCC = 2·cov(x, y) / (var x + var y + (mean x − mean y)²)
 * (Lin 1989), all with population statistics (divide by n). Scored per test sequence and averaged
 * over sequences (the paper's figures), and pooled over all test seconds (data README: per-song
 * music targets barely move, so per-sequence r/CCC are mostly noise).
 * Pairs whose gold value is NaN (masked windows, or a dimension the data does not label) are skipped.
 * Missing targets: a sequence with no gold value in a dimension scores NaN there (n = 0); the mean over
 * sequences averages only the sequences that have the dimension, and the pooled scores use only the
 * seconds that have it; with none at all the scores are NaN (reports print "—").
 * Degenerate cases: r = 0 when either series has zero variance (undefined; the mean predictor's
 * convention); CCC = 1 when both series are the same constant, 0 when the denominator is 0 otherwise.
 */
import { EmostreamError } from '../../errors.ts';

/** The three scores of one prediction track. */
export interface Scores {
  readonly rmse: number;
  readonly r: number;
  readonly ccc: number;
  /** Number of scored pairs. */
  readonly n: number;
}

/** Arousal and valence scores. */
export interface AffectScores {
  readonly arousal: Scores;
  readonly valence: Scores;
}

/** One test sequence's gold and predicted tracks (same length; NaN gold = no target). */
export interface SequencePrediction {
  readonly id: string;
  readonly gold: { readonly arousal: ArrayLike<number>; readonly valence: ArrayLike<number> };
  readonly pred: { readonly arousal: ArrayLike<number>; readonly valence: ArrayLike<number> };
}

/** Scores of a set of sequences: per sequence, mean over sequences, and pooled over all seconds. */
export interface Evaluation {
  readonly perSequence: readonly ({ readonly id: string } & AffectScores)[];
  readonly mean: AffectScores;
  readonly pooled: AffectScores;
}

interface Moments {
  n: number;
  mx: number;
  my: number;
  vx: number;
  vy: number;
  cov: number;
  mse: number;
}

function moments(pred: ArrayLike<number>, gold: ArrayLike<number>): Moments {
  if (pred.length !== gold.length) throw new EmostreamError('EMO_ERR_INTERNAL', `metrics: prediction length ${pred.length} ≠ gold length ${gold.length}`);
  let n = 0, sx = 0, sy = 0, pMin = Infinity, pMax = -Infinity, gMin = Infinity, gMax = -Infinity;
  for (let i = 0; i < gold.length; i++) {
    if (Number.isNaN(gold[i]!)) continue;
    n++;
    sx += pred[i]!;
    sy += gold[i]!;
    pMin = Math.min(pMin, pred[i]!);
    pMax = Math.max(pMax, pred[i]!);
    gMin = Math.min(gMin, gold[i]!);
    gMax = Math.max(gMax, gold[i]!);
  }
  if (n === 0) return { n, mx: NaN, my: NaN, vx: NaN, vy: NaN, cov: NaN, mse: NaN };
  // A constant series has exactly zero variance (its mean may round away from the value).
  const mx = pMin === pMax ? pMin : sx / n, my = gMin === gMax ? gMin : sy / n;
  let vx = 0, vy = 0, cov = 0, se = 0;
  for (let i = 0; i < gold.length; i++) {
    if (Number.isNaN(gold[i]!)) continue;
    const dx = pred[i]! - mx, dy = gold[i]! - my;
    vx += dx * dx;
    vy += dy * dy;
    cov += dx * dy;
    se += (pred[i]! - gold[i]!) ** 2;
  }
  return { n, mx, my, vx: vx / n, vy: vy / n, cov: cov / n, mse: se / n };
}

function fromMoments(m: Moments): Scores {
  if (m.n === 0) return { rmse: NaN, r: NaN, ccc: NaN, n: 0 };
  const r = m.vx > 0 && m.vy > 0 ? m.cov / Math.sqrt(m.vx * m.vy) : 0;
  const den = m.vx + m.vy + (m.mx - m.my) ** 2;
  const ccc = den > 0 ? (2 * m.cov) / den : m.mx === m.my ? 1 : 0;
  return { rmse: Math.sqrt(m.mse), r, ccc, n: m.n };
}

/** Moments of at least one scored pair; throws EMO_ERR_DATASET when every gold value is missing. */
function scoredMoments(pred: ArrayLike<number>, gold: ArrayLike<number>): Moments {
  const m = moments(pred, gold);
  if (m.n === 0) throw new EmostreamError('EMO_ERR_DATASET', 'metrics: no scored pairs (all gold values missing)');
  return m;
}

/** Root-mean-square error √(Σ(p − g)²/n) over pairs with a gold value; throws when there is none. */
export function rmse(pred: ArrayLike<number>, gold: ArrayLike<number>): number {
  return Math.sqrt(scoredMoments(pred, gold).mse);
}

/** Pearson's correlation coefficient (population moments; 0 when a variance is 0); throws without gold values. */
export function pearson(pred: ArrayLike<number>, gold: ArrayLike<number>): number {
  return fromMoments(scoredMoments(pred, gold)).r;
}

/** Lin's concordance correlation coefficient 2cov/(vx + vy + (mx − my)²), population moments; throws without gold values. */
export function ccc(pred: ArrayLike<number>, gold: ArrayLike<number>): number {
  return fromMoments(scoredMoments(pred, gold)).ccc;
}

/** rmse, r and CCC of one track; all NaN with n = 0 when no gold value is present (a missing dimension). */
export function scoreTrack(pred: ArrayLike<number>, gold: ArrayLike<number>): Scores {
  return fromMoments(moments(pred, gold));
}

/** Mean of each score over the tracks that have gold values (n > 0); NaN scores when none has. */
function meanScores(all: readonly Scores[]): Scores {
  const list = all.filter((s) => s.n > 0);
  const k = list.length;
  if (k === 0) return { rmse: NaN, r: NaN, ccc: NaN, n: 0 };
  return {
    rmse: list.reduce((a, s) => a + s.rmse, 0) / k,
    r: list.reduce((a, s) => a + s.r, 0) / k,
    ccc: list.reduce((a, s) => a + s.ccc, 0) / k,
    n: list.reduce((a, s) => a + s.n, 0),
  };
}

function concat(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[at++] = p[i]!;
  return out;
}

/** Scores each sequence, averages the scores over sequences, and scores all seconds pooled. */
export function evaluateSequences(seqs: readonly SequencePrediction[]): Evaluation {
  if (seqs.length === 0) throw new EmostreamError('EMO_ERR_DATASET', 'metrics: no sequences to evaluate');
  const perSequence = seqs.map((s) => ({
    id: s.id,
    arousal: scoreTrack(s.pred.arousal, s.gold.arousal),
    valence: scoreTrack(s.pred.valence, s.gold.valence),
  }));
  const pooledTrack = (k: 'arousal' | 'valence'): Scores =>
    scoreTrack(concat(seqs.map((s) => s.pred[k])), concat(seqs.map((s) => s.gold[k])));
  return {
    perSequence,
    mean: { arousal: meanScores(perSequence.map((p) => p.arousal)), valence: meanScores(perSequence.map((p) => p.valence)) },
    pooled: { arousal: pooledTrack('arousal'), valence: pooledTrack('valence') },
  };
}
