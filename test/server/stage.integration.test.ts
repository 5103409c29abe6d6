import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, of, toArray } from 'rxjs';
import { fileSource } from '../../src/audio/sources/index.ts';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { createPipeline } from '../../src/pipeline/index.ts';
import { discPoint, startServer, POINT_COLOR, STAGE_RADIUS_FRACTION, type EmostreamServer } from '../../src/server/index.ts';
import { withUncertainty } from '../model/uncertain-model.ts';
import { tempDir, testAudio16k, testUnless, writeTestModel, writeWav16k } from '../pipeline/helpers.ts';
import { CHROMIUM, colourCentroid, startBrowser, until, type Browser } from './browser.ts';
import { connectClient, sendFrames, type Message } from './helpers.ts';

const test = suite('server/stage (headless Chromium over CDP)');
const withChromium = testUnless(test, existsSync(CHROMIUM) || process.env.CI ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`);
const dir = tempDir('stage');
let inner: EmotionModel;
let server: EmostreamServer;
let browser: Browser | undefined;
const audio = testAudio16k(10, 5);
const other = testAudio16k(6, 9);

test.before(async () => {
  // A test model stretched to span about ±0.7 on this audio (as in the overlay test), with uncertainty.
  const raw = await loadModel(await writeTestModel(dir.path, 33, 1, [0, 0]));
  const events = await lastValueFrom(createPipeline(of(fileSource(writeWav16k(dir.path, 'st.wav', audio.samples))), { model: raw }).pipe(toArray()));
  await raw.release();
  const av = events.flatMap((e) => (e.type === 'av' ? [[e.arousal, e.valence]] : []));
  const mean = [0, 1].map((k) => av.reduce((s, r) => s + r[k]!, 0) / av.length);
  const spread = Math.max(...av.flatMap((r) => [Math.abs(r[0]! - mean[0]!), Math.abs(r[1]! - mean[1]!)]));
  const s = 0.7 / spread;
  inner = await loadModel(await writeTestModel(dir.path, 33, s, [-s * mean[0]!, -s * mean[1]!]));
  server = await startServer({ model: withUncertainty(inner), port: 0, ingest: true, workers: 0 });
});
test.after(async () => { await browser?.close(); await server.close(); await inner.release(); dir.cleanup(); });

const expected = (m: { valence: number; arousal: number }, w: number, h: number) => {
  const R = STAGE_RADIUS_FRACTION * Math.min(w, h), [x, y] = discPoint(m.valence, m.arousal);
  return { x: w / 2 + x * R, y: h / 2 - y * R };
};

test('GET /stage: self-contained HTML (no external script, style or font), a bad stream id is a 400', async () => {
  const html = await (await fetch(`${server.url}/stage?stream=x`)).text();
  assert.match(html, /<canvas id="stage">/);
  assert.not.match(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
  const bad = await fetch(`${server.url}/stage?stream=a/b`);
  assert.is(bad.status, 400);
  assert.match(await bad.text(), /bad stream id/);
});

withChromium('1920×1080 and 1280×720: dark, the point at (valence, arousal), moving between frames; keys switch streams', async () => {
  const ws = server.url.replace('http', 'ws');
  const watcher = await connectClient(`${ws}/results`);
  const a = await connectClient(`${ws}/ingest?stream=stage-a`);
  const b = await connectClient(`${ws}/ingest?stream=stage-b`);
  sendFrames(a.ws, audio.s16le.subarray(0, 2 * 16000 * 6), 3200);
  sendFrames(b.ws, other.s16le.subarray(0, 2 * 16000 * 4), 3200);
  await watcher.waitFor((m) => m.type === 'av' && m.stream === 'stage-a' && m.t === 5);
  await watcher.waitFor((m) => m.type === 'av' && m.stream === 'stage-b' && m.t === 3);
  const last = (stream: string) => watcher.messages.filter((m) => m.type === 'av' && m.stream === stream && m.content !== 'silence').at(-1) as Message & { valence: number; arousal: number };
  browser = await startBrowser(join(dir.path, 'profile'));
  for (const [w, h] of [[1920, 1080], [1280, 720]] as const) {
    const page = await browser.open(`${server.url}/stage?stream=stage-a`, w, h);
    const at = (stream: string, name?: string) => until(() => page.screenshot(name), (img) => {
      const p = colourCentroid(img, POINT_COLOR), e = expected(last(stream), w, h);
      return Math.hypot(p.x - e.x, p.y - e.y) < 3;
    }, `the ${stream} point at rest on ${w}×${h}`);
    const first = await at('stage-a', `stage-${w}.png`);
    const corner = [...first.rgba.subarray(0, 4)];
    assert.ok(corner[3] === 255 && corner.slice(0, 3).every((c) => c < 40), `dark, opaque background (${corner})`);
    assert.ok(colourCentroid(first, POINT_COLOR).n > 60, 'the point is big enough to see from a distance');
    const p0 = colourCentroid(first, POINT_COLOR);
    // More audio: new seconds arrive and the drawn point travels towards them, frame by frame.
    const before = watcher.messages.length;
    sendFrames(a.ws, audio.s16le.subarray(2 * 16000 * (w === 1920 ? 6 : 8), 2 * 16000 * (w === 1920 ? 8 : 10)), 3200);
    await watcher.waitFor((m) => m.type === 'av' && m.stream === 'stage-a' && watcher.messages.indexOf(m) >= before && m.content !== 'silence');
    const moving = await until(() => page.screenshot(), (img) => { const p = colourCentroid(img, POINT_COLOR); return Math.hypot(p.x - p0.x, p.y - p0.y) > 1; }, 'the point to move');
    const p1 = colourCentroid(moving, POINT_COLOR);
    const rest = colourCentroid(await at('stage-a'), POINT_COLOR);
    assert.ok(Math.hypot(rest.x - p0.x, rest.y - p0.y) > 4, `moved: (${p0.x.toFixed(0)}, ${p0.y.toFixed(0)}) → (${p1.x.toFixed(0)}, ${p1.y.toFixed(0)}) → (${rest.x.toFixed(0)}, ${rest.y.toFixed(0)})`);
    assert.equal(await page.evaluate('current'), 'stage-a');
    await page.press('ArrowRight');
    assert.equal(await page.evaluate('current'), 'stage-b', '→ shows the next stream');
    await at('stage-b');
    assert.match(await page.evaluate<string>('location.search'), /stream=stage-b/, 'the URL follows');
    await page.press('1');
    assert.equal(await page.evaluate('current'), 'stage-a', '1 shows the first stream');
    const confidence = await page.evaluate<number>("streams.get('stage-a').confidence");
    assert.ok(confidence > 0 && confidence < 1, `the confidence reached the page (${confidence})`);
  }
  a.ws.close();
  b.ws.close();
  watcher.ws.close();
});

withChromium('an unknown stream is said so, without a point', async () => {
  browser ??= await startBrowser(join(dir.path, 'profile'));
  const page = await browser.open(`${server.url}/stage?stream=nobody`, 1280, 720);
  const img = await page.screenshot('stage-unknown.png');
  assert.is(colourCentroid(img, POINT_COLOR).n, 0);
  assert.is(await page.evaluate('current'), 'nobody');
  assert.is(await page.evaluate('streams.has("nobody")'), false);
});

test.run();
