/**
 * Linear convolution by FFT overlap-add (Oppenheim & Schafer, Discrete-Time Signal Processing, §8.7.3),
 * truncated to the input's length: y[n] = Σ_k h[k]·x[n − k] for 0 ≤ n < len(x) (the tail past the end
 * of x is dropped, so time stays aligned with the input).
 *
 * FFT size N = next power of two ≥ 4·len(h) (≥ 1024, and not above what the whole signal needs); blocks of
 * L = N − len(h) + 1 input samples. Two blocks share one complex transform (one in the real part, one in
 * the imaginary part: h is real, so their convolutions come back separated in re and im).
 */
import { createFft, nextPow2 } from './fft.ts';

/** x * h truncated to len(x) (see the module header). */
export function fftConvolve(x: Float32Array, h: Float32Array): Float32Array {
  const y = new Float32Array(x.length);
  const m = h.length;
  if (m === 0 || x.length === 0) return y;
  const n = Math.min(nextPow2(Math.max(4 * m, 1024)), nextPow2(x.length + m - 1));
  const fft = createFft(n);
  const block = n - m + 1;
  const hr = new Float64Array(n), hi = new Float64Array(n);
  for (let i = 0; i < m; i++) hr[i] = h[i]!;
  fft.forward(hr, hi);
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let a = 0; a < x.length; a += 2 * block) {
    const b = a + block;
    re.fill(0);
    im.fill(0);
    const lenA = Math.min(block, x.length - a);
    const lenB = Math.max(0, Math.min(block, x.length - b));
    for (let i = 0; i < lenA; i++) re[i] = x[a + i]!;
    for (let i = 0; i < lenB; i++) im[i] = x[b + i]!;
    fft.forward(re, im);
    for (let k = 0; k < n; k++) {
      const xr = re[k]!, xi = im[k]!, cr = hr[k]!, ci = hi[k]!;
      re[k] = xr * cr - xi * ci;
      im[k] = xr * ci + xi * cr;
    }
    fft.inverse(re, im);
    const endA = Math.min(x.length, a + lenA + m - 1);
    for (let t = a; t < endA; t++) y[t] += re[t - a]!;
    if (lenB > 0) {
      const endB = Math.min(x.length, b + lenB + m - 1);
      for (let t = b; t < endB; t++) y[t] += im[t - b]!;
    }
  }
  return y;
}
