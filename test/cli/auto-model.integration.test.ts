import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAudioFile } from '../../src/audio/load-file.ts';
import { runCli } from '../server/helpers.ts';
import { tempDir, testUnless, writeWav16k } from '../pipeline/helpers.ts';

const test = suite('cli: analyse --model auto on speech, then music, then speech (real recordings from ../shared/data)');
const data = new URL('../../../shared/data/', import.meta.url).pathname;
const withData = testUnless(test, existsSync(join(data, 'ravdess')) && existsSync(join(data, 'music4q')) ? undefined : `${data} (ravdess, music4q) is not there`);
const dir = tempDir('auto-cli');
test.after(() => dir.cleanup());

/** 16 kHz samples of files joined end to end, up to `seconds`. */
async function joined(files: readonly string[], seconds: number): Promise<Float32Array> {
  const out = new Float32Array(seconds * 16000);
  let at = 0;
  for (const f of files) {
    if (at >= out.length) break;
    const s = (await loadAudioFile(f, { rate: 16000 })).samples;
    out.set(s.subarray(0, out.length - at), at);
    at += s.length;
  }
  return out;
}

withData('a performer between songs: speech model while talking, music model within a few seconds of the song, back after it', async () => {
  const actor = join(data, 'ravdess/flac/Actor_05');
  const utterances = readdirSync(actor).sort().map((f) => join(actor, f));
  const talk1 = await joined(utterances.slice(0, 6), 12);
  const song = await joined([join(data, 'music4q/audio/Q1/MT0000040632.opus')], 20);
  const talk2 = await joined(utterances.slice(6, 12), 12);
  const all = new Float32Array(talk1.length + song.length + talk2.length);
  all.set(talk1, 0); all.set(song, talk1.length); all.set(talk2, talk1.length + song.length);
  const wav = writeWav16k(dir.path, 'set.wav', all);
  const r = await runCli(['analyse', wav, '--model', 'auto']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t: number; model: string; content: string });
  if (process.env.EMOSTREAM_SHOW) console.log(lines.map((l) => `${l.t}:${l.content}:${l.model.split('@')[0]}`).join(' '));
  const domain = (t: number) => lines.find((l) => l.t === t)!.model.split('@')[0];
  // Windows wholly inside each part (window t covers [t − 2, t)).
  for (const t of [4, 8, 12]) assert.is(domain(t), 'speech', `t=${t} (talk)`);
  const songStart = 12, songEnd = 32;
  const firstMusic = lines.find((l) => l.t > songStart && l.model.startsWith('music'))?.t;
  assert.ok(firstMusic !== undefined && firstMusic <= songStart + 2 + 3 + 2, `switched to music at t=${firstMusic} (song from ${songStart} s); ${JSON.stringify(lines.map((l) => `${l.t}:${l.content}:${l.model[0]}`))}`);
  for (let t = firstMusic!; t <= songEnd; t++) assert.is(domain(t), 'music', `t=${t} stays on music inside the song`);
  const back = lines.find((l) => l.t > songEnd && l.model.startsWith('speech'))?.t;
  assert.ok(back !== undefined && back <= songEnd + 2 + 3 + 2, `back to speech at t=${back} (talk from ${songEnd} s)`);
});

test.run();
