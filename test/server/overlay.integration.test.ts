import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, POINT_COLOR, PLANE_RADIUS_FRACTION, type EmostreamServer } from '../../src/server/index.ts';
import { tempDir, testAudio16k, testUnless, writeTestModel, writeWav16k } from '../pipeline/helpers.ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import { createPipeline } from '../../src/pipeline/index.ts';
import { fileSource } from '../../src/audio/sources/index.ts';
import { connectClient, sendFrames, type Message } from './helpers.ts';
import { decodePng, type Image } from './png.ts';

const test = suite('server/overlay (headless Chromium)');
const CHROMIUM = '/usr/bin/chromium';
// .ci/run installs Debian's chromium, so in CI the test runs (and fails without a browser); elsewhere it is skipped.
const withChromium = testUnless(test, existsSync(CHROMIUM) || process.env.CI ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`);
const dir = tempDir('overlay');
let model: EmotionModel;
let server: EmostreamServer;

const audio = testAudio16k(8, 12);

test.before(async () => {
  // Random weights move the output only a little from second to second: measure the raw outputs (target std 1,
  // mean 0) on this audio, then write a model whose outputs are centred and stretched to span about ±0.7.
  const raw = await loadModel(await writeTestModel(dir.path, 21, 1, [0, 0]));
  const wav = writeWav16k(dir.path, 'ov.wav', audio.samples);
  const events = await lastValueFrom(createPipeline(of(fileSource(wav)), { model: raw }).pipe(toArray()));
  await raw.release();
  const av = events.flatMap((e) => (e.type === 'av' ? [[e.arousal, e.valence]] : []));
  const mean = [0, 1].map((k) => av.reduce((s, r) => s + r[k], 0) / av.length);
  const spread = Math.max(...av.flatMap((r) => [Math.abs(r[0] - mean[0]), Math.abs(r[1] - mean[1])]));
  const s = 0.7 / spread;
  model = await loadModel(await writeTestModel(dir.path, 21, s, [-s * mean[0], -s * mean[1]]));
  server = await startServer({ model, port: 0, ingest: true });
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

test('without a browser: the page embeds the stream\'s last results (the registry\'s trail) and forgets them when it ends', async () => {
  const ws = server.url.replace('http', 'ws');
  const watcher = await connectClient(`${ws}/results?stream=tr`);
  const ingest = await connectClient(`${ws}/ingest?stream=tr`);
  sendFrames(ingest.ws, audio.s16le.subarray(0, 2 * 16000 * 5), 3200); // 5 s: results at t = 2, 3, 4 (at least)
  await watcher.waitFor((m) => m.type === 'av' && m.t === 4);
  const config = async () => JSON.parse(/const CONFIG = (.*);/.exec(await (await fetch(`${server.url}/overlay?stream=tr`)).text())![1]) as { trail: Message[]; stream: string };
  const live = await config();
  const sent = watcher.messages.filter((m) => m.type === 'av');
  assert.is(live.stream, 'tr');
  assert.equal(live.trail, sent.map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence })));
  ingest.ws.send(JSON.stringify({ type: 'end' }));
  await ingest.closed;
  assert.equal((await config()).trail, [], 'an ended stream has no trail');
  watcher.ws.close();
});

/** Screenshots `url` with headless Chromium (async: the server answering it runs in this process). */
async function screenshot(url: string, width: number, height: number, name: string): Promise<Image> {
  const png = join(dir.path, name);
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    '--default-background-color=00000000', `--user-data-dir=${join(dir.path, 'profile')}`, `--window-size=${width},${height}`,
    `--screenshot=${png}`, url], { timeout: 60000 });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise((r) => child.once('close', r));
  assert.ok(existsSync(png), `chromium wrote no screenshot: ${stderr.slice(-400)}`);
  if (process.env.EMOSTREAM_KEEP_SCREENSHOTS) copyFileSync(png, join(process.env.EMOSTREAM_KEEP_SCREENSHOTS, name));
  return decodePng(readFileSync(png));
}

const [pr, pg, pb] = [1, 3, 5].map((k) => parseInt(POINT_COLOR.slice(k, k + 2), 16));
/** Centroid of the pixels drawn in the point colour. */
function pointCentroid(img: Image): { x: number; y: number; n: number } {
  let sx = 0, sy = 0, n = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const o = (y * img.width + x) * 4;
      if (img.rgba[o + 3] > 200 && Math.abs(img.rgba[o] - pr) < 12 && Math.abs(img.rgba[o + 1] - pg) < 12 && Math.abs(img.rgba[o + 2] - pb) < 12) {
        sx += x; sy += y; n++;
      }
    }
  }
  return { x: sx / n, y: sy / n, n };
}
const expectedAt = (m: Message, w: number, h: number) => {
  const r = PLANE_RADIUS_FRACTION * Math.min(w, h);
  const c = (v: number) => Math.max(-1, Math.min(1, v));
  return { x: w / 2 + c(m.valence as number) * r, y: h / 2 - c(m.arousal as number) * r };
};

withChromium('the overlay is transparent, draws the plane, and its point sits at (valence, arousal) and moves with them', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is not installed (.ci/run should have installed it)`);
  const ws = server.url.replace('http', 'ws');
  const watcher = await connectClient(`${ws}/results?stream=ov`);
  const ingest = await connectClient(`${ws}/ingest?stream=ov`);
  sendFrames(ingest.ws, audio.s16le.subarray(0, 2 * 16000 * 3), 3200);
  const first = await watcher.waitFor((m) => m.type === 'av' && m.t === 2);
  await new Promise((r) => setTimeout(r, 50));
  const last1 = watcher.messages.filter((m) => m.type === 'av').at(-1) as Message;
  const shots: Array<{ img: Image; m: Message }> = [];
  shots.push({ img: await screenshot(`${server.url}/overlay?stream=ov`, 640, 360, 'overlay-640-a.png'), m: last1 });
  sendFrames(ingest.ws, audio.s16le.subarray(2 * 16000 * 3), 3200);
  await watcher.waitFor((m) => m.type === 'av' && (m.t as number) >= 7);
  const last2 = watcher.messages.filter((m) => m.type === 'av').at(-1) as Message;
  shots.push({ img: await screenshot(`${server.url}/overlay?stream=ov`, 640, 360, 'overlay-640-b.png'), m: last2 });
  const big = await screenshot(`${server.url}/overlay?stream=ov`, 1920, 1080, 'overlay-1920.png');
  assert.ok(first);

  for (const { img, m } of shots) {
    assert.equal([img.width, img.height], [640, 360]);
    let transparent = 0, drawn = 0;
    for (let k = 3; k < img.rgba.length; k += 4) img.rgba[k] === 0 ? transparent++ : drawn++;
    assert.ok(transparent > 0.3 * (640 * 360), `background is transparent (${transparent} clear pixels)`);
    assert.ok(drawn > 0.2 * (640 * 360), `the plane is drawn (${drawn} pixels)`);
    const p = pointCentroid(img);
    const e = expectedAt(m, 640, 360);
    assert.ok(p.n > 20, `point drawn (${p.n} pixels)`);
    assert.ok(Math.hypot(p.x - e.x, p.y - e.y) < 2.5, `point at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}), expected (${e.x.toFixed(1)}, ${e.y.toFixed(1)}) for ${JSON.stringify(m)}`);
  }
  const a = pointCentroid(shots[0].img), b = pointCentroid(shots[1].img);
  assert.ok(Math.hypot(a.x - b.x, a.y - b.y) > 4, `the point moved (${a.x.toFixed(1)},${a.y.toFixed(1)} → ${b.x.toFixed(1)},${b.y.toFixed(1)})`);
  const pBig = pointCentroid(big), eBig = expectedAt(last2, 1920, 1080);
  assert.ok(Math.hypot(pBig.x - eBig.x, pBig.y - eBig.y) < 4, 'same point at 1920×1080');
  ingest.ws.close();
  watcher.ws.close();
});

test.run();
