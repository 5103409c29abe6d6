// Missing targets in the data layer: a categoryMap dimension that is `null` (BAVED's valence) is
// validated, aligned to NaN in that dimension only, and keeps the window in the training pieces.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alignToWindows, segmentsToOneHz } from '../../../src/train/data/align.ts';
import { scaledPoint } from '../../../src/train/data/categories.ts';
import { validateManifest } from '../../../src/train/data/manifest.ts';
import { finiteRuns, targetedSteps } from '../../../src/train/data/sequences.ts';

const test = suite('train/data/missing-targets');

const map = { high: { arousal: 0.6, valence: null }, low: { arousal: -0.7, valence: null }, anger: { arousal: 0.73, valence: -0.67 }, neutral: { arousal: -0.63, valence: -0.06 } };

const manifest = (over: Record<string, unknown> = {}, seq: Record<string, unknown> = {}) => ({
  version: 1, name: 'levels', categoryMap: map,
  sequences: [{
    id: 's1', domain: 'speech', group: 'speaker:1', gapNoiseDb: -90, gapNoiseSeed: 1,
    parts: [{ audio: 'a.wav', gapBeforeS: 0.5, durationS: 2 }],
    targets: { segments: [{ start: 0.5, end: 2.5, category: 'high' }] }, ...seq,
  }],
  ...over,
});

function datasetError(json: unknown, pattern: RegExp): void {
  try {
    validateManifest(json);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_DATASET', String(e));
    assert.match((e as Error).message, pattern);
  }
}

test('categoryMap: null marks a dimension as not labelled; both null, a missing key or a non-number is rejected by path', () => {
  const m = validateManifest(manifest());
  assert.equal(m.categoryMap!['high'], { arousal: 0.6, valence: null });
  datasetError(manifest({ categoryMap: { ...map, none: { arousal: null, valence: null } } }), /categoryMap\.none: arousal and valence cannot both be null/);
  datasetError(manifest({ categoryMap: { ...map, x: { arousal: 0.2 } } }), /categoryMap\.x\.valence: must be a number in \[-1, 1\]/);
  datasetError(manifest({ categoryMap: { ...map, x: { arousal: 0.2, valence: 'none' } } }), /categoryMap\.x\.valence/);
});

test('intensity < 1 needs the neutral point to have every dimension its category labels', () => {
  const scaled = { targets: { segments: [{ start: 0.5, end: 2.5, category: 'anger', intensity: 0.5 }] } };
  assert.ok(validateManifest(manifest({ neutralCategory: 'neutral' }, scaled)));
  const blindNeutral = { ...map, neutral: { arousal: -0.63, valence: null } };
  datasetError(manifest({ categoryMap: blindNeutral, neutralCategory: 'neutral' }, scaled), /sequences\[0\]\.targets\.segments\[0\]\.intensity: .*valence is null/);
  // A level category (valence null) scales its arousal only; valence stays missing.
  assert.equal(scaledPoint(map.high, map.neutral, 0.5), { arousal: (0.6 - 0.63) / 2, valence: null });
  assert.throws(() => scaledPoint(map.anger, blindNeutral.neutral, 0.5), /neutral point has no valence/);
});

test('gapNoiseDb: a dBFS level or "silence"; anything else is rejected naming the field', () => {
  assert.is(validateManifest(manifest({}, { gapNoiseDb: 'silence' })).sequences[0]!.gapNoiseDb, 'silence');
  datasetError(manifest({}, { gapNoiseDb: 'quiet' }), /sequences\[0\]\.gapNoiseDb: must be a number in \[-200, 0\] \(dBFS of the gap noise\) or "silence"/);
  datasetError(manifest({}, { gapNoiseDb: 3 }), /sequences\[0\]\.gapNoiseDb/);
});

test('segments → 1 Hz per dimension: valence NaN where only null-valence categories cover the second', () => {
  const segs = [
    { start: 0.5, end: 2.5, category: 'high' },
    { start: 3.0, end: 5.0, category: 'anger' },
    { start: 5.5, end: 7.5, category: 'low' },
  ];
  const s = segmentsToOneHz(segs, map);
  const at = (T: number) => s.secondS.indexOf(T);
  assert.equal(Array.from(s.secondS), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(Math.abs(s.arousal[at(2)]! - 0.6) < 1e-6);
  assert.ok(Number.isNaN(s.valence[at(2)]!), 'second 2: only "high" (no valence)');
  assert.ok(Math.abs(s.valence[at(4)]! - -0.67) < 1e-6, 'second 4: anger has valence');
  // Second 3 = (2, 3]: 0.5 s of "high" (2–2.5), 0 s of anger → arousal 0.6, valence below coverage.
  assert.ok(Math.abs(s.arousal[at(3)]! - 0.6) < 1e-6 && Number.isNaN(s.valence[at(3)]!));
  // Second 6 = (5, 6]: 0.5 s of "low" → arousal −0.7, no valence (anger ended at 5.0).
  assert.ok(Math.abs(s.arousal[at(6)]! - -0.7) < 1e-6 && Number.isNaN(s.valence[at(6)]!));
  const fullyLabelled = segmentsToOneHz([{ start: 0.5, end: 2.5, category: 'anger' }], map);
  assert.ok(Array.from(fullyLabelled.valence).every(Number.isFinite), 'fully labelled categories: no NaN');
});

test('windows keep mask 1 with one missing dimension; finiteRuns cuts only where both are missing', () => {
  const s = segmentsToOneHz([{ start: 0.5, end: 3.5, category: 'high' }, { start: 4, end: 8, category: 'anger' }], map);
  const a = alignToWindows(s, 7);
  assert.equal(Array.from(a.mask), new Array(a.count).fill(1));
  assert.is(a.dropped.interior, 0);
  assert.ok(Number.isNaN(a.valence[0]!) && Number.isFinite(a.arousal[0]!));
  const targets = new Float32Array([0.1, NaN, 0.2, NaN, NaN, NaN, NaN, 0.3, 0.4, 0.5]);
  assert.equal(finiteRuns({ targets, T: 5 }), [[0, 2], [3, 5]]);
  assert.is(targetedSteps({ targets, T: 5 }), 4);
});

test.run();
