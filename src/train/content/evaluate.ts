/**
 * Scores of the content classifier on a set of windows: the confusion matrix (rows: true label, columns: predicted,
 * in label order), accuracy, per-class recall and precision, and balanced accuracy (mean recall over the classes
 * present, so the largest class does not dominate).
 */

/** Scores of one evaluation. */
export interface ContentScores {
  readonly labels: readonly string[];
  /** confusion[true][predicted] = window count. */
  readonly confusion: readonly (readonly number[])[];
  readonly windows: number;
  readonly accuracy: number;
  /** Mean recall over the classes with at least one window. */
  readonly balancedAccuracy: number;
  /** Per label: recall (NaN → null when absent) and precision (null when never predicted). */
  readonly perClass: Readonly<Record<string, { readonly windows: number; readonly recall: number | null; readonly precision: number | null }>>;
}

/** Scores `predicted` against `truth` (label indices). */
export function scoreContent(labels: readonly string[], truth: ArrayLike<number>, predicted: ArrayLike<number>): ContentScores {
  const K = labels.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let k = 0; k < truth.length; k++) confusion[truth[k]!]![predicted[k]!]!++;
  const n = truth.length;
  let correct = 0;
  for (let c = 0; c < K; c++) correct += confusion[c]![c]!;
  const perClass: Record<string, { windows: number; recall: number | null; precision: number | null }> = {};
  const recalls: number[] = [];
  labels.forEach((label, c) => {
    const row = confusion[c]!.reduce((a, b) => a + b, 0);
    const col = confusion.reduce((a, r) => a + r[c]!, 0);
    const recall = row > 0 ? confusion[c]![c]! / row : null;
    if (recall !== null) recalls.push(recall);
    perClass[label] = { windows: row, recall, precision: col > 0 ? confusion[c]![c]! / col : null };
  });
  return {
    labels, confusion, windows: n, accuracy: n > 0 ? correct / n : NaN,
    balancedAccuracy: recalls.length > 0 ? recalls.reduce((a, b) => a + b, 0) / recalls.length : NaN, perClass,
  };
}

/** A Markdown table of a confusion matrix (true label per row, predicted per column, recall at the end). */
export function confusionTable(scores: ContentScores): string {
  const head = `| true \\ predicted | ${scores.labels.join(' | ')} | recall |`;
  const rule = `|---|${scores.labels.map(() => '---:').join('|')}|---:|`;
  const rows = scores.labels.map((label, c) => {
    const recall = scores.perClass[label]!.recall;
    return `| **${label}** | ${scores.confusion[c]!.join(' | ')} | ${recall === null ? '–' : (100 * recall).toFixed(1) + ' %'} |`;
  });
  return [head, rule, ...rows].join('\n');
}
