/**
 * A stacked peephole-LSTM network with a dense output layer, trained by BPTT on packed batches
 * (see `lstm-layer.ts`, `packing.ts`, `loss.ts`). One implementation serves the regressor
 * (linear outputs, CCC loss) and the denoising autoencoder (sigmoid outputs reconstructing the clean input).
 * Weights start U[−0.1, 0.1] from a seeded xoshiro128** stream; input noise uses a second stream, so a
 * seed fixes every number. All heap offsets come from one back end (float32 WASM or float64 TypeScript).
 */
import { EmostreamError } from '../../../errors.ts';
import { createF64Backend, type Backend } from './backend.ts';
import { createLayout, readParameters, writeLayer, writeOutput } from './layout.ts';
import { sequenceLoss } from './loss.ts';
import { lstmBackward, lstmForward, type LayerBuffers } from './lstm-layer.ts';
import { nativeProductsByDefault } from './native-gemm.ts';
import { createPacking, packRows, unpackRows, validateBatch, type Packing } from './packing.ts';
import { createRng, type RngState } from './rng.ts';
import type { Batch, LossOptions, LossResult, LstmNetwork, OutputActivation, ParameterGroup, Precision } from './types.ts';
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

const INIT_RANGE = 0.1;

/** Creates a network (see `LstmNetwork`); validates sizes and throws EMO_ERR_BAD_CONFIG. */
export function createLstmNetwork(o: LstmNetworkOptions): LstmNetwork {
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

  const gemmTime = { ms: 0 };
  const raw: Backend = o.precision === 'f64'
    ? createF64Backend()
    : createWasmBackend({ native: o.nativeProducts ?? nativeProductsByDefault() });
  const be = o.profile ? timedBackend(raw, gemmTime) : raw;
  const times = { forwardMs: 0, lossMs: 0, backwardMs: 0, stepMs: 0 };
  const lay = createLayout(o.inputSize, o.hidden, o.outputSize);
  const L = lay.layers.length;
  const Out = o.outputSize;
  const Hl = o.hidden[L - 1];
  const theta = be.alloc(lay.total);
  const grad = be.alloc(lay.total);
  const Rfwd = lay.layers.map((s) => be.alloc(be.packedLength(s.hidden, 4 * s.hidden)));
  const Rbwd = lay.layers.map((s) => be.alloc(be.packedLength(4 * s.hidden, s.hidden)));
  const dWR = lay.layers.map((s) => be.alloc(4 * s.hidden * (s.inputSize + s.hidden)));
  const initRng = createRng(o.seed, 0);
  const noiseRng = createRng(o.seed, 1);
  {
    const h = be.heap;
    for (let i = 0; i < lay.total; i++) h[theta + i] = (2 * initRng.uniform() - 1) * INIT_RANGE;
  }
  const scratchMark = be.mark();
  let capRows = 0, capB = 0;
  let xin = 0, tgt = 0, yOut = 0, dY = 0;
  let bufs: LayerBuffers[] = [];

  function ensureScratch(N: number, B: number): void {
    if (N <= capRows && B <= capB) return;
    be.release(scratchMark);
    capRows = Math.max(N, Math.ceil(capRows * 1.25));
    capB = Math.max(B, capB);
    xin = be.alloc(capRows * o.inputSize);
    tgt = be.alloc(capRows * Out);
    yOut = be.alloc(capRows * Out);
    dY = be.alloc(capRows * Out);
    const made: LayerBuffers[] = [];
    lay.layers.forEach((s, l) => {
      const H = s.hidden;
      made.push({
        X: l === 0 ? xin : made[l - 1].H,
        G: be.alloc(capRows * 4 * H), C: be.alloc(capRows * H), TC: be.alloc(capRows * H), H: be.alloc(capRows * H),
        XH: be.alloc(capRows * (s.inputSize + H)), dWR: dWR[l], dG: be.alloc(capRows * 4 * H), dH: be.alloc(capRows * H),
        Gr: be.alloc(capB * 4 * H), dHr: be.alloc(capB * H), carry: be.alloc(capB * H), Rfwd: Rfwd[l], Rbwd: Rbwd[l],
      });
    });
    bufs = made;
  }

  function runForward(batch: Batch, withTargets: boolean, sigma: number): Packing {
    validateBatch(batch, o.inputSize, withTargets && !o.reconstruct ? Out : 0);
    const pk = createPacking(batch);
    ensureScratch(pk.N, pk.B);
    const h = be.heap;
    packRows(pk, batch.inputs, o.inputSize, h, xin);
    if (sigma > 0) be.addNoise(pk.N * o.inputSize, xin, sigma, noiseRng);
    if (withTargets) packRows(pk, o.reconstruct ? batch.inputs : (batch.targets as Float32Array), Out, h, tgt);
    for (let l = 0; l < L; l++) lstmForward(be, theta, lay.layers[l], bufs[l], pk);
    be.gemm('nt', 'set', pk.N, Out, Hl, bufs[L - 1].H, Hl, theta + lay.outW, Hl, yOut, Out, theta + lay.outB);
    if (o.outputActivation === 'sigmoid') be.sigmoid(pk.N * Out, yOut);
    return pk;
  }

  function lossAndGradients(batch: Batch, opts: LossOptions = {}): LossResult {
    const sigma = opts.inputNoiseSigma ?? 0;
    if (!(sigma >= 0) || !Number.isFinite(sigma)) {
      throw new EmostreamError('EMO_ERR_BAD_CONFIG', `inputNoiseSigma must be ≥ 0, got ${sigma}`);
    }
    const kind = opts.loss ?? o.defaultLoss;
    if (kind !== 'ccc' && kind !== 'ccc-batch' && kind !== 'mse') throw new EmostreamError('EMO_ERR_BAD_CONFIG', `unknown loss ${String(kind)}`);
    const frozen = new Set(opts.frozen ?? []);
    const t0 = performance.now();
    const pk = runForward(batch, true, sigma);
    const t1 = performance.now();
    const result = sequenceLoss(kind, be.heap, pk, Out, yOut, tgt, dY);
    if (o.outputActivation === 'sigmoid') be.sigmoidBackward(pk.N * Out, yOut, dY);
    const t2 = performance.now();
    times.forwardMs += t1 - t0;
    times.lossMs += t2 - t1;
    backward(pk, dY, frozen);
    times.backwardMs += performance.now() - t2;
    return result;
  }

  function backward(pk: Packing, dY: number, frozen: ReadonlySet<ParameterGroup>): void {
    const h = be.heap;
    const N = pk.N;
    h.fill(0, grad, grad + lay.total);
    const top = bufs[L - 1];
    if (!frozen.has('output')) {
      be.gemm('tn', 'set', Out, Hl, N, dY, Out, top.H, Hl, grad + lay.outW, Hl, -1);
      be.colSum(N, Out, dY, grad + lay.outB);
    }
    let lowest = 0;
    while (lowest < L && frozen.has(`layer${lowest + 1}` as ParameterGroup)) lowest++;
    if (lowest === L) return;
    be.gemm('nn', 'set', N, Hl, Out, dY, Out, theta + lay.outW, Hl, top.dH, Hl, -1);
    for (let l = L - 1; l >= lowest; l--) {
      const below = l > lowest ? bufs[l - 1] : undefined;
      const want = !frozen.has(`layer${l + 1}` as ParameterGroup);
      lstmBackward(be, theta, grad, lay.layers[l], bufs[l], pk, want, below ? below.dH : -1);
    }
  }

  function copyOut(from: number): Float64Array {
    return Float64Array.from(be.heap.subarray(from, from + lay.total));
  }

  return {
    precision: o.precision,
    inputSize: o.inputSize,
    hidden: [...o.hidden],
    outputSize: Out,
    parameterCount: lay.total,
    forward(batch: Batch): Float32Array {
      const pk = runForward(batch, false, 0);
      return unpackRows(pk, be.heap, yOut, Out);
    },
    lossAndGradients,
    createSgdState: () => ({ velocity: new Float64Array(lay.total) }),
    step(state, learningRate, momentum = 0.9, frozen = [], weightDecay = 0): void {
      if (state.velocity.length !== lay.total) throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'optimiser state belongs to another network');
      if (!Number.isFinite(learningRate) || !Number.isFinite(momentum) || !(weightDecay >= 0)) {
        throw new EmostreamError('EMO_ERR_BAD_CONFIG', `bad learning rate ${learningRate}, momentum ${momentum} or weight decay ${weightDecay}`);
      }
      const t0 = performance.now();
      const h = be.heap;
      const v = state.velocity;
      for (const g of lay.groups) {
        if (frozen.includes(g.name)) continue;
        if (weightDecay === 0) {
          for (let i = g.offset, e = g.offset + g.length; i < e; i++) {
            v[i] = momentum * v[i] - learningRate * h[grad + i];
            h[theta + i] += v[i];
          }
        } else {
          for (let i = g.offset, e = g.offset + g.length; i < e; i++) {
            v[i] = momentum * v[i] - learningRate * (h[grad + i] + weightDecay * h[theta + i]);
            h[theta + i] += v[i];
          }
        }
      }
      times.stepMs += performance.now() - t0;
    },
    predictSequence(x: Float32Array, T: number): Float32Array {
      const batch: Batch = { inputs: x, mask: new Uint8Array(T).fill(1), lengths: Int32Array.of(T), T, B: 1 };
      return unpackRows(runForward(batch, false, 0), be.heap, yOut, Out);
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
