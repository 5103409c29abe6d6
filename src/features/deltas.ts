/**
 * First-order delta regression of smoothed LLD contours (recipe 5.2; openSMILE `cDeltaRegression deltawin=2`).
 *
 * plain:        d[n] = Σ_{i=1..2} i·(x[n+i] − x[n−i]) / 10, edges replicated.
 * in-segments:  the same, but a term i is skipped when x[n+i] or x[n−i] is 0 or NaN (`onlyInSegments=1
 *               zeroSegBound=1`), so deltas never straddle an unvoiced gap; normaliser 10 (emostream's default).
 * openSMILE-compatible in-segments: the normaliser starts at 10 and grows by i² for every accepted term, across the
 *               six voicing columns and all frames, never reset (the reference's quirk, kept only for golden parity:
 *               it makes the deltas shrink like 1/t and depend on when the stream started).
 * These batch functions are the definition; `lld-post.ts` computes the same values frame by frame.
 */
import type { DeltaKind } from './registry.ts';

/** Sum of squared regression weights for deltawin = 2: 2·(1² + 2²) = 10. */
export const DELTA_NORMALISER = 10;

/** Delta of frame n from its neighbours x[n−2], x[n−1], x[n+1], x[n+2] (plain regression). */
export function plainDelta(m2: number, m1: number, p1: number, p2: number): number {
  return (p1 - m1 + 2 * (p2 - m2)) / DELTA_NORMALISER;
}

/** Numerator of the in-segments delta and the squared weights of its accepted terms. */
export function segmentDeltaTerms(m2: number, m1: number, p1: number, p2: number, out: { numerator: number; weight: number }): void {
  let numerator = 0;
  let weight = 0;
  if (p1 !== 0 && m1 !== 0 && p1 === p1 && m1 === m1) { numerator += p1 - m1; weight += 1; }
  if (p2 !== 0 && m2 !== 0 && p2 === p2 && m2 === m2) { numerator += 2 * (p2 - m2); weight += 4; }
  out.numerator = numerator;
  out.weight = weight;
}

/** Deltas of a whole column (edges replicated); 'in-segments' uses the constant normaliser 10. */
export function deltaColumn(values: ArrayLike<number>, kind: DeltaKind): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const at = (i: number): number => values[Math.min(n - 1, Math.max(0, i))];
  const terms = { numerator: 0, weight: 0 };
  for (let i = 0; i < n; i++) {
    if (kind === 'plain') out[i] = plainDelta(at(i - 2), at(i - 1), at(i + 1), at(i + 2));
    else {
      segmentDeltaTerms(at(i - 2), at(i - 1), at(i + 1), at(i + 2), terms);
      out[i] = terms.numerator / DELTA_NORMALISER;
    }
  }
  return out;
}

/**
 * openSMILE-compatible in-segments deltas of several columns sharing one never-reset normaliser (frame-major, then
 * column order), in float32 arithmetic as the reference. Returns one array per column.
 */
export function openSmileSegmentDeltas(columns: readonly ArrayLike<number>[]): Float64Array[] {
  const n = columns.length ? columns[0].length : 0;
  const outs = columns.map(() => new Float64Array(n));
  const f = Math.fround;
  let norm = f(DELTA_NORMALISER);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < columns.length; c++) {
      const at = (k: number): number => f(columns[c][Math.min(n - 1, Math.max(0, k))]);
      let num = f(0);
      for (let w = 1; w <= 2; w++) {
        const a = at(i + w);
        const b = at(i - w);
        if (a !== 0 && b !== 0 && a === a && b === b) {
          num = f(num + f(w * f(a - b)));
          norm = f(norm + w * w);
        }
      }
      outs[c][i] = f(num / norm);
    }
  }
  return outs;
}
