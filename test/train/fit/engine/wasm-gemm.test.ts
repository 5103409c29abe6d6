import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createF64Backend, type Backend, type GemmForm, type GemmStart } from '../../../../src/train/fit/engine/backend.ts';
import { gemmTs } from '../../../../src/train/fit/engine/gemm-ts.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import { createWasmBackend } from '../../../../src/train/fit/engine/wasm-backend.ts';

const test = suite('wasm-gemm');

/** The same random float32 values in a region of each back end. */
function twin(be: Backend, ref: Backend, len: number, rng: ReturnType<typeof createRng>): [number, number] {
  const a = be.alloc(len), r = ref.alloc(len);
  for (let i = 0; i < len; i++) {
    be.heap[a + i] = rng.gaussian();
    ref.heap[r + i] = be.heap[a + i];
  }
  return [a, r];
}

interface Case {
  readonly form: GemmForm;
  readonly start: GemmStart;
  readonly bias: boolean;
  readonly packed: boolean;
}

/**
 * Runs one product on the WASM kernels (native products off) and on the float64 reference with the same float32 inputs and padded leading
 * dimensions; returns max |Δ| / √(k + 1) over C and checks the padding columns are untouched.
 */
function compare(c: Case, m: number, n: number, k: number, pad = 3): number {
  const rng = createRng(m * 1000 + n * 10 + k);
  const aRows = c.form === 'tn' ? k : m, aCols = c.form === 'tn' ? m : k;
  const bRows = c.form === 'nt' ? n : k, bCols = c.form === 'nt' ? k : n;
  const lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
  const be = createWasmBackend({ native: false }), ref = createF64Backend();
  const [a, ra] = twin(be, ref, aRows * lda, rng);
  const [b, rb] = twin(be, ref, bRows * ldb, rng);
  const [cc, rc] = twin(be, ref, m * ldc, rng);
  const [bias, rbias] = twin(be, ref, n, rng);
  if (c.packed) {
    const bp = be.alloc(be.packedLength(k, n)), rbp = ref.alloc(ref.packedLength(k, n));
    const pb = be.packB(c.form === 'nt', k, n, b, ldb, bp);
    const rpb = ref.packB(c.form === 'nt', k, n, rb, ldb, rbp);
    be.gemmPacked(c.start, m, a, lda, pb, cc, ldc);
    ref.gemmPacked(c.start, m, ra, lda, rpb, rc, ldc);
  } else {
    be.gemm(c.form, c.start, m, n, k, a, lda, b, ldb, cc, ldc, c.bias ? bias : -1);
    ref.gemm(c.form, c.start, m, n, k, ra, lda, rb, ldb, rc, ldc, c.bias ? rbias : -1);
  }
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = be.heap[cc + i * ldc + j], want = ref.heap[rc + i * ldc + j];
      if (j >= n) assert.is(got, Math.fround(want), 'padding columns untouched');
      else worst = Math.max(worst, Math.abs(got - want) / Math.sqrt(k + 1));
    }
  }
  return worst;
}

/** Tile edges (m, n not multiples of 4, 8), depth blocks (k > 256), row blocks (m > 128), column blocks (n > 512). */
const SHAPES = [[1, 1, 1], [6, 8, 5], [7, 9, 3], [13, 30, 17], [32, 800, 200], [5, 2, 10], [40, 260, 130],
  [12, 133, 300], [2, 10, 129], [130, 20, 7], [9, 520, 260], [3, 7, 600], [4, 8, 0]];

for (const form of ['nn', 'nt', 'tn'] as const) {
  for (const start of ['add', 'set'] as const) {
    test(`gemm ${form} (${start}) matches the float64 reference for all tile/tail/block shapes`, () => {
      for (const [m, n, k] of SHAPES) {
        assert.ok(compare({ form, start, bias: false, packed: false }, m, n, k) < 1e-5, `${form} ${start} ${m}×${n}×${k}`);
      }
    });
  }
  test(`gemm ${form} with a bias row matches the reference`, () => {
    for (const [m, n, k] of [[6, 8, 5], [13, 30, 17], [9, 520, 300], [4, 3, 0]]) {
      for (const start of ['add', 'set'] as const) {
        assert.ok(compare({ form, start, bias: true, packed: false }, m, n, k) < 1e-5, `${form} ${start} bias ${m}×${n}×${k}`);
      }
    }
  });
}

test('packed-B product (B and Bᵀ packed once) matches the reference', () => {
  for (const form of ['nn', 'nt'] as const) {
    for (const start of ['add', 'set'] as const) {
      for (const [m, n, k] of [[1, 1, 1], [7, 9, 3], [32, 800, 200], [32, 200, 800], [19, 40, 10], [130, 12, 300], [5, 6, 0]]) {
        assert.ok(compare({ form, start, bias: false, packed: true }, m, n, k) < 1e-5, `packed ${form} ${start} ${m}×${n}×${k}`);
      }
    }
  }
});

test('products are bit-for-bit repeatable and independent of where the operands sit', () => {
  const run = (shift: number): Float32Array => {
    const be = createWasmBackend({ native: false });
    const rng = createRng(3);
    const a = be.alloc(37 * 300 + 3) + shift, b = be.alloc(300 * 45 + 3) + shift, c = be.alloc(37 * 45 + 3) + shift;
    for (let i = 0; i < 37 * 300; i++) be.heap[a + i] = rng.gaussian();
    for (let i = 0; i < 300 * 45; i++) be.heap[b + i] = rng.gaussian();
    be.gemm('nn', 'set', 37, 45, 300, a, 300, b, 45, c, 45, -1);
    return Float32Array.from(be.heap.subarray(c, c + 37 * 45));
  };
  assert.equal(run(0), run(0));
  assert.equal(run(0), run(3));
});

test('reference gemm computes known products in every form and start', () => {
  // A = [1 2; 3 4], B = [5 6; 7 8], bias = [10 20]
  const h = new Float64Array([1, 2, 3, 4, /* B */ 5, 6, 7, 8, /* C */ 1, 1, 1, 1, /* bias */ 10, 20]);
  const product = (form: GemmForm, start: GemmStart, bias: number): number[] => {
    h.fill(1, 8, 12);
    gemmTs(h, form, start, 2, 2, 2, 0, 2, 4, 2, 8, 2, bias);
    return Array.from(h.subarray(8, 12));
  };
  assert.equal(product('nn', 'set', -1), [19, 22, 43, 50]);
  assert.equal(product('tn', 'set', -1), [26, 30, 38, 44]);
  assert.equal(product('nt', 'set', -1), [17, 23, 39, 53]);
  assert.equal(product('nn', 'add', -1), [20, 23, 44, 51]);
  assert.equal(product('nn', 'set', 12), [29, 42, 53, 70]);
});

test.run();
