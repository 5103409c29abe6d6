/**
 * 3-frame moving-average smoothing of LLD contours (recipe 5.1; openSMILE `cContourSmoother smaWin=3`).
 *
 * plain:   y[n] = (x[n−1] + x[n] + x[n+1]) / 3
 * nonzero: y[n] = 0 if x[n] = 0, else the mean of the non-zero values among x[n−1], x[n], x[n+1] (`noZeroSma=1`)
 * Edges replicate the first/last frame. The streaming form lives in `lld-post.ts`; these functions smooth whole
 * columns and are the definition both are tested against.
 * @see deltas.ts
 */
import type { SmoothingKind } from './registry.ts';

/** Smoothed value of frame n from its raw neighbours (prev, cur, next). */
export function smoothValue(kind: SmoothingKind, prev: number, cur: number, next: number): number {
  if (kind === 'plain') return (prev + cur + next) / 3;
  if (cur === 0) return 0;
  let sum = cur;
  let count = 1;
  if (prev !== 0) { sum += prev; count++; }
  if (next !== 0) { sum += next; count++; }
  return sum / count;
}

/** Smooths a whole column with edge replication. */
export function smoothColumn(values: ArrayLike<number>, kind: SmoothingKind): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = smoothValue(kind, values[Math.max(0, i - 1)], values[i], values[Math.min(n - 1, i + 1)]);
  }
  return out;
}
