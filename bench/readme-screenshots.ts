/**
 * Makes the README pictures of the performer pages from real recordings: a server with `--model auto` gets two
 * ingest streams played in real time, 'mic' (RAVDESS actor 3: calm, then angry, then happy speech) and 'band'
 * (a music4q clip), and headless Chromium (test/server/browser.ts) photographs /stage at 1280×720 and the overlay
 * (default bottom-right widget) inside a 960×540 stand-in for a stream scene.
 *   node --import tsx bench/readme-screenshots.ts [out-dir=docs]   (needs /usr/bin/chromium and ../shared/data)
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAudioFile } from '../src/audio/load-file.ts';
import { loadShippedAutoModel } from '../src/model/auto-loading.ts';
import { startServer } from '../src/server/index.ts';
import { startBrowser } from '../test/server/browser.ts';
import { connectClient } from '../test/server/helpers.ts';
import { tempDir } from '../test/pipeline/helpers.ts';

const out = resolve(process.argv[2] ?? 'docs');
const data = resolve('../shared/data');
const dir = tempDir('readme-shots');

async function samples(files: readonly string[]): Promise<Float32Array> {
  const parts = await Promise.all(files.map(async (f) => (await loadAudioFile(f, { rate: 16000 })).samples));
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return all;
}
/** Plays `x` into an ingest socket in real time (100 ms frames of s16le). */
async function play(url: string, x: Float32Array): Promise<void> {
  const c = await connectClient(url);
  for (let at = 0; at < x.length; at += 1600) {
    const frame = x.subarray(at, at + 1600);
    const bytes = new Int16Array(frame.length);
    for (let k = 0; k < frame.length; k++) bytes[k] = Math.max(-32767, Math.min(32767, Math.round(frame[k]! * 32767)));
    c.ws.send(Buffer.from(bytes.buffer));
    await new Promise((r) => setTimeout(r, 100));
  }
}

const actor = join(data, 'ravdess/flac/Actor_03');
const files = readdirSync(actor).sort();
// RAVDESS names: modality-channel-emotion-…; emotion 02 calm, 05 angry, 03 happy (strong intensity: 02).
const pick = (emotion: string) => files.filter((f) => f.split('-')[2] === emotion && f.split('-')[3] === '02').slice(0, 3).map((f) => join(actor, f));
const mic = await samples([...pick('02'), ...pick('05'), ...pick('03')]);
const band = await samples([join(data, 'music4q/audio/Q1/MT0000040632.opus')]);
const model = await loadShippedAutoModel();
const server = await startServer({ model, port: 0, ingest: true, workers: 1 });
const ws = server.url.replace('http', 'ws');
const playing = [play(`${ws}/ingest?stream=mic`, mic), play(`${ws}/ingest?stream=band`, band)];
const browser = await startBrowser(join(dir.path, 'profile'));
await new Promise((r) => setTimeout(r, (mic.length / 16000 - 4) * 1000));
const stage = await browser.open(`${server.url}/stage?stream=mic`, 1280, 720);
await new Promise((r) => setTimeout(r, 1500));
writeFileSync(join(out, 'stage.png'), await stage.png());
const scene = join(dir.path, 'scene.html');
writeFileSync(scene, `<!doctype html><body style="margin:0;width:960px;height:540px;background:linear-gradient(135deg,#2b4f6e,#6e3b5a 60%,#a0703a);overflow:hidden">
<div style="position:absolute;left:40px;top:40px;font:600 28px system-ui;color:#fff8">your stream</div>
<iframe src="${server.url}/overlay?stream=mic" style="position:absolute;inset:0;width:960px;height:540px;border:0;background:transparent" allowtransparency></iframe></body>`);
const overlay = await browser.open(`file://${scene}`, 960, 540);
await new Promise((r) => setTimeout(r, 1500));
writeFileSync(join(out, 'overlay.png'), await overlay.png());
await Promise.all(playing);
await browser.close();
await server.close();
await model.release();
dir.cleanup();
process.stdout.write(`wrote ${join(out, 'stage.png')} and ${join(out, 'overlay.png')}\n`);

