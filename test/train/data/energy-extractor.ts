/**
 * A tiny deterministic feature extractor for the cache and worker-pool tests (not the real one):
 * pooled windows of 2 s (32000 samples) every 1 s (16000); per window 130 blocks of ⌊32000/130⌋ = 246
 * samples, and for each block its mean and its RMS → 260 values (block means first, then RMS).
 */
export const WINDOW = 32000;
export const HOP = 16000;
const BLOCKS = 130;
const BLOCK = Math.floor(WINDOW / BLOCKS);

/** Block mean / RMS pooled features of 16 kHz samples (W × 260, row-major). */
export async function energyExtractor(samples: Float32Array): Promise<{ windows: Float32Array; count: number }> {
  const count = samples.length < WINDOW ? 0 : Math.floor((samples.length - WINDOW) / HOP) + 1;
  const windows = new Float32Array(count * 2 * BLOCKS);
  for (let w = 0; w < count; w++) {
    for (let b = 0; b < BLOCKS; b++) {
      let s = 0, ss = 0;
      const from = w * HOP + b * BLOCK;
      for (let i = from; i < from + BLOCK; i++) {
        s += samples[i]!;
        ss += samples[i]! * samples[i]!;
      }
      windows[w * 260 + b] = s / BLOCK;
      windows[w * 260 + BLOCKS + b] = Math.sqrt(ss / BLOCK);
    }
  }
  return { windows, count };
}
