/**
 * Real-input FFT through KissFFT compiled to WebAssembly (`@echogarden/kissfft-wasm`, a bare Emscripten module).
 *
 * X_k = Σ_n x[n]·e^{−2πikn/N}, k = 0 … N/2, unnormalised (as openSMILE's `cTransformFFT`).
 *
 * Memory: each `RealFft` owns two blocks on the module's heap (N input floats, N+2 output floats) allocated once.
 * `input` and `spectrum` are views onto that heap. The Emscripten heap may grow when *another* allocation happens
 * (e.g. creating a second transform), which detaches old views; the getters re-derive the view only then (an identity
 * check, no per-frame allocation). So: fetch `fft.input` / `fft.spectrum` after the last `createRealFft` of a setup, or
 * simply read them through the getters each frame. A view is valid until the next `createRealFft` or `release()`.
 */
import KissFFT from '@echogarden/kissfft-wasm';
import { EmostreamError } from '../errors.ts';

interface KissModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _kiss_fftr_alloc(nfft: number, inverse: number, mem: number, lenmem: number): number;
  _kiss_fftr(cfg: number, input: number, output: number): void;
}

let modulePromise: Promise<KissModule> | undefined;

/** Instantiates the KissFFT WebAssembly module once per process. */
export function loadKissFft(): Promise<KissModule> {
  modulePromise ??= KissFFT() as Promise<KissModule>;
  return modulePromise;
}

/** A forward real FFT of fixed even size whose buffers live on the WASM heap. */
export interface RealFft {
  /** Transform size N (even). */
  readonly size: number;
  /** Time-domain input, N float32 values; write the frame here before `transform()`. */
  readonly input: Float32Array;
  /** Complex output, interleaved re/im for k = 0 … N/2 (N+2 float32 values). */
  readonly spectrum: Float32Array;
  /** Runs the transform input → spectrum. */
  transform(): void;
  /** Frees the heap blocks; the object must not be used afterwards. */
  release(): void;
}

/**
 * Creates a real forward FFT of size `size`.
 * @param size even integer ≥ 2 (emostream uses powers of two: 512, 1024, 4096)
 */
export async function createRealFft(size: number): Promise<RealFft> {
  if (!Number.isInteger(size) || size < 2 || size % 2 !== 0) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `FFT size must be an even integer ≥ 2, got ${size}`);
  }
  const kiss = await loadKissFft();
  const cfg = kiss._kiss_fftr_alloc(size, 0, 0, 0);
  const inPtr = kiss._malloc(size * 4);
  const outPtr = kiss._malloc((size + 2) * 4);
  if (!cfg || !inPtr || !outPtr) throw new EmostreamError('EMO_ERR_INTERNAL', `KissFFT could not allocate an FFT of size ${size}`);
  let heap = kiss.HEAPF32.buffer;
  let input = new Float32Array(heap, inPtr, size);
  let spectrum = new Float32Array(heap, outPtr, size + 2);
  let released = false;
  const refresh = (): void => {
    if (kiss.HEAPF32.buffer !== heap) {
      heap = kiss.HEAPF32.buffer;
      input = new Float32Array(heap, inPtr, size);
      spectrum = new Float32Array(heap, outPtr, size + 2);
    }
  };
  return {
    size,
    get input() {
      refresh();
      return input;
    },
    get spectrum() {
      refresh();
      return spectrum;
    },
    transform() {
      if (released) throw new EmostreamError('EMO_ERR_INTERNAL', 'FFT used after release()');
      kiss._kiss_fftr(cfg, inPtr, outPtr);
    },
    release() {
      if (released) return;
      released = true;
      kiss._free(inPtr);
      kiss._free(outPtr);
      kiss._free(cfg);
    },
  };
}

/** |X_k| for k = 0 … N/2 from an interleaved complex spectrum (N+2 values) into `out` (N/2+1 values). */
export function magnitudeOf(spectrum: Float32Array, out: Float32Array): void {
  for (let k = 0; k < out.length; k++) {
    const re = spectrum[2 * k];
    const im = spectrum[2 * k + 1];
    out[k] = Math.sqrt(re * re + im * im);
  }
}

/** |X_k|² for k = 0 … N/2 from an interleaved complex spectrum into `out`. */
export function powerOf(spectrum: Float32Array, out: Float32Array): void {
  for (let k = 0; k < out.length; k++) {
    const re = spectrum[2 * k];
    const im = spectrum[2 * k + 1];
    out[k] = re * re + im * im;
  }
}
