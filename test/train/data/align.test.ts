import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignToWindows, segmentsToOneHz, sliceWindows, toOneHz } from '../../../src/train/data/align.ts';
import { NRC_CATEGORY_MAP } from '../../../src/train/data/categories.ts';
import { parseFeatureCsv, parseTargetCsv } from '../../../src/train/data/csv.ts';
import { alignSequenceTargets, summariseAlignment } from '../../../src/train/data/targets.ts';

const test = suite('train/data/align');

// emoMusic-like track: 2 Hz from 15.0 to 45.0 s, value = time (so averages are checkable by hand).
const timeS = Array.from({ length: 61 }, (_, i) => 15 + i * 0.5);
const track = { timeS, arousal: timeS.map((t) => t / 100), valence: timeS.map((t) => -t / 100) };

test('2 Hz → 1 Hz: second T averages the samples at T − 0.5 and T; incomplete seconds dropped', () => {
  const s = toOneHz(track);
  assert.is(s.secondS[0], 16, 'the lone 15.0 s sample does not form a second');
  assert.is(s.secondS.length, 30);
  assert.is(s.secondS[29], 45);
  for (let i = 0; i < 30; i++) {
    const T = s.secondS[i]!;
    assert.ok(Math.abs(s.arousal[i]! - (T - 0.25) / 100) < 1e-6, `T=${T}: ${s.arousal[i]}`);
  }
  const pm = toOneHz({ timeS: [15.5, 16, 16.5, 17], arousal: [0, 0.2, 0.4, 0.6], valence: [0, 0, 0, 0] });
  assert.equal(Array.from(pm.secondS), [16, 17], 'PMEmo-like start at 15.5 s');
  assert.ok(Math.abs(pm.arousal[1]! - 0.5) < 1e-7);
});

test('window w pairs with the target of second w + 2; untargeted ends cut and counted', () => {
  const a = alignToWindows(toOneHz(track), 44); // 45 s of audio → 44 windows (w = 0..43)
  assert.is(a.firstWindow, 14, 'window 14 ends at 16 s');
  assert.is(a.count, 30);
  assert.equal(a.dropped, { leading: 14, trailing: 0, interior: 0 });
  assert.is(a.unmatchedTargets, 0);
  assert.ok(Math.abs(a.arousal[0]! - 0.1575) < 1e-6, 'window 14 ↔ mean of 15.5 s and 16 s');
  const short = alignToWindows(toOneHz(track), 40); // audio ends early: targets 42..45 unmatched
  assert.is(short.count, 26);
  assert.is(short.unmatchedTargets, 4);
  const lagged = alignToWindows(toOneHz(track), 44, { lagS: 1 });
  assert.is(lagged.firstWindow, 13);
  const features = Float32Array.from({ length: 44 * 3 }, (_, i) => i);
  const kept = sliceWindows(features, 3, a);
  assert.is(kept.length, 90);
  assert.is(kept[0], 14 * 3);
});

test('segments: overlap-weighted mean over (T − 1, T]; gaps shorter than half a second keep targets', () => {
  const map = { anger: NRC_CATEGORY_MAP['anger']!, sadness: NRC_CATEGORY_MAP['sadness']!, neutral: NRC_CATEGORY_MAP['neutral']! };
  const segs = [
    { start: 0.5, end: 3.25, category: 'anger' },
    { start: 3.75, end: 6, category: 'sadness', intensity: 0.5 },
  ];
  const s = segmentsToOneHz(segs, map, map.neutral);
  assert.equal(Array.from(s.secondS), [1, 2, 3, 4, 5, 6]);
  assert.ok(Math.abs(s.arousal[1]! - map.anger.arousal) < 1e-6);
  const halfSad = map.neutral.arousal + 0.5 * (map.sadness.arousal - map.neutral.arousal);
  // Second 4 = (3, 4]: 0.25 s anger + 0.25 s sadness (half intensity), 0.5 s gap.
  assert.ok(Math.abs(s.arousal[3]! - (map.anger.arousal + halfSad) / 2) < 1e-6, `second 4: ${s.arousal[3]}`);
  assert.ok(Math.abs(s.arousal[5]! - halfSad) < 1e-6);
  const sparse = segmentsToOneHz([{ start: 0, end: 1, category: 'anger' }, { start: 2.4, end: 4, category: 'anger' }], map);
  assert.equal(Array.from(sparse.secondS), [1, 3, 4], 'second 2 has no segment; second 3 is 0.6 s covered');
  const a = alignToWindows(sparse, 3); // window ends 2, 3, 4
  assert.equal(Array.from(a.mask), [1, 1]);
  const b = alignToWindows({ ...sparse, secondS: Int32Array.of(1, 2, 4) }, 3);
  assert.equal(Array.from(b.mask), [1, 0, 1], 'interior untargeted window masked, not removed');
  assert.ok(Number.isNaN(b.arousal[1]!));
  assert.is(b.dropped.interior, 1);
  assert.is(summariseAlignment([a, b]).maskedInterior, 1);
});

test('CSV readers: targets with header, features with end-time column checked', async () => {
  const t = parseTargetCsv('Time,Valence,Arousal\n15.5,0.1,0.2\n16.0,0.2,0.4\n');
  assert.equal(Array.from(t.timeS), [15.5, 16]);
  assert.ok(Math.abs(t.arousal[1]! - 0.4) < 1e-7);
  assert.throws(() => parseTargetCsv('time,arousal\n1,0\n'), /columns time, arousal, valence/);
  assert.throws(() => parseTargetCsv('time,arousal,valence\n1,2,0\n'), /bad value "2"/);
  const row = (w: number) => [w + 2, ...Array.from({ length: 260 }, (_, j) => w * 1000 + j)].join(';');
  const f = parseFeatureCsv(`t;f…\n${row(0)}\n${row(1)}\n`);
  assert.is(f.count, 2);
  assert.is(f.windows[260 + 5], 1005);
  assert.throws(() => parseFeatureCsv(`${row(0)}\n${row(5)}\n`), /end time 7 should be 3/);
  const dir = await mkdtemp(join(tmpdir(), 'emo-align-'));
  try {
    await writeFile(join(dir, 't.csv'), 'time,arousal,valence\n' + timeS.map((x) => `${x},${x / 100},0`).join('\n'));
    const a = await alignSequenceTargets({ id: 's', domain: 'music', group: 'g', audio: 'x', targets: { csv: join(dir, 't.csv') } }, {}, 44);
    assert.is(a.firstWindow, 14);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
