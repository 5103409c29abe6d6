import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createF64Backend } from '../../../../src/train/fit/engine/backend.ts';
import { createRng } from '../../../../src/train/fit/engine/rng.ts';
import { createWasmBackend } from '../../../../src/train/fit/engine/wasm-backend.ts';

const test = suite('wasm-backend');

test('heap growth keeps contents and stays addressable', () => {
  const be = createWasmBackend();
  const a = be.alloc(4);
  be.heap.set([1, 2, 3, 4], a);
  const big = be.alloc(3_000_000);
  be.heap[big + 2_999_999] = 5;
  assert.equal(Array.from(be.heap.subarray(a, a + 4)), [1, 2, 3, 4]);
  assert.is(be.heap[big + 2_999_999], 5);
  const mark = be.mark();
  be.alloc(10);
  be.release(mark);
  assert.is(be.mark(), mark);
});

test('WASM LSTM cell kernels match the float64 TypeScript cell, with and without recurrent parts, also saturated', () => {
  for (const [H, scale] of [[10, 1], [7, 30], [16, 200]]) {
    for (const recurrent of [false, true]) {
      const n = 3;
      const rng = createRng(H);
      const be = createWasmBackend(), ref = createF64Backend();
      const sizes = {
        G: n * 4 * H, Gr: n * 4 * H, cp: n * H, C: n * H, TC: n * H, Ho: n * H, P: 3 * H, dG: n * 4 * H, dH: n * H, dHr: n * H,
        cy: n * H, dP: 3 * H,
      };
      const at: Record<string, [number, number]> = {};
      for (const [k, len] of Object.entries(sizes)) at[k] = [be.alloc(len), ref.alloc(len)];
      for (const k of ['G', 'Gr', 'cp', 'P', 'dH', 'dHr', 'cy']) {
        for (let i = 0; i < sizes[k as keyof typeof sizes]; i++) {
          be.heap[at[k][0] + i] = scale * rng.gaussian();
          ref.heap[at[k][1] + i] = be.heap[at[k][0] + i];
        }
      }
      for (const [x, k] of [[be, 0], [ref, 1]] as const) {
        const o = (name: string): number => at[name][k];
        const rec = (name: string): number => (recurrent ? o(name) : -1);
        x.cellForward(n, H, o('G'), rec('Gr'), o('cp'), o('C'), o('TC'), o('Ho'), o('P'));
        x.cellBackward(n, H, o('G'), o('dG'), o('C'), o('cp'), o('TC'), o('dH'), rec('dHr'), o('cy'), o('P'), o('dP'));
      }
      for (const k of ['G', 'C', 'TC', 'Ho', 'dG', 'cy', 'dP']) {
        for (let i = 0; i < sizes[k as keyof typeof sizes]; i++) {
          const got = be.heap[at[k][0] + i], want = ref.heap[at[k][1] + i];
          assert.ok(Number.isFinite(got), `${k}[${i}] finite`);
          assert.ok(Math.abs(got - want) <= 2e-5 * Math.max(1, Math.abs(want)) * scale, `H=${H} ${k}[${i}]: ${got} vs ${want}`);
        }
      }
    }
  }
});

test('the recurrent parts are added: G + Gr in one call equals G already holding the sum', () => {
  const be = createWasmBackend();
  const n = 2, H = 9;
  const rng = createRng(4);
  const fill = (len: number): number => {
    const at = be.alloc(len);
    for (let i = 0; i < len; i++) be.heap[at + i] = rng.gaussian();
    return at;
  };
  const G = fill(n * 4 * H), Gr = fill(n * 4 * H), cp = fill(n * H), P = fill(3 * H);
  const sum = be.alloc(n * 4 * H);
  for (let i = 0; i < n * 4 * H; i++) be.heap[sum + i] = be.heap[G + i] + be.heap[Gr + i];
  const [C1, T1, H1, C2, T2, H2] = Array.from({ length: 6 }, () => be.alloc(n * H));
  be.cellForward(n, H, G, Gr, cp, C1, T1, H1, P);
  be.cellForward(n, H, sum, -1, cp, C2, T2, H2, P);
  assert.equal(Array.from(be.heap.subarray(H1, H1 + n * H)), Array.from(be.heap.subarray(H2, H2 + n * H)));
  assert.equal(Array.from(be.heap.subarray(G, G + n * 4 * H)), Array.from(be.heap.subarray(sum, sum + n * 4 * H)));
});

