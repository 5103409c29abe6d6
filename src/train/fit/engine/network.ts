/**
 * A stacked peephole-LSTM network with a dense output layer, trained by BPTT on packed batches
 * (see `lstm-layer.ts`, `packing.ts`, `loss.ts`). One implementation serves the regressor
 * (linear outputs, CCC loss) and the denoising autoencoder (sigmoid outputs reconstructing the clean input).
 * Weights start U[−0.1, 0.1] from a seeded xoshiro128** stream; input noise uses a second stream, so a
 * seed fixes every number. All heap offsets come from one back end (float32 WASM or float64 TypeScript).
 * The heap state and the passes themselves are in network-passes.ts.
 */
import { EmostreamError } from '../../../errors.ts';
import { createF64Backend, type Backend } from './backend.ts';
import { createLayout, readParameters, writeLayer, writeOutput } from './layout.ts';
import { nativeProductsByDefault } from './native-gemm.ts';
import { createNetworkState, lossAndGradients, runForward, sgdStep } from './network-passes.ts';
import { unpackRows } from './packing.ts';
import type { RngState } from './rng.ts';
import type { Batch, LossOptions, LossResult, LstmNetwork, OutputActivation, Precision } from './types.ts';
import { createWasmBackend } from './wasm-backend.ts';

/** Options of `createLstmNetwork`. */
export interface LstmNetworkOptions {
  /** Input features per step, ≥ 1. */
  readonly inputSize: number;
  /** Cells per LSTM layer (1 or 2 layers), each ≥ 1. */
  readonly hidden: readonly number[];
  /** Outputs per step, ≥ 1. */
  readonly outputSize: number;
  /** Output activation. */
  readonly outputActivation: OutputActivation;
  /** Numeric mode. */
  readonly precision: Precision;
  /** PRNG seed (integer) for initialisation and input noise. */
  readonly seed: number;
  /** Train to reconstruct the clean input (autoencoder) instead of `batch.targets`. */
  readonly reconstruct: boolean;
  /** Default loss of `lossAndGradients`. */
  readonly defaultLoss: 'ccc' | 'mse';
  /** Time every matrix product (for benchmarks; adds two clock reads per product). Default false. */
  readonly profile?: boolean;
  /**
   * float32 only: let large matrix products run in onnxruntime's native CPU kernels (native-gemm.ts). Default
   * `nativeProductsByDefault()` (true unless EMOSTREAM_TRAIN_NATIVE=0).
   */
  readonly nativeProducts?: boolean;
}

/** Wraps a back end so that its matrix products (and the packing of their weights) are timed into `acc.ms`. */
function timedBackend(be: Backend, acc: { ms: number }): Backend {
  return {
    precision: be.precision,
    get heap() {
      return be.heap;
    },
    alloc: (n) => be.alloc(n),
    mark: () => be.mark(),
    release: (m) => be.release(m),
    packedLength: (k, n) => be.packedLength(k, n),
    addNoise: (...args) => be.addNoise(...args),
    cellForward: (...args) => be.cellForward(...args),
    cellBackward: (...args) => be.cellBackward(...args),
    colSum: (...args) => be.colSum(...args),
    copyRows: (...args) => be.copyRows(...args),
    sigmoid: (...args) => be.sigmoid(...args),
    sigmoidBackward: (...args) => be.sigmoidBackward(...args),
    gemm(form, start, m, n, k, a, lda, b, ldb, c, ldc, bias): void {
      const t0 = performance.now();
      be.gemm(form, start, m, n, k, a, lda, b, ldb, c, ldc, bias);
      acc.ms += performance.now() - t0;
    },
    packB(transB, k, n, b, ldb, dst) {
      const t0 = performance.now();
      const pb = be.packB(transB, k, n, b, ldb, dst);
      acc.ms += performance.now() - t0;
      return pb;
    },
    gemmPacked(start, m, a, lda, pb, c, ldc): void {
      const t0 = performance.now();
      be.gemmPacked(start, m, a, lda, pb, c, ldc);
      acc.ms += performance.now() - t0;
    },
  };
}

