import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRecipe, type BabbleStep } from '../../../src/audio/augment/recipe.ts';
import { telephoneChannel } from '../../../src/audio/augment/telephone.ts';
import { augmentAudio } from '../../../src/train/data/augment-apply.ts';
import { babblePool, drawRecipe, parseAugmentationConfig } from '../../../src/train/data/augment-config.ts';
import { createTalkerLoader } from '../../../src/train/data/augment-sources.ts';
import { extractDataset } from '../../../src/train/data/extract-dataset.ts';
import { featureCacheKey } from '../../../src/train/data/feature-cache.ts';
import type { ManifestSequence, ResolvedManifest } from '../../../src/train/data/manifest-types.ts';
import { renderSequenceAudio } from '../../../src/train/data/render.ts';
import { decode16k, labelManifest } from '../../../src/train/data/sequences.ts';
import { encodeWav } from '../../../src/audio/wav.ts';
import { energyExtractor } from './energy-extractor.ts';

const test = suite('train/data/augment-dataset');

const decode = decode16k; // the data layer's real decoder (float WAV fixtures: lossless)
const wav = (x: Float32Array) => encodeWav([x], 16000, 'f32');
/** An "utterance": a tone at f0 with a loudness ramp. */
const utterance = (seconds: number, f0: number, amp: number) =>
  Float32Array.from({ length: seconds * 16000 }, (_, i) => amp * (0.3 + i / (seconds * 16000)) * Math.sin((2 * Math.PI * f0 * i) / 16000));

const ALL = ['speed', 'reverb', 'noise', 'babble', 'gain', 'telephone'];
const config = parseAugmentationConfig({ copies: 2, seed: 5, transforms: Object.fromEntries(ALL.map((k) => [k, { probability: 1 }])) });
const identity = { id: 'energy-aug-test@1' };
let dir = '';
let seqs: ManifestSequence[] = [];
let manifest: ResolvedManifest;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-augment-'));
  seqs = [];
  for (const [g, f0] of [['a', 150], ['b', 220], ['c', 310]] as const) {
    await writeFile(join(dir, `${g}1.wav`), wav(utterance(4, f0, 0.2)));
    await writeFile(join(dir, `${g}2.wav`), wav(utterance(5, f0 * 1.2, 0.3)));
    seqs.push({
      id: `spk-${g}`, domain: 'speech', group: `speaker:${g}`, gapNoiseDb: -60, gapNoiseSeed: 1,
      parts: [{ audio: join(dir, `${g}1.wav`), gapBeforeS: 0.5 }, { audio: join(dir, `${g}2.wav`), gapBeforeS: 0.5 }],
      targets: { segments: [{ start: 0.5, end: 4.5, category: 'calm' }, { start: 5, end: 10, category: 'angry' }] },
    });
  }
  await writeFile(join(dir, 'song.wav'), wav(utterance(6, 440, 0.4)));
  seqs.push({ id: 'song', domain: 'music', group: 'song:1', audio: join(dir, 'song.wav'), targets: { samples: { timeS: [1, 2, 3, 4, 5, 6], arousal: [0, 0.1, 0.2, 0.3, 0.4, 0.5], valence: [0, 0, 0, 0, 0, 0] } } });
  manifest = {
    version: 1, name: 'tiny-augment', baseDir: dir, sequences: seqs,
    categoryMap: { calm: { arousal: -0.5, valence: 0.5 }, angry: { arousal: 0.8, valence: -0.6 } },
  };
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('augmented copies are computed once (in the worker pool), then served from the cache', async () => {
  const extractor = { modulePath: new URL('./energy-extractor.ts', import.meta.url).pathname, exportName: 'energyExtractor' };
  const cacheDir = join(dir, 'cache-workers');
  const first = await extractDataset(seqs, { decode, extractor, identity, cacheDir, workers: 2, augmentation: config });
  assert.equal(first.stats, { cacheHits: 0, computed: 12, fromCsv: 0 });
  const pool = babblePool(seqs);
  for (const s of seqs) {
    const copies = first.augmented.get(s.id)!;
    assert.equal(copies.map((c) => c.copy), [0, 1]);
    assert.equal(copies.map((c) => c.recipe), [0, 1].map((k) => drawRecipe(config, s, k, pool)));
    assert.not.equal(Array.from(copies[0]!.features.windows), Array.from(first.features.get(s.id)!.windows), `${s.id}: copy ≠ clean`);
    assert.not.equal(Array.from(copies[0]!.features.windows), Array.from(copies[1]!.features.windows), `${s.id}: copies differ`);
  }
  const second = await extractDataset(seqs, { decode, extractor, identity, cacheDir, workers: 2, augmentation: config });
  assert.equal(second.stats, { cacheHits: 12, computed: 0, fromCsv: 0 });
  for (const s of seqs) {
    const a = first.augmented.get(s.id)!, b = second.augmented.get(s.id)!;
    for (let k = 0; k < 2; k++) assert.equal(Array.from(b[k]!.features.windows), Array.from(a[k]!.features.windows));
  }
  // The worker's augmentation equals applying the recipe here (bit-identical audio → identical features).
  let calls = 0;
  const counted = async (x: Float32Array) => (calls++, energyExtractor(x));
  const local = await extractDataset(seqs, { decode, extractor: counted, identity, cacheDir: join(dir, 'cache-local'), augmentation: config });
  assert.is(calls, 12);
  const talkers = createTalkerLoader(decode);
  const s = seqs[0]!;
  const recipe = local.augmented.get(s.id)![1]!.recipe;
  const babbleStep = recipe.find((x) => x.kind === 'babble');
  assert.ok(babbleStep && babbleStep.kind === 'babble' && babbleStep.talkers.flat().every((f) => !f.includes('/a')), 'babble from other speakers');
  const direct = await energyExtractor(await applyRecipe(await renderSequenceAudio(s, decode), recipe, { babble: await talkers(babbleStep as never) }));
  for (const res of [first, local]) assert.equal(Array.from(res.augmented.get(s.id)![1]!.features.windows), Array.from(direct.windows));
});

