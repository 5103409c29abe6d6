/**
 * Gain (microphone / input level): y[n] = clip(g · x[n]), g = 10^(dB/20), with a hard clip at ±1 as a
 * real ADC saturates at full scale (no soft knee: the distortion of an overdriven input is part of what
 * the model should survive). Below full scale the level change is exact: 20·log10(rms(y)/rms(x)) = dB.
 * Augmentation range in the recipes: −20 … +6 dB (validated in recipe.ts).
 */

/** Full-scale limit of the hard clip. */
export const CLIP_LEVEL = 1;

/**
 * Applies `db` decibels of gain with a hard clip at ±1.
 * @param x input samples (not modified unless `out === x`)
 * @param db gain in dB (any finite value; recipes use −20 … +6)
 * @param out optional output of at least `x.length` values; a new array otherwise
 * @returns the output and how many samples were clipped
 */
export function applyGain(x: Float32Array, db: number, out?: Float32Array): { samples: Float32Array; clipped: number } {
  const y = out ?? new Float32Array(x.length);
  if (y.length < x.length) throw new RangeError(`output holds ${y.length} values, needs ${x.length}`);
  const g = 10 ** (db / 20);
  let clipped = 0;
  for (let i = 0; i < x.length; i++) {
    const v = g * x[i]!;
    if (v > CLIP_LEVEL) {
      y[i] = CLIP_LEVEL;
      clipped++;
    } else if (v < -CLIP_LEVEL) {
      y[i] = -CLIP_LEVEL;
      clipped++;
    } else y[i] = v;
  }
  return { samples: y, clipped };
}