/** Throws EMO_ERR_BAD_CONFIG unless the sizes, seed, precision and autoencoder shape of `o` are valid. */
function validateNetworkOptions(o: LstmNetworkOptions): void {
  const positive = (name: string, v: number): void => {
    if (!Number.isInteger(v) || v < 1) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${name} must be a positive integer, got ${v}`);
  };
  positive('inputSize', o.inputSize);
  positive('outputSize', o.outputSize);
  if (o.hidden.length < 1 || o.hidden.length > 2) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `hidden must list 1 or 2 layer sizes, got ${o.hidden.length}`);
  }
  o.hidden.forEach((h, i) => positive(`hidden[${i}]`, h));
  if (!Number.isInteger(o.seed)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `seed must be an integer, got ${o.seed}`);
  if (o.precision !== 'f32-wasm' && o.precision !== 'f64') {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `precision must be 'f32-wasm' or 'f64', got ${String(o.precision)}`);
  }
  if (o.reconstruct && o.outputSize !== o.inputSize) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'an autoencoder needs outputSize = inputSize');
  }
}

/** Creates a network (see `LstmNetwork`); validates sizes and throws EMO_ERR_BAD_CONFIG. */
export function createLstmNetwork(o: LstmNetworkOptions): LstmNetwork {
  validateNetworkOptions(o);
  const gemmTime = { ms: 0 };
  const raw: Backend = o.precision === 'f64'
    ? createF64Backend()
    : createWasmBackend({ native: o.nativeProducts ?? nativeProductsByDefault() });
  const be = o.profile ? timedBackend(raw, gemmTime) : raw;
  const lay = createLayout(o.inputSize, o.hidden, o.outputSize);
  const st = createNetworkState(o, o.hidden, be, lay);
  const { L, Out, theta, grad, noiseRng, times } = st;
  const copyOut = (from: number): Float64Array => Float64Array.from(be.heap.subarray(from, from + lay.total));

  return {
    precision: o.precision,
    inputSize: o.inputSize,
    hidden: [...o.hidden],
    outputSize: Out,
    parameterCount: lay.total,
    forward(batch: Batch): Float32Array {
      const pk = runForward(st, batch, false, 0);
      return unpackRows(pk, be.heap, st.yOut, Out);
    },
    lossAndGradients: (batch: Batch, opts?: LossOptions): LossResult => lossAndGradients(st, batch, opts),
    createSgdState: () => ({ velocity: new Float64Array(lay.total) }),
    step(state, learningRate, momentum = 0.9, frozen = [], weightDecay = 0): void {
      sgdStep(st, state, learningRate, momentum, frozen, weightDecay);
    },
    predictSequence(x: Float32Array, T: number): Float32Array {
      const batch: Batch = { inputs: x, mask: new Uint8Array(T).fill(1), lengths: Int32Array.of(T), T, B: 1 };
      return unpackRows(runForward(st, batch, false, 0), be.heap, st.yOut, Out);
    },
    getParameters: () => readParameters(be.heap, theta, lay),
    setParameters(params): void {
      const layers = params.layers ?? [];
      if (layers.length > L) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `network has ${L} layers, got ${layers.length}`);
      layers.forEach((p, l) => {
        if (p) writeLayer(be.heap, theta, lay.layers[l], p, l);
      });
      if (params.output) writeOutput(be.heap, theta, lay, params.output);
    },
    flatParameters: () => copyOut(theta),
    setFlatParameters(values: Float64Array): void {
      if (values.length !== lay.total) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `expected ${lay.total} parameters`);
      be.heap.set(values, theta);
    },
    flatGradients: () => copyOut(grad),
    groups: () => lay.groups,
    noiseState: () => noiseRng.state(),
    restoreNoiseState(state) {
      if (state.length !== 5) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `noise generator state must have 5 numbers, got ${state.length}`);
      noiseRng.restore(state as RngState);
    },
    profile: () => ({ ...times, gemmMs: gemmTime.ms }),
  };
}
