/** The WebAssembly real FFT against KissFFT (fft.ts): every output float32 identical, for every size emostream uses. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRealFft } from '../../src/features/fft.ts';
import { createRealFftPlan, createWasmRealFft } from '../../src/features/real-fft-wasm.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('real-fft-wasm');

/** Inputs of every kind: noise of many scales, tones, an impulse, constants, zeros with signs, tiny values. */
function inputs(size: number, seed: number): Float32Array[] {
  const rnd = seededRandom(seed);
  const out: Float32Array[] = [];
  for (let t = 0; t < 30; t++) {
    const scale = 10 ** (12 * rnd() - 8);
    out.push(Float32Array.from({ length: size }, () => scale * (rnd() - 0.5)));
  }
  out.push(Float32Array.from({ length: size }, (_, i) => Math.sin((2 * Math.PI * 37.3 * i) / size)));
  out.push(Float32Array.from({ length: size }, (_, i) => (i === 3 ? 1 : 0)));
  out.push(new Float32Array(size).fill(0.25), new Float32Array(size), new Float32Array(size).fill(-0));
  out.push(Float32Array.from({ length: size }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 1e-38 : -1e-41)));
  return out;
}

test('bit-identical to KissFFT for N = 8 … 16384 (8 kHz … 192 kHz frames)', async () => {
  for (let size = 8; size <= 16384; size *= 2) {
    const kiss = await createRealFft(size);
    const wasm = createWasmRealFft(size);
    for (const [t, x] of inputs(size, size).entries()) {
      kiss.input.set(x);
      wasm.input.set(x);
      kiss.transform();
      wasm.transform();
      const a = kiss.spectrum, b = wasm.spectrum;
      for (let i = 0; i < size + 2; i++) {
        if (!Object.is(a[i], b[i])) assert.unreachable(`N = ${size}, input ${t}, value ${i}: KissFFT ${a[i]}, WebAssembly ${b[i]}`);
      }
    }
    kiss.release();
  }
});

test('plan: radix 4s then a 2, spans multiply to n, leaf order is a permutation', () => {
  for (const size of [8, 512, 1024, 4096]) {
    const plan = createRealFftPlan(size);
    assert.is([...plan.radix].reduce((a, b) => a * b, 1), plan.n);
    assert.ok([...plan.radix].every((p, i) => p === 4 || (p === 2 && i === plan.radix.length - 1)));
    assert.equal([...plan.perm].sort((a, b) => a - b), Array.from({ length: plan.n }, (_, i) => i));
  }
  assert.throws(() => createRealFftPlan(1000), /power of two/);
});

test.run();
