/**
 * The voice-quality period scan's lag correlation in WebAssembly (wasm/features/voice-correlation.c, built into
 * features.wasm): the same prefix sums and correlations as voice-quality-correlation.ts, operation for operation
 * (the cross product's four accumulators become two float64x2 lane pairs in the same grouping), so the results are
 * bit-identical (test/features/voice-correlation-wasm.test.ts).
 *
 * `prepare` copies the scan segment into the kernel's memory (one memcpy per frame); `correlate` writes the
 * correlations into `out`, a view the caller reads directly. One instance per stream, sized in the factory, never
 * grown afterwards.
 * @see voice-quality-correlation.ts
 */
import { EmostreamError } from '../errors.ts';
import { compiledWasmModule, staticHeap } from '../wasm-module.ts';

const WASM_URL = new URL('../../wasm/features/features.wasm', import.meta.url);
/** Relative energy below which a segment counts as silent (as voice-quality-correlation.ts). */
const SILENT_RELATIVE_ENERGY = 1e-12;

interface CorrelationExports {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  readonly lag_prepare: (y: number, n: number, sum1: number, sum2: number) => number;
  readonly lag_correlate: (y: number, sum1: number, sum2: number, s: number, lo: number, count: number, silent: number, out: number) => void;
}

export interface WasmLagCorrelation {
  /** c(lo + i) of the last `correlate`, i < count (maxLags values). */
  readonly out: Float64Array;
  /** Copies y = x[base … base+n−1] (n ≤ capacity) and builds its prefix sums. */
  prepare(x: Float32Array, base: number, n: number): void;
  /** c(lo + i), i = 0 … count−1 (count ≤ maxLags, s + 2·(lo+count−1) ≤ n) into `out`. */
  correlate(s: number, lo: number, count: number): void;
}

/** Creates the kernel for segments of up to `capacity` samples and up to `maxLags` lags per call. */
export function createWasmLagCorrelation(capacity: number, maxLags: number): WasmLagCorrelation {
  if (!(capacity >= 1 && maxLags >= 1)) throw new EmostreamError('EMO_ERR_INTERNAL', 'lag correlation: capacity and maxLags must be ≥ 1');
  const ex = new WebAssembly.Instance(compiledWasmModule(WASM_URL, 'wasm/features/build.sh'), {}).exports as unknown as CorrelationExports;
  const heap = staticHeap(ex.memory, ex.__heap_base);
  const take = heap.take;
  const yAt = take(4 * capacity + 16);
  const sum1At = take(8 * (capacity + 1));
  const sum2At = take(8 * (capacity + 1));
  const outAt = take(8 * maxLags);
  const buffer = heap.commit(); // final (sum1[0] = sum2[0] = 0: fresh memory)
  const y = new Float32Array(buffer, yAt, capacity);
  const silent = new Float64Array(1); // a typed slot: a captured mutable double would be re-boxed on every write
  const { lag_prepare: lagPrepare, lag_correlate: lagCorrelate } = ex;
  return {
    out: new Float64Array(buffer, outAt, maxLags),
    prepare(x, base, n) {
      y.set(x.subarray(base, base + n));
      silent[0] = SILENT_RELATIVE_ENERGY * lagPrepare(yAt, n, sum1At, sum2At);
    },
    correlate(s, lo, count) {
      lagCorrelate(yAt, sum1At, sum2At, s, lo, count, silent[0], outAt);
    },
  };
}