test('cache keys: same recipe → same key, changed recipe or talker audio → new key; clean entries still hit', async () => {
  const s = seqs[1]!;
  const r = drawRecipe(config, s, 0, babblePool(seqs));
  const key = await featureCacheKey(s, identity, r);
  assert.is(await featureCacheKey(s, identity, JSON.parse(JSON.stringify(r))), key);
  assert.is.not(key, await featureCacheKey(s, identity));
  assert.is.not(await featureCacheKey(s, identity, r.map((x) => (x.kind === 'gain' ? { ...x, db: x.db + 0.1 } : x))), key);
  assert.is.not(await featureCacheKey(s, identity, []), await featureCacheKey(s, identity));
  const cacheDir = join(dir, 'cache-keys');
  await extractDataset(seqs, { decode, extractor: energyExtractor, identity, cacheDir, augmentation: config });
  const reseeded = await extractDataset(seqs, { decode, extractor: energyExtractor, identity, cacheDir, augmentation: { ...config, seed: 6 } });
  assert.equal(reseeded.stats, { cacheHits: 4, computed: 8, fromCsv: 0 });
  const noPhone = parseAugmentationConfig({ ...config, transforms: { ...config.transforms, telephone: { probability: 0 } } });
  const fewer = await extractDataset(seqs, { decode, extractor: energyExtractor, identity, cacheDir, augmentation: noPhone });
  assert.equal(fewer.stats, { cacheHits: 4, computed: 8, fromCsv: 0 });
  const plain = await extractDataset(seqs, { decode, extractor: energyExtractor, identity, cacheDir });
  assert.equal(plain.stats, { cacheHits: 4, computed: 0, fromCsv: 0 });
  assert.is(plain.augmented.size, 0);
  // A babble talker file's bytes change → the key of every recipe naming it changes.
  const talkerFile = (r.find((x) => x.kind === 'babble') as BabbleStep).talkers[0]![0]!;
  await writeFile(talkerFile, wav(utterance(2, 999, 0.2)));
  assert.is.not(await featureCacheKey(s, identity, r), key);
});

test('labelManifest returns the copies as extra training sequences: same group and targets, marked, speed-aligned', async () => {
  const speedOnly = parseAugmentationConfig({ copies: 1, domains: ['speech'], transforms: { speed: { probability: 1, factor: [1.1, 1.1] }, reverb: { probability: 0 }, noise: { probability: 0 }, babble: { probability: 0 }, gain: { probability: 0 }, telephone: { probability: 0 } } });
  const res = await labelManifest(manifest, { extractor: energyExtractor, identity, cacheDir: join(dir, 'cache-label'), augmentation: speedOnly });
  const clean = res.sequences.filter((x) => !x.augmentation), aug = res.sequences.filter((x) => x.augmentation);
  assert.is(clean.length, 4);
  assert.equal(aug.map((x) => x.id), ['spk-a~aug0', 'spk-b~aug0', 'spk-c~aug0']);
  for (const a of aug) {
    const src = clean.find((c) => c.id === a.augmentation!.sourceId)!;
    assert.is(a.group, src.group);
    assert.is(a.domain, 'speech');
    assert.equal(a.augmentation!.recipe, [{ kind: 'speed', factor: 1.1 }]);
    assert.ok(a.T < src.T, `faster copy has fewer windows (${a.T} vs ${src.T})`);
    assert.is(a.targets[0], src.targets[0], 'first window: same category');
    assert.is(a.targets[2 * (a.T - 1)], src.targets[2 * (src.T - 1)], 'last window: same category');
  }
  assert.is(res.alignment.sequences, 4, 'the alignment summary counts the sources only');
});

test('augmentAudio: one concrete recipe on outside audio (telephone; babble from files)', async () => {
  const x = utterance(1, 500, 0.3);
  assert.equal(Array.from(await augmentAudio(x, [{ kind: 'telephone', codec: 'mulaw' }])), Array.from(await telephoneChannel(x, 'mulaw')));
  const recipe = [{ kind: 'babble', snrDb: 10, talkers: [[join(dir, 'b1.wav'), join(dir, 'b2.wav')]], seed: 1 }];
  const viaFiles = await augmentAudio(x, recipe, { decode });
  const viaSignals = await augmentAudio(x, recipe, { babble: [await createTalkerLoader(decode)(recipe[0] as never).then((t) => t[0]!)] });
  assert.equal(Array.from(viaFiles), Array.from(viaSignals));
  try {
    await augmentAudio(x, recipe);
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_BAD_CONFIG');
  }
  try {
    await augmentAudio(x, [{ kind: 'gain', db: 'loud' }]);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /recipe\[0\]\.db/);
  }
});

test.run();
