import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { padBatch } from '../../../../src/train/fit/engine/batches.ts';
import { sequenceLoss } from '../../../../src/train/fit/engine/loss.ts';
import { createPacking, packRows } from '../../../../src/train/fit/engine/packing.ts';

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
function run(kind: 'ccc' | 'mse', preds: number[][], targets: number[][]) {
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

test('MSE is the per-sequence mean squared error averaged over sequences', () => {
  const r = run('mse', [[1, 1], [0, 0, 0, 0]], [[0, 0], [1, 1, 1, 1]]);
  assert.ok(Math.abs(r.loss - 1) < 1e-12);
  const r2 = run('mse', [[2, 0], [0, 0, 0, 0]], [[0, 0], [0, 0, 0, 1]]);
  assert.ok(Math.abs(r2.loss - (2 + 0.25) / 2) < 1e-12);
});

test.run();
