import { createConsoleReporter } from '../../../src/cli/progress.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractDataset } from '../../../src/train/data/extract-dataset.ts';
import { cachePath, featureCacheKey, readCachedFeatures } from '../../../src/train/data/feature-cache.ts';
import type { ManifestSequence } from '../../../src/train/data/manifest-types.ts';
import { renderSequenceAudio } from '../../../src/train/data/render.ts';
import { energyExtractor } from './energy-extractor.ts';

const test = suite('train/data/feature-cache');

const decode = async (p: string): Promise<Float32Array> => {
  const b = await readFile(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const noise = (n: number, seed: number, amp: number): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * amp);
};

let dir = '';
let seqs: ManifestSequence[] = [];
const identity = { id: 'energy-test@1', params: { blocks: 130 } };

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-cache-'));
  // Loudness ramps over time so windows differ: a 5 s file, a 3.2 s file, and a 2-part concatenation.
  await writeFile(join(dir, 'a.f32'), noise(80000, 1, 0.4).map((x, i) => x * (i / 80000)));
  await writeFile(join(dir, 'b.f32'), noise(51200, 2, 0.2));
  seqs = [
    { id: 'a', domain: 'music', group: 'a', audio: join(dir, 'a.f32'), targets: { samples: { timeS: [2], arousal: [0], valence: [0] } } },
    { id: 'b', domain: 'music', group: 'b', audio: join(dir, 'b.f32'), targets: { samples: { timeS: [2], arousal: [0], valence: [0] } } },
    {
      id: 'ab', domain: 'speech', group: 'ab', gapNoiseDb: -50, gapNoiseSeed: 3,
      parts: [{ audio: join(dir, 'b.f32'), gapBeforeS: 0.5 }, { audio: join(dir, 'a.f32'), gapBeforeS: 0.5 }],
      targets: { segments: [{ start: 0.5, end: 3.7, category: 'x' }] },
    },
  ];
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('first run computes every sequence, second run is all cache hits with no extractor calls', async () => {
  let calls = 0;
  const counted = async (x: Float32Array) => (calls++, energyExtractor(x));
  const cacheDir = join(dir, 'cache1');
  const first = await extractDataset(seqs, { decode, extractor: counted, identity, cacheDir });
  assert.equal(first.stats, { cacheHits: 0, computed: 3, fromCsv: 0 });
  assert.is(calls, 3);
  assert.is((await readdir(cacheDir)).filter((f) => f.endsWith('.f32')).length, 3);
  const second = await extractDataset(seqs, { decode, extractor: counted, identity, cacheDir });
  assert.equal(second.stats, { cacheHits: 3, computed: 0, fromCsv: 0 });
  assert.is(calls, 3, 'cache hits skip the extractor');
  for (const s of seqs) {
    const direct = await energyExtractor(await renderSequenceAudio(s, decode));
    const cached = second.features.get(s.id)!;
    assert.is(cached.count, direct.count);
    assert.equal(Array.from(cached.windows), Array.from(direct.windows), `${s.id}: cached = recomputed`);
  }
  assert.is(second.features.get('a')!.count, 4); // 5 s → windows ending at 2, 3, 4, 5 s
  const a = second.features.get('a')!.windows;
  assert.ok(a[3 * 260 + 200]! > a[0 * 260 + 200]!, 'RMS grows with the ramp');
});

test('keys change with extractor version, params, audio bytes and gap noise; corrupt entries are recomputed', async () => {
  const k = await featureCacheKey(seqs[2]!, identity);
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.is.not(await featureCacheKey(seqs[2]!, { ...identity, id: 'energy-test@2' }), k);
  assert.is.not(await featureCacheKey(seqs[2]!, { ...identity, params: { blocks: 64 } }), k);
  assert.is.not(await featureCacheKey({ ...seqs[2]!, gapNoiseSeed: 4 }, identity), k);
  assert.is(await featureCacheKey({ ...seqs[2]! }, identity), k);
  assert.is.not(await featureCacheKey(seqs[0]!, identity), await featureCacheKey(seqs[1]!, identity));
  const cacheDir = join(dir, 'cache2');
  let calls = 0;
  const counted = async (x: Float32Array) => (calls++, energyExtractor(x));
  await extractDataset([seqs[0]!], { decode, extractor: counted, identity, cacheDir });
  const key = await featureCacheKey(seqs[0]!, identity);
  const bytes = await readFile(cachePath(cacheDir, key));
  await writeFile(cachePath(cacheDir, key), bytes.subarray(0, bytes.length - 4)); // truncated
  assert.is(await readCachedFeatures(cacheDir, key), undefined);
  const again = await extractDataset([seqs[0]!], { decode, extractor: counted, identity, cacheDir });
  assert.is(again.stats.computed, 1);
  assert.is(calls, 2);
});

test('worker pool (module path + export name) gives the in-process numbers and reports progress', async () => {
  const lines: string[] = [];
  const stream = createConsoleReporter({ write: (s: string) => lines.push(s), isTTY: false });
  const extractor = { modulePath: new URL('./energy-extractor.ts', import.meta.url).pathname, exportName: 'energyExtractor' };
  const res = await extractDataset(seqs, { decode, extractor, identity: { id: 'energy-worker@1' }, cacheDir: join(dir, 'cache3'), workers: 2, progress: stream });
  assert.equal(res.stats, { cacheHits: 0, computed: 3, fromCsv: 0 });
  for (const s of seqs) {
    const direct = await energyExtractor(await renderSequenceAudio(s, decode));
    assert.equal(Array.from(res.features.get(s.id)!.windows), Array.from(direct.windows), s.id);
  }
  assert.ok(lines.some((l) => /3\/3 100%/.test(l)), lines.join(''));
  assert.ok(lines.every((l) => !l.includes('\r')), 'no carriage returns when not a TTY');
  try {
    await extractDataset([seqs[1]!], { decode, extractor: { ...extractor, exportName: 'nope' }, identity: { id: 'x@1' }, cacheDir: join(dir, 'cache4'), workers: 1 });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /no exported function "nope"/);
  }
});

test.run();
