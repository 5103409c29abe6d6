/**
 * mulberry32: a small seeded uniform generator on [0, 1) (32-bit state, period 2³²; same seed → same sequence).
 * Used wherever emostream needs reproducible randomness that is not on a training hot path (test models, gap
 * noise of concatenated corpora, test signals). The trainer's engine has its own xoshiro128** streams.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded random permutation of `items` (Fisher–Yates with mulberry32; same seed → same order). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const u = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
