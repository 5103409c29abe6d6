/**
 * Native matrix products for the float32 back end through onnxruntime-node's CPU kernels (MLAS: AVX2 / AVX-512 FMA,
 * 1.4–2× the WebAssembly SIMD128 rate on the trainer's shapes): one ONNX `Gemm` node per operand form,
 *   Y = op(A)·op(B) (+ bias row),  transA / transB from the form ('nn', 'nt', 'tn'),
 * run on one thread with inputs and output given as views of the WASM heap (ORT writes Y in place; the binding also
 * returns a copy of it, which is dropped). onnxruntime's public `InferenceSession.run` is asynchronous and the engine
 * is synchronous, so this uses the synchronous native session that `run` itself calls
 * (`onnxruntime-node/dist/binding.js`, typed there as "a simple synchronized inference session"). Loading is lazy and
 * checked once against the reference product; if anything is missing or behaves differently (say, a future binding
 * that no longer writes preallocated outputs in place), `loadNativeGemm` returns null and the WASM kernels do all
 * products. Results are repeatable on one machine (single-threaded MLAS); they may differ in the last bits between
 * CPU generations (MLAS picks its kernels by instruction set).
 * @see createWasmBackend
 */
import { createRequire } from 'node:module';
import type { Tensor } from 'onnxruntime-node';
import { encodeOnnxModel } from '../../../model/onnx-writer.ts';
import type { GemmForm } from './backend.ts';
import { gemmTs } from './gemm-ts.ts';

/** Products with fewer multiply-adds than this stay in WASM (a native call costs ≈ 10 µs). */
export const NATIVE_MIN_MACS = 1 << 20;

/** A synchronous native product on float32 arrays (dense row-major operands). */
export interface NativeGemm {
  /** Y (m×n, overwritten) = op(A)·op(B) + bias row (if given); A, B, Y, bias are views of one heap. */
  gemm(form: GemmForm, m: number, n: number, k: number, a: Float32Array, b: Float32Array, y: Float32Array, bias?: Float32Array): void;
}

interface SyncSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, Tensor>, fetches: Record<string, Tensor>, options: object): unknown;
}

interface SyncBinding {
  readonly binding: { readonly InferenceSession: new () => SyncSession };
  readonly initOrt: () => void;
}

type TensorConstructor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;

const SESSION_OPTIONS = Object.freeze({
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'disabled', logSeverityLevel: 3,
});

/** The one-node model Y = op(A)·op(B) (+ C as a bias row), all dimensions symbolic. */
function gemmModel(form: GemmForm, withBias: boolean): Uint8Array {
  return encodeOnnxModel({
    irVersion: 8, opsetVersion: 17, producerName: 'emostream', producerVersion: '1', docString: '', graphName: 'gemm',
    nodes: [{
      opType: 'Gemm', name: 'gemm', inputs: withBias ? ['A', 'B', 'C'] : ['A', 'B'], outputs: ['Y'],
      attributes: [{ name: 'transA', kind: 'int', value: form === 'tn' ? 1 : 0 }, { name: 'transB', kind: 'int', value: form === 'nt' ? 1 : 0 }],
    }],
    initializers: [],
    inputs: [
      { name: 'A', elemType: 'float32', shape: ['a0', 'a1'] },
      { name: 'B', elemType: 'float32', shape: ['b0', 'b1'] },
      ...(withBias ? [{ name: 'C', elemType: 'float32' as const, shape: ['n'] }] : []),
    ],
    outputs: [{ name: 'Y', elemType: 'float32', shape: ['m', 'n'] }],
    metadata: [],
  });
}

function createNativeGemm(ort: SyncBinding, Tensor: TensorConstructor): NativeGemm {
  ort.initOrt();
  const sessions = new Map<string, SyncSession>();
  const session = (form: GemmForm, withBias: boolean): SyncSession => {
    const key = form + (withBias ? '+bias' : '');
    let s = sessions.get(key);
    if (!s) {
      s = new ort.binding.InferenceSession();
      const bytes = gemmModel(form, withBias);
      s.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, SESSION_OPTIONS);
      sessions.set(key, s);
    }
    return s;
  };
  const runOptions = {};
  return {
    gemm(form, m, n, k, a, b, y, bias): void {
      const A = new Tensor('float32', a, form === 'tn' ? [k, m] : [m, k]);
      const B = new Tensor('float32', b, form === 'nt' ? [n, k] : [k, n]);
      const feeds: Record<string, Tensor> = bias ? { A, B, C: new Tensor('float32', bias, [n]) } : { A, B };
      session(form, bias !== undefined).run(feeds, { Y: new Tensor('float32', y, [m, n]) }, runOptions);
    },
  };
}

/** Checks every form (with and without bias) on a small product against the float64 reference. */
function selfCheck(native: NativeGemm): boolean {
  const m = 5, n = 7, k = 6;
  const heap = new Float32Array(3 * 64 + 16);
  for (let i = 0; i < heap.length; i++) heap[i] = Math.sin(i * 0.7) * 2;
  const ref = Float64Array.from(heap);
  for (const form of ['nn', 'nt', 'tn'] as const) {
    for (const bias of [false, true]) {
      const [a, b, y, bb] = [0, 64, 128, 192];
      const lda = form === 'tn' ? m : k, ldb = form === 'nt' ? k : n;
      native.gemm(form, m, n, k, heap.subarray(a, a + m * k), heap.subarray(b, b + k * n), heap.subarray(y, y + m * n),
        bias ? heap.subarray(bb, bb + n) : undefined);
      gemmTs(ref, form, 'set', m, n, k, a, lda, b, ldb, y, n, bias ? bb : -1);
      for (let i = 0; i < m * n; i++) {
        if (!(Math.abs(heap[y + i] - ref[y + i]) <= 1e-5 * (1 + Math.abs(ref[y + i])))) return false;
      }
    }
  }
  return true;
}

/**
 * Whether float32 networks use native products unless told otherwise: yes, except when the environment variable
 * EMOSTREAM_TRAIN_NATIVE is '0' (all products then run in WASM, whose results are the same on every x86/ARM CPU).
 */
export function nativeProductsByDefault(): boolean {
  return process.env['EMOSTREAM_TRAIN_NATIVE'] !== '0';
}

let cached: NativeGemm | null | undefined;

/** The native products, or null when onnxruntime-node's synchronous session is unavailable or fails its check. */
export function loadNativeGemm(): NativeGemm | null {
  if (cached !== undefined) return cached;
  try {
    const require = createRequire(import.meta.url); // loaded only now: importing the engine never loads onnxruntime
    const { Tensor } = require('onnxruntime-node') as { Tensor: TensorConstructor };
    const native = createNativeGemm(require('onnxruntime-node/dist/binding.js') as SyncBinding, Tensor);
    cached = selfCheck(native) ? native : null;
  } catch {
    cached = null;
  }
  return cached;
}
