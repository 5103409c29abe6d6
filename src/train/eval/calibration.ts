/**
 * Calibration of an ensemble's uncertainty (issue 12 §3, used by the final models): the error e = gold − mean of
 * the members is modelled as normal with variance σ² = floor + scale · v, v = the members' variance at that second.
 * `floor` and `scale` maximise the Gaussian log-likelihood Σ −½(log σ² + e²/σ²) over held-out seconds (scale on a
 * log grid refined by golden-section search, floor by golden-section search for each scale). Coverage of a central
 * interval mean ± z·σ is the share of held-out seconds whose target falls inside it.
 */
import { EmostreamError } from '../../errors.ts';

/** One held-out second of one output: the members' variance and the error of their mean. */
export interface SpreadSample {
  readonly variance: number;
  readonly error: number;
}

/** σ² = floor + scale · variance. */
export interface VarianceCalibration {
  readonly floor: number;
  readonly scale: number;
}

/** Two-sided standard-normal quantiles of the nominal levels reported. */
export const NORMAL_Z: Readonly<Record<'50' | '90', number>> = Object.freeze({ '50': 0.6744897501960817, '90': 1.6448536269514722 });

function nll(samples: readonly SpreadSample[], floor: number, scale: number): number {
  let s = 0;
  for (const x of samples) {
    const v = floor + scale * x.variance;
    s += Math.log(v) + (x.error * x.error) / v;
  }
  return s / 2;
}

/** Minimiser of a unimodal f on [lo, hi] by golden-section search. */
function golden(f: (x: number) => number, lo: number, hi: number, iterations = 60): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); } else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  return (a + b) / 2;
}

/** Maximum-likelihood calibration of held-out samples (see the module header). */
export function fitVarianceCalibration(samples: readonly SpreadSample[]): VarianceCalibration {
  const finite = samples.filter((x) => Number.isFinite(x.variance) && x.variance >= 0 && Number.isFinite(x.error));
  if (finite.length < 10) throw new EmostreamError('EMO_ERR_DATASET', `uncertainty calibration needs ≥ 10 held-out seconds, got ${finite.length}`);
  const mse = finite.reduce((a, x) => a + x.error * x.error, 0) / finite.length;
  const bestFloor = (scale: number) => golden((lf) => nll(finite, Math.exp(lf), scale), Math.log(mse * 1e-4 + 1e-12), Math.log(mse * 4 + 1e-9));
  let best = { floor: mse, scale: 0, value: nll(finite, mse, 0) };
  const consider = (scale: number) => {
    const floor = Math.exp(bestFloor(scale));
    const value = nll(finite, floor, scale);
    if (value < best.value) best = { floor, scale, value };
  };
  for (let e = -3; e <= 3; e += 0.25) consider(10 ** e);
  const around = best.scale;
  if (around > 0) {
    const ls = golden((l) => nll(finite, Math.exp(bestFloor(Math.exp(l))), Math.exp(l)), Math.log(around) - 0.6, Math.log(around) + 0.6, 40);
    consider(Math.exp(ls));
  }
  return { floor: best.floor, scale: best.scale };
}

/** Share of samples with |error| ≤ z · σ under `c`. */
export function coverage(samples: readonly SpreadSample[], c: VarianceCalibration, z: number): number {
  let n = 0, inside = 0;
  for (const x of samples) {
    if (!Number.isFinite(x.error) || !Number.isFinite(x.variance)) continue;
    n++;
    if (Math.abs(x.error) <= z * Math.sqrt(c.floor + c.scale * x.variance)) inside++;
  }
  return n ? inside / n : NaN;
}
