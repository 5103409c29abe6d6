/**
 * The pitch branch's per-frame spectrum work in WebAssembly (wasm/features/pitch-spectrum.c, float64 SIMD128, built by
 * wasm/features/build.sh, loaded with the plain WebAssembly API):
 *   60 ms frame → Gaussian window and frame energy (`windowFrame`) → real FFT (`transform`, real-fft-wasm.ts,
 *   bit-identical to KissFFT) → interleaved float32 spectrum → |X_k| (float64) → octave scale (spectral-scale.ts) →
 *   subharmonic sum SS and its mean (pitch-shs.ts).
 * Same operations in the same order as the TypeScript modules, and WebAssembly has no fused multiply-add, so the
 * results are bit-identical to `SpectralScale.apply` followed by the sum of `PitchShs.analyse`
 * (test/features/pitch-spectrum-wasm.test.ts).
 *
 * The kernel also finds the K largest strict local maxima of SS (the candidate stage's first half); the parabolic
 * refinement and range filter stay in pitch-shs.ts (`candidatesFromPeaks`).
 *
 * Memory: each kernel owns one instance whose memory is sized in the factory and never grows, so the views
 * (`spectrum`, `magnitude`, `scaled`, `sum`) stay valid for the kernel's lifetime; nothing is allocated per frame.
 * @see spectral-scale.ts
 * @see pitch-shs.ts
 */
import { EmostreamError } from '../errors.ts';
import { compiledWasmModule, staticHeap } from '../wasm-module.ts';
import type { SpectralScaleTables } from './spectral-scale.ts';
import { createRealFftPlan, placeRealFft, type RealFftExport } from './real-fft-wasm.ts';

const WASM_URL = new URL('../../wasm/features/features.wasm', import.meta.url);
/** Tables of octave_scale, in the C kernel's order (each `pointCount` float64 values), followed by `lo` (int32). */
const TABLE_ORDER = ['invDx', 'six', 'sig', 'invPiv', 'y2f', 'wa', 'wb', 'ca', 'cb', 'weight'] as const;

interface FeatureKernelExports {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  readonly real_fft: RealFftExport;
  readonly pitch_frame: (x: number, n: number, window: number, windowed: number) => number;
  readonly magnitude: (spectrum: number, out: number, bins: number) => void;
  readonly octave_scale: (n: number, a: number, tables: number, u: number, y2: number, out: number, flags: number) => void;
  readonly shs_peaks: (n: number, ss: number, K: number, maxima: number, topIndex: number, topValue: number) => number;
  readonly shs_sum: (n: number, y: number, harmonics: number, offsets: number, factors: number, ss: number) => number;
}

/** The harmonic weights and offsets of a subharmonic summation and its candidate count (a `PitchShs`). */
export interface SubharmonicSumTables {
  /** Number of candidate slots K ≥ 1. */
  readonly candidates: number;
  /** Number of harmonics H ≥ 1. */
  readonly harmonics: number;
  /** Ascending grid offsets of harmonics 1 … H (offsets[0] = 0). */
  readonly offsets: Int32Array;
  /** Weights of harmonics 1 … H (factors[0] = 1). */
  readonly factors: Float64Array;
}

/** The 60 ms frame of a pitch branch: its length, the Gaussian window, the FFT size and the zeros in front. */
export interface PitchFrameLayout {
  readonly length: number;
  readonly window: Float32Array;
  readonly fftSize: number;
  readonly pad: number;
}

export interface PitchSpectrumKernel {
  /** Input of `windowFrame()`: the 60 ms frame (`length` float32 samples). */
  readonly frame: Float32Array;
  /** The FFT's interleaved re/im output, 2·pointCount float32 values (N/2 + 1 bins): `transform()` writes it (tests
   * may write it directly) before `run()`. */
  readonly spectrum: Float32Array;
  /** |X_k| of the last `run()` (pointCount values; the scale then works on it in place). */
  readonly magnitude: Float64Array;
  /** The octave-scale spectrum Y of the last run (pointCount values). */
  readonly scaled: Float64Array;
  /** The subharmonic sum SS of the last run (pointCount values, ≥ 0). */
  readonly sum: Float64Array;
  /** Indices of the K largest strict local maxima of SS after `run()`, descending by value (see `run`'s count). */
  readonly peaks: Int32Array;
  /** mean(SS) of the last `run()`. */
  readonly mean: number;
  /** Σ(x·w)² of the last `windowFrame()` (float64 products, sequential sum). */
  readonly energy: number;
  /** Windows `frame` into the zero-padded FFT input; sets `energy`. */
  windowFrame(): void;
  /** Real FFT of the windowed frame into `spectrum`. */
  transform(): void;
  /** spectrum → magnitude → scaled → sum → peaks; returns how many peaks (≤ K) were found. */
  run(): number;
  /** Octave scale of `magnitude` (overwritten as scratch) into `scaled` (for tests). */
  scaleOnly(): void;
  /** Subharmonic sum of `scaled` into `sum`; returns its mean (for tests). */
  sumOnly(): number;
  /** Peaks of `sum` into `peaks`; returns their count (for tests). */
  peaksOnly(): number;
}

/** Byte offsets of the kernel's buffers in its WebAssembly memory (16-byte aligned), and its placed FFT. */
interface KernelLayout {
  readonly framePtr: number;
  readonly windowPtr: number;
  readonly fftInputPtr: number;
  readonly fft: ReturnType<typeof placeRealFft>;
  readonly spectrumPtr: number;
  readonly magnitudePtr: number;
  readonly tablesPtr: number;
  readonly uPtr: number;
  readonly y2Ptr: number;
  readonly scaledPtr: number;
  readonly sumPtr: number;
  readonly offsetsPtr: number;
  readonly factorsPtr: number;
  readonly flagsPtr: number;
  readonly maximaPtr: number;
  readonly peaksPtr: number;
  readonly peakValuesPtr: number;
}

