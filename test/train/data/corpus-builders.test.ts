// The labels.csv corpora (nEMO, ASED, BAVED, music4q) on a tiny fake data folder made in a temp dir:
// labels.csv files + copies of the committed Ogg Opus tone and generated WAVs. Covers categories,
// groups, header durations (and their cross-check), BAVED's missing valence, music4q's quadrant targets,
// the registry/CLI options, and the Ogg Opus / WAV header reader.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../../../src/audio/wav.ts';
import { readAudioDuration, lastGranule } from '../../../src/train/data/builders/audio-info.ts';
import { buildCorpusManifest } from '../../../src/train/data/builders/index.ts';
import { BAVED_LEVEL_POINTS } from '../../../src/train/data/builders/labelled-speech.ts';
import { NRC_CATEGORY_MAP } from '../../../src/train/data/categories.ts';
import { loadManifest } from '../../../src/train/data/manifest.ts';
import { decode16k } from '../../../src/train/data/sequences.ts';
import { sequenceSecondTargets } from '../../../src/train/data/targets.ts';
import { quietly } from '../quiet-cli.ts';

const test = suite('train/data/corpus-builders');
const OPUS = fileURLToPath(new URL('../../fixtures/audio/tone440.opus', import.meta.url)); // 0.5 s
let dir = '';

async function wav(path: string, samples: number): Promise<void> {
  const x = Float32Array.from({ length: samples }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 300 * i) / 16000));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, encodeWav([x], 16000, 's16'));
}
async function opus(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await copyFile(OPUS, path);
}
const csv = (rows: string[][]): string => rows.map((r) => r.join(',')).join('\n') + '\n';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-corpora-'));
  // nEMO: 2 speakers; one WAV of 12345 samples (0.7715625 s) listed rounded to ms, as the real tables are.
  await opus(join(dir, 'nemo/audio/AB0_anger_1.opus'));
  await opus(join(dir, 'nemo/audio/AB0_surprised_2.opus'));
  await wav(join(dir, 'nemo/audio/AB0_neutral_3.wav'), 12345);
  await opus(join(dir, 'nemo/audio/CD1_sadness_1.opus'));
  await writeFile(join(dir, 'nemo/labels.csv'), csv([
    ['path', 'speaker', 'sex', 'emotion', 'duration_s'],
    ['audio/AB0_anger_1.opus', 'AB0', 'female', 'anger', '0.500'],
    ['audio/AB0_surprised_2.opus', 'AB0', 'female', 'surprised', '0.500'],
    ['audio/AB0_neutral_3.wav', 'AB0', 'female', 'neutral', '0.772'],
    ['audio/CD1_sadness_1.opus', 'CD1', 'male', 'sadness', '0.500'],
  ]));
  await opus(join(dir, 'ased/audio/01Neutral/n1-01.opus'));
  await opus(join(dir, 'ased/audio/05Angry/a1-02.opus'));
  await writeFile(join(dir, 'ased/labels.csv'), csv([
    ['path', 'speaker', 'sex', 'emotion', 'duration_s'],
    ['audio/01Neutral/n1-01.opus', '01', 'female', 'neutral', '0.500'],
    ['audio/05Angry/a1-02.opus', '02', 'male', 'anger', '0.500'],
  ]));
  // BAVED: word, level 0/1/2, no valence.
  for (const f of ['0/0-m-21-0-0-1', '0/0-m-21-0-1-2', '1/0-m-21-1-2-3', '1/0-m-21-1-2-4', '0/7-f-30-0-1-5']) await opus(join(dir, `baved/audio/${f}.opus`));
  await writeFile(join(dir, 'baved/labels.csv'), csv([
    ['path', 'speaker', 'sex', 'word', 'level', 'duration_s'],
    ['audio/0/0-m-21-0-0-1.opus', '0', 'm', '0', '0', '0.500'],
    ['audio/0/0-m-21-0-1-2.opus', '0', 'm', '0', '1', '0.500'],
    ['audio/1/0-m-21-1-2-3.opus', '0', 'm', '1', '2', '0.500'],
    ['audio/1/0-m-21-1-2-4.opus', '0', 'm', '1', '2', '0.500'],
    ['audio/0/7-f-30-0-1-5.opus', '7', 'f', '0', '1', '0.500'],
  ]));
  // music4q: two clips by one artist, one by another, one without an artist; 20 s and 10 s WAV clips.
  await wav(join(dir, 'music4q/audio/Q1/MT1.wav'), 20 * 16000);
  await wav(join(dir, 'music4q/audio/Q3/MT2.wav'), 10 * 16000 + 704);
  await opus(join(dir, 'music4q/audio/Q2/MT3.opus'));
  await opus(join(dir, 'music4q/audio/Q4/MT4.opus'));
  await writeFile(join(dir, 'music4q/labels.csv'), csv([
    ['path', 'song', 'artist', 'title', 'quadrant', 'moods', 'genres', 'duration_s'],
    ['audio/Q1/MT1.wav', 'MT1', 'Band A', '"Song, One"', 'Q1', 'Fiery; Happy', 'Pop/Rock', '20.000'],
    ['audio/Q3/MT2.wav', 'MT2', 'Band A', 'Two', 'Q3', 'Gloomy', 'Jazz', '10.044'],
    ['audio/Q2/MT3.opus', 'MT3', 'Band B', 'Three', 'Q2', 'Angry', 'Metal', '0.500'],
    ['audio/Q4/MT4.opus', 'MT4', '', 'Four', 'Q4', 'Calm', 'Folk', '0.500'],
  ]));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const segmentsOf = (t: object) => (t as { segments: { start: number; end: number; category: string }[] }).segments;

