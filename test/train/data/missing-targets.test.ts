// Missing targets in the data layer: a categoryMap dimension that is `null` (BAVED's valence) is
// aligned to NaN in that dimension only, and keeps the window in the training pieces (validation of
// such maps: manifest.test.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { alignToWindows, segmentsToOneHz } from '../../../src/train/data/align.ts';
import { finiteRuns, targetedSteps } from '../../../src/train/data/sequences.ts';

const test = suite('train/data/missing-targets');

const map = { high: { arousal: 0.6, valence: null }, low: { arousal: -0.7, valence: null }, anger: { arousal: 0.73, valence: -0.67 }, neutral: { arousal: -0.63, valence: -0.06 } };

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
