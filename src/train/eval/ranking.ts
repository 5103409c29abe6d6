/**
 * Ordering measures of the generalisation tests (issue 9): does a model put high-arousal speech above low-arousal
 * speech, and happy music above sad music, whatever its level?
 * - Ranking of a sequence: mean prediction over the seconds whose target is above zero > mean over those below
 *   zero (seconds at exactly zero or without a target are left out); undefined without both kinds.
 * - AUC (Mann–Whitney): the probability that a random positive item scores above a random negative one, ties ½.
 * - Sign accuracy: the share of items whose score has the sign of their label.
 */
import { EmostreamError } from '../../errors.ts';

/** Mean prediction over gold > 0 seconds minus mean over gold < 0 seconds (NaN without both). */
export function rankingMargin(gold: ArrayLike<number>, pred: ArrayLike<number>): number {
  let hi = 0, nh = 0, lo = 0, nl = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!, p = pred[i]!;
    if (!Number.isFinite(g) || !Number.isFinite(p)) continue;
    if (g > 0) { hi += p; nh++; } else if (g < 0) { lo += p; nl++; }
  }
  return nh > 0 && nl > 0 ? hi / nh - lo / nl : NaN;
}

/** Area under the ROC curve of `scores` for binary `positive` labels (NaN without both classes). */
export function auc(scores: readonly number[], positive: readonly boolean[]): number {
  if (scores.length !== positive.length) throw new EmostreamError('EMO_ERR_INTERNAL', 'auc: scores and labels differ in length');
  const items = scores.map((s, i) => ({ s, p: positive[i]! })).filter((x) => Number.isFinite(x.s)).sort((a, b) => a.s - b.s);
  const nPos = items.filter((x) => x.p).length, nNeg = items.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  // Rank sum of the positives with average ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < items.length;) {
    let j = i;
    while (j + 1 < items.length && items[j + 1]!.s === items[i]!.s) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (items[k]!.p) rankSum += avg;
    i = j + 1;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Share of items whose score's sign matches their label's (labels ±; zero scores count as wrong). */
export function signAccuracy(scores: readonly number[], labels: readonly number[]): number {
  let n = 0, ok = 0;
  scores.forEach((s, i) => {
    const l = labels[i]!;
    if (!Number.isFinite(s) || !Number.isFinite(l) || l === 0) return;
    n++;
    if (Math.sign(s) === Math.sign(l)) ok++;
  });
  return n ? ok / n : NaN;
}
