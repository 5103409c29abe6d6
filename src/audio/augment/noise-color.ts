/**
 * Seeded colored noise generators (zero mean, unit RMS over the generated length):
 * - white: i.i.d. N(0, 1) from mulberry32 (src/random.ts) through the Box–Muller transform (both values of
 *   each pair used); flat power spectrum.
 * - pink: Voss–McCartney algorithm (Gardner 1978, "White and brown music, fractal curves and one-over-f
 *   fluctuations"; McCartney's trailing-zeros refinement): 16 rows of Gaussian values plus one white term,
 *   row r redrawn at samples n = 2^r·(odd), i.e. held for 2^(r+1) samples; the output is their sum. The
 *   octave-spaced zero-order holds add up to a 1/f (−3 dB/octave) spectrum from ~0.5 Hz to near Nyquist,
 *   with ripple under ±1 dB.
 * - brown: leaky integration of white noise, y[n] = ρ·y[n−1] + w[n], ρ = 1 − 2π·5/16000 (corner 5 Hz):
 *   1/f² (−6 dB/octave) above the corner, bounded below it.
 * Normalisation subtracts the mean and scales to RMS 1 (a constant signal stays 0).
 */
import { mulberry32 } from '../../random.ts';

/** Spectral colors of `coloredNoise`. */
export type NoiseColor = 'white' | 'pink' | 'brown';

/** The colors, for validation. */
export const NOISE_COLORS: readonly NoiseColor[] = Object.freeze(['white', 'pink', 'brown']);

const PINK_ROWS = 16;
const BROWN_LEAK = 1 - (2 * Math.PI * 5) / 16000;

/** A seeded N(0, 1) source (Box–Muller on mulberry32; one call = one value, pairs are cached). */
export function createGaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 − u ∈ (0, 1]
    const phi = 2 * Math.PI * uniform();
    spare = r * Math.sin(phi);
    hasSpare = true;
    return r * Math.cos(phi);
  };
}

/** Subtracts the mean and scales `y` to unit RMS in place. */
function normalise(y: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i]!;
  const mean = y.length ? sum / y.length : 0;
  let ss = 0;
  for (let i = 0; i < y.length; i++) ss += (y[i]! - mean) ** 2;
  const scale = ss > 0 ? 1 / Math.sqrt(ss / y.length) : 0;
  for (let i = 0; i < y.length; i++) y[i] = (y[i]! - mean) * scale;
}

/**
 * Generates `length` samples of seeded noise of the given color (zero mean, unit RMS).
 * @param seed any integer (uint32 used); the same seed and length give the same samples
 * @param out optional output of at least `length` values (first `length` written)
 */
export function coloredNoise(length: number, color: NoiseColor, seed: number, out?: Float32Array): Float32Array {
  const y = out ? out.subarray(0, length) : new Float32Array(length);
  if (y.length < length) throw new RangeError(`output holds ${y.length} values, needs ${length}`);
  const g = createGaussian(seed);
  if (color === 'white') {
    for (let i = 0; i < length; i++) y[i] = g();
  } else if (color === 'pink') {
    const rows = new Float64Array(PINK_ROWS);
    let sum = 0;
    for (let r = 0; r < PINK_ROWS; r++) sum += rows[r] = g();
    for (let i = 0; i < length; i++) {
      const n = i + 1;
      const r = 31 - Math.clz32(n & -n); // trailing zeros of n
      if (r < PINK_ROWS) {
        const v = g();
        sum += v - rows[r]!;
        rows[r] = v;
      }
      y[i] = sum + g();
    }
  } else {
    let acc = 0;
    for (let i = 0; i < length; i++) {
      acc = BROWN_LEAK * acc + g();
      y[i] = acc;
    }
  }
  normalise(y);
  return y;
}
