/**
 * Numeric back ends of the engine. A back end owns one flat heap (Float32Array over WebAssembly memory,
 * or a Float64Array) addressed by element offsets, one matrix product
 *   gemm: C[m×n] += op(A)[m×k] · B[k×n], op(A) = A (A is m×k) or Aᵀ (A is k×m), all row-major,
 * and the element-wise LSTM cell kernels of `cell-ts.ts` (same signatures, offsets instead of arrays).
 * `alloc` may grow the heap, which replaces `heap`: re-read `backend.heap` after any allocation.
 * @see createWasmBackend
 */
import { EmostreamError } from '../../../errors.ts';
import { cellBackwardTs, cellForwardTs, colSumTs } from './cell-ts.ts';
import type { Precision } from './types.ts';

/** The heap type of a back end. */
export type Heap = Float32Array | Float64Array;

/** Memory plus matrix product, in one precision. */
export interface Backend {
  readonly precision: Precision;
  /** Current heap view (replaced when the heap grows). */
  readonly heap: Heap;
  /** Reserves `length` elements (64-byte aligned); returns the element offset. May grow the heap. */
  alloc(length: number): number;
  /** Current allocation mark. */
  mark(): number;
  /** Frees everything allocated after `mark`. */
  release(mark: number): void;
  /** C += op(A)·B with element offsets a, b, c and leading dimensions (row strides) lda, ldb, ldc. */
  gemm(transA: boolean, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void;
  /** LSTM cell forward of one step (see `cellForwardTs`); cPrev = −1 for a zero state. */
  cellForward(n: number, H: number, G: number, cPrev: number, C: number, TC: number, Hout: number, P: number): void;
  /** LSTM cell backward of one step (see `cellBackwardTs`); dP = −1 skips peephole gradients. */
  cellBackward(
    n: number, H: number, G: number, dG: number, C: number, cPrev: number, TC: number,
    dH: number, carry: number, P: number, dP: number,
  ): void;
  /** dst[j] += Σ_r src[r·cols + j]. */
  colSum(rows: number, cols: number, src: number, dst: number): void;
}

/** Region alignment in elements (64 bytes in float32). */
export const HEAP_ALIGN = 16;

/**
 * The stack-like region allocator both back ends share: `alloc` hands out 16-element-aligned offsets from `base`
 * upwards (calling `ensureCapacity(top)` so the heap can grow first), `mark`/`release` pop everything above a mark.
 */
export function createBumpRegions(base: number, ensureCapacity: (top: number) => void): Pick<Backend, 'alloc' | 'mark' | 'release'> {
  let top = base;
  return {
    alloc(length: number): number {
      const at = top;
      top = Math.ceil((top + length) / HEAP_ALIGN) * HEAP_ALIGN;
      ensureCapacity(top);
      return at;
    },
    mark: () => top,
    release(mark: number): void {
      if (mark < base || mark > top) throw new EmostreamError('EMO_ERR_INTERNAL', `bad heap mark ${mark}`);
      top = mark;
    },
  };
}

/** Float64 back end in plain TypeScript (reference for gradient checks). */
export function createF64Backend(): Backend {
  let heap = new Float64Array(1 << 16);
  const regions = createBumpRegions(0, (top) => {
    if (top <= heap.length) return;
    let size = heap.length;
    while (size < top) size *= 2;
    const grown = new Float64Array(size);
    grown.set(heap);
    heap = grown;
  });
  return {
    precision: 'f64',
    get heap() {
      return heap;
    },
    ...regions,
    gemm(transA, m, n, k, a, lda, b, ldb, c, ldc): void {
      gemmTs(heap, transA, m, n, k, a, lda, b, ldb, c, ldc);
    },
    cellForward: (n, H, G, cPrev, C, TC, Hout, P) => cellForwardTs(heap, n, H, G, cPrev, C, TC, Hout, P),
    cellBackward: (n, H, G, dG, C, cPrev, TC, dH, carry, P, dP) =>
      cellBackwardTs(heap, n, H, G, dG, C, cPrev, TC, dH, carry, P, dP),
    colSum: (rows, cols, src, dst) => colSumTs(heap, rows, cols, src, dst),
  };
}

/** Reference matrix product C += op(A)·B on one heap (any precision), fixed summation order over k. */
export function gemmTs(
  h: Heap, transA: boolean, m: number, n: number, k: number,
  a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
): void {
  const sai = transA ? 1 : lda;
  const sak = transA ? lda : 1;
  for (let i = 0; i < m; i++) {
    const ci = c + i * ldc;
    for (let kk = 0; kk < k; kk++) {
      const av = h[a + i * sai + kk * sak];
      const bk = b + kk * ldb;
      for (let j = 0; j < n; j++) h[ci + j] += av * h[bk + j];
    }
  }
}
