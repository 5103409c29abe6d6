import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { GemmForm } from '../../../../src/train/fit/engine/backend.ts';
import { padBatch } from '../../../../src/train/fit/engine/batches.ts';
import { gemmTs } from '../../../../src/train/fit/engine/gemm-ts.ts';
import { createLstmRegressor } from '../../../../src/train/fit/engine/models.ts';
import { loadNativeGemm, NATIVE_MIN_MACS } from '../../../../src/train/fit/engine/native-gemm.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import { createWasmBackend } from '../../../../src/train/fit/engine/wasm-backend.ts';

const test = suite('native-gemm');

function gaussians(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.gaussian());
}

/** max |Δ| / √(k + 1) of the native product against the float64 reference on the same float32 operands. */
function nativeError(form: GemmForm, m: number, n: number, k: number, withBias: boolean): number {
  const native = loadNativeGemm();
  if (!native) throw new Error('native products unavailable');
  const a = gaussians(m * k, 1), b = gaussians(k * n, 2), bias = gaussians(n, 3);
  const y = new Float32Array(m * n).fill(Number.NaN); // 'set': whatever was there is overwritten
  native.gemm(form, m, n, k, a, b, y, withBias ? bias : undefined);
  const h = new Float64Array(m * k + k * n + m * n + n);
  h.set(a, 0);
  h.set(b, m * k);
  h.set(bias, m * k + k * n + m * n);
  gemmTs(h, form, 'set', m, n, k, 0, form === 'tn' ? m : k, m * k, form === 'nt' ? k : n, m * k + k * n, n, withBias ? m * k + k * n + m * n : -1);
  let worst = 0;
  for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(y[i] - h[m * k + k * n + i]) / Math.sqrt(k + 1));
  return worst;
}

test('onnxruntime-node\'s synchronous session loads and passes its self-check', () => {
  assert.ok(loadNativeGemm() !== null);
});

test('native products match the float64 reference in every form, with and without a bias row', () => {
  for (const form of ['nn', 'nt', 'tn'] as const) {
    for (const [m, n, k] of [[1, 1, 1], [7, 9, 3], [64, 300, 520], [2200, 40, 200], [33, 800, 200]]) {
      for (const bias of [false, true]) assert.ok(nativeError(form, m, n, k, bias) < 1e-5, `${form} ${m}×${n}×${k} bias ${bias}`);
    }
  }
});

test('native products are bit-for-bit repeatable', () => {
  const native = loadNativeGemm()!;
  const a = gaussians(130 * 270, 5), b = gaussians(270 * 90, 6);
  const run = (): Float32Array => {
    const y = new Float32Array(130 * 90);
    native.gemm('nn', 130, 90, 270, a, b, y);
    return y;
  };
  assert.equal(run(), run());
});

test('the back end sends large overwriting products to the native kernels and keeps the WASM results close', () => {
  const m = 200, n = 96, k = 64;
  assert.ok(m * n * k >= NATIVE_MIN_MACS);
  const results = [true, false].map((native) => {
    const be = createWasmBackend({ native });
    const a = be.alloc(m * k), b = be.alloc(n * k), c = be.alloc(m * n), bias = be.alloc(n);
    be.heap.set(gaussians(m * k, 1), a);
    be.heap.set(gaussians(n * k, 2), b);
    be.heap.set(gaussians(n, 3), bias);
    be.gemm('nt', 'set', m, n, k, a, k, b, k, c, n, bias);
    return Float32Array.from(be.heap.subarray(c, c + m * n));
  });
  let worst = 0;
  for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(results[0][i] - results[1][i]));
  assert.ok(worst < 1e-4, `native vs WASM ${worst}`);
});

test('the back end runs large Aᵀ·B natively as A·B on a transposed copy: bit-for-bit the direct native product', () => {
  const m = 136, n = 90, k = 203; // odd sizes: the transposition's scalar edges too
  assert.ok(m * n * k >= NATIVE_MIN_MACS);
  const native = loadNativeGemm();
  if (!native) throw new Error('native products unavailable');
  const be = createWasmBackend();
  const a = be.alloc(k * m), b = be.alloc(k * n), c = be.alloc(m * n);
  be.heap.set(gaussians(k * m, 4), a);
  be.heap.set(gaussians(k * n, 5), b);
  const top = be.mark();
  be.gemm('tn', 'set', m, n, k, a, m, b, n, c, n, -1);
  assert.is(be.mark(), top, 'the temporary transposed copy is released');
  const h = be.heap as Float32Array;
  const direct = new Float32Array(m * n);
  native.gemm('tn', m, n, k, h.slice(a, a + k * m), h.slice(b, b + k * n), direct);
  for (let i = 0; i < m * n; i++) if (h[c + i] !== direct[i]) assert.unreachable(`element ${i}: ${h[c + i]} vs ${direct[i]}`);
});

/** A batch big enough that the input projections and weight gradients run natively. */
function wideBatch(seed: number): ReturnType<typeof padBatch> {
  const rng = createRng(seed);
  const seqs = Array.from({ length: 12 }, () => {
    const length = 20 + rng.int(20);
    return {
      length,
      inputs: Float32Array.from({ length: length * 64 }, () => rng.gaussian()),
      targets: Float32Array.from({ length: length * 2 }, () => rng.gaussian()),
    };
  });
  return padBatch(seqs, 64, 2);
}

test('training with native products is bit-for-bit repeatable and agrees with the float64 engine', () => {
  const batch = wideBatch(3);
  const opts = { inputSize: 64, hidden: [48, 6], outputSize: 2, seed: 9 } as const;
  const run = (): Float64Array => {
    const net = createLstmRegressor({ ...opts, precision: 'f32-wasm' });
    const state = net.createSgdState();
    for (let i = 0; i < 3; i++) {
      net.lossAndGradients(batch, { inputNoiseSigma: 0.1 });
      net.step(state, 0.05, 0.9);
    }
    return net.flatParameters();
  };
  assert.equal(run(), run());
  const f32 = createLstmRegressor({ ...opts, precision: 'f32-wasm' }), f64 = createLstmRegressor({ ...opts, precision: 'f64' });
  const la = f32.lossAndGradients(batch).loss, lb = f64.lossAndGradients(batch).loss;
  assert.ok(Math.abs(la - lb) < 1e-4, `loss ${la} vs ${lb}`);
  const ga = f32.flatGradients(), gb = f64.flatGradients();
  let num = 0, den = 0;
  for (let i = 0; i < ga.length; i++) {
    num += (ga[i] - gb[i]) ** 2;
    den += gb[i] ** 2;
  }
  assert.ok(Math.sqrt(num / den) < 1e-3, `relative gradient difference ${Math.sqrt(num / den)}`);
});

test('nativeProducts: false keeps every product in WASM: results differ from the native ones only by rounding', () => {
  const batch = wideBatch(4);
  const opts = { inputSize: 64, hidden: [48, 6], outputSize: 2, seed: 2 } as const;
  const grads = [true, false].map((nativeProducts) => {
    const net = createLstmRegressor({ ...opts, nativeProducts });
    net.lossAndGradients(batch, { inputNoiseSigma: 0.1 });
    return net.flatGradients();
  });
  let num = 0, den = 0, same = true;
  for (let i = 0; i < grads[0].length; i++) {
    num += (grads[0][i] - grads[1][i]) ** 2;
    den += grads[1][i] ** 2;
    same &&= grads[0][i] === grads[1][i];
  }
  assert.ok(!same, 'the two paths do run different kernels');
  assert.ok(Math.sqrt(num / den) < 1e-4, `relative difference ${Math.sqrt(num / den)}`);
});

test.run();
