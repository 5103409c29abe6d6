/**
 * Float32 back end: heap = the memory of an instance of wasm/train/train.wasm (SIMD128 GEMM, LSTM cell and
 * noise kernels, built by wasm/train/build.sh), loaded with the plain WebAssembly API. Each back end has its own
 * instance and memory; `heap` is replaced when memory grows (views taken before an `alloc` go stale).
 * Large overwriting products ('set', ≥ NATIVE_MIN_MACS multiply-adds, dense operands: the batched input projections,
 * the weight gradients and the wide layers' per-step recurrent products) go to onnxruntime's native kernels when
 * `native` is on and they load (native-gemm.ts); small products and all element-wise kernels stay in WASM.
 * @see createF64Backend
 */
import { EmostreamError } from '../../../errors.ts';
import { compiledWasmModule } from '../../../wasm-module.ts';
import { createBumpRegions, HEAP_ALIGN, type Backend, type GemmForm, type GemmStart, type PackedB } from './backend.ts';
import { loadNativeGemm, NATIVE_MIN_MACS, type NativeGemm } from './native-gemm.ts';
import type { Rng } from './rng.ts';

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
  readonly copy_rows: (rows: number, cols: number, src: number, lds: number, dst: number, ldd: number) => void;
  readonly transpose: (rows: number, cols: number, src: number, lds: number, dst: number, ldd: number) => void;
  readonly sigmoid: (count: number, y: number) => void;
  readonly sigmoid_backward: (count: number, y: number, dy: number) => void;
}

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /** Let large batched products use onnxruntime's native CPU kernels when available. Default true. */
  readonly native?: boolean;
}

/** A back end's instance, current heap view and native-kernel state. */
interface WasmBackendState {
  readonly ex: TrainKernels;
  /** Replaced when memory grows. */
  heap: Float32Array;
  /** undefined: not loaded yet; null: off or unavailable. */
  native: NativeGemm | null | undefined;
  /** Descriptors whose packed copy has been written. */
  readonly packed: WeakSet<PackedB>;
}

/** Grows the instance memory to hold `top` floats and renews the heap view (the bump regions' grow hook). */
function growHeap(st: WasmBackendState, top: number): void {
  if (top <= st.heap.length) return;
  const pages = Math.ceil((top - st.heap.length) / PAGE_ELEMENTS);
  try {
    st.ex.memory.grow(pages);
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_INTERNAL', `WebAssembly memory cannot grow to ${top * 4} bytes`, { cause });
  }
  st.heap = new Float32Array(st.ex.memory.buffer);
}

/** Byte address of a heap offset for the C kernels (a negative offset: null). */
const ptr = (offset: number): number => (offset < 0 ? 0 : offset * 4);

/** Whether the operands are dense (leading dimensions equal to their widths). */
const dense = (form: GemmForm, m: number, n: number, k: number, lda: number, ldb: number, ldc: number): boolean =>
  lda === (form === 'tn' ? m : k) && ldb === (form === 'nt' ? k : n) && ldc === n;

type Regions = Pick<Backend, 'alloc' | 'mark' | 'release'>;

/**
 * Runs C = op(A)·op(B) (+ bias) natively if it is large, dense and the native kernels load; false otherwise.
 * With `regions` (the plain `gemm` calls), Aᵀ·B (the weight gradients) first transposes A with the WASM kernel into a
 * temporary region above the heap's top (released again before returning; it may grow the heap) and runs as A·B:
 * MLAS transposes A slowly while packing it (Aᵀ·B ≈ 1.3× the time of A·B on the weight-gradient shapes, and the
 * transposition costs ≈ a tenth of that). The sums are bit-for-bit those of Aᵀ·B (MLAS accumulates in the same
 * order for both forms; the engine's repeatability tests check this).
 */
function runNative(st: WasmBackendState, form: GemmForm, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
  c: number, ldc: number, bias: number, regions?: Regions): boolean {
  if (st.native === null || m * n * k < NATIVE_MIN_MACS || !dense(form, m, n, k, lda, ldb, ldc)) return false;
  st.native ??= loadNativeGemm();
  if (!st.native) return false;
  let mark = -1;
  if (regions && form === 'tn') {
    mark = regions.mark();
    const t = regions.alloc(m * k); // may grow the heap (renews st.heap)
    st.ex.transpose(k, m, a * 4, m, t * 4, k); // A (k × m) → m × k
    a = t;
    form = 'nn';
  }
  const { heap } = st;
  st.native.gemm(form, m, n, k, heap.subarray(a, a + m * k), heap.subarray(b, b + k * n), heap.subarray(c, c + m * n),
    bias >= 0 ? heap.subarray(bias, bias + n) : undefined);
  if (mark >= 0) regions?.release(mark);
  return true;
}

