/** Signal measurements shared by the augmentation tests (independent of the code under test where it matters). */
import { createFft } from '../../../src/audio/augment/fft.ts';

/** Mean square of x[from, to). */
export function power(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return s / (to - from);
}

/** Welch PSD (Hann window, 50 % overlap) of x: density per bin k·fs/n, k = 0 … n/2. */
export function welchPsd(x: Float32Array, n = 4096): Float64Array {
  const fft = createFft(n);
  const re = new Float64Array(n), im = new Float64Array(n);
  const psd = new Float64Array(n / 2 + 1);
  const win = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  let segments = 0;
  for (let at = 0; at + n <= x.length; at += n / 2) {
    for (let i = 0; i < n; i++) {
      re[i] = x[at + i]! * win[i]!;
      im[i] = 0;
    }
    fft.forward(re, im);
    for (let k = 0; k <= n / 2; k++) psd[k] += re[k]! ** 2 + im[k]! ** 2;
    segments++;
  }
  for (let k = 0; k <= n / 2; k++) psd[k] /= segments;
  return psd;
}

/** Least-squares slope (dB per octave) of the mean PSD in octave bands [f, 2f) for f = lowHz, 2·lowHz, … < highHz. */
export function octaveSlopeDb(x: Float32Array, lowHz: number, highHz: number, fs = 16000, n = 4096): number {
  const psd = welchPsd(x, n);
  const xs: number[] = [], ys: number[] = [];
  for (let f = lowHz; f * 2 <= highHz; f *= 2) {
    const k0 = Math.ceil((f * n) / fs), k1 = Math.floor((2 * f * n) / fs);
    let s = 0;
    for (let k = k0; k < k1; k++) s += psd[k]!;
    xs.push(Math.log2(f));
    ys.push(10 * Math.log10(s / (k1 - k0)));
  }
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0, den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

/** Tone bursts: `amp`·sin at `freqHz` during the first half of every second, digital silence otherwise. */
export function bursts(seconds: number, freqHz: number, amp: number, fs = 16000): Float32Array {
  return Float32Array.from({ length: seconds * fs }, (_, i) => (i % fs < fs / 2 ? amp * Math.sin((2 * Math.PI * freqHz * i) / fs) : 0));
}

/** Exactly equal arrays (bit for bit, as float32 values). */
export function sameSamples(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
