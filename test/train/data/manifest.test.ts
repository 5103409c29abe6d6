import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, sequenceFiles, validateManifest } from '../../../src/train/data/manifest.ts';
import { scaledPoint } from '../../../src/train/data/categories.ts';

const test = suite('train/data/manifest');

const good = () => ({
  version: 1,
  name: 'tiny',
  categoryMap: { neutral: { arousal: -0.6, valence: -0.06 }, anger: { arousal: 0.73, valence: -0.67 } },
  neutralCategory: 'neutral',
  sequences: [
    { id: 'song1', domain: 'music', group: 'song:1', audio: 'a/song1.mp3', targets: { csv: 'a/song1.csv' } },
    { id: 'song2', domain: 'music', group: 'song:2', features: '/abs/f.csv', targets: { samples: { timeS: [15, 15.5], arousal: [0.1, 0.2], valence: [0, 0] } } },
    {
      id: 'spk1', domain: 'speech', group: 'speaker:1', gapNoiseDb: -70, gapNoiseSeed: 7,
      parts: [{ audio: 'u1.flac', gapBeforeS: 0.5, durationS: 2 }, { audio: 'u2.flac', gapBeforeS: 0.5 }],
      targets: { segments: [{ start: 0.5, end: 2.5, category: 'anger', intensity: 0.5 }, { start: 3, end: 5, category: 'neutral' }] },
    },
  ],
});

function expectDatasetError(json: unknown, pattern: RegExp): void {
  try {
    validateManifest(json);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_DATASET', String(e));
    assert.match((e as Error).message, pattern);
  }
}

test('a valid manifest passes and keeps its fields', () => {
  const m = validateManifest(good());
  assert.is(m.sequences.length, 3);
  assert.is(m.sequences[2]!.parts!.length, 2);
  assert.equal(m.sequences[2]!.targets, good().sequences[2]!.targets);
});

test('errors name the JSON path of the bad field', () => {
  const cases: [(j: ReturnType<typeof good>) => void, RegExp][] = [
    [(j) => ((j as { version: number }).version = 2), /version: must be 1/],
    [(j) => ((j.sequences[0] as { domain: string }).domain = 'noise'), /sequences\[0\]\.domain: must be "music" or "speech"/],
    [(j) => ((j.sequences[1] as Record<string, unknown>).audio = 'x.wav'), /sequences\[1\]: needs exactly one of audio, parts, features \(got audio, features\)/],
    [(j) => (j.sequences[2]!.targets.segments![1]!.category = 'joy'), /sequences\[2\]\.targets\.segments\[1\]\.category: "joy" is not a key of categoryMap/],
    [(j) => (j.sequences[2]!.targets.segments![0]!.end = 0.2), /segments\[0\]\.end: must be > start/],
    [(j) => (j.sequences[2]!.targets.segments![1]!.start = 2), /segments\[1\]\.start: segments must be sorted and not overlap/],
    [(j) => (j.sequences[1]!.targets.samples!.arousal = [0.1, 1.5]), /samples\.arousal\[1\]: must be in \[-1, 1\]/],
    [(j) => (j.sequences[1]!.targets.samples!.timeS = [15, 15]), /timeS\[1\]: times must increase strictly/],
    [(j) => (j.sequences[1]!.id = 'song1'), /sequences\[1\]\.id: duplicate id "song1"/],
    [(j) => delete (j.sequences[2] as Record<string, unknown>).gapNoiseSeed, /gapNoiseSeed: must be an integer/],
    [(j) => delete (j as Record<string, unknown>).neutralCategory, /intensity < 1 needs a top-level neutralCategory/],
    [(j) => ((j.sequences[0] as Record<string, unknown>).colour = 'red'), /sequences\[0\]\.colour: unknown field/],
    [(j) => ((j.sequences[2]!.parts![0] as { gapBeforeS: number }).gapBeforeS = -1), /parts\[0\]\.gapBeforeS: must be a number in \[0, 3600\]/],
  ];
  for (const [mutate, pattern] of cases) {
    const j = good();
    mutate(j);
    expectDatasetError(j, pattern);
  }
  expectDatasetError([], /\(root\): must be a JSON object/);
});

