// Stream options of the categorical speech builders, on a fake EmoDB folder made of copies of the
// committed FLAC tone fixture: per-speaker vs single-emotion streams (`by`), noise vs digital-silence
// pauses (`pause`), option errors, and the rendered silence through the real decoder.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEmoDbManifest } from '../../../src/train/data/builders/speech.ts';
import { validateManifest, resolveManifestPaths } from '../../../src/train/data/manifest.ts';
import { partSpans, renderSequenceAudio } from '../../../src/train/data/render.ts';
import { decode16k } from '../../../src/train/data/sequences.ts';

const test = suite('train/data/speech-streams');
const FLAC = fileURLToPath(new URL('../../fixtures/audio/tone440.flac', import.meta.url)); // 0.5 s, 16 kHz
const FILES = ['03a01Wa', '03a02Wb', '03a01Nc', '03b01Lb', '08a01Fd', '08a01Ta', '08a02Tb'];
let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-streams-'));
  await mkdir(join(dir, 'emodb', 'flac'), { recursive: true });
  for (const f of FILES) await copyFile(FLAC, join(dir, 'emodb', 'flac', `${f}.flac`));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const segmentsOf = (s: { targets: object }) => ('segments' in s.targets ? (s.targets as { segments: { category: string; start: number; end: number }[] }).segments : []);

test('default: one noise-gapped stream per speaker with all its utterances', async () => {
  const m = validateManifest(await buildEmoDbManifest(dir));
  assert.equal(m.sequences.map((s) => [s.id, s.group, s.parts!.length, s.gapNoiseDb]), [
    ['emodb-speaker03', 'speaker:emodb-speaker03', 4, -60],
    ['emodb-speaker08', 'speaker:emodb-speaker08', 3, -60],
  ]);
  assert.ok(m.sequences[0]!.parts!.every((p) => p.durationS === 0.5), 'durations from STREAMINFO');
  assert.equal(Object.keys(m.categoryMap!), ['anger', 'boredom', 'happiness', 'neutral', 'sadness']);
});

test('by emotion: one stream per speaker and category, grouped by speaker, only that category inside', async () => {
  const m = validateManifest(await buildEmoDbManifest(dir, { by: 'emotion' }));
  assert.equal(m.sequences.map((s) => s.id), [
    'emodb-speaker03-anger', 'emodb-speaker03-boredom', 'emodb-speaker03-neutral', 'emodb-speaker08-happiness', 'emodb-speaker08-sadness',
  ]);
  for (const s of m.sequences) {
    const cats = new Set(segmentsOf(s).map((g) => g.category));
    assert.equal([...cats], [s.meta!['emotion']], `${s.id}: single emotion`);
    assert.is(s.group, `speaker:${s.id.split('-').slice(0, 2).join('-')}`);
    assert.is(segmentsOf(s)[0]!.start, 0.5, 'the emotion holds from the first utterance, after one gap');
  }
  assert.is(m.sequences[0]!.parts!.length, 2);
  assert.match(m.description!, /single-emotion streams/);
});

test('pause silence: gapNoiseDb "silence" in the manifest, exact zeros between the decoded utterances', async () => {
  const m = validateManifest(await buildEmoDbManifest(dir, { pause: 'silence' }));
  assert.ok(m.sequences.every((s) => s.gapNoiseDb === 'silence'));
  assert.match(m.description!, /digital-silence pauses/);
  const seq = resolveManifestPaths(m, dir).sequences[1]!;
  const x = await renderSequenceAudio(seq, decode16k);
  const spans = partSpans(seq, []);
  assert.is(x.length, spans[spans.length - 1]!.endSample);
  let prev = 0;
  for (const s of spans) {
    for (let i = prev; i < s.startSample; i++) if (!Object.is(x[i], 0)) assert.unreachable(`gap sample ${i} = ${x[i]}`);
    let energy = 0;
    for (let i = s.startSample; i < s.endSample; i++) energy += x[i]! ** 2;
    assert.ok(energy / (s.endSample - s.startSample) > 0.05, 'the utterance itself is there');
    prev = s.endSample;
  }
  const noisy = resolveManifestPaths(validateManifest(await buildEmoDbManifest(dir)), dir).sequences[1]!;
  const y = await renderSequenceAudio(noisy, decode16k);
  assert.ok(y.subarray(0, 8000).some((v) => v !== 0), 'default pauses are noise, not silence');
});

test('bad stream options are EMO_ERR_BAD_CONFIG naming the option', async () => {
  const cases: [object, RegExp][] = [
    [{ by: 'utterance' }, /emodb builder options\.by: must be "speaker" or "emotion"/],
    [{ pause: 'hum' }, /options\.pause: must be "noise" or "silence"/],
    [{ pause: 'silence', gapNoiseDb: -70 }, /options\.gapNoiseDb: only applies to pause "noise"/],
    [{ gapNoiseDb: 5 }, /options\.gapNoiseDb: must be a dBFS level/],
    [{ maxPartsPerSequence: 0 }, /options\.maxPartsPerSequence/],
  ];
  for (const [options, pattern] of cases) {
    try {
      await buildEmoDbManifest(dir, options);
      assert.unreachable(JSON.stringify(options));
    } catch (e) {
      assert.is((e as { code?: string }).code, 'EMO_ERR_BAD_CONFIG', String(e));
      assert.match((e as Error).message, pattern);
    }
  }
});

test.run();
