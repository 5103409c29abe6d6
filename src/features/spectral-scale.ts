/**
 * Octave-scale spectrum for subharmonic summation (recipe 5.3.1; openSMILE `cSpecScale` with `scale=octave
 * sourceScale=lin interpMethod=spline minF=25 maxF=-1 nPointsTarget=0 specSmooth=1 specEnhance=1 auditoryWeighting=1`).
 *
 * From a linear magnitude spectrum a[0 … n−1] (n = Nfft/2+1, bin spacing Δf = fs/Nfft):
 *  a) peak enhancement: between consecutive local maxima p < q, bins p+3 … q−3 are set to 0;
 *  b) smoothing: a[i] ← (a[i−1] + 2a[i] + a[i+1]) / 4 for i < n−1 (original neighbours, a[−1] = 0);
 *  c) a natural cubic spline through (log2(i·Δf), a[i]) (x₀ = 2x₁ − x₂) evaluated at n points spaced evenly in log2 f
 *     from 25 Hz to fs/2;
 *  d) auditory weighting: Y_j = w_j · max(0, spline_j), w_j = ½ + atan(3(j+1−s)/ppo)/π, ppo = n / log2((fs/2)/25),
 *     s = ppo·log2(65/50) − 1.
 * The source and target grids are fixed, so the spline's tridiagonal elimination factors, each target's interval and
 * its interpolation weights are precomputed by the factory; per frame only the right-hand side is solved (O(n)).
 * This is the reference implementation: the pitch branch runs the same operations in WebAssembly on the same tables
 * (`createSpectralScaleTables`), bit-identically.
 * @see pitch-shs.ts
 * @see pitch-spectrum-wasm.ts
 */
import { EmostreamError } from '../errors.ts';

export interface SpectralScaleOptions {
  /** Lowest frequency of the log2 target scale, in Hz. Default 25. */
  readonly minFrequencyHz: number;
}

export const DEFAULT_SPECTRAL_SCALE_OPTIONS: SpectralScaleOptions = Object.freeze({ minFrequencyHz: 25 });

/** The log2-frequency grid of the scaled spectrum: point j is at 2^(log2MinHz + j·log2Step) Hz. */
export interface OctaveGrid {
  /** Number of target points n (= Nfft/2 + 1). */
  readonly pointCount: number;
  /** log2 of the first point's frequency (log2 25). */
  readonly log2MinHz: number;
  /** log2 distance between neighbouring points (octaves). */
  readonly log2Step: number;
  /** Points per octave n / log2((fs/2)/minF) (not rounded, as the reference's metadata). */
  readonly pointsPerOctave: number;
}

/**
 * The per-grid constants of the scale (built once): spline elimination factors and per-target interpolation weights.
 * All arrays have `pointCount` entries (entries a formula does not define are 0).
 */
export interface SpectralScaleTables extends OctaveGrid {
  /** 1 / (x[i+1] − x[i]) of the source abscissae x (log2 Hz). */
  readonly invDx: Float64Array;
  /** 6 / (x[i+1] − x[i−1]). */
  readonly six: Float64Array;
  /** σ_i = (x[i] − x[i−1]) / (x[i+1] − x[i−1]). */
  readonly sig: Float64Array;
  /** 1 / pivot_i of the forward elimination. */
  readonly invPiv: Float64Array;
  /** Back-substitution factors y2[i] = y2f[i]·y2[i+1] + u[i]. */
  readonly y2f: Float64Array;
  /** Left source index of each target point's interval. */
  readonly lo: Int32Array;
  /** Spline weights of each target: y = wa·a[lo] + wb·a[lo+1] + ca·y2[lo] + cb·y2[lo+1]. */
  readonly wa: Float64Array;
  readonly wb: Float64Array;
  readonly ca: Float64Array;
  readonly cb: Float64Array;
  /** Auditory weight w_j of each target point. */
  readonly weight: Float64Array;
}

export interface SpectralScale extends OctaveGrid {
  /** The constants `apply` uses (shared with the WebAssembly kernel, pitch-spectrum-wasm.ts). */
  readonly tables: SpectralScaleTables;
  /**
   * Computes the enhanced, smoothed, spline-interpolated and weighted octave spectrum.
   * @param magnitude linear magnitude |X_k|, k = 0 … n−1 (not modified)
   * @param out n values (caller-owned)
   */
  apply(magnitude: ArrayLike<number>, out: Float64Array): void;
}

