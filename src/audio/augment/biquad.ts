/**
 * Second-order IIR sections (biquads): analog prototype design, bilinear transform with pre-warping, and
 * a cascade filter (transposed direct form II, float64 state).
 *
 * H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²). An analog section (β2 s² + β1 s + β0) /
 * (α2 s² + α1 s + α0) with s normalised to the cut-off (1 rad/s) maps by s = (1/K)·(1 − z⁻¹)/(1 + z⁻¹),
 * K = tan(π·fc/fs), which places the cut-off exactly at fc (pre-warping). References: Oppenheim & Schafer,
 * Discrete-Time Signal Processing, §7.1 (bilinear transform); Butterworth and Chebyshev type I prototypes
 * as in Parks & Burrus, Digital Filter Design, ch. 7.
 */

/** One digital section, normalised so a0 = 1. */
export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** An analog second-order section in normalised s (cut-off 1 rad/s). */
export interface AnalogSection {
  readonly num: readonly [number, number, number]; // β2, β1, β0
  readonly den: readonly [number, number, number]; // α2, α1, α0
}

/** Bilinear transform of an analog section with pre-warping constant K = tan(π·fc/fs). */
export function bilinear(section: AnalogSection, k: number): Biquad {
  const map = ([c2, c1, c0]: readonly [number, number, number]): [number, number, number] => [
    c2 + c1 * k + c0 * k * k,
    -2 * c2 + 2 * c0 * k * k,
    c2 - c1 * k + c0 * k * k,
  ];
  const [n0, n1, n2] = map(section.num);
  const [d0, d1, d2] = map(section.den);
  return { b0: n0 / d0, b1: n1 / d0, b2: n2 / d0, a1: d1 / d0, a2: d2 / d0 };
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 2 || order % 2 !== 0) throw new RangeError(`filter order must be an even integer ≥ 2, got ${order}`);
}

/** Butterworth high-pass of even `order`, −3 dB at `fcHz`: sections s² / (s² + 2 sin θ_k s + 1), θ_k = (2k−1)π/(2N). */
export function butterworthHighpass(order: number, fcHz: number, fsHz: number): Biquad[] {
  checkOrder(order);
  const k = Math.tan((Math.PI * fcHz) / fsHz);
  return Array.from({ length: order / 2 }, (_, i) => {
    const theta = ((2 * i + 1) * Math.PI) / (2 * order);
    return bilinear({ num: [1, 0, 0], den: [1, 2 * Math.sin(theta), 1] }, k);
  });
}

/**
 * Chebyshev type I low-pass of even `order` with `rippleDb` pass-band ripple (between −ripple and 0 dB)
 * up to `fcHz`. Prototype poles p_k = −sinh μ·sin θ_k + j·cosh μ·cos θ_k, μ = asinh(1/ε)/N,
 * ε = √(10^(ripple/10) − 1); sections |p|² / (s² − 2 Re p·s + |p|²), the first scaled by 1/√(1 + ε²).
 */
export function chebyshev1Lowpass(order: number, rippleDb: number, fcHz: number, fsHz: number): Biquad[] {
  checkOrder(order);
  const eps = Math.sqrt(10 ** (rippleDb / 10) - 1);
  const mu = Math.asinh(1 / eps) / order;
  const k = Math.tan((Math.PI * fcHz) / fsHz);
  return Array.from({ length: order / 2 }, (_, i) => {
    const theta = ((2 * i + 1) * Math.PI) / (2 * order);
    const re = -Math.sinh(mu) * Math.sin(theta);
    const im = Math.cosh(mu) * Math.cos(theta);
    const w2 = re * re + im * im;
    const g = i === 0 ? 1 / Math.sqrt(1 + eps * eps) : 1;
    return bilinear({ num: [0, 0, g * w2], den: [1, -2 * re, w2] }, k);
  });
}

/** Runs `x` through the cascade (zero initial state); `out` may be `x` (in place). */
export function biquadCascade(x: Float32Array, sections: readonly Biquad[], out?: Float32Array): Float32Array {
  const y = out ?? new Float32Array(x.length);
  if (y.length < x.length) throw new RangeError(`output holds ${y.length} values, needs ${x.length}`);
  if (y !== x) y.set(x.subarray(0, x.length));
  for (const { b0, b1, b2, a1, a2 } of sections) {
    let s1 = 0, s2 = 0;
    for (let i = 0; i < x.length; i++) {
      const v = y[i]!;
      const w = b0 * v + s1;
      s1 = b1 * v - a1 * w + s2;
      s2 = b2 * v - a2 * w;
      y[i] = w;
    }
  }
  return y;
}

/** |H(e^{jω})| of the cascade at `fHz` (analysis helper). */
export function cascadeMagnitude(sections: readonly Biquad[], fHz: number, fsHz: number): number {
  const w = (2 * Math.PI * fHz) / fsHz;
  const c1 = Math.cos(w), s1 = -Math.sin(w), c2 = Math.cos(2 * w), s2 = -Math.sin(2 * w);
  let mag = 1;
  for (const { b0, b1, b2, a1, a2 } of sections) {
    const nr = b0 + b1 * c1 + b2 * c2, ni = b1 * s1 + b2 * s2;
    const dr = 1 + a1 * c1 + a2 * c2, di = a1 * s1 + a2 * s2;
    mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
  }
  return mag;
}
