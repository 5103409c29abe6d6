import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { padBatch } from '../../../../src/train/fit/engine/batches.ts';
import { sequenceLoss } from '../../../../src/train/fit/engine/loss.ts';
import { createPacking, packRows } from '../../../../src/train/fit/engine/packing.ts';
import { createLstmRegressor } from '../../../../src/train/fit/engine/models.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import type { Batch } from '../../../../src/train/fit/engine/types.ts';

const test = suite('loss');

/** Direct CCC of two series with population statistics. */
function ccc(x: number[], y: number[]): number {
  const m = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = m(x), my = m(y);
  const vx = m(x.map((v) => (v - mx) ** 2)), vy = m(y.map((v) => (v - my) ** 2));
  const cov = m(x.map((v, i) => (v - mx) * (y[i] - my)));
  return (2 * cov) / (vx + vy + (mx - my) ** 2);
}

/** Packs predictions and targets of sequences (1 output) and runs the loss. */
function run(kind: 'ccc' | 'ccc-batch' | 'mse', preds: number[][], targets: number[][]) {
  const seqs = preds.map((p, i) => ({ length: p.length, inputs: Float32Array.from(p), targets: Float32Array.from(targets[i]) }));
  const batch = padBatch(seqs, 1, 1);
  const pk = createPacking(batch);
  const h = new Float64Array(3 * pk.N);
  packRows(pk, batch.inputs, 1, h, 0);
  packRows(pk, batch.targets!, 1, h, pk.N);
  return sequenceLoss(kind, h, pk, 1, 0, pk.N, 2 * pk.N);
}

test('1 − CCC is computed per sequence and averaged over sequences', () => {
  const p = [[0.1, 0.5, 0.2, 0.9], [1, 2]], y = [[0, 0.4, 0.4, 1], [2, 1]];
  const r = run('ccc', p, y);
  const want = (ccc(p[0], y[0]) + ccc(p[1], y[1])) / 2;
  assert.ok(Math.abs(r.perOutput[0] - want) < 1e-6);
  assert.ok(Math.abs(r.loss - (1 - want)) < 1e-6);
  assert.ok(ccc(p[1], y[1]) < 0 && ccc(p[0], y[0]) > 0.8, 'one good and one anti-correlated sequence');
});

test('perfect predictions give loss 0; a shifted copy is penalised by CCC', () => {
  const y = [[0.1, 0.3, -0.2, 0.5, 0.0]];
  assert.ok(run('ccc', y, y).loss < 1e-9);
  const shifted = run('ccc', [y[0].map((v) => v + 0.5)], y);
  assert.ok(shifted.loss > 0.3);
  assert.ok(run('mse', y, y).loss === 0);
});

test('batch-pooled CCC is the CCC of all steps of the batch as one sample', () => {
  const p = [[0.1, 0.5, 0.2, 0.9], [1, 2]], y = [[0, 0.4, 0.4, 1], [2, 1]];
  const r = run('ccc-batch', p, y);
  const want = ccc(p.flat(), y.flat());
  assert.ok(Math.abs(r.perOutput[0] - want) < 1e-6, `${r.perOutput[0]} vs ${want}`);
  assert.ok(Math.abs(r.loss - (1 - want)) < 1e-6);
  assert.ok(Math.abs(want - (ccc(p[0], y[0]) + ccc(p[1], y[1])) / 2) > 0.05, 'differs from the per-sequence mean');
});

test('MSE is the per-sequence mean squared error averaged over sequences', () => {
  const r = run('mse', [[1, 1], [0, 0, 0, 0]], [[0, 0], [1, 1, 1, 1]]);
  assert.ok(Math.abs(r.loss - 1) < 1e-12);
  const r2 = run('mse', [[2, 0], [0, 0, 0, 0]], [[0, 0], [0, 0, 0, 1]]);
  assert.ok(Math.abs(r2.loss - (2 + 0.25) / 2) < 1e-12);
});

/** Packs 2-output predictions/targets (rows [a, v] per step) and runs the loss; returns the gradient unpacked too. */
function run2(kind: 'ccc' | 'mse', preds: number[][][], targets: number[][][]) {
  const seqs = preds.map((p, i) => ({ length: p.length, inputs: Float32Array.from(p.flat()), targets: Float32Array.from(targets[i].flat()) }));
  const batch = padBatch(seqs, 2, 2);
  const pk = createPacking(batch);
  const h = new Float64Array(6 * pk.N);
  packRows(pk, batch.inputs, 2, h, 0);
  packRows(pk, batch.targets!, 2, h, 2 * pk.N);
  const r = sequenceLoss(kind, h, pk, 2, 0, 2 * pk.N, 4 * pk.N);
  return { ...r, h, pk };
}

const P2 = [[[0.1, 0.3], [0.5, -0.2], [0.2, 0.4], [0.9, 0.1]], [[1, 0.2], [2, 0.7], [0.5, 0.1]]];
const Z2 = [[[0, 0.2], [0.4, NaN], [0.4, 0.5], [1, NaN]], [[2, NaN], [1, NaN], [0.3, NaN]]];

