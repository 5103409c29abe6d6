/**
 * The normal equations of the ridge baseline (baselines.ts) as block sums: Σx, Σxxᵀ, Σy and Σxy are accumulated
 * once per inner-fold block, so every inner fold's equations are sums of blocks (features are shifted by the
 * all-data mean first for numerical stability), then solved by Cholesky for each λ.
 * @see baselines.ts
 */
import { EmostreamError } from '../../errors.ts';
import type { RidgeModel, SequenceData } from './baselines.ts';
import { choleskyInPlace, choleskySolveInPlace } from './linalg.ts';

/** Sums of one block of training seconds, per output c (arousal 0, valence 1) over the seconds labelled for c. */
export interface Sums {
  /** Over every second (for the standardisation): count, Σx, Σx². */
  nAll: number;
  sxAll: Float64Array;
  sx2All: Float64Array;
  /** Per output: count, Σx [d], Σxxᵀ [d × d, lower triangle], Σy, Σxy [d]. */
  readonly out: { n: number; sx: Float64Array; sxx: Float64Array; sy: number; sxy: Float64Array }[];
}

const newSums = (d: number): Sums => ({
  nAll: 0, sxAll: new Float64Array(d), sx2All: new Float64Array(d),
  out: [0, 1].map(() => ({ n: 0, sx: new Float64Array(d), sxx: new Float64Array(d * d), sy: 0, sxy: new Float64Array(d) })),
});

/** Feature dimension of the data; throws unless every sequence has consistent shapes. */
export function dimsOf(data: readonly SequenceData[]): number {
  const s = data[0];
  if (!s || s.count === 0) throw new EmostreamError('EMO_ERR_DATASET', 'baseline: empty training data');
  const d = s.features.length / s.count;
  for (const x of data) {
    if (x.features.length !== x.count * d || x.arousal.length !== x.count || x.valence.length !== x.count) {
      throw new EmostreamError('EMO_ERR_DATASET', `baseline: sequence ${x.id} has inconsistent shapes`);
    }
  }
  return d;
}

/** Adds the seconds of `seqs` to fresh sums (features shifted by `shift`); a target that is NaN leaves its output out. */
export function groupSums(seqs: readonly SequenceData[], d: number, shift: Float64Array): Sums {
  const s = newSums(d);
  const x = new Float64Array(d);
  for (const q of seqs) {
    for (let w = 0; w < q.count; w++) {
      for (let i = 0; i < d; i++) x[i] = q.features[w * d + i]! - shift[i]!;
      s.nAll++;
      for (let i = 0; i < d; i++) { s.sxAll[i]! += x[i]!; s.sx2All[i]! += x[i]! * x[i]!; }
      const ys = [q.arousal[w]!, q.valence[w]!];
      for (let c = 0; c < 2; c++) {
        const y = ys[c]!;
        if (Number.isNaN(y)) continue;
        const o = s.out[c]!;
        o.n++;
        o.sy += y;
        for (let i = 0; i < d; i++) {
          const xi = x[i]!;
          o.sx[i]! += xi;
          o.sxy[i]! += xi * y;
          const row = i * d;
          for (let j = 0; j <= i; j++) o.sxx[row + j]! += xi * x[j]!;
        }
      }
    }
  }
  return s;
}

/** The sum of several blocks' sums. */
export function addSums(list: readonly Sums[], d: number): Sums {
  const t = newSums(d);
  const add = (a: Float64Array, b: Float64Array) => { for (let i = 0; i < a.length; i++) a[i]! += b[i]!; };
  for (const s of list) {
    t.nAll += s.nAll;
    add(t.sxAll, s.sxAll);
    add(t.sx2All, s.sx2All);
    for (let c = 0; c < 2; c++) {
      const o = t.out[c]!, p = s.out[c]!;
      o.n += p.n;
      o.sy += p.sy;
      add(o.sx, p.sx);
      add(o.sxx, p.sxx);
      add(o.sxy, p.sxy);
    }
  }
  return t;
}

/**
 * Solves the standardised ridge normal equations of each output from sums, for each λ pair in `lambdas`.
 * Features are standardised with the mean and SD of every training second; each output's equations use the
 * seconds labelled for it (centred on their own means, so its intercept is unpenalised).
 */
export function solveFromSums(s: Sums, d: number, shift: Float64Array, lambdas: readonly (readonly [number, number])[]): RidgeModel[] {
  if (s.nAll < 2) throw new EmostreamError('EMO_ERR_DATASET', `baseline: only ${s.nAll} training seconds`);
  const mu = Float64Array.from(s.sxAll, (v) => v / s.nAll);
  const sd = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = s.sx2All[i]! / s.nAll - mu[i]! ** 2;
    sd[i] = v > 1e-12 * (s.sx2All[i]! / s.nAll + 1e-30) && v > 0 ? Math.sqrt(v) : 1;
  }
  const perOutput = s.out.map((o) => {
    if (o.n === 0) return undefined; // nothing labelled for this output: predict 0 (no information)
    const mx = Float64Array.from(o.sx, (v) => v / o.n);
    const ybar = o.sy / o.n;
    const gram = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const g = (o.sxx[i * d + j]! - o.n * mx[i]! * mx[j]!) / (sd[i]! * sd[j]!);
        gram[i * d + j] = g;
        gram[j * d + i] = g;
      }
    }
    const rhs = Float64Array.from({ length: d }, (_, i) => (o.sxy[i]! - o.n * mx[i]! * ybar) / sd[i]!);
    const cache = new Map<number, Float64Array>();
    const solve = (lambda: number): Float64Array => {
      let w = cache.get(lambda);
      if (!w) {
        const a = gram.slice();
        for (let i = 0; i < d; i++) a[i * d + i]! += lambda;
        choleskyInPlace(a, d);
        w = rhs.slice();
        choleskySolveInPlace(a, d, w, 1);
        cache.set(lambda, w);
      }
      return w;
    };
    // The intercept on features standardised by the all-seconds mean: ȳ − w·(x̄_c − μ)/sd.
    const intercept = (w: Float64Array) => ybar - w.reduce((acc, wi, i) => acc + (wi * (mx[i]! - mu[i]!)) / sd[i]!, 0);
    return { solve, intercept };
  });
  const mean = Float64Array.from(mu, (m, i) => m + shift[i]!);
  return lambdas.map(([la, lv]) => {
    const weights = new Float64Array(d * 2);
    const intercept: [number, number] = [0, 0];
    [la, lv].forEach((lambda, c) => {
      const p = perOutput[c];
      if (!p) return;
      const w = p.solve(lambda);
      for (let i = 0; i < d; i++) weights[i * 2 + c] = w[i]!;
      intercept[c] = p.intercept(w);
    });
    return { dims: d, mean, scale: sd, weights, intercept, lambda: [la, lv] as const };
  });
}

/** The mean of every feature over all seconds of `data` (the shift that keeps the sums well conditioned). */
export function allDataShift(data: readonly SequenceData[], d: number): Float64Array {
  const shift = new Float64Array(d);
  let n = 0;
  for (const q of data) for (let w = 0; w < q.count; w++, n++) for (let i = 0; i < d; i++) shift[i]! += q.features[w * d + i]!;
  return shift.map((x) => x / Math.max(1, n));
}
