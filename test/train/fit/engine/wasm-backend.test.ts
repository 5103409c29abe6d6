import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createF64Backend, gemmTs } from '../../../../src/train/fit/engine/backend.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import { createWasmBackend } from '../../../../src/train/fit/engine/wasm-backend.ts';

const test = suite('wasm-backend');

/** Runs C += op(A)·B on the WASM kernel and on the float64 reference, same float32 inputs; returns max |Δ| / scale. */
function compare(transA: boolean, m: number, n: number, k: number, pad = 3): number {
  const rng = createRng(m * 1000 + n * 10 + k);
  const lda = (transA ? m : k) + pad, ldb = n + pad, ldc = n + pad;
  const aLen = (transA ? k : m) * lda, bLen = k * ldb, cLen = m * ldc;
  const be = createWasmBackend();
  const a = be.alloc(aLen), b = be.alloc(bLen), c = be.alloc(cLen);
  const ref = createF64Backend();
  const ra = ref.alloc(aLen), rb = ref.alloc(bLen), rc = ref.alloc(cLen);
  const fill = (off: number, roff: number, len: number): void => {
    for (let i = 0; i < len; i++) {
      be.heap[off + i] = rng.gaussian();
      ref.heap[roff + i] = be.heap[off + i];
    }
  };
  fill(a, ra, aLen);
  fill(b, rb, bLen);
  fill(c, rc, cLen);
  be.gemm(transA, m, n, k, a, lda, b, ldb, c, ldc);
  ref.gemm(transA, m, n, k, ra, lda, rb, ldb, rc, ldc);
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = be.heap[c + i * ldc + j], want = ref.heap[rc + i * ldc + j];
      if (j >= n) assert.is(got, Math.fround(want), 'padding columns untouched');
      else worst = Math.max(worst, Math.abs(got - want) / Math.sqrt(k + 1));
    }
  }
  return worst;
}

test('C += A·B matches the float64 reference for all tile/tail shapes', () => {
  for (const [m, n, k] of [[1, 1, 1], [6, 8, 5], [7, 9, 3], [13, 30, 17], [32, 800, 200], [5, 2, 10], [40, 260, 130], [12, 133, 300]]) {
    assert.ok(compare(false, m, n, k) < 1e-5, `NN ${m}×${n}×${k}`);
  }
});

test('C += Aᵀ·B matches the float64 reference', () => {
  for (const [m, n, k] of [[1, 1, 1], [6, 8, 5], [11, 12, 37], [40, 200, 300], [2, 10, 129]]) {
    assert.ok(compare(true, m, n, k) < 1e-5, `TN ${m}×${n}×${k}`);
  }
});

test('heap growth keeps contents and stays addressable', () => {
  const be = createWasmBackend();
  const a = be.alloc(4);
  be.heap.set([1, 2, 3, 4], a);
  const big = be.alloc(3_000_000);
  be.heap[big + 2_999_999] = 5;
  assert.equal(Array.from(be.heap.subarray(a, a + 4)), [1, 2, 3, 4]);
  assert.is(be.heap[big + 2_999_999], 5);
  const mark = be.mark();
  be.alloc(10);
  be.release(mark);
  assert.is(be.mark(), mark);
});

test('reference gemm computes a known product', () => {
  const h = new Float64Array([1, 2, 3, 4, /* B */ 5, 6, 7, 8, /* C */ 0, 0, 0, 0]);
  gemmTs(h, false, 2, 2, 2, 0, 2, 4, 2, 8, 2);
  assert.equal(Array.from(h.subarray(8)), [19, 22, 43, 50]);
  h.fill(0, 8);
  gemmTs(h, true, 2, 2, 2, 0, 2, 4, 2, 8, 2);
  assert.equal(Array.from(h.subarray(8)), [26, 30, 38, 44]);
});

test('WASM LSTM cell kernels match the float64 TypeScript cell, also when saturated', () => {
  for (const [H, scale] of [[10, 1], [7, 30], [16, 200]]) {
    const n = 3;
    const rng = createRng(H);
    const be = createWasmBackend(), ref = createF64Backend();
    const sizes = { G: n * 4 * H, cp: n * H, C: n * H, TC: n * H, Ho: n * H, P: 3 * H, dG: n * 4 * H, dH: n * H, cy: n * H, dP: 3 * H };
    const at: Record<string, [number, number]> = {};
    for (const [k, len] of Object.entries(sizes)) at[k] = [be.alloc(len), ref.alloc(len)];
    for (const k of ['G', 'cp', 'P', 'dH', 'cy']) {
      for (let i = 0; i < sizes[k as keyof typeof sizes]; i++) {
        be.heap[at[k][0] + i] = scale * rng.gaussian();
        ref.heap[at[k][1] + i] = be.heap[at[k][0] + i];
      }
    }
    for (const [x, k] of [[be, 0], [ref, 1]] as const) {
      const o = (name: string): number => at[name][k];
      x.cellForward(n, H, o('G'), o('cp'), o('C'), o('TC'), o('Ho'), o('P'));
      x.cellBackward(n, H, o('G'), o('dG'), o('C'), o('cp'), o('TC'), o('dH'), o('cy'), o('P'), o('dP'));
    }
    for (const k of ['G', 'C', 'TC', 'Ho', 'dG', 'cy', 'dP']) {
      for (let i = 0; i < sizes[k as keyof typeof sizes]; i++) {
        const got = be.heap[at[k][0] + i], want = ref.heap[at[k][1] + i];
        assert.ok(Number.isFinite(got), `${k}[${i}] finite`);
        assert.ok(Math.abs(got - want) <= 2e-5 * Math.max(1, Math.abs(want)) * scale, `H=${H} ${k}[${i}]: ${got} vs ${want}`);
      }
    }
  }
});

test.run();
