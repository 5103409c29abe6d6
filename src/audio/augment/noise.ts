/**
 * Additive noise at a target SNR: y = x + σ·n with n seeded colored noise of unit RMS (noise-color.ts)
 * and σ² = P_active(x) / 10^(SNR/10), where P_active is the active level of x (active-level.ts: frames
 * within 30 dB of the loud ones), so pauses do not lower the speech level the SNR refers to. The noise
 * covers the whole signal (pauses included), like a background. A digitally silent x (P_active = 0) is
 * returned unchanged (there is no level to refer to). No clipping: a later gain step clips.
 * Augmentation range in the recipes: 5 … 30 dB.
 */
import { activePower } from './active-level.ts';
import { coloredNoise, type NoiseColor } from './noise-color.ts';

/** Scale that puts a unit-RMS noise at `snrDb` below a signal of active power `pActive`. */
export function noiseScaleForSnr(pActive: number, snrDb: number): number {
  return Math.sqrt(pActive / 10 ** (snrDb / 10));
}

/** y = x + scale·n (same length as x); `n` must be at least as long as x. */
export function mixScaled(x: Float32Array, n: Float32Array, scale: number, out?: Float32Array): Float32Array {
  const y = out ?? new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! + scale * n[i]!;
  return y;
}

/**
 * Adds seeded colored noise at `snrDb` (relative to the active level of `x`).
 * @param x 16 kHz samples (not modified)
 * @param color 'white' | 'pink' | 'brown'
 * @param snrDb target SNR in dB
 * @param seed noise seed (integer)
 */
export function addNoise(x: Float32Array, color: NoiseColor, snrDb: number, seed: number): Float32Array {
  const p = activePower(x);
  if (p === 0) return x.slice();
  const y = coloredNoise(x.length, color, seed);
  const scale = noiseScaleForSnr(p, snrDb);
  return mixScaled(x, y, scale, y); // in place over the noise buffer: y[i] is read before it is written
}
