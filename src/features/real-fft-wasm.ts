/**
 * The forward real FFT of the WebAssembly kernels (wasm/features/real-fft.c): bit-identical to KissFFT's kiss_fftr
 * (fft.ts) for every power-of-two size 8 … 65536, with SIMD butterflies and no copy between WebAssembly modules
 * (the kernels transform their own buffers). This module builds the plan (KissFFT's factorisation into radix 4s then
 * a 2, its leaf order and its twiddles, cos/sin of the same phases rounded to float32) and places it in a kernel's
 * memory; `createWasmRealFft` is a stand-alone transform with the `RealFft` interface (tests, bench).
 * @see fft.ts (the KissFFT reference)
 */
import { EmostreamError } from '../errors.ts';
import { compiledWasmModule, staticHeap } from '../wasm-module.ts';
import type { RealFft } from './fft.ts';

const WASM_URL = new URL('../../wasm/features/features.wasm', import.meta.url);

/** The `real_fft` export of features.wasm (pointers into the instance's memory). */
export type RealFftExport = (
  input: number, out: number, n: number, perm: number, levels: number, radix: number, span: number,
  twiddles: number, superTwiddles: number, re: number, im: number,
) => void;

/** Tables of one FFT size (see wasm/features/real-fft.c). */
export interface RealFftPlan {
  /** Real transform size N. */
  readonly size: number;
  /** Complex size n = N/2. */
  readonly n: number;
  readonly perm: Int32Array;
  /** Radix and span m of each level, top level first (the kernel runs them bottom-up). */
  readonly radix: Int32Array;
  readonly span: Int32Array;
  /** Per level, deepest first: W1r W1i W2r W2i W3r W3i (radix 4) or W1r W1i (radix 2), m values each. */
  readonly twiddles: Float32Array;
  /** e^{−iπ((k+1)/n + ½)}, k = 0 … n/2 − 1, interleaved re/im. */
  readonly superTwiddles: Float32Array;
}

/** KissFFT's kf_factor for a power of two: radix 4 while possible, then 2; pairs (p, m) top-down. */
function factorise(n: number): { radix: number[]; span: number[] } {
  const radix: number[] = [];
  const span: number[] = [];
  let rest = n;
  while (rest > 1) {
    const p = rest % 4 === 0 ? 4 : 2;
    rest /= p;
    radix.push(p);
    span.push(rest);
  }
  return { radix, span };
}

/** Leaf order of KissFFT's recursive kf_work: perm[q] = input index of output position q. */
function leafOrder(n: number, radix: number[], span: number[]): Int32Array {
  const perm = new Int32Array(n);
  const visit = (out: number, input: number, stride: number, level: number): void => {
    const p = radix[level], m = span[level];
    for (let j = 0; j < p; j++) {
      if (m === 1) perm[out + j] = input + j * stride;
      else visit(out + j * m, input + j * stride, stride * p, level + 1);
    }
  };
  visit(0, 0, 1, 0);
  return perm;
}

/** Builds the plan of the real FFT of `size` points (a power of two, 8 … 65536). */
export function createRealFftPlan(size: number): RealFftPlan {
  if (!Number.isInteger(size) || size < 8 || size > 65536 || (size & (size - 1)) !== 0) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `WebAssembly FFT size must be a power of two in 8 … 65536, got ${size}`);
  }
  const n = size / 2;
  const { radix, span } = factorise(n);
  // KissFFT's twiddles: phase −2π·i/n (in this operation order), cos and sin rounded to float32.
  const cos = new Float64Array(n), sin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const phase = (-2 * Math.PI * i) / n;
    cos[i] = Math.cos(phase);
    sin[i] = Math.sin(phase);
  }
  const runs: number[] = [];
  let stride = n;
  for (let l = radix.length - 1; l >= 0; l--) {
    const p = radix[l], m = span[l];
    stride /= p; // the stride of level l is the product of the radices above it
    for (let j = 1; j < p; j++) {
      for (let k = 0; k < m; k++) runs.push(cos[j * k * stride]);
      for (let k = 0; k < m; k++) runs.push(sin[j * k * stride]);
    }
  }
  const superTwiddles = new Float32Array(n);
  for (let k = 0; k < n / 2; k++) {
    const phase = -3.14159265358979323846264338327 * ((k + 1) / n + 0.5);
    superTwiddles[2 * k] = Math.cos(phase);
    superTwiddles[2 * k + 1] = Math.sin(phase);
  }
  return {
    size, n, perm: leafOrder(n, radix, span), radix: Int32Array.from(radix), span: Int32Array.from(span),
    twiddles: Float32Array.from(runs), superTwiddles,
  };
}

/** A plan placed in a kernel's memory: `write` its tables once the memory is final, then `run` per frame. */
export interface PlacedRealFft {
  write(buffer: ArrayBuffer): void;
  /** Transforms N float32 at byte address `input` into N + 2 interleaved float32 at `output`. */
  run(input: number, output: number): void;
}

/** Reserves the plan's tables and work arrays with `take(bytes) → address` for the instance's `real_fft`. */
export function placeRealFft(plan: RealFftPlan, take: (bytes: number) => number, realFft: RealFftExport): PlacedRealFft {
  const { n } = plan;
  const at = {
    perm: take(4 * n), radix: take(4 * plan.radix.length), span: take(4 * plan.span.length),
    twiddles: take(4 * plan.twiddles.length), superTwiddles: take(4 * plan.superTwiddles.length), re: take(4 * n), im: take(4 * n),
  };
  const levels = plan.radix.length;
  return {
    write(buffer) {
      new Int32Array(buffer, at.perm, n).set(plan.perm);
      new Int32Array(buffer, at.radix, levels).set(plan.radix);
      new Int32Array(buffer, at.span, levels).set(plan.span);
      new Float32Array(buffer, at.twiddles, plan.twiddles.length).set(plan.twiddles);
      new Float32Array(buffer, at.superTwiddles, plan.superTwiddles.length).set(plan.superTwiddles);
    },
    run(input, output) {
      realFft(input, output, n, at.perm, levels, at.radix, at.span, at.twiddles, at.superTwiddles, at.re, at.im);
    },
  };
}

/** A stand-alone WebAssembly real FFT of `size` points with the `RealFft` interface (own instance). */
export function createWasmRealFft(size: number): RealFft {
  const plan = createRealFftPlan(size);
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/features/build.sh'), {}).exports as unknown as {
    memory: WebAssembly.Memory; __heap_base: WebAssembly.Global; real_fft: RealFftExport;
  };
  const heap = staticHeap(ex.memory, ex.__heap_base);
  const take = heap.take;
  const inputAt = take(4 * size);
  const outputAt = take(4 * (size + 2));
  const fft = placeRealFft(plan, take, ex.real_fft);
  fft.write(heap.commit());
  return {
    size,
    input: new Float32Array(ex.memory.buffer, inputAt, size),
    spectrum: new Float32Array(ex.memory.buffer, outputAt, size + 2),
    transform: () => fft.run(inputAt, outputAt),
    release: () => {},
  };
}
