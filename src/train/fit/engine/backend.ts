/**
 * Numeric back ends of the engine. A back end owns one flat heap (Float32Array over WebAssembly memory,
 * or a Float64Array) addressed by element offsets, the matrix products (all row-major)
 *   gemm:       C[m×n] = (start 'add' ? C : 0) + 1·biasᵀ (if bias ≥ 0) + op(A)·op(B),  forms 'nn' A·B, 'nt' A·Bᵀ, 'tn' Aᵀ·B
 *   gemmPacked: the same with A row-major and op(B) packed once per pass by `packB` (the per-step recurrent products),
 * Gaussian input noise, and the element-wise kernels of `cell-ts.ts` (same signatures, offsets instead of arrays).
 * `alloc` may grow the heap, which replaces `heap`: re-read `backend.heap` after any allocation.
 * @see createWasmBackend
 */
import { EmostreamError } from '../../../errors.ts';
import { cellBackwardTs, cellForwardTs, colSumTs, sigmoidBackwardTs, sigmoidTs } from './cell-ts.ts';
import { gemmTs } from './gemm-ts.ts';
import type { Rng } from './rng.ts';
import type { Precision } from './types.ts';

/** The heap type of a back end. */
export type Heap = Float32Array | Float64Array;

/** Operand forms of a product: 'nn' C ⊕= A·B (A m×k, B k×n), 'nt' A·Bᵀ (B n×k), 'tn' Aᵀ·B (A k×m). */
export type GemmForm = 'nn' | 'nt' | 'tn';

/** Where a product starts: 'add' accumulates into C, 'set' overwrites it. */
export type GemmStart = 'add' | 'set';

/**
 * op(B) (k × n) of the per-step products, packed once per pass by `packB`. B itself must not change while this is
 * in use (native kernels may read it instead of the packed copy).
 */
export interface PackedB {
  /** op(B) = Bᵀ (B is n × k) instead of B (k × n). */
  readonly transB: boolean;
  readonly k: number;
  readonly n: number;
  /** Offset and row stride of B itself. */
  readonly b: number;
  readonly ldb: number;
  /** Offset of the packed copy (`packedLength(k, n)` elements). */
  readonly packed: number;
}

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
  /**
   * C = (start = 'add' ? C : 0) + 1·biasᵀ + op(A)·op(B) with element offsets a, b, c, leading dimensions
   * (row strides) lda, ldb, ldc, and `bias` the offset of n bias values or −1 for none. May grow the heap (the
   * float32 back end's native path takes temporary space above the top): re-read `heap` after it.
   */
  gemm(form: GemmForm, start: GemmStart, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, bias: number): void;
  /** Elements a packed op(B) of k × n needs (see `packB`). */
  packedLength(k: number, n: number): number;
  /**
   * Prepares op(B) (k × n; `transB`: B is n × k) at offset b (row stride ldb) for `gemmPacked`, packing it into
   * `packedLength(k, n)` elements at dst (the float32 back end packs on the first product that needs the copy).
   */
  packB(transB: boolean, k: number, n: number, b: number, ldb: number, dst: number): PackedB;
  /** C (m × pb.n) = (start = 'add' ? C : 0) + A (m × pb.k, row stride lda) · op(B) of `pb`. */
  gemmPacked(start: GemmStart, m: number, a: number, lda: number, pb: PackedB, c: number, ldc: number): void;
  /**
   * Adds σ·N(0, 1) to `count` elements at dst, drawing the Gaussians from `rng` in order (as `rng.gaussian()` would:
   * Box–Muller pairs, the second of a pair kept as the spare); the float32 back end draws the same 32-bit words
   * and transforms them in float32.
   */
  addNoise(count: number, dst: number, sigma: number, rng: Rng): void;
  /** LSTM cell forward of one step (see `cellForwardTs`); Gr = −1 for no recurrent part, cPrev = −1 for a zero state. */
  cellForward(n: number, H: number, G: number, Gr: number, cPrev: number, C: number, TC: number, Hout: number, P: number): void;
  /** LSTM cell backward of one step (see `cellBackwardTs`); dHr = −1 for no recurrent part, dP = −1 skips peepholes. */
  cellBackward(
    n: number, H: number, G: number, dG: number, C: number, cPrev: number, TC: number,
    dH: number, dHr: number, carry: number, P: number, dP: number,
  ): void;
  /** dst[j] += Σ_r src[r·cols + j]. */
  colSum(rows: number, cols: number, src: number, dst: number): void;
  /** dst[r·ldd + j] = src[r·lds + j] for r < rows, j < cols (regions must not overlap). */
  copyRows(rows: number, cols: number, src: number, lds: number, dst: number, ldd: number): void;
  /** y ← σ(y) for `count` elements at y. */
  sigmoid(count: number, y: number): void;
  /** dy ← dy·y·(1 − y) for `count` elements (y holds σ outputs). */
  sigmoidBackward(count: number, y: number, dy: number): void;
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
    gemm(form, start, m, n, k, a, lda, b, ldb, c, ldc, bias): void {
      gemmTs(heap, form, start, m, n, k, a, lda, b, ldb, c, ldc, bias);
    },
    packedLength: (k, n) => k * n,
    packB(transB, k, n, b, ldb, dst): PackedB {
      for (let kk = 0; kk < k; kk++) {
        for (let j = 0; j < n; j++) heap[dst + kk * n + j] = transB ? heap[b + j * ldb + kk] : heap[b + kk * ldb + j];
      }
      return { transB, k, n, b, ldb, packed: dst };
    },
    gemmPacked(start, m, a, lda, pb, c, ldc): void {
      gemmTs(heap, 'nn', start, m, pb.n, pb.k, a, lda, pb.packed, pb.n, c, ldc, -1);
    },
    addNoise(count, dst, sigma, rng): void {
      for (let i = dst, e = dst + count; i < e; i++) heap[i] += sigma * rng.gaussian();
    },
    cellForward: (n, H, G, Gr, cPrev, C, TC, Hout, P) => cellForwardTs(heap, n, H, G, Gr, cPrev, C, TC, Hout, P),
    cellBackward: (n, H, G, dG, C, cPrev, TC, dH, dHr, carry, P, dP) =>
      cellBackwardTs(heap, n, H, G, dG, C, cPrev, TC, dH, dHr, carry, P, dP),
    colSum: (rows, cols, src, dst) => colSumTs(heap, rows, cols, src, dst),
    copyRows(rows, cols, src, lds, dst, ldd): void {
      for (let r = 0; r < rows; r++) heap.copyWithin(dst + r * ldd, src + r * lds, src + r * lds + cols);
    },
    sigmoid: (count, y) => sigmoidTs(heap, count, y),
    sigmoidBackward: (count, y, dy) => sigmoidBackwardTs(heap, count, y, dy),
  };
}
