/**
 * The short-frame branch's per-frame bin loops in WebAssembly (wasm/features/short-frame.c, SIMD128 where lanes are
 * independent, built by wasm/features/build.sh into features.wasm, loaded with the plain WebAssembly API):
 *   `analyseTime()`:     RMS (20 ms) and ZCR (60 ms) of the frame in `frame` (energy.ts) and its Hamming-windowed 20 ms part
 *                 in `windowed`, the middle of the zero-padded FFT input;
 *   `transform()`: the real FFT of that input into `spectrum` (real-fft-wasm.ts, bit-identical to KissFFT);
 *   `analyseSpectrum()`: interleaved float32 FFT output in `spectrum` → |X|², |X| → mel band powers (mel-filterbank.ts), the
 *                 two band energies (band-energy.ts) and the spectral shape values (spectral-shape.ts) except the
 *                 entropy, whose per-bin logarithm stays in TypeScript (`spectralEntropy` on `power` and `total`).
 * Same operations in the same order as the TypeScript modules, and WebAssembly has no fused multiply-add, so the
 * results are bit-identical (test/features/short-frame-wasm.test.ts).
 *
 * Memory: one instance per kernel, sized in the factory and never grown afterwards (fresh memory is zero, so the FFT
 * input's padding stays zero), so every view stays valid for the kernel's lifetime; the two magnitude buffers alternate as "this frame" and "previous frame" (flux) without copying.
 * @see short-frame-branch.ts
 */
import { EmostreamError } from '../errors.ts';
import { compiledWasmModule, staticHeap } from '../wasm-module.ts';
import type { BandEnergyTable } from './band-energy.ts';
import { createRealFftPlan, placeRealFft, type RealFftExport } from './real-fft-wasm.ts';
import type { MelFilterbank } from './mel-filterbank.ts';
import { ROLL_OFF_FRACTIONS, type SpectralShapeTables } from './spectral-shape.ts';

const WASM_URL = new URL('../../wasm/features/features.wasm', import.meta.url);

/** `out[0 … 15)` after `analyseSpectrum()`: the raw-row columns COL.FBAND_250_650 … +14 in order (slot 8, the entropy, unused). */
export const SHORT_OUT_COLUMNS = 15;
/** `out` slot of the entropy's column (left to TypeScript). */
export const SHORT_OUT_ENTROPY = 8;
/** `out` slot of the total power S = Σ_{k≥1} P_k (the entropy's denominator). */
export const SHORT_OUT_TOTAL = 15;

interface ShortFrameExports {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  readonly real_fft: RealFftExport;
  readonly short_time: (x: number, S: number, L: number, window: number, windowed: number, out: number) => void;
  readonly short_spectrum: (
    spectrum: number, bins: number, power: number, magnitude: number, previous: number,
    melFirst: number, melEnd: number, melLower: number, melWeight: number, bandCount: number, mel: number,
    bandInts: number, bandDoubles: number, frequencyHz: number, sharpnessWeight: number, shapeDoubles: number, out: number,
  ) => void;
}

/** What the kernel needs to know about the branch: frame lengths, window and the tables of its stages. */
export interface ShortFrameKernelTables {
  readonly shortLength: number;
  readonly longLength: number;
  /** FFT size N and the zeros in front of the frame inside the FFT input (frame-geometry.ts). */
  readonly fftSize: number;
  readonly pad: number;
  readonly window: Float32Array;
  readonly bank: MelFilterbank;
  readonly lowBand: BandEnergyTable;
  readonly highBand: BandEnergyTable;
  readonly shape: SpectralShapeTables;
}

export interface ShortFrameKernel {
  /** Input of `analyseTime()`: the 60 ms frame (longLength float32 samples; the 20 ms frame is its start). */
  readonly frame: Float32Array;
  /** Output of `analyseTime()`: the windowed 20 ms frame (shortLength values inside the zero-padded FFT input). */
  readonly windowed: Float32Array;
  /** Output of `transform()`, input of `analyseSpectrum()`: the interleaved re/im spectrum (2·(N/2 + 1) float32). */
  readonly spectrum: Float32Array;
  /** |X_k|² of the last `analyseSpectrum()` (N/2 + 1 float32 values). */
  readonly power: Float32Array;
  /** Mel band powers M_b of the last `analyseSpectrum()` (bandCount values). */
  readonly mel: Float64Array;
  /** After `analyseTime()`: [RMS, ZCR]; after `analyseSpectrum()`: see SHORT_OUT_COLUMNS. */
  readonly out: Float64Array;
  /** RMS and ZCR of `frame`, and `windowed`. */
  analyseTime(): void;
  /** The FFT of the padded windowed frame into `spectrum`. */
  transform(): void;
  /** The spectral values of `spectrum`; `withFlux` false in a stream's first frame (flux 0). */
  analyseSpectrum(withFlux: boolean): void;
  /** |X_k| of the last analysed frame (N/2 + 1 float32; the "previous frame" of the next flux), a live view. */
  previousMagnitude(): Float32Array;
}