test('loadManifest resolves paths against baseDir relative to the manifest file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-manifest-'));
  try {
    await writeFile(join(dir, 'm.json'), JSON.stringify({ ...good(), baseDir: 'data' }));
    const m = await loadManifest(join(dir, 'm.json'));
    assert.is(m.baseDir, join(dir, 'data'));
    assert.equal(sequenceFiles(m.sequences[0]!), [join(dir, 'data/a/song1.mp3'), join(dir, 'data/a/song1.csv')]);
    assert.is(m.sequences[1]!.features, '/abs/f.csv', 'absolute paths stay');
    assert.is(m.sequences[2]!.parts![1]!.audio, join(dir, 'data/u2.flac'));
    await writeFile(join(dir, 'bad.json'), '{ "version": 1, ');
    try {
      await loadManifest(join(dir, 'bad.json'));
      assert.unreachable();
    } catch (e) {
      assert.is((e as { code?: string }).code, 'EMO_ERR_DATASET');
      assert.match((e as Error).message, /not valid JSON/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Missing targets: categories that label only some dimensions (BAVED's arousal levels), and silent gaps.
const map = { high: { arousal: 0.6, valence: null }, low: { arousal: -0.7, valence: null }, anger: { arousal: 0.73, valence: -0.67 }, neutral: { arousal: -0.63, valence: -0.06 } };

const levelsManifest = (over: Record<string, unknown> = {}, seq: Record<string, unknown> = {}) => ({
  version: 1, name: 'levels', categoryMap: map,
  sequences: [{
    id: 's1', domain: 'speech', group: 'speaker:1', gapNoiseDb: -90, gapNoiseSeed: 1,
    parts: [{ audio: 'a.wav', gapBeforeS: 0.5, durationS: 2 }],
    targets: { segments: [{ start: 0.5, end: 2.5, category: 'high' }] }, ...seq,
  }],
  ...over,
});

test('categoryMap: null marks a dimension as not labelled; both null, a missing key or a non-number is rejected by path', () => {
  const m = validateManifest(levelsManifest());
  assert.equal(m.categoryMap!['high'], { arousal: 0.6, valence: null });
  expectDatasetError(levelsManifest({ categoryMap: { ...map, none: { arousal: null, valence: null } } }), /categoryMap\.none: arousal and valence cannot both be null/);
  expectDatasetError(levelsManifest({ categoryMap: { ...map, x: { arousal: 0.2 } } }), /categoryMap\.x\.valence: must be a number in \[-1, 1\]/);
  expectDatasetError(levelsManifest({ categoryMap: { ...map, x: { arousal: 0.2, valence: 'none' } } }), /categoryMap\.x\.valence/);
});

test('intensity < 1 needs the neutral point to have every dimension its category labels', () => {
  const scaled = { targets: { segments: [{ start: 0.5, end: 2.5, category: 'anger', intensity: 0.5 }] } };
  assert.ok(validateManifest(levelsManifest({ neutralCategory: 'neutral' }, scaled)));
  const blindNeutral = { ...map, neutral: { arousal: -0.63, valence: null } };
  expectDatasetError(levelsManifest({ categoryMap: blindNeutral, neutralCategory: 'neutral' }, scaled), /sequences\[0\]\.targets\.segments\[0\]\.intensity: .*valence is null/);
  // A level category (valence null) scales its arousal only; valence stays missing.
  assert.equal(scaledPoint(map.high, map.neutral, 0.5), { arousal: (0.6 - 0.63) / 2, valence: null });
  assert.throws(() => scaledPoint(map.anger, blindNeutral.neutral, 0.5), /neutral point has no valence/);
});

test('gapNoiseDb: a dBFS level or "silence"; anything else is rejected naming the field', () => {
  assert.is(validateManifest(levelsManifest({}, { gapNoiseDb: 'silence' })).sequences[0]!.gapNoiseDb, 'silence');
  expectDatasetError(levelsManifest({}, { gapNoiseDb: 'quiet' }), /sequences\[0\]\.gapNoiseDb: must be a number in \[-200, 0\] \(dBFS of the gap noise\) or "silence"/);
  expectDatasetError(levelsManifest({}, { gapNoiseDb: 3 }), /sequences\[0\]\.gapNoiseDb/);
});

test.run();