test('header durations: Ogg Opus (granule − pre-skip at 48 kHz) matches the decoded length; WAV; bad files', async () => {
  const o = await readAudioDuration(OPUS);
  assert.equal(o, { container: 'ogg-opus', samples: 24000, rateHz: 48000, durationS: 0.5 });
  assert.is((await decode16k(OPUS)).length, Math.round(o.durationS * 16000), 'decoded 16 kHz length = header length');
  const w = await readAudioDuration(join(dir, 'nemo/audio/AB0_neutral_3.wav'));
  assert.equal(w, { container: 'wav', samples: 12345, rateHz: 16000, durationS: 12345 / 16000 });
  const bytes = await readFile(OPUS);
  assert.throws(() => lastGranule(bytes.subarray(0, bytes.length - 10)), /no complete Ogg page/);
  await writeFile(join(dir, 'junk.opus'), 'not audio at all');
  try {
    await readAudioDuration(join(dir, 'junk.opus'));
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_DATASET');
  }
});

test('nemo: one stream per speaker, NRC points, surprised = surprise, durations from the headers', async () => {
  const m = await buildCorpusManifest('nemo', dir);
  assert.equal(m.sequences.map((s) => [s.id, s.group, s.parts!.length, s.meta!['sex']]), [
    ['nemo-speakerAB0', 'speaker:nemo-speakerAB0', 3, 'female'],
    ['nemo-speakerCD1', 'speaker:nemo-speakerCD1', 1, 'male'],
  ]);
  assert.equal(m.categoryMap!['surprise'], NRC_CATEGORY_MAP['surprise']);
  assert.equal(Object.keys(m.categoryMap!).sort(), ['anger', 'neutral', 'sadness', 'surprise']);
  const neutral = m.sequences[0]!.parts!.find((p) => p.audio.endsWith('.wav'))!;
  assert.is(neutral.durationS, 12345 / 16000, 'the header, not the rounded duration_s');
  assert.ok(m.sequences[0]!.parts!.filter((p) => p.audio.endsWith('.opus')).every((p) => p.durationS === 0.5));
  assert.is(m.sequences[0]!.gapNoiseDb, -60);
  assert.match(m.description!, /non-commercial/);
});

test('ased: speakers from the speaker column, NRC points', async () => {
  const m = await buildCorpusManifest('ased', dir);
  assert.equal(m.sequences.map((s) => s.id), ['ased-speaker01', 'ased-speaker02']);
  assert.equal(segmentsOf(m.sequences[1]!.targets).map((g) => g.category), ['anger']);
  assert.is(m.sequences[0]!.gapNoiseDb, -110);
});

test('baved: arousal levels with valence null; aligned valence is NaN everywhere, arousal is the level point', async () => {
  const m = await buildCorpusManifest('baved', dir);
  assert.equal(m.sequences.map((s) => [s.id, s.parts!.length]), [['baved-speaker0', 4], ['baved-speaker7', 1]]);
  assert.equal(m.categoryMap, BAVED_LEVEL_POINTS);
  assert.ok(Object.values(m.categoryMap!).every((p) => p.valence === null));
  assert.is(BAVED_LEVEL_POINTS['level0-low']!.arousal, NRC_CATEGORY_MAP['boredom']!.arousal);
  assert.is(BAVED_LEVEL_POINTS['level1-neutral']!.arousal, NRC_CATEGORY_MAP['neutral']!.arousal);
  assert.ok(Math.abs(BAVED_LEVEL_POINTS['level2-high']!.arousal! - 0.6348) < 1e-9);
  assert.is(m.neutralCategory, undefined);
  const sec = await sequenceSecondTargets(m.sequences[0]!, m);
  assert.ok(sec.secondS.length >= 3);
  assert.ok(Array.from(sec.valence).every(Number.isNaN), 'no valence is invented');
  assert.ok(Array.from(sec.arousal).every(Number.isFinite));
  const levels = await buildCorpusManifest('baved', dir, { by: 'emotion' });
  assert.equal(levels.sequences.map((s) => s.id), ['baved-speaker0-level0-low', 'baved-speaker0-level1-neutral', 'baved-speaker0-level2-high', 'baved-speaker7-level1-neutral']);
});