test('missing targets: a (sequence, output) pair with no finite target contributes nothing; NaN steps are skipped', () => {
  const r = run2('ccc', P2, Z2);
  // Present pairs: (0, a) over 4 steps, (0, v) over steps 0 and 2, (1, a) over 3 steps; (1, v) has no target.
  const a0 = ccc([0.1, 0.5, 0.2, 0.9], [0, 0.4, 0.4, 1]), v0 = ccc([0.3, 0.4], [0.2, 0.5]), a1 = ccc([1, 2, 0.5], [2, 1, 0.3]);
  assert.ok(Math.abs(r.loss - (3 - a0 - v0 - a1) / 3) < 1e-6, `loss ${r.loss}`); // inputs pass through float32
  assert.ok(Math.abs(r.perOutput[0] - (a0 + a1) / 2) < 1e-6, 'arousal: mean over both sequences');
  assert.ok(Math.abs(r.perOutput[1] - v0) < 1e-6, 'valence: mean over the one sequence that has it');
  const dy = r.h.subarray(4 * r.pk.N);
  for (let i = 0; i < dy.length; i++) {
    assert.ok(Number.isFinite(dy[i]!), 'every gradient is finite');
    if (Number.isNaN(r.h[2 * r.pk.N + i]!)) assert.is(dy[i], 0, 'no gradient where the target is missing');
  }
  const m = run2('mse', P2, Z2);
  const mse = (p: number[], z: number[]) => p.reduce((s, x, i) => s + (x - z[i]) ** 2, 0) / p.length;
  const want = (mse([0.1, 0.5, 0.2, 0.9], [0, 0.4, 0.4, 1]) + mse([0.3, 0.4], [0.2, 0.5]) + mse([1, 2, 0.5], [2, 1, 0.3])) / 3;
  assert.ok(Math.abs(m.loss - want) < 1e-6, `mse ${m.loss} vs ${want}`);
});

test('without missing targets the 2-output loss is the plain mean over sequences and outputs', () => {
  const Z = Z2.map((s) => s.map(([a, v]) => [a, Number.isNaN(v) ? a / 2 : v]));
  const r = run2('ccc', P2, Z);
  const col = (x: number[][], d: number) => x.map((row) => row[d]);
  const want = [0, 1].flatMap((j) => [0, 1].map((d) => 1 - ccc(col(P2[j], d), col(Z[j], d)))).reduce((s, x) => s + x, 0) / 4;
  assert.ok(Math.abs(r.loss - want) < 1e-6, `loss ${r.loss} vs ${want}`);
});

for (const kind of ['ccc', 'mse'] as const) {
  test(`masked loss gradient matches central differences (${kind})`, () => {
    const r = run2(kind, P2, Z2);
    const N = r.pk.N;
    const analytic = Float64Array.from(r.h.subarray(4 * N, 6 * N));
    const eps = 1e-6;
    for (let i = 0; i < 2 * N; i++) {
      const h = Float64Array.from(r.h);
      const at = (delta: number): number => {
        h[i] = r.h[i]! + delta;
        return sequenceLoss(kind, h, r.pk, 2, 0, 2 * N, 4 * N).loss;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      assert.ok(Math.abs(numeric - analytic[i]!) < 1e-6, `row ${i}: analytic ${analytic[i]} vs numeric ${numeric}`);
    }
  });
}

test('network gradients with a masked dimension match finite differences (f64 regressor)', () => {
  const net = createLstmRegressor({ inputSize: 3, hidden: [4, 3], outputSize: 2, precision: 'f64', seed: 5 });
  net.setFlatParameters(net.flatParameters().map((v) => v * 8));
  const rng = createRng(3);
  const seqs = [5, 3, 6].map((L, k) => ({
    length: L,
    inputs: Float32Array.from({ length: 3 * L }, () => rng.gaussian()),
    // Sequence 1 has no valence at all; sequence 2 misses arousal at two steps.
    targets: Float32Array.from({ length: 2 * L }, (_, i) => (k === 1 && i % 2 === 1) || (k === 2 && (i === 2 || i === 6)) ? NaN : rng.gaussian()),
  }));
  const batch: Batch = padBatch(seqs, 3, 2);
  for (const loss of ['ccc', 'ccc-batch', 'mse'] as const) {
    const theta = net.flatParameters();
    const base = net.lossAndGradients(batch, { loss });
    assert.ok(Number.isFinite(base.loss), `${loss}: finite loss`);
    const g = net.flatGradients();
    assert.ok(g.every(Number.isFinite), `${loss}: finite gradients`);
    let worst = 0;
    for (let i = 0; i < theta.length; i += 3) {
      const keep = theta[i]!;
      theta[i] = keep + 1e-5;
      net.setFlatParameters(theta);
      const up = net.lossAndGradients(batch, { loss }).loss;
      theta[i] = keep - 1e-5;
      net.setFlatParameters(theta);
      const down = net.lossAndGradients(batch, { loss }).loss;
      theta[i] = keep;
      const numeric = (up - down) / 2e-5;
      worst = Math.max(worst, Math.abs(g[i]! - numeric) / Math.max(Math.abs(g[i]!), Math.abs(numeric), 1e-6));
    }
    net.setFlatParameters(theta);
    assert.ok(worst <= 1e-4, `${loss}: worst relative error ${worst}`);
  }
});

test('a batch without any finite target is a dataset error', () => {
  try {
    run2('ccc', [[[0, 0], [1, 1]]], [[[NaN, NaN], [NaN, NaN]]]);
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code: string }).code, 'EMO_ERR_DATASET');
  }
});

test.run();
