/**
 * Reverberation with a synthetic room impulse response (the stochastic model of Moorer 1979, "About this
 * reverberation business", and of Kaldi-style RIR augmentation, Ko et al. 2017, ICASSP): a direct path
 * at t = 0, silence for the pre-delay d (direct sound → first diffuse energy), then a diffuse tail of
 * seeded Gaussian noise under an exponential envelope that falls 60 dB in RT60 seconds:
 *
 *   h[0] = a_d,   h[D + k] = a_t · n_k · 10^(−3·k / (RT60·fs)),   0 ≤ k < round(RT60·fs),  D = round(d·fs)
 *
 * (energy envelope 10^(−6·t/RT60): −60 dB at t = RT60, where the tail ends). a_t sets the
 * direct-to-reverberant energy ratio DRR = a_d² / Σ tail², and a_d makes Σ h² = 1, so the long-term level
 * of a stationary input is kept. The output y = x * h (FFT overlap-add, convolve.ts) is cut to the input's
 * length: time stays aligned with the targets. Recipes: RT60 0.2 … 0.9 s, DRR −5 … 10 dB, pre-delay 0 … 30 ms.
 */
import { createGaussian } from './noise-color.ts';
import { fftConvolve } from './convolve.ts';

/** Parameters of a synthetic room impulse response. */
export interface RirParams {
  /** Reverberation time (−60 dB energy decay), seconds. */
  readonly rt60S: number;
  /** Direct-to-reverberant energy ratio, dB. */
  readonly drrDb: number;
  /** Gap between the direct path and the start of the tail, ms. */
  readonly preDelayMs: number;
  /** Seed of the tail noise (integer). */
  readonly seed: number;
}

/** Synthetic RIR at `fsHz` (default 16 kHz), unit energy; length 1 + D + round(RT60·fs). */
export function syntheticRir(p: RirParams, fsHz = 16000): Float32Array {
  const d = Math.round((p.preDelayMs / 1000) * fsHz);
  const tail = Math.max(1, Math.round(p.rt60S * fsHz));
  const h = new Float32Array(1 + d + tail);
  const g = createGaussian(p.seed);
  const decay = 10 ** (-3 / (p.rt60S * fsHz)); // amplitude ratio per sample
  let env = 1;
  let tailEnergy = 0;
  const t = new Float64Array(tail);
  for (let k = 0; k < tail; k++) {
    const v = env * g();
    t[k] = v;
    tailEnergy += v * v;
    env *= decay;
  }
  const reverberant = 10 ** (-p.drrDb / 10); // tail energy per unit direct energy
  const direct = 1 / Math.sqrt(1 + reverberant);
  const scale = tailEnergy > 0 ? direct * Math.sqrt(reverberant / tailEnergy) : 0;
  h[0] = direct;
  for (let k = 0; k < tail; k++) h[1 + d + k] = scale * t[k]!;
  return h;
}

/**
 * Reverberates 16 kHz audio with the synthetic RIR of `p` (output length = input length).
 * @param x 16 kHz samples (not modified)
 */
export function addReverb(x: Float32Array, p: RirParams): Float32Array {
  return fftConvolve(x, syntheticRir(p));
}
