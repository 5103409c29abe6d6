/**
 * Babble talker audio for augmented copies: a talker of a babble step is a list of audio files (one other
 * speaker group's utterances, augment-config.ts), decoded at 16 kHz and concatenated in list order.
 * Decoded files are kept in a least-recently-used cache bounded by total samples (default 16 M samples
 * = 64 MB), since the same talkers recur across copies.
 */
import type { BabbleStep } from '../../audio/augment/index.ts';
import type { DecodeFn } from './render.ts';

/** Default bound of the decoded-file cache, samples. */
export const DEFAULT_TALKER_CACHE_SAMPLES = 16_000_000;

/** Loads the talker signals of a babble step (one Float32Array per talker, freshly allocated). */
export type TalkerLoader = (step: BabbleStep) => Promise<Float32Array[]>;

/** A talker loader over `decode` with an LRU cache of decoded files. */
export function createTalkerLoader(decode: DecodeFn, maxCachedSamples = DEFAULT_TALKER_CACHE_SAMPLES): TalkerLoader {
  const cache = new Map<string, Promise<Float32Array>>();
  const sizes = new Map<string, number>();
  let total = 0;
  const file = (path: string): Promise<Float32Array> => {
    const hit = cache.get(path);
    if (hit) {
      cache.delete(path);
      cache.set(path, hit); // most recent last
      return hit;
    }
    const p = decode(path);
    cache.set(path, p);
    p.then((x) => {
      if (!cache.has(path)) return;
      sizes.set(path, x.length);
      total += x.length;
      for (const [k] of cache) {
        if (total <= maxCachedSamples || k === path) break;
        total -= sizes.get(k) ?? 0;
        sizes.delete(k);
        cache.delete(k);
      }
    }, () => cache.delete(path));
    return p;
  };
  return async (step) =>
    Promise.all(step.talkers.map(async (files) => {
      const parts = await Promise.all(files.map(file));
      const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    }));
}
