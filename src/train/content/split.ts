/**
 * Group splits of the content classifier's data: speakers (speech corpora) and artists or songs (music corpora) are
 * never split between parts. Per corpus, its sorted groups are shuffled with a seed (Fisher–Yates on mulberry32)
 * and the first round(fraction · n) groups (at least 1, at most n − 1) are held out.
 */
import { seededShuffle } from '../../random.ts';

/** Shuffled copy of `items` (seeded Fisher–Yates, src/random.ts). */
export const shuffled = seededShuffle;

/** The held-out groups of one corpus: round(fraction · n), at least 1 and at most n − 1 of them (n ≥ 2). */
export function heldOutGroups(groups: Iterable<string>, fraction: number, seed: number): Set<string> {
  const unique = [...new Set(groups)].sort();
  if (unique.length < 2) return new Set();
  const k = Math.min(unique.length - 1, Math.max(1, Math.round(fraction * unique.length)));
  return new Set(shuffled(unique, seed).slice(0, k));
}

/** 32-bit FNV-1a hash of a string (per-corpus seeds). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
