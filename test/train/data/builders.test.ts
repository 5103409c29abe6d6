import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testUnless } from '../../pipeline/helpers.ts';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCorpusManifest, writeManifest } from '../../../src/train/data/builders/index.ts';
import { concatenateUtterances, seededShuffle } from '../../../src/train/data/builders/concat.ts';
import { parseFlacInfo, readFlacInfo } from '../../../src/train/data/flac-info.ts';
import { loadManifest } from '../../../src/train/data/manifest.ts';
import { NRC_CATEGORY_MAP } from '../../../src/train/data/categories.ts';
import { sequenceSecondTargets } from '../../../src/train/data/targets.ts';
import { partSpans } from '../../../src/train/data/render.ts';

const test = suite('train/data/builders');
// The shared corpora (../shared/data, see its README); tests that need them are skipped without it.
const DATA = resolve(new URL('../../../../shared/data', import.meta.url).pathname);
const haveData = existsSync(join(DATA, 'README.md'));
const dataTest = testUnless(test, haveData ? undefined : `${DATA} is not there (the shared corpora)`);

test('concatenation: seeded order, one gap before each part, sample-exact segments', () => {
  const utts = ['n', 'a', 's', 'h'].map((c, i) => ({ audio: `u${i}.flac`, durationS: 1.23456 + i, category: c }));
  const opts = { gapS: 0.5, gapNoiseDb: -80, seed: 5, maxPartsPerSequence: 3 };
  const seqs = concatenateUtterances('spk', 'speaker:spk', 'speech', utts, opts);
  assert.equal(seqs.map((s) => s.id), ['spk-1', 'spk-2']);
  assert.equal(concatenateUtterances('spk', 'g', 'speech', utts, opts)[0]!.parts, seqs[0]!.parts, 'deterministic');
  const s = seqs[0]!;
  const spans = partSpans(s, []);
  const segs = 'segments' in s.targets ? s.targets.segments : [];
  segs.forEach((g, i) => {
    assert.is(g.start * 16000, spans[i]!.startSample);
    assert.is(g.end * 16000, spans[i]!.endSample);
    assert.is(Math.round((g.end - g.start) * 16000), Math.round(s.parts![i]!.durationS! * 16000));
  });
  assert.is(segs[0]!.start, 0.5);
  assert.ok(Math.abs(segs[1]!.start - segs[0]!.end - 0.5) < 1e-9, '0.5 s gap between parts');
  assert.is.not(seqs[0]!.gapNoiseSeed, seqs[1]!.gapNoiseSeed);
  const sh = seededShuffle([1, 2, 3, 4, 5, 6, 7, 8], 9);
  assert.equal([...sh].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.not.equal(sh, [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('FLAC STREAMINFO parsing', () => {
  const head = new Uint8Array(42);
  head.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34], 0);
  // 22050 Hz = 0x05622, 1 channel, 16 bits, 44100 samples.
  head[18] = 0x05; head[19] = 0x62; head[20] = 0x20 | (0 << 1) | 0; head[21] = 0xf0; // bps-1 = 15 → high nibble f
  head[22] = 0; head[23] = 0; head[24] = 0xac; head[25] = 0x44;
  const info = parseFlacInfo(head);
  assert.equal(info, { sampleRateHz: 22050, channels: 1, bitsPerSample: 16, totalSamples: 44100, durationS: 2 });
  assert.throws(() => parseFlacInfo(new Uint8Array(42)), /not a FLAC/);
});

dataTest('emomusic: 10 songs with audio, 2 Hz targets from 15 s, 30 whole seconds each', async () => {
  const m = await buildCorpusManifest('emomusic', DATA);
  assert.is(m.sequences.length, 10);
  const s2 = m.sequences.find((s) => s.id === 'emomusic-2')!;
  assert.is(s2.group, 'song:2');
  assert.is(s2.meta!['artist'], 'The New Mystikal Troubadours');
  assert.is(s2.audio, 'emomusic/audio/2.mp3');
  const sec = await sequenceSecondTargets(s2, m);
  assert.is(sec.secondS[0], 16);
  assert.is(sec.secondS.length, 30);
  // Song 2's first two arousal samples (15.5 s, 16.0 s) in arousal_cont_average.csv.
  assert.ok(Math.abs(sec.arousal[0]! - (-0.114942729568455 + -0.116413683818254) / 2) < 1e-6);
  const byArtist = await (await import('../../../src/train/data/builders/music.ts')).buildEmoMusicManifest(DATA, { groupBy: 'artist' });
  assert.is(new Set(byArtist.sequences.map((s) => s.group)).size, 6, '10 songs by 6 artists (4 by Kevin MacLeod)');
});

dataTest('pmemo: 4 songs, dynamic A/V mapped with 2x − 1 from 15.5 s', async () => {
  const m = await buildCorpusManifest('pmemo', DATA);
  assert.is(m.sequences.length, 4);
  const s = m.sequences.find((x) => x.id === 'pmemo-108')!;
  const t = 'samples' in s.targets ? s.targets.samples : undefined;
  assert.is(t!.timeS[0], 15.5);
  assert.ok(Math.abs(t!.arousal[0]! - (2 * 0.8595 - 1)) < 1e-12);
  assert.ok(Math.abs(t!.valence[0]! - (2 * 0.7834 - 1)) < 1e-12);
  const sec = await sequenceSecondTargets(s, m);
  assert.is(sec.secondS[0], 16, 'first second averages 15.5 and 16.0');
});

dataTest('ravdess: 24 actor sequences of 60 utterances, intensity halves the distance from neutral', async () => {
  const m = await buildCorpusManifest('ravdess', DATA);
  assert.is(m.sequences.length, 24);
  assert.is(m.neutralCategory, 'neutral');
  const a1 = m.sequences[0]!;
  assert.is(a1.group, 'speaker:ravdess-actor01');
  assert.is(a1.parts!.length, 60);
  assert.is(a1.gapNoiseDb, -95);
  const first = a1.parts![0]!;
  const info = await readFlacInfo(join(DATA, first.audio));
  assert.is(first.durationS, info.durationS);
  const segs = 'segments' in a1.targets ? a1.targets.segments : [];
  assert.ok(segs.some((g) => g.intensity === 0.5) && segs.some((g) => g.intensity === undefined));
  const total = segs[segs.length - 1]!.end;
  assert.ok(total > 200 && total < 320, `actor 1 sequence lasts ${total} s`);
  const sec = await sequenceSecondTargets(a1, m);
  assert.ok(sec.secondS.length >= Math.floor(total) - 1, 'nearly every second has a target');
  const anger = NRC_CATEGORY_MAP['anger']!;
  assert.ok(Array.from(sec.arousal).some((x) => Math.abs(x - anger.arousal) < 1e-6), 'strong anger reaches the NRC point');
});

dataTest('emodb: 10 speaker sequences, all 535 utterances, categories from the 6th letter', async () => {
  const m = await buildCorpusManifest('emodb', DATA);
  assert.is(m.sequences.length, 10);
  assert.is(m.sequences.reduce((n, s) => n + s.parts!.length, 0), 535);
  const s03 = m.sequences[0]!;
  assert.is(s03.id, 'emodb-speaker03');
  assert.is(s03.parts!.length, 49);
  assert.ok(s03.parts!.every((p) => Math.abs(p.durationS! - 2) < 1e-9), 'this copy is 2.00 s per file');
  const segs = 'segments' in s03.targets ? s03.targets.segments : [];
  const idx = s03.parts!.findIndex((p) => p.audio.endsWith('03a01Wa.flac'));
  assert.is(segs[idx]!.category, 'anger');
  assert.equal(Object.keys(m.categoryMap!).sort(), ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'neutral', 'sadness']);
});

dataTest('nemo, ased, baved: all utterances, one stream per speaker, exact Opus header durations', async () => {
  const nemo = await buildCorpusManifest('nemo', DATA);
  assert.is(nemo.sequences.length, 9);
  assert.is(nemo.sequences.reduce((n, s) => n + s.parts!.length, 0), 4481);
  const odd = nemo.sequences.flatMap((s) => s.parts!).find((p) => p.audio.endsWith('EB0_happiness_90.opus'))!;
  assert.is(odd.durationS, 3.5893125, 'header length (labels.csv says 3.589)');
  const ased = await buildCorpusManifest('ased', DATA);
  assert.is(ased.sequences.length, 65);
  assert.is(ased.sequences.reduce((n, s) => n + s.parts!.length, 0), 2474);
  const baved = await buildCorpusManifest('baved', DATA);
  assert.is(baved.sequences.length, 60);
  assert.is(baved.sequences.reduce((n, s) => n + s.parts!.length, 0), 1935);
  assert.ok(Object.values(baved.categoryMap!).every((p) => p.valence === null));
});

dataTest('music4q: 720 clips, grouped by artist, quadrant counts as published', async () => {
  const m = await buildCorpusManifest('music4q', DATA);
  assert.is(m.sequences.length, 720);
  assert.is(new Set(m.sequences.map((s) => s.group)).size, 518, '515 named artists + 3 clips without one');
  const count = (q: string) => m.sequences.filter((s) => s.meta!['quadrant'] === q).length;
  assert.equal(['Q1', 'Q2', 'Q3', 'Q4'].map(count), [187, 168, 193, 172]);
});

dataTest('a written manifest loads back with absolute paths into the data folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-build-'));
  try {
    const m = await buildCorpusManifest('emomusic', DATA);
    await writeManifest(m, join(dir, 'emomusic.json'));
    const back = await loadManifest(join(dir, 'emomusic.json'));
    assert.is(back.sequences[0]!.audio, join(DATA, 'emomusic/audio/2.mp3'));
    assert.ok(existsSync(back.sequences[0]!.audio!));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
