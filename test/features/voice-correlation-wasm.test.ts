/** The WebAssembly lag correlation against voice-quality-correlation.ts: every correlation bit-identical. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLagCorrelation } from '../../src/features/voice-quality-correlation.ts';
import { createWasmLagCorrelation } from '../../src/features/voice-correlation-wasm.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('voice-correlation-wasm');

test('bit-identical correlations on periodic, noisy, silent and constant segments of many lengths', () => {
  const rnd = seededRandom(21);
  const capacity = 2000;
  const reference = createLagCorrelation(capacity);
  const kernel = createWasmLagCorrelation(capacity, 600);
  const expected = new Float64Array(600);
  const x = new Float32Array(capacity + 50);
  for (let t = 0; t < 200; t++) {
    const period = 16 + rnd() * 300;
    const kind = t % 5;
    for (let i = 0; i < x.length; i++) {
      x[i] = kind === 3 ? 0 : kind === 4 ? 0.25
        : Math.sin((2 * Math.PI * i) / period) * (1 + 0.1 * Math.sin(i / 50)) + (kind === 2 ? 0.5 : 0.05) * (rnd() - 0.5);
    }
    const base = Math.floor(rnd() * 40);
    const n = 100 + Math.floor(rnd() * (capacity - 100));
    reference.prepare(x, base, n);
    kernel.prepare(x, base, n);
    for (let trial = 0; trial < 5; trial++) {
      const lo = 1 + Math.floor(rnd() * Math.min(400, n / 4));
      const count = 1 + Math.floor(rnd() * Math.min(599, (n - 2 * lo) / 2 - 1));
      const s = Math.max(0, Math.floor(rnd() * (n - 2 * (lo + count - 1))));
      if (s + 2 * (lo + count - 1) > n) continue;
      reference.correlate(x, s, lo, count, expected);
      kernel.correlate(s, lo, count);
      for (let i = 0; i < count; i++) {
        if (!Object.is(kernel.out[i], expected[i])) assert.unreachable(`t ${t}, lag ${lo + i}: ${kernel.out[i]} vs ${expected[i]}`);
      }
    }
  }
});

test.run();
