/**
 * Shared helpers of the model tests: seeded feature streams, a direct onnxruntime runner with explicit
 * state, and the reference-vs-onnxruntime comparison over many carried steps.
 */
import * as ort from 'onnxruntime-node';
import { createSeededRandom } from '../../src/model/test-model.ts';
import { createReferenceForward } from '../../src/model/reference-forward.ts';
import type { LstmModelWeights } from '../../src/model/types.ts';
import { EmostreamError, type EmostreamErrorCode } from '../../src/errors.ts';
import * as assert from 'uvu/assert';

/** `steps` seeded feature vectors of width `n`, values U[-3, 3] (a different sequence per seed). */
export function featureSequence(seed: number, steps: number, n: number): Float32Array[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: steps }, () => Float32Array.from({ length: n }, () => 6 * random() - 3));
}

/**
 * Runs `bytes` in onnxruntime directly (no state store) for `inputs[s][t]` (stream s, step t), carrying the
 * state tensors between steps, and returns the largest |onnx − reference| of the outputs over all streams and steps
 * and the number of stream-normaliser state values where onnxruntime and stream-norm.ts differ (0: bit-exact).
 */
export async function compareWithReference(bytes: Uint8Array, weights: LstmModelWeights, inputs: Float32Array[][]): Promise<{ worst: number; normMismatches: number }> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const { inputSize: n, hidden1: h1, hidden2: h2 } = weights;
  const b = inputs.length;
  const reference = createReferenceForward(weights);
  const states = inputs.map(() => reference.newState());
  let h1s: Float32Array = new Float32Array(b * h1), c1s: Float32Array = new Float32Array(b * h1);
  let h2s: Float32Array = new Float32Array(b * h2), c2s: Float32Array = new Float32Array(b * h2);
  const normed = (weights.streamNorm?.kind ?? 'none') !== 'none';
  let nm: Float32Array = new Float32Array(b * n), nv: Float32Array = new Float32Array(b * n), nc: Float32Array = new Float32Array(b);
  let normMismatches = 0;
  let worst = 0;
  try {
    for (let t = 0; t < inputs[0].length; t++) {
      const x = new Float32Array(b * n);
      inputs.forEach((seq, s) => x.set(seq[t], s * n));
      const feeds: Record<string, ort.Tensor> = {
        features: new ort.Tensor('float32', x, [1, b, n]),
        h1_in: new ort.Tensor('float32', h1s, [1, b, h1]), c1_in: new ort.Tensor('float32', c1s, [1, b, h1]),
        h2_in: new ort.Tensor('float32', h2s, [1, b, h2]), c2_in: new ort.Tensor('float32', c2s, [1, b, h2]),
      };
      if (normed) {
        feeds.norm_mean_in = new ort.Tensor('float32', nm, [1, b, n]);
        feeds.norm_var_in = new ort.Tensor('float32', nv, [1, b, n]);
        feeds.norm_count_in = new ort.Tensor('float32', nc, [1, b, 1]);
      }
      const out = await session.run(feeds);
      h1s = out.h1_out.data as Float32Array; c1s = out.c1_out.data as Float32Array;
      h2s = out.h2_out.data as Float32Array; c2s = out.c2_out.data as Float32Array;
      if (normed) {
        nm = out.norm_mean_out.data as Float32Array; nv = out.norm_var_out.data as Float32Array; nc = out.norm_count_out.data as Float32Array;
      }
      const av = out.av.data as Float32Array;
      inputs.forEach((seq, s) => {
        const [a, v] = reference.step(seq[t], states[s]);
        worst = Math.max(worst, Math.abs(av[2 * s] - a), Math.abs(av[2 * s + 1] - v));
      });
      if (normed) {
        // The graph's normaliser state must equal the float32 reference's to the bit (same operations, same order).
        inputs.forEach((_, s) => {
          for (let k = 0; k < n; k++) {
            if (nm[s * n + k] !== states[s].norm.mean[k] || nv[s * n + k] !== states[s].norm.variance[k]) normMismatches++;
          }
          if (nc[s] !== states[s].norm.count[0]) normMismatches++;
        });
      }
    }
  } finally {
    await session.release();
  }
  return { worst, normMismatches };
}

/** Asserts that `fn` throws (or rejects with) an `EmostreamError` of `code` whose message is one line; returns it. */
export async function expectError(fn: () => unknown, code: EmostreamErrorCode, messagePart?: RegExp): Promise<EmostreamError> {
  try {
    await fn();
  } catch (err) {
    assert.instance(err, EmostreamError, `expected an EmostreamError, got ${String(err)}`);
    const e = err as EmostreamError;
    assert.is(e.code, code, `code of "${e.message}"`);
    assert.not.match(e.message, /\n/, 'message is one line');
    if (messagePart) assert.match(e.message, messagePart);
    return e;
  }
  assert.unreachable(`expected ${code}, nothing was thrown`);
  throw new Error('unreachable');
}
