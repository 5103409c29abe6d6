/**
 * Seeded pseudo-random numbers for the trainer: xoshiro128** (Blackman & Vigna 2018) seeded by
 * SplitMix32, uniforms from 32 bits, Gaussians by Box–Muller. Same seed and stream → same numbers.
 */

/** A seeded generator. */
export interface Rng {
  /** Next 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  gaussian(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** The generator's position: [a, b, c, d, spare Gaussian or NaN] (for checkpoints). */
  state(): RngState;
  /** Continues from a position returned by `state()`. */
  restore(state: RngState): void;
}

/** A generator position: the four xoshiro128** words and the cached second Box–Muller value (NaN if none). */
export type RngState = readonly [number, number, number, number, number];

function splitMix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** xoshiro128** generator for `seed` (any integer) and an optional independent `stream` number. */
export function createRng(seed: number, stream = 0): Rng {
  const st = { s: (seed ^ Math.imul(stream + 1, 0x632be5ab)) | 0 };
  let a = splitMix32(st), b = splitMix32(st), c = splitMix32(st), d = splitMix32(st);
  if ((a | b | c | d) === 0) a = 1;
  let spare = NaN;
  const nextU32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const uniform = (): number => nextU32() / 4294967296;
  return {
    nextU32,
    uniform,
    gaussian(): number {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      const u = 1 - uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number): number => Math.floor(uniform() * n),
    state: (): RngState => [a, b, c, d, spare],
    restore(st: RngState): void {
      [a, b, c, d, spare] = st;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