/** Places every buffer above the heap base and grows the memory to hold them (n scale points, H harmonics, K candidates). */
function layOutKernelMemory(ex: FeatureKernelExports, frame: PitchFrameLayout, n: number, H: number, K: number): KernelLayout {
  const heap = staticHeap(ex.memory, ex.__heap_base);
  const take = heap.take;
  const layout: KernelLayout = {
    framePtr: take(4 * frame.length),
    windowPtr: take(4 * frame.length),
    fftInputPtr: take(4 * frame.fftSize),
    fft: placeRealFft(createRealFftPlan(frame.fftSize), take, ex.real_fft),
    spectrumPtr: take(4 * 2 * n),
    magnitudePtr: take(8 * n),
    tablesPtr: take(8 * n * TABLE_ORDER.length + 4 * n),
    uPtr: take(8 * n),
    y2Ptr: take(8 * n),
    scaledPtr: take(8 * n),
    sumPtr: take(8 * n),
    offsetsPtr: take(4 * H),
    factorsPtr: take(8 * H),
    flagsPtr: take(8 * (n + 4)),
    maximaPtr: take(4 * n),
    peaksPtr: take(4 * K),
    peakValuesPtr: take(8 * K),
  };
  heap.commit();
  return layout;
}

/** Writes the FFT plan, the window, the scale's tables and the harmonic tables into the kernel's memory. */
function writeKernelTables(buffer: ArrayBuffer, at: KernelLayout, frame: PitchFrameLayout, scale: SpectralScaleTables, shs: SubharmonicSumTables): void {
  const n = scale.pointCount;
  const H = shs.harmonics;
  at.fft.write(buffer);
  new Float32Array(buffer, at.windowPtr, frame.length).set(frame.window);
  TABLE_ORDER.forEach((name, t) => new Float64Array(buffer, at.tablesPtr + 8 * n * t, n).set(scale[name]));
  new Int32Array(buffer, at.tablesPtr + 8 * n * TABLE_ORDER.length, n).set(scale.lo);
  new Int32Array(buffer, at.offsetsPtr, H).set(shs.offsets);
  new Float64Array(buffer, at.factorsPtr, H).set(shs.factors);
}

/** Creates the WebAssembly spectrum kernel of one pitch branch for its frame, a scale's tables and an SHS's harmonics. */
export function createPitchSpectrumKernel(frame: PitchFrameLayout, scale: SpectralScaleTables, shs: SubharmonicSumTables): PitchSpectrumKernel {
  const n = scale.pointCount;
  if (frame.fftSize !== 2 * (n - 1) || frame.window.length !== frame.length || frame.pad < 0 || frame.pad + frame.length > frame.fftSize) {
    throw new EmostreamError('EMO_ERR_INTERNAL', 'pitch spectrum kernel: frame layout does not fit the FFT size');
  }
  const H = shs.harmonics;
  if (!(n >= 3) || !(shs.candidates >= 1) || shs.offsets.length !== H || shs.factors.length !== H || shs.offsets[0] !== 0) {
    throw new EmostreamError('EMO_ERR_INTERNAL', 'pitch spectrum kernel: inconsistent scale or harmonic tables');
  }
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/features/build.sh'), {}).exports as unknown as FeatureKernelExports;
  const K = shs.candidates;
  const layout = layOutKernelMemory(ex, frame, n, H, K);
  const buffer = ex.memory.buffer; // final: the memory never grows after this point (fresh memory is zero: the padding)
  writeKernelTables(buffer, layout, frame, scale, shs);
  const {
    framePtr, windowPtr, fftInputPtr, fft, spectrumPtr, magnitudePtr, tablesPtr, uPtr, y2Ptr, scaledPtr, sumPtr,
    offsetsPtr, factorsPtr, flagsPtr, maximaPtr, peaksPtr, peakValuesPtr,
  } = layout;

  const { magnitude, octave_scale: octaveScale, shs_sum: shsSum, shs_peaks: shsPeaks, pitch_frame: pitchFrame } = ex;
  const mean = new Float64Array(2); // typed slots (mean, energy): a captured mutable double would be re-boxed on every write
  const windowedPtr = fftInputPtr + 4 * frame.pad;
  const scaleOnly = (): void => octaveScale(n, magnitudePtr, tablesPtr, uPtr, y2Ptr, scaledPtr, flagsPtr);
  const sumOnly = (): number => (mean[0] = shsSum(n, scaledPtr, H, offsetsPtr, factorsPtr, sumPtr));
  const peaksOnly = (): number => shsPeaks(n, sumPtr, K, maximaPtr, peaksPtr, peakValuesPtr);
  return {
    frame: new Float32Array(buffer, framePtr, frame.length),
    spectrum: new Float32Array(buffer, spectrumPtr, 2 * n),
    magnitude: new Float64Array(buffer, magnitudePtr, n),
    scaled: new Float64Array(buffer, scaledPtr, n),
    sum: new Float64Array(buffer, sumPtr, n),
    peaks: new Int32Array(buffer, peaksPtr, K),
    get mean() {
      return mean[0];
    },
    get energy() {
      return mean[1];
    },
    windowFrame() {
      mean[1] = pitchFrame(framePtr, frame.length, windowPtr, windowedPtr);
    },
    transform() {
      fft.run(fftInputPtr, spectrumPtr);
    },
    run() {
      magnitude(spectrumPtr, magnitudePtr, n);
      scaleOnly();
      sumOnly();
      return peaksOnly();
    },
    scaleOnly,
    sumOnly,
    peaksOnly,
  };
}