/** Adds noise to `count` zeros on a fresh WASM back end, in calls of the given sizes; returns the values. */
function wasmNoise(seed: number, sigma: number, calls: number[]): { values: Float32Array; state: readonly number[] } {
  const be = createWasmBackend();
  const total = calls.reduce((a, b) => a + b, 0);
  const at = be.alloc(total);
  const rng = createRng(seed, 1);
  let done = 0;
  for (const n of calls) {
    be.addNoise(n, at + done, sigma, rng);
    done += n;
  }
  return { values: Float32Array.from(be.heap.subarray(at, at + total)), state: rng.state() };
}

test('WASM input noise follows the rng.ts Gaussian stream word for word (float32 transform)', () => {
  const { values, state } = wasmNoise(7, 1, [20_001]);
  const ref = createRng(7, 1);
  let worst = 0;
  for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i] - ref.gaussian()));
  assert.ok(worst < 3e-5, `max |Δ| vs rng.gaussian() ${worst}`);
  const want = ref.state();
  assert.equal(state.slice(0, 4).map((v) => v | 0), want.slice(0, 4).map((v) => v | 0), 'same generator words afterwards');
  assert.ok(Math.abs(state[4] - want[4]) < 1e-5, 'spare Gaussian kept');
});

test('WASM input noise: splitting a draw into calls (odd sizes, spares) changes nothing', () => {
  const whole = wasmNoise(3, 0.3, [1037]);
  const split = wasmNoise(3, 0.3, [3, 8, 1, 1, 600, 423, 1]);
  assert.equal(split.values, whole.values);
  assert.equal(split.state.slice(0, 4), whole.state.slice(0, 4));
});

test('WASM input noise has mean 0 and the requested spread', () => {
  const { values } = wasmNoise(11, 0.5, [200_000]);
  let sum = 0, sq = 0, tail = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
    if (Math.abs(v) > 1) tail++; // beyond 2σ: 4.55 %
  }
  const mean = sum / values.length, sd = Math.sqrt(sq / values.length - mean * mean);
  assert.ok(Math.abs(mean) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(sd - 0.5) < 0.005, `sd ${sd}`);
  assert.ok(Math.abs(tail / values.length - 0.0455) < 0.003, `two-sigma tail ${tail / values.length}`);
});

test('WASM sigmoid and its backward match the float64 reference', () => {
  const be = createWasmBackend(), ref = createF64Backend();
  const n = 1003;
  const y = be.alloc(n), dy = be.alloc(n), ry = ref.alloc(n), rdy = ref.alloc(n);
  const rng = createRng(2);
  for (let i = 0; i < n; i++) {
    be.heap[y + i] = 20 * rng.gaussian();
    be.heap[dy + i] = rng.gaussian();
    ref.heap[ry + i] = be.heap[y + i];
    ref.heap[rdy + i] = be.heap[dy + i];
  }
  for (const x of [be, ref]) {
    const [o, d] = x === be ? [y, dy] : [ry, rdy];
    x.sigmoid(n, o);
    x.sigmoidBackward(n, o, d);
  }
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(be.heap[y + i] - ref.heap[ry + i]) < 1e-6, `σ[${i}]`);
    assert.ok(Math.abs(be.heap[dy + i] - ref.heap[rdy + i]) < 1e-6 * Math.max(1, Math.abs(ref.heap[rdy + i])), `dσ[${i}]`);
  }
});

test('copyRows copies a strided block and nothing else, as the float64 back end does', () => {
  for (const be of [createWasmBackend(), createF64Backend()]) {
    const src = be.alloc(5 * 11), dst = be.alloc(5 * 13);
    for (let i = 0; i < 5 * 11; i++) be.heap[src + i] = i + 1;
    be.heap.fill(-1, dst, dst + 5 * 13);
    be.copyRows(4, 9, src + 1, 11, dst + 2, 13);
    for (let r = 0; r < 5; r++) {
      for (let j = 0; j < 13; j++) {
        const want = r < 4 && j >= 2 && j < 11 ? r * 11 + (j - 2) + 2 : -1;
        assert.is(be.heap[dst + r * 13 + j], want, `${be.precision} [${r}][${j}]`);
      }
    }
  }
});

test.run();
