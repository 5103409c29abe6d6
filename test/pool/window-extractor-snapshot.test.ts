import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resample } from '../../src/audio/resample.ts';
import { createWindowExtractor, type FeatureWindow, type WindowExtractorOptions } from '../../src/pool/window-extractor.ts';
import { decodeSnapshot, encodeSnapshot } from '../../src/pool/snapshot-codec.ts';
import { loadGoldenClip, sharedAvailable } from '../fixtures/golden.ts';

const test = suite('pool/window extractor snapshot: a stream cut anywhere and restored elsewhere equals the uninterrupted run');

const concat = (parts: readonly Float32Array[]): Float32Array => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
/** Speech: the two synthetic speech clips, and the three EmoDB sentences when ../shared/reference is there. */
const speech16k = concat(['speech1_16k', 'speech2_16k', ...(sharedAvailable() ? ['emodb_03a01Fa', 'emodb_08a02Wc', 'emodb_09b03Nb'] : [])].map((n) => loadGoldenClip(n).samples));
const music44k = concat(['chord_44k', 'saw220vib_44k', 'silence_tone_44k'].map((n) => loadGoldenClip(n).samples));

/** Feeds `x` in chunks of `chunk` samples. */
const feed = (push: (s: Float32Array) => void, x: Float32Array, chunk: number): void => {
  for (let at = 0; at < x.length; at += chunk) push(x.subarray(at, Math.min(x.length, at + chunk)));
};

async function uninterrupted(x: Float32Array, options: WindowExtractorOptions, chunk: number): Promise<FeatureWindow[]> {
  const out: FeatureWindow[] = [];
  const e = await createWindowExtractor(options, (w) => out.push(w));
  feed((s) => e.push(s), x, chunk);
  e.finish();
  e.release();
  return out;
}

/** The first extractor gets x[0, cut), is snapshotted (through the codec's bytes) and released; the second continues. */
async function handedOver(x: Float32Array, options: WindowExtractorOptions, chunk: number, cut: number): Promise<{ windows: FeatureWindow[]; bytes: number; before: number }> {
  const out: FeatureWindow[] = [];
  const a = await createWindowExtractor(options, (w) => out.push(w));
  feed((s) => a.push(s), x.subarray(0, cut), chunk);
  const state = a.snapshot();
  a.release();
  const before = out.length;
  const b = await createWindowExtractor({ ...options, restore: state.slice() }, (w) => out.push(w));
  feed((s) => b.push(s), x.subarray(cut), chunk);
  b.finish();
  b.release();
  return { windows: out, bytes: state.length, before };
}

function assertIdentical(got: FeatureWindow[], want: FeatureWindow[], what: string): void {
  assert.equal(got.map((w) => [w.index, w.endTimeS]), want.map((w) => [w.index, w.endTimeS]), `${what}: the same windows, each once`);
  for (let k = 0; k < want.length; k++) {
    const a = got[k].features, b = want[k].features;
    for (let c = 0; c < b.length; c++) {
      if (!Object.is(a[c], b[c])) assert.unreachable(`${what}: window ${k} feature ${c} is ${a[c]}, uninterrupted ${b[c]}`);
    }
  }
}

const cases: Array<{ name: string; rateHz: number; signal: () => Promise<Float32Array>; voicingDeltas?: 'opensmile-compat' }> = [
  { name: 'speech at 16 kHz (no resampler)', rateHz: 16000, signal: async () => speech16k },
  { name: 'speech at 8 kHz (telephony: 8 → 16 kHz resampler)', rateHz: 8000, signal: () => resample(speech16k, 16000, 8000) },
  { name: 'music at 44.1 kHz (44.1 → 16 kHz resampler)', rateHz: 44100, signal: async () => music44k },
  { name: 'speech at 48 kHz, openSMILE-compatible voicing deltas (running normaliser)', rateHz: 48000, signal: () => resample(speech16k, 16000, 48000), voicingDeltas: 'opensmile-compat' },
];

for (const c of cases) {
  test(`${c.name}: cut before the first window, on a second, mid-pitch-track and late; every window bit for bit`, async () => {
    const x = await c.signal();
    const options: WindowExtractorOptions = { inputRateHz: c.rateHz, ...(c.voicingDeltas ? { voicingDeltas: c.voicingDeltas } : {}) };
    const chunk = Math.round(c.rateHz * 0.1) + 37; // irregular chunks: the cut falls inside one
    const want = await uninterrupted(x, options, chunk);
    assert.ok(want.length >= 8, `${want.length} windows`);
    for (const cutS of [0.37, 2, 4.513, x.length / c.rateHz - 1.21]) {
      const cut = Math.round(cutS * c.rateHz);
      const got = await handedOver(x, options, chunk, cut);
      assert.ok(got.before < want.length, 'some windows come after the cut');
      assertIdentical(got.windows, want, `${c.name}, cut at ${cutS.toFixed(2)} s (state ${got.bytes} bytes)`);
    }
  });
}

test('a state that does not fit is refused with EMO_ERR_BAD_CONFIG (other rate, other mode, not a state)', async () => {
  const a = await createWindowExtractor({ inputRateHz: 8000 }, () => undefined);
  a.push(new Float32Array(8000).fill(0.1));
  const state = a.snapshot();
  a.release();
  for (const options of [{ inputRateHz: 16000, restore: state }, { inputRateHz: 8000, voicingDeltas: 'opensmile-compat' as const, restore: state }, { inputRateHz: 8000, restore: Uint8Array.of(1, 2, 3) }]) {
    try {
      await createWindowExtractor(options, () => undefined);
      assert.unreachable('should refuse');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'EMO_ERR_BAD_CONFIG', (err as Error).message);
    }
  }
});

test('snapshot codec: typed arrays byte for byte, doubles exactly, non-finite numbers and nesting', () => {
  const tree = { a: 0.1 + 0.2, b: [1, -0, Infinity, -Infinity, NaN], c: { f: Float32Array.of(1.5, -2e-38), d: Float64Array.of(Math.PI), i: Int8Array.of(-1, 7), u: new Uint8Array(3), n: Int32Array.of(-5) }, s: 'x', t: true, z: null };
  const back = decodeSnapshot(encodeSnapshot(tree)) as typeof tree;
  assert.is(back.a, tree.a);
  assert.equal(back.b.map(String), ['1', '0', 'Infinity', '-Infinity', 'NaN']);
  assert.equal([...back.c.f], [...tree.c.f]);
  assert.ok(back.c.f instanceof Float32Array && back.c.d instanceof Float64Array && back.c.i instanceof Int8Array && back.c.n instanceof Int32Array);
  assert.equal([...back.c.d], [Math.PI]);
  assert.equal([...back.c.i], [-1, 7]);
  assert.equal([back.s, back.t, back.z], ['x', true, null]);
  const bytes = encodeSnapshot(tree);
  try {
    decodeSnapshot(bytes.subarray(0, bytes.length - 9));
    assert.unreachable('truncated payload');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test.run();
