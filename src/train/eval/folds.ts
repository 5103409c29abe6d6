/**
 * Cross-validation splits by group (song, artist or speaker; method.md "Experiments"). A fold lists
 * sequence indices for training, validation (early stopping / model selection) and testing; one group
 * never appears in two roles of one fold.
 * - Intra-domain (M2M, S2S), nested leave-one-out: per fold 1 test group, 1 validation group, the
 *   other N − 2 train. `validation: 'next'` takes the next group in sorted order (cyclic): N folds;
 *   `'all'` tries every other group: N·(N − 1) folds; `'none'`: plain leave-one-group-out.
 * - Leave-k-groups-out (e.g. RAVDESS, 4 actors per test fold): consecutive chunks of k sorted groups.
 * - Cross-domain (S2M, M2S): trained on the source corpus, tested on all of the target. With
 *   validation: one fold per source group held out for validation (LOO model selection), each tested
 *   on every target sequence; without: one fold training on all source sequences.
 */
import { EmostreamError } from '../../errors.ts';

/** One split: indices into the caller's sequence array. */
export interface Fold {
  readonly index: number;
  /** Human-readable description, e.g. 'test song:3 / val song:4'. */
  readonly name: string;
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
}

/** How the validation set is chosen. */
export type ValidationMode = 'none' | 'next' | 'all';

/** Options of `groupFolds`. */
export interface GroupFoldOptions {
  /** Groups per test fold (1 = leave-one-group-out). Default 1. */
  readonly testGroupsPerFold?: number;
  /** Validation choice (see module header). Default 'next'. */
  readonly validation?: ValidationMode;
}

function bad(what: string): never {
  throw new EmostreamError('EMO_ERR_BAD_CONFIG', `folds: ${what}`);
}

/** Distinct groups in sorted order (numeric-aware). */
export function distinctGroups(groups: readonly string[]): string[] {
  return [...new Set(groups)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function indicesOf(groups: readonly string[], members: ReadonlySet<string>): number[] {
  const out: number[] = [];
  groups.forEach((g, i) => members.has(g) && out.push(i));
  return out;
}

/** Group-wise folds for one corpus: `groups[i]` is sequence i's group (see module header). */
export function groupFolds(groups: readonly string[], options: GroupFoldOptions = {}): Fold[] {
  const k = options.testGroupsPerFold ?? 1;
  const mode = options.validation ?? 'next';
  const all = distinctGroups(groups);
  if (!Number.isInteger(k) || k < 1) bad(`testGroupsPerFold must be a positive integer (got ${k})`);
  const chunks: string[][] = [];
  for (let i = 0; i < all.length; i += k) chunks.push(all.slice(i, i + k));
  const needed = mode === 'none' ? 2 : 3;
  if (chunks.length < needed) bad(`${mode === 'none' ? 'leave-out' : 'nested'} CV needs at least ${needed} test chunks of ${k} group(s) (got ${all.length} groups)`);
  const folds: Fold[] = [];
  chunks.forEach((testChunk, c) => {
    const valChoices = mode === 'none' ? [[]] : mode === 'next' ? [chunks[(c + 1) % chunks.length]!] : chunks.filter((_, j) => j !== c);
    for (const valChunk of valChoices) {
      const test = new Set(testChunk), val = new Set(valChunk);
      const train = new Set(all.filter((g) => !test.has(g) && !val.has(g)));
      if (train.size === 0) bad(`no training group left (test ${testChunk.join(',')}, validation ${valChunk.join(',')})`);
      folds.push({
        index: folds.length,
        name: `test ${testChunk.join(',')}${valChunk.length ? ` / val ${valChunk.join(',')}` : ''}`,
        train: indicesOf(groups, train),
        validation: indicesOf(groups, val),
        test: indicesOf(groups, test),
      });
    }
  });
  return folds;
}

/** Plain leave-one-group-out folds (no validation set). */
export function leaveOneGroupOut(groups: readonly string[]): Fold[] {
  return groupFolds(groups, { validation: 'none' });
}

/**
 * Cross-domain folds over the concatenation [source…, target…]: indices 0…S−1 are source sequences
 * (groups `sourceGroups`), S…S+T−1 the `targetCount` target sequences, all tested in every fold.
 */
export function crossDomainFolds(sourceGroups: readonly string[], targetCount: number, validation: 'none' | 'next' = 'next'): Fold[] {
  if (!Number.isInteger(targetCount) || targetCount < 1) bad(`cross-domain needs at least one target sequence (got ${targetCount})`);
  const S = sourceGroups.length;
  const test = Array.from({ length: targetCount }, (_, i) => S + i);
  if (validation === 'none') return [{ index: 0, name: 'train all source / test all target', train: sourceGroups.map((_, i) => i), validation: [], test }];
  const all = distinctGroups(sourceGroups);
  if (all.length < 2) bad(`cross-domain with validation needs at least 2 source groups (got ${all.length})`);
  return all.map((g, index) => ({
    index,
    name: `val ${g} / test all target`,
    train: indicesOf(sourceGroups, new Set(all.filter((x) => x !== g))),
    validation: indicesOf(sourceGroups, new Set([g])),
    test,
  }));
}
