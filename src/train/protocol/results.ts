/**
 * What the experiment protocol produces (protocol.ts), as plain data: the paper's six conditions, per-condition
 * scores and the whole experiment's results. Rendered by src/train/output (report.md, results.json, plots).
 */
import type { Scores } from '../eval/metrics.ts';

/** The six experimental conditions of the paper. */
export type Condition = 'M2M' | 'S2M' | 'S2M-TL' | 'S2S' | 'M2S' | 'M2S-TL';

/** Ordered conditions as in Table 6. */
export const CONDITIONS: readonly Condition[] = Object.freeze(['M2M', 'S2M', 'S2M-TL', 'S2S', 'M2S', 'M2S-TL']);

/** Domain of each condition's test data (M2M, S2M, S2M-TL test on music). */
export const TEST_DOMAIN: Readonly<Record<Condition, 'music' | 'speech'>> = Object.freeze({
  M2M: 'music', S2M: 'music', 'S2M-TL': 'music', S2S: 'speech', M2S: 'speech', 'M2S-TL': 'speech',
});

/** rmse / r / CCC of arousal and valence (n optional). */
export interface ScorePair {
  readonly arousal: Pick<Scores, 'rmse' | 'r' | 'ccc'>;
  readonly valence: Pick<Scores, 'rmse' | 'r' | 'ccc'>;
}

/** One condition's chosen configuration and test scores. */
export interface ConditionResult {
  readonly condition: Condition;
  readonly layer1: number;
  readonly layer2: number;
  readonly lr: number;
  readonly noiseSigma: number;
  /** Averaged over test sequences (and over the reported trials). */
  readonly mean: ScorePair;
  /** Pooled over all test seconds. */
  readonly pooled?: ScorePair;
  /** Test sequences to plot (targets and predictions per second; NaN = none). */
  readonly sequences?: readonly { readonly id: string; readonly gold: Record<'arousal' | 'valence', readonly number[]>; readonly pred: Record<'arousal' | 'valence', readonly number[]> }[];
  /** Learning curves per trial or fold. */
  readonly curves?: readonly { readonly label: string; readonly train: readonly number[]; readonly validation: readonly number[] }[];
  readonly notes?: string;
}

/** A whole experiment's results. */
export interface ExperimentResults {
  readonly title: string;
  readonly createdAt?: string;
  /** Free text: data, folds, caveats (printed under the title). */
  readonly description?: string;
  readonly conditions: readonly ConditionResult[];
  readonly baselines?: readonly { readonly name: string; readonly mean: ScorePair; readonly pooled?: ScorePair }[];
  readonly significance?: readonly { readonly a: string; readonly b: string; readonly target: string; readonly t: number; readonly p: number; readonly pBonferroni: number }[];
}
