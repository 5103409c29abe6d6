/**
 * Significance and spread for comparing conditions (method.md: Student's t-tests between conditions,
 * p-values × 3, Bonferroni): the paired t-test t = mean(d) / (sd(d)/√n), sd with n − 1, df = n − 1,
 * two-sided p from the t distribution (special.ts); Bonferroni correction p·m capped at 1; and a
 * t-based confidence interval of a mean: mean ± t_{(1+level)/2, n−1} · sd/√n.
 */
import { EmostreamError } from '../../errors.ts';
import { studentTQuantile, studentTTwoSided } from './special.ts';

/** Result of a paired t-test. */
export interface PairedTTest {
  /** Mean of a − b. */
  readonly meanDiff: number;
  readonly t: number;
  readonly df: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly n: number;
}

/** A mean with its t-based confidence interval. */
export interface MeanCI {
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
  readonly lo: number;
  readonly hi: number;
  readonly halfWidth: number;
  readonly level: number;
  readonly n: number;
}

function sampleStats(xs: ArrayLike<number>): { n: number; mean: number; sd: number } {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]!;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

/**
 * Paired Student's t-test of a against b (two-sided). When all differences are equal the test is
 * degenerate: t = ±Infinity, p = 0 if the mean difference is non-zero; t = 0, p = 1 if it is zero.
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTest {
  if (a.length !== b.length) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `paired t-test: lengths differ (${a.length} vs ${b.length})`);
  if (a.length < 2) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `paired t-test: need at least 2 pairs (got ${a.length})`);
  const d = Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
  const { n, mean, sd } = sampleStats(d);
  const df = n - 1;
  if (sd === 0) return { meanDiff: mean, t: mean === 0 ? 0 : mean * Infinity, df, p: mean === 0 ? 1 : 0, n };
  const t = mean / (sd / Math.sqrt(n));
  return { meanDiff: mean, t, df, p: studentTTwoSided(t, df), n };
}

/** Bonferroni-corrected p-value: min(1, p · comparisons). */
export function bonferroni(p: number, comparisons: number): number {
  if (!Number.isInteger(comparisons) || comparisons < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `bonferroni: comparisons must be a positive integer (got ${comparisons})`);
  return Math.min(1, p * comparisons);
}

/** Mean and t-based confidence interval (default 95 %) of a sample with n ≥ 2. */
export function meanConfidenceInterval(xs: ArrayLike<number>, level = 0.95): MeanCI {
  if (xs.length < 2) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `confidence interval: need at least 2 values (got ${xs.length})`);
  if (!(level > 0 && level < 1)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `confidence interval: level must be in (0, 1) (got ${level})`);
  const { n, mean, sd } = sampleStats(xs);
  const halfWidth = studentTQuantile((1 + level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, sd, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth, level, n };
}
