/**
 * Float32 back end: heap = the memory of an instance of wasm/train/train.wasm (SIMD128 GEMM and LSTM cell
 * kernels, built by wasm/train/build.sh), loaded with the plain WebAssembly API. Each back end has its own
 * instance and memory; `heap` is replaced when memory grows (views taken before an `alloc` go stale).
 * @see createF64Backend
 */
import { EmostreamError } from '../../../errors.ts';
import { compiledWasmModule } from '../../../wasm-module.ts';
import { createBumpRegions, HEAP_ALIGN, type Backend } from './backend.ts';

const WASM_URL = new URL('../../../../wasm/train/train.wasm', import.meta.url);
const PAGE_ELEMENTS = 65536 / 4;

interface GemmExports {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  readonly gemm: (
    transA: number, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
  ) => void;
  readonly lstm_cell_forward: (n: number, H: number, G: number, cPrev: number, C: number, TC: number, Hout: number, P: number) => void;
  readonly lstm_cell_backward: (
    n: number, H: number, G: number, dG: number, C: number, cPrev: number, TC: number,
    dH: number, carry: number, P: number, dP: number,
  ) => void;
  readonly col_sum: (rows: number, cols: number, src: number, dst: number) => void;
}

/** Float32 back end whose matrix products run in WebAssembly SIMD. */
export function createWasmBackend(): Backend {
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/train/build.sh'), {}).exports as unknown as GemmExports;
  const memory = ex.memory;
  const base = Math.ceil(Number(ex.__heap_base.value) / 4 / HEAP_ALIGN) * HEAP_ALIGN;
  let heap = new Float32Array(memory.buffer);
  const regions = createBumpRegions(base, (top) => {
    if (top <= heap.length) return;
    const pages = Math.ceil((top - heap.length) / PAGE_ELEMENTS);
    try {
      memory.grow(pages);
    } catch (cause) {
      throw new EmostreamError('EMO_ERR_INTERNAL', `WebAssembly memory cannot grow to ${top * 4} bytes`, { cause });
    }
    heap = new Float32Array(memory.buffer);
  });
  const kernel = ex.gemm;
  const fwd = ex.lstm_cell_forward, bwd = ex.lstm_cell_backward, colSum = ex.col_sum;
  const ptr = (offset: number): number => (offset < 0 ? 0 : offset * 4); // 0 = null in the C kernels
  return {
    precision: 'f32-wasm',
    get heap() {
      return heap;
    },
    ...regions,
    gemm(transA, m, n, k, a, lda, b, ldb, c, ldc): void {
      if (m === 0 || n === 0 || k === 0) return;
      kernel(transA ? 1 : 0, m, n, k, a * 4, lda, b * 4, ldb, c * 4, ldc);
    },
    cellForward(n, H, G, cPrev, C, TC, Hout, P): void {
      fwd(n, H, G * 4, ptr(cPrev), C * 4, TC * 4, Hout * 4, P * 4);
    },
    cellBackward(n, H, G, dG, C, cPrev, TC, dH, carry, P, dP): void {
      bwd(n, H, G * 4, dG * 4, C * 4, ptr(cPrev), TC * 4, dH * 4, carry * 4, P * 4, ptr(dP));
    },
    colSum(rows, cols, src, dst): void {
      colSum(rows, cols, src * 4, dst * 4);
    },
  };
}