/** Creates the WebAssembly kernel of one short-frame branch (one per stream). */
export function createShortFrameKernel(t: ShortFrameKernelTables): ShortFrameKernel {
  const { shortLength: S, longLength: L, bank, shape } = t;
  const bins = shape.binCount + 1;
  if (!(S >= 1 && L >= S + 2 && t.window.length === S && shape.frequencyHz.length === bins && bins >= 6 && t.fftSize === 2 * (bins - 1) && t.pad >= 0 && t.pad + S <= t.fftSize)) {
    throw new EmostreamError('EMO_ERR_INTERNAL', 'short-frame kernel: inconsistent frame lengths or tables');
  }
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/features/build.sh'), {}).exports as unknown as ShortFrameExports;
  const heap = staticHeap(ex.memory, ex.__heap_base);
  const take = heap.take;
  const melBins = bank.endBin - bank.firstBin;
  const ptr = {
    frame: take(4 * L), window: take(4 * S), fftInput: take(4 * t.fftSize), spectrum: take(8 * bins), power: take(4 * bins),
    magnitude: [take(4 * bins), take(4 * bins)], melLower: take(4 * melBins), melWeight: take(8 * melBins),
    mel: take(8 * bank.bandCount), bandInts: take(16), bandDoubles: take(40), frequencyHz: take(8 * bins),
    sharpnessWeight: take(8 * bins), shapeDoubles: take(48), out: take(8 * 16),
  };
  const fft = placeRealFft(createRealFftPlan(t.fftSize), take, ex.real_fft);
  const windowedAt = ptr.fftInput + 4 * t.pad;
  const buffer = heap.commit(); // final: the memory never grows after this point

  fft.write(buffer);
  new Float32Array(buffer, ptr.window, S).set(t.window);
  new Int32Array(buffer, ptr.melLower, melBins).set(bank.lowerBand);
  new Float64Array(buffer, ptr.melWeight, melBins).set(bank.lowerWeight);
  new Int32Array(buffer, ptr.bandInts, 4).set([t.lowBand.leftBin, t.lowBand.rightBin, t.highBand.leftBin, t.highBand.rightBin]);
  new Float64Array(buffer, ptr.bandDoubles, 5).set([t.lowBand.leftWeight, t.lowBand.rightWeight, t.highBand.leftWeight, t.highBand.rightWeight, t.lowBand.binCount]);
  if (t.highBand.binCount !== t.lowBand.binCount) throw new EmostreamError('EMO_ERR_INTERNAL', 'short-frame kernel: band tables of different FFT sizes');
  new Float64Array(buffer, ptr.frequencyHz, bins).set(shape.frequencyHz);
  new Float64Array(buffer, ptr.sharpnessWeight, bins).set(shape.sharpnessWeight);
  new Float64Array(buffer, ptr.shapeDoubles, 6).set([shape.sumHz, shape.slopeDenominator, ...ROLL_OFF_FRACTIONS]);

  const { short_time: shortTime, short_spectrum: shortSpectrum } = ex;
  const current = new Int32Array(1); // which magnitude buffer holds this frame (a typed slot: no boxing per frame)
  return {
    frame: new Float32Array(buffer, ptr.frame, L),
    windowed: new Float32Array(buffer, windowedAt, S),
    spectrum: new Float32Array(buffer, ptr.spectrum, 2 * bins),
    power: new Float32Array(buffer, ptr.power, bins),
    mel: new Float64Array(buffer, ptr.mel, bank.bandCount),
    out: new Float64Array(buffer, ptr.out, 16),
    analyseTime() {
      shortTime(ptr.frame, S, L, ptr.window, windowedAt, ptr.out);
    },
    transform() {
      fft.run(ptr.fftInput, ptr.spectrum);
    },
    analyseSpectrum(withFlux) {
      const c = current[0];
      shortSpectrum(ptr.spectrum, bins, ptr.power, ptr.magnitude[c], withFlux ? ptr.magnitude[1 - c] : 0,
        bank.firstBin, bank.endBin, ptr.melLower, ptr.melWeight, bank.bandCount, ptr.mel,
        ptr.bandInts, ptr.bandDoubles, ptr.frequencyHz, ptr.sharpnessWeight, ptr.shapeDoubles, ptr.out);
      current[0] = 1 - c;
    },
    previousMagnitude: () => new Float32Array(buffer, ptr.magnitude[1 - current[0]], bins),
  };
}