/** `Backend.gemmPacked`: natively when it qualifies, else the WASM kernel on B packed on first use. */
function gemmPacked(st: WasmBackendState, start: GemmStart, m: number, a: number, lda: number, pb: PackedB, c: number, ldc: number): void {
  const n = pb.n, k = pb.k;
  if (m === 0 || n === 0) return;
  if (start === 'set' && runNative(st, pb.transB ? 'nt' : 'nn', m, n, k, a, lda, pb.b, pb.ldb, c, ldc, -1)) return;
  const { ex, packed } = st;
  if (!packed.has(pb)) {
    ex.pack_b_full(pb.transB ? 1 : 0, k, n, pb.b * 4, pb.ldb, pb.packed * 4);
    packed.add(pb);
  }
  ex.gemm_packed(start === 'add' ? 1 : 0, m, n, k, a * 4, lda, pb.packed * 4, c * 4, ldc);
}

/** `Backend.addNoise` with the generator state passed through the kernel's state words at `noiseState`. */
function addNoise(st: WasmBackendState, noiseState: number, count: number, dst: number, sigma: number, rng: Rng): void {
  if (count <= 0) return;
  const { ex, heap } = st;
  const [a, b, c, d, spare] = rng.state();
  let at = dst;
  if (!Number.isNaN(spare)) { // as the kernel would: float32 σ·g, then a float32 sum
    heap[at] = Math.fround(heap[at] + Math.fround(Math.fround(sigma) * spare));
    at++;
  }
  const words = new Int32Array(ex.memory.buffer, noiseState * 4, 4);
  words.set([a, b, c, d]);
  ex.noise_add(dst + count - at, at * 4, sigma, noiseState * 4); // also stores the new spare (or NaN)
  rng.restore([words[0], words[1], words[2], words[3], heap[noiseState + 4]]);
}

/** Float32 back end whose kernels run in WebAssembly SIMD (large batched products natively, see `native`). */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend {
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/train/build.sh'), {}).exports as unknown as TrainKernels;
  const base = Math.ceil(Number(ex.__heap_base.value) / 4 / HEAP_ALIGN) * HEAP_ALIGN;
  const st: WasmBackendState = {
    ex,
    heap: new Float32Array(ex.memory.buffer),
    native: options.native === false ? null : undefined,
    packed: new WeakSet<PackedB>(),
  };
  const regions = createBumpRegions(base, (top) => growHeap(st, top));
  const noiseState = regions.alloc(8); // xoshiro128** words [0..3], spare Gaussian (float) [4]
  return {
    precision: 'f32-wasm',
    get heap() {
      return st.heap;
    },
    ...regions,
    gemm(form, start, m, n, k, a, lda, b, ldb, c, ldc, bias): void {
      if (m === 0 || n === 0) return;
      if (start === 'set' && runNative(st, form, m, n, k, a, lda, b, ldb, c, ldc, bias, regions)) return;
      ex.gemm(FORM_CODE[form], start === 'add' ? 1 : 0, m, n, k, a * 4, lda, b * 4, ldb, c * 4, ldc, ptr(bias));
    },
    packedLength: (k, n) => Math.ceil(n / PANEL) * PANEL * k,
    packB(transB, k, n, b, ldb, dst): PackedB {
      return { transB, k, n, b, ldb, packed: dst }; // packed on first use by the WASM kernel (see gemmPacked)
    },
    gemmPacked: (start, m, a, lda, pb, c, ldc) => gemmPacked(st, start, m, a, lda, pb, c, ldc),
    addNoise: (count, dst, sigma, rng) => addNoise(st, noiseState, count, dst, sigma, rng),
    cellForward(n, H, G, Gr, cPrev, C, TC, Hout, P): void {
      ex.lstm_cell_forward(n, H, G * 4, ptr(Gr), ptr(cPrev), C * 4, TC * 4, Hout * 4, P * 4);
    },
    cellBackward(n, H, G, dG, C, cPrev, TC, dH, dHr, carry, P, dP): void {
      ex.lstm_cell_backward(n, H, G * 4, dG * 4, C * 4, ptr(cPrev), TC * 4, dH * 4, ptr(dHr), carry * 4, P * 4, ptr(dP));
    },
    colSum(rows, cols, src, dst): void {
      ex.col_sum(rows, cols, src * 4, dst * 4);
    },
    copyRows(rows, cols, src, lds, dst, ldd): void {
      ex.copy_rows(rows, cols, src * 4, lds, dst * 4, ldd);
    },
    sigmoid(count, y): void {
      ex.sigmoid(count, y * 4);
    },
    sigmoidBackward(count, y, dy): void {
      ex.sigmoid_backward(count, y * 4, dy * 4);
    },
  };
}
