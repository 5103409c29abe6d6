import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStreamingResampler, resample } from '../../src/audio/resample.ts';
import { expectError, lcgBytes, sine, toneAmplitude } from './helpers.ts';

const test = suite('audio/resample');

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Seeded white noise in [-0.5, 0.5). */
function noise(length: number, seed: number): Float32Array {
  const b = lcgBytes(length, seed);
  return Float32Array.from(b, (v) => v / 256 - 0.5);
}

/** Gain in dB of a unit sine at `freqHz` through from→to, measured away from the edges. */
async function gainDb(freqHz: number, fromHz: number, toHz: number): Promise<number> {
  const y = await resample(sine(fromHz, freqHz, fromHz, 1), fromHz, toHz);
  const mid = y.subarray(toHz / 10, toHz - toHz / 10);
  return 20 * Math.log10(toneAmplitude(mid, freqHz, toHz));
}

for (const [from, to] of [[44100, 16000], [48000, 16000], [96000, 16000], [8000, 16000], [22050, 16000], [16000, 44100]] as const) {
  test(`${from} → ${to} Hz: length ceil(N·to/from) and no delay (sine matches analytically)`, async () => {
    const n = Math.round(from * 0.3) + 7;
    const y = await resample(sine(n, 300, from), from, to);
    assert.is(y.length, Math.ceil((n * to) / from));
    const expected = sine(y.length, 300, to);
    let worst = 0;
    for (let k = 100; k < y.length - 100; k++) worst = Math.max(worst, Math.abs(y[k]! - expected[k]!));
    assert.ok(worst < 1e-3, `max deviation ${worst}`);
  });
}

test('passband is flat to 7 kHz and aliases are rejected by > 80 dB (44.1k and 96k → 16k)', async () => {
  for (const from of [44100, 96000]) {
    for (const f of [100, 1000, 4000, 7000]) {
      const g = await gainDb(f, from, 16000);
      assert.ok(Math.abs(g) < 0.1, `${from}: ${f} Hz gain ${g} dB`);
    }
    for (const f of [8500, 10000, 15000]) {
      const y = await resample(sine(from, f, from, 1), from, 16000);
      let energy = 0;
      for (let i = 1600; i < y.length - 1600; i++) energy += y[i]! ** 2;
      const db = 10 * Math.log10(energy / (y.length - 3200) / 0.5);
      assert.ok(db < -80, `${from}: ${f} Hz leaks ${db} dB`);
    }
  }
});

test('streaming is bit-exact to one-shot for any chunking (incl. 1-sample chunks)', async () => {
  const x = noise(30000, 17);
  for (const [from, to] of [[44100, 16000], [8000, 16000], [48000, 16000]] as const) {
    const whole = await resample(x, from, to);
    for (const sizes of [[1], [160], [4096], [7, 1, 3000, 13, 9999, 2], [30000]]) {
      const r = await createStreamingResampler(from, to);
      const parts: Float32Array[] = [];
      for (let at = 0, k = 0; at < x.length; k++) {
        const n = sizes[k % sizes.length]!;
        if (n === 1 && at > 3000) { parts.push(r.push(x.subarray(at))); at = x.length; break; } // bound the 1-sample run
        parts.push(r.push(x.subarray(at, at + n)));
        at += n;
      }
      parts.push(r.flush());
      assert.equal(concat(parts), whole, `${from}→${to} chunks ${sizes.join(',')}`);
    }
  }
});

test('streaming emits output as it goes, not only at flush', async () => {
  const r = await createStreamingResampler(48000, 16000);
  let emitted = 0;
  for (let i = 0; i < 10; i++) emitted += r.push(noise(4800, i + 1)).length;
  assert.ok(emitted > 16000 - 200, `emitted ${emitted} of 16000 before flush`);
  emitted += r.flush().length;
  assert.is(emitted, 16000);
});

test('equal rates copy; silence stays exactly zero; clipping stays finite', async () => {
  const x = sine(1000, 440, 16000);
  const same = await resample(x, 16000, 16000);
  assert.equal(same, x);
  assert.is.not(same, x);
  const silent = await resample(new Float32Array(44100), 44100, 16000);
  assert.ok(silent.every((v) => v === 0));
  const square = Float32Array.from({ length: 44100 }, (_, i) => ((i >> 6) & 1 ? 1 : -1));
  const y = await resample(square, 44100, 16000);
  assert.ok(y.every(Number.isFinite));
  assert.ok(y.every((v) => Math.abs(v) < 1.3), 'Gibbs overshoot bounded');
  assert.is((await resample(new Float32Array(0), 44100, 16000)).length, 0);
});

test('bad rates and quality are rejected up front; use after flush throws', async () => {
  await expectError(() => resample(new Float32Array(4), 0, 16000), 'EMO_ERR_BAD_AUDIO');
  await expectError(() => resample(new Float32Array(4), 44100, 16000.5), 'EMO_ERR_BAD_AUDIO');
  await expectError(() => resample(new Float32Array(4), NaN, 16000), 'EMO_ERR_BAD_AUDIO');
  await expectError(() => resample(new Float32Array(4), 44100, 16000, { quality: 11 }), 'EMO_ERR_BAD_CONFIG');
  const r = await createStreamingResampler(44100, 16000);
  r.flush();
  await expectError(() => r.push(new Float32Array(4)), 'EMO_ERR_INTERNAL');
  r.release(); // idempotent
  const p = await createStreamingResampler(16000, 16000);
  p.release();
  await expectError(() => p.flush(), 'EMO_ERR_INTERNAL');
});

for (const from of [8000, 11025, 12000, 22050, 24000, 32000, 44100, 48000, 96000, 192000]) {
  test(`${from} → 16000 Hz snapshot: a fresh resampler replaying the saved input continues bit for bit, flush included`, async () => {
    const x = noise(from * 3, from % 251);
    const chunk = Math.round(from / 10) + 13;
    for (const cut of [37, Math.round(from * 1.37) + 5, from * 2]) {
      const whole = await createStreamingResampler(from, 16000);
      const a = await createStreamingResampler(from, 16000);
      const want: Float32Array[] = [];
      const got: Float32Array[] = [];
      for (let at = 0; at < cut; at += chunk) { const part = x.subarray(at, Math.min(cut, at + chunk)); got.push(a.push(part)); }
      const state = a.snapshot();
      a.release();
      const b = await createStreamingResampler(from, 16000, {}, state);
      for (let at = cut; at < x.length; at += chunk) got.push(b.push(x.subarray(at, Math.min(x.length, at + chunk))));
      got.push(b.flush());
      for (let at = 0; at < x.length; at += 4001) want.push(whole.push(x.subarray(at, Math.min(x.length, at + 4001))));
      want.push(whole.flush());
      const g = concat(got), w = concat(want);
      assert.is(g.length, w.length);
      let diff = -1;
      for (let k = 0; k < w.length && diff < 0; k++) if (!Object.is(g[k], w[k])) diff = k;
      assert.is(diff, -1, `cut at ${cut}: first difference at output ${diff} (history ${state.history.length} samples)`);
    }
  });
}

test('snapshot of another rate pair is refused (EMO_ERR_BAD_CONFIG)', async () => {
  const a = await createStreamingResampler(8000, 16000);
  a.push(new Float32Array(100));
  const state = a.snapshot();
  a.release();
  await expectError(() => createStreamingResampler(11025, 16000, {}, state), 'EMO_ERR_BAD_CONFIG');
});

test.run();
