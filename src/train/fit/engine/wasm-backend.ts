/**
 * Float32 back end: heap = the memory of an instance of wasm/train/train.wasm (SIMD128 GEMM, LSTM cell and
 * noise kernels, built by wasm/train/build.sh), loaded with the plain WebAssembly API. Each back end has its own
 * instance and memory; `heap` is replaced when memory grows (views taken before an `alloc` go stale).
 * Large overwriting products ('set', ≥ NATIVE_MIN_MACS multiply-adds, dense operands: the batched input projections
 * and weight gradients) go to onnxruntime's native kernels when `native` is on and they load (native-gemm.ts);
 * the per-step recurrent products and everything else stay in WASM.
 * @see createF64Backend
 */
import { EmostreamError } from '../../../errors.ts';
import { compiledWasmModule } from '../../../wasm-module.ts';
import { createBumpRegions, HEAP_ALIGN, type Backend, type GemmForm, type PackedB } from './backend.ts';
import { loadNativeGemm, NATIVE_MIN_MACS, type NativeGemm } from './native-gemm.ts';
import type { RngState } from './rng.ts';

const WASM_URL = new URL('../../../../wasm/train/train.wasm', import.meta.url);
const PAGE_ELEMENTS = 65536 / 4;
/** Columns of a packed B panel in gemm.c. */
const PANEL = 8;
const FORM_CODE: Readonly<Record<GemmForm, number>> = { nn: 0, tn: 1, nt: 2 };

interface TrainKernels {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  readonly gemm: (
    form: number, add: number, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, bias: number,
  ) => void;
  readonly pack_b_full: (transB: number, k: number, n: number, b: number, ldb: number, dst: number) => void;
  readonly gemm_packed: (add: number, m: number, n: number, k: number, a: number, lda: number, bp: number, c: number, ldc: number) => void;
  readonly noise_add: (count: number, dst: number, sigma: number, state: number) => void;
  readonly lstm_cell_forward: (
    n: number, H: number, G: number, Gr: number, cPrev: number, C: number, TC: number, Hout: number, P: number,
  ) => void;
  readonly lstm_cell_backward: (
    n: number, H: number, G: number, dG: number, C: number, cPrev: number, TC: number,
    dH: number, dHr: number, carry: number, P: number, dP: number,
  ) => void;
  readonly col_sum: (rows: number, cols: number, src: number, dst: number) => void;
  readonly sigmoid: (count: number, y: number) => void;
  readonly sigmoid_backward: (count: number, y: number, dy: number) => void;
}

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /** Let large batched products use onnxruntime's native CPU kernels when available. Default true. */
  readonly native?: boolean;
}

/** Float32 back end whose kernels run in WebAssembly SIMD (large batched products natively, see `native`). */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend {
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/train/build.sh'), {}).exports as unknown as TrainKernels;
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
  const noiseState = regions.alloc(8); // xoshiro128** words [0..3], spare Gaussian (float) [4]
  const ptr = (offset: number): number => (offset < 0 ? 0 : offset * 4); // 0 = null in the C kernels
  const k = ex;
  let native: NativeGemm | null | undefined = options.native === false ? null : undefined; // undefined: not loaded yet
  const packed = new WeakSet<PackedB>(); // descriptors whose packed copy has been written
  const dense = (form: GemmForm, m: number, n: number, kk: number, lda: number, ldb: number, ldc: number): boolean =>
    lda === (form === 'tn' ? m : kk) && ldb === (form === 'nt' ? kk : n) && ldc === n;
  return {
    precision: 'f32-wasm',
    get heap() {
      return heap;
    },
    ...regions,
    gemm(form, start, m, n, kk, a, lda, b, ldb, c, ldc, bias): void {
      if (m === 0 || n === 0) return;
      if (native !== null && start === 'set' && m * n * kk >= NATIVE_MIN_MACS && dense(form, m, n, kk, lda, ldb, ldc)) {
        native ??= loadNativeGemm();
        if (native) {
          const nat = native;
          nat.gemm(form, m, n, kk, heap.subarray(a, a + m * kk), heap.subarray(b, b + kk * n), heap.subarray(c, c + m * n),
            bias >= 0 ? heap.subarray(bias, bias + n) : undefined);
          return;
        }
      }
      k.gemm(FORM_CODE[form], start === 'add' ? 1 : 0, m, n, kk, a * 4, lda, b * 4, ldb, c * 4, ldc, ptr(bias));
    },
    packedLength: (kk, n) => Math.ceil(n / PANEL) * PANEL * kk,
    packB(transB, kk, n, b, ldb, dst): PackedB {
      return { transB, k: kk, n, b, ldb, packed: dst }; // packed on first use by the WASM kernel (see gemmPacked)
    },
    gemmPacked(start, m, a, lda, pb, c, ldc): void {
      const n = pb.n, kk = pb.k;
      if (m === 0 || n === 0) return;
      const form: GemmForm = pb.transB ? 'nt' : 'nn';
      if (native !== null && start === 'set' && m * n * kk >= NATIVE_MIN_MACS && dense(form, m, n, kk, lda, pb.ldb, ldc)) {
        native ??= loadNativeGemm();
        if (native) {
          native.gemm(form, m, n, kk, heap.subarray(a, a + m * kk), heap.subarray(pb.b, pb.b + kk * n), heap.subarray(c, c + m * n));
          return;
        }
      }
      if (!packed.has(pb)) {
        k.pack_b_full(pb.transB ? 1 : 0, kk, n, pb.b * 4, pb.ldb, pb.packed * 4);
        packed.add(pb);
      }
      k.gemm_packed(start === 'add' ? 1 : 0, m, n, kk, a * 4, lda, pb.packed * 4, c * 4, ldc);
    },
    addNoise(count, dst, sigma, rng): void {
      const [a, b, c, d, spare] = rng.state();
      let at = dst, left = count;
      if (!Number.isNaN(spare) && left > 0) { // as the kernel would: float32 σ·g, then a float32 sum
        heap[at] = Math.fround(heap[at] + Math.fround(Math.fround(sigma) * spare));
        at++;
        left--;
      }
      const words = new Int32Array(memory.buffer, noiseState * 4, 5);
      words.set([a, b, c, d]);
      k.noise_add(left, at * 4, sigma, noiseState * 4);
      const after = new Int32Array(memory.buffer, noiseState * 4, 4);
      const next: RngState = [after[0], after[1], after[2], after[3], left > 0 ? heap[noiseState + 4] : spare];
      rng.restore(left === 0 && count > 0 ? [a, b, c, d, NaN] : next);
    },
    cellForward(n, H, G, Gr, cPrev, C, TC, Hout, P): void {
      k.lstm_cell_forward(n, H, G * 4, ptr(Gr), ptr(cPrev), C * 4, TC * 4, Hout * 4, P * 4);
    },
    cellBackward(n, H, G, dG, C, cPrev, TC, dH, dHr, carry, P, dP): void {
      k.lstm_cell_backward(n, H, G * 4, dG * 4, C * 4, ptr(cPrev), TC * 4, dH * 4, ptr(dHr), carry * 4, P * 4, ptr(dP));
    },
    colSum(rows, cols, src, dst): void {
      k.col_sum(rows, cols, src * 4, dst * 4);
    },
    sigmoid(count, y): void {
      k.sigmoid(count, y * 4);
    },
    sigmoidBackward(count, y, dy): void {
      k.sigmoid_backward(count, y * 4, dy * 4);
    },
  };
}
