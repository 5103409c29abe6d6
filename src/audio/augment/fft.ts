/**
 * A small in-place complex FFT (iterative radix-2 Cooley–Tukey, decimation in time; Cooley & Tukey 1965,
 * Math. Comp. 19: 297–301), kept inside src/audio so the augmentation needs nothing from src/features.
 *
 * forward: X_k = Σ_n x_n e^{−2πikn/N}; inverse: x_n = (1/N) Σ_k X_k e^{+2πikn/N}. N is a power of two.
 * Plans (bit-reversal permutation and twiddles) are built once per size and cached for the process.
 */

/** An FFT plan of one size; transforms run in place on separate real and imaginary arrays. */
export interface ComplexFft {
  readonly size: number;
  /** In-place forward transform of (re, im), each of `size` values. */
  forward(re: Float64Array, im: Float64Array): void;
  /** In-place inverse transform, scaled by 1/N. */
  inverse(re: Float64Array, im: Float64Array): void;
}

const plans = new Map<number, ComplexFft>();

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function build(n: number): ComplexFft {
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 1; i < n; i++) rev[i] = (rev[i >> 1]! >> 1) | ((i & 1) << (bits - 1));
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let t = 0; t < n / 2; t++) {
    cos[t] = Math.cos((2 * Math.PI * t) / n);
    sin[t] = Math.sin((2 * Math.PI * t) / n);
  }
  const run = (re: Float64Array, im: Float64Array, sign: number): void => {
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!, ti = im[i]!;
        re[i] = re[j]!; im[i] = im[j]!;
        re[j] = tr; im[j] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1, step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let j = 0; j < half; j++) {
          const wr = cos[j * step]!, wi = sign * sin[j * step]!;
          const a = start + j, b = a + half;
          const br = re[b]!, bi = im[b]!;
          const tr = wr * br - wi * bi, ti = wr * bi + wi * br;
          re[b] = re[a]! - tr; im[b] = im[a]! - ti;
          re[a] = re[a]! + tr; im[a] = im[a]! + ti;
        }
      }
    }
  };
  return {
    size: n,
    forward: (re, im) => run(re, im, -1),
    inverse: (re, im) => {
      run(re, im, 1);
      const s = 1 / n;
      for (let i = 0; i < n; i++) {
        re[i] = re[i]! * s;
        im[i] = im[i]! * s;
      }
    },
  };
}

/** The (cached) FFT plan of a power-of-two `size` ≥ 2. */
export function createFft(size: number): ComplexFft {
  if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 2, got ${size}`);
  let p = plans.get(size);
  if (!p) {
    p = build(size);
    plans.set(size, p);
  }
  return p;
}