test('music4q: one clip per sequence, group = artist, constant quadrant-centre targets, quadrant kept in meta', async () => {
  const m = await buildCorpusManifest('music4q', dir);
  assert.equal(m.sequences.map((s) => [s.id, s.group, s.meta!['quadrant']]), [
    ['music4q-MT1', 'artist:Band A', 'Q1'], ['music4q-MT2', 'artist:Band A', 'Q3'], ['music4q-MT3', 'artist:Band B', 'Q2'], ['music4q-MT4', 'artist:?MT4', 'Q4'],
  ]);
  assert.is(m.sequences[0]!.meta!['title'], 'Song, One');
  assert.equal(m.categoryMap!['Q2'], { arousal: 0.5, valence: -0.5 });
  assert.equal(segmentsOf(m.sequences[1]!.targets), [{ start: 0, end: 10.044, category: 'Q3' }]);
  const sec = await sequenceSecondTargets(m.sequences[0]!, m);
  assert.equal(Array.from(sec.secondS), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(Array.from(sec.arousal).every((a) => a === 0.5) && Array.from(sec.valence).every((v) => v === 0.5));
  const short = await sequenceSecondTargets(m.sequences[1]!, m);
  assert.is(short.secondS[short.secondS.length - 1], 10, 'the 0.044 s tail gives no second');
});

test('bad tables: unknown labels, a duration_s that does not match the audio, a missing column', async () => {
  const cases: [string, string, RegExp][] = [
    ['ased', 'audio/01Neutral/n1-01.opus,01,female,joy,0.500', /ased\/labels\.csv line 2: unknown emotion "joy" \(known: neutral, fear, happiness, sadness, anger\)/],
    ['ased', 'audio/01Neutral/n1-01.opus,01,female,neutral,0.550', /line 2: duration_s 0.55 s disagrees with the file's 0.5 s/],
    ['baved', 'audio/0/0-m-21-0-0-1.opus,0,m,0,3,0.500', /unknown level "3"/],
    ['music4q', 'audio/Q2/MT3.opus,MT3,Band B,Three,Q5,Angry,Metal,0.500', /unknown quadrant "Q5"/],
  ];
  for (const [corpus, row, pattern] of cases) {
    const bad = join(dir, 'bad');
    await rm(bad, { recursive: true, force: true });
    await mkdir(join(bad, corpus), { recursive: true });
    const header = (await readFile(join(dir, corpus, 'labels.csv'), 'utf8')).split('\n')[0]!;
    await writeFile(join(bad, corpus, 'labels.csv'), `${header}\n${row}\n`);
    await mkdir(join(bad, corpus, dirname(row.split(',')[0]!)), { recursive: true });
    await copyFile(OPUS, join(bad, corpus, row.split(',')[0]!));
    try {
      await buildCorpusManifest(corpus, bad);
      assert.unreachable(row);
    } catch (e) {
      assert.is((e as { code?: string }).code, 'EMO_ERR_DATASET', String(e));
      assert.match((e as Error).message, pattern);
    }
  }
  await mkdir(join(dir, 'bad', 'ased'), { recursive: true });
  await writeFile(join(dir, 'bad', 'ased', 'labels.csv'), 'path,speaker,emotion,duration_s\n');
  try {
    await buildCorpusManifest('ased', join(dir, 'bad'));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /missing column sex/);
  }
});

test('CLI: manifest baved --by emotion writes a loadable manifest; stream options on a music corpus or bad values fail', async () => {
  const out = join(dir, 'baved.json');
  const quiet = async (argv: string[]): Promise<number> => (await quietly(argv)).code;
  assert.is(await quiet(['manifest', 'baved', dir, '--out', out, '--by', 'emotion', '--pause', 'silence']), 0);
  const back = await loadManifest(out);
  assert.is(back.sequences.length, 4);
  assert.ok(back.sequences.every((s) => s.gapNoiseDb === 'silence'));
  assert.is(back.categoryMap!['level2-high']!.valence, null, 'null survives the JSON round trip');
  assert.is(back.sequences[0]!.parts![0]!.audio, join(dir, 'baved/audio/0/0-m-21-0-0-1.opus'));
  assert.is.not(await quiet(['manifest', 'music4q', dir, '--out', join(dir, 'm.json'), '--pause', 'silence']), 0);
  assert.is.not(await quiet(['manifest', 'nemo', dir, '--out', join(dir, 'n.json'), '--by', 'word']), 0);
  try {
    await buildCorpusManifest('music4q', dir, { by: 'emotion' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_BAD_CONFIG');
    assert.match((e as Error).message, /music4q builder options\.by: only the joined speech corpora/);
  }
});

test.run();