/** Builds the octave grid, spline factors and interpolation weights for FFT size `fftSize` at `sampleRateHz` (recipe 5.3.1). */
export function createSpectralScaleTables(
  sampleRateHz: number,
  fftSize: number,
  options: Partial<SpectralScaleOptions> = {},
): SpectralScaleTables {
  const { minFrequencyHz } = { ...DEFAULT_SPECTRAL_SCALE_OPTIONS, ...options };
  if (!Number.isInteger(fftSize) || fftSize < 8 || fftSize % 2 !== 0) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `fftSize must be an even integer ≥ 8, got ${fftSize}`);
  }
  if (!(sampleRateHz > 0) || !(minFrequencyHz > 0) || minFrequencyHz >= sampleRateHz / 2) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `minFrequencyHz must be in (0, fs/2), got ${minFrequencyHz}`);
  }
  const n = fftSize / 2 + 1;
  const df = sampleRateHz / fftSize;
  const maxHz = sampleRateHz / 2;
  const log2MinHz = Math.log2(minFrequencyHz);
  const log2Step = (Math.log2(maxHz) - log2MinHz) / (n - 1);
  const pointsPerOctave = n / Math.log2(maxHz / minFrequencyHz);

  // Source abscissae: log2 of each bin's frequency; bin 0 extrapolated linearly.
  const xs = new Float64Array(n);
  for (let i = 1; i < n; i++) xs[i] = Math.log2(i * df);
  xs[0] = 2 * xs[1] - xs[2];

  // Forward-elimination factors of the natural-spline tridiagonal system (independent of the ordinates).
  const sig = new Float64Array(n);
  const invPiv = new Float64Array(n);
  const y2f = new Float64Array(n);
  const invDx = new Float64Array(n); // 1 / (x[i+1] − x[i])
  const six = new Float64Array(n); // 6 / (x[i+1] − x[i−1])
  for (let i = 0; i < n - 1; i++) invDx[i] = 1 / (xs[i + 1] - xs[i]);
  for (let i = 1; i < n - 1; i++) {
    sig[i] = (xs[i] - xs[i - 1]) / (xs[i + 1] - xs[i - 1]);
    const piv = sig[i] * y2f[i - 1] + 2;
    invPiv[i] = 1 / piv;
    y2f[i] = (sig[i] - 1) / piv;
    six[i] = 6 / (xs[i + 1] - xs[i - 1]);
  }

  // Per-target interval and weights: y = A·y[k] + B·y[k+1] + CA·y2[k] + CB·y2[k+1].
  const lo = new Int32Array(n);
  const wa = new Float64Array(n);
  const wb = new Float64Array(n);
  const ca = new Float64Array(n);
  const cb = new Float64Array(n);
  const weight = new Float64Array(n);
  const s = pointsPerOctave * Math.log2(65 / 50) - 1;
  let k = 0;
  for (let j = 0; j < n; j++) {
    const xt = log2MinHz + j * log2Step;
    while (k < n && xs[k] < xt) k++; // first index with xs[k] ≥ xt
    const hi = Math.min(Math.max(k, 1), n - 1);
    const l = hi - 1;
    const h = xs[hi] - xs[l];
    const a = (xs[hi] - xt) / h;
    const b = (xt - xs[l]) / h;
    lo[j] = l;
    wa[j] = a;
    wb[j] = b;
    ca[j] = ((a * a * a - a) * h * h) / 6;
    cb[j] = ((b * b * b - b) * h * h) / 6;
    weight[j] = 0.5 + Math.atan((3 * (j + 1 - s)) / pointsPerOctave) / Math.PI;
  }

  return Object.freeze({ pointCount: n, log2MinHz, log2Step, pointsPerOctave, invDx, six, sig, invPiv, y2f, lo, wa, wb, ca, cb, weight });
}

/** Creates the octave-scale mapper of a magnitude spectrum of FFT size `fftSize` at `sampleRateHz` (recipe 5.3.1). */
export function createSpectralScale(
  sampleRateHz: number,
  fftSize: number,
  options: Partial<SpectralScaleOptions> = {},
): SpectralScale {
  const tables = createSpectralScaleTables(sampleRateHz, fftSize, options);
  const { pointCount: n, log2MinHz, log2Step, pointsPerOctave, invDx, six, sig, invPiv, y2f, lo, wa, wb, ca, cb, weight } = tables;
  const work = new Float64Array(n);
  const u = new Float64Array(n);
  const y2 = new Float64Array(n);

  function apply(magnitude: ArrayLike<number>, out: Float64Array): void {
    const a = work;
    for (let i = 0; i < n; i++) a[i] = magnitude[i];
    // a) peak enhancement (zeroing only touches bins before the newest peak, so detection stays on original values)
    let last = a[0] > a[1] ? 0 : -1;
    for (let i = 1; i < n - 1; i++) {
      if (a[i] > a[i - 1] && a[i] >= a[i + 1]) last = enhanceBetween(a, last, i);
    }
    if (a[n - 1] > a[n - 2]) enhanceBetween(a, last, n - 1);
    // b) 1-2-1 smoothing with the original left neighbour
    let prev = 0;
    for (let i = 0; i < n - 1; i++) {
      const cur = a[i];
      a[i] = (prev + 2 * cur + a[i + 1]) / 4;
      prev = cur;
    }
    // c) natural cubic spline: forward sweep of the right-hand side, back substitution, evaluation
    u[0] = 0;
    let slopeLeft = (a[1] - a[0]) * invDx[0];
    for (let i = 1; i < n - 1; i++) {
      const slopeRight = (a[i + 1] - a[i]) * invDx[i];
      u[i] = ((slopeRight - slopeLeft) * six[i] - sig[i] * u[i - 1]) * invPiv[i];
      slopeLeft = slopeRight;
    }
    y2[n - 1] = 0;
    for (let i = n - 2; i >= 0; i--) y2[i] = y2f[i] * y2[i + 1] + u[i];
    // d) evaluation, half-wave rectification and auditory weighting
    for (let j = 0; j < n; j++) {
      const l = lo[j];
      const v = wa[j] * a[l] + wb[j] * a[l + 1] + ca[j] * y2[l] + cb[j] * y2[l + 1];
      out[j] = v > 0 ? weight[j] * v : 0;
    }
  }

  return { pointCount: n, log2MinHz, log2Step, pointsPerOctave, tables, apply };
}

/** Zeroes bins p+3 … q−3 between consecutive spectral maxima p and q (p < 0: no previous maximum); returns q. */
function enhanceBetween(a: Float64Array, p: number, q: number): number {
  if (p >= 0) for (let i = p + 3; i <= q - 3; i++) a[i] = 0;
  return q;
}
