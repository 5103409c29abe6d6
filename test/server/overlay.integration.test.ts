import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import {
  discPoint, moodWord, renderOverlayPage, startServer, widgetLayout, POINT_COLOR, STREAM_COLORS, type EmostreamServer, type TrailPoint,
} from '../../src/server/index.ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import { fileSource } from '../../src/audio/sources/index.ts';
import { createPipeline } from '../../src/pipeline/index.ts';
import { tempDir, testAudio16k, testUnless, writeTestModel, writeWav16k } from '../pipeline/helpers.ts';
import { connectClient, sendFrames, type Message } from './helpers.ts';
import { CHROMIUM, colourCentroid, startBrowser, until, type Browser } from './browser.ts';
import type { Image } from './png.ts';

const test = suite('server/overlay (headless Chromium)');
// .ci/run installs Debian's chromium, so in CI the test runs (and fails without a browser); elsewhere it is skipped.
const withChromium = testUnless(test, existsSync(CHROMIUM) || process.env.CI ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`);
const dir = tempDir('overlay');
let model: EmotionModel;
let server: EmostreamServer;
let browser: Browser | undefined;
const audio = testAudio16k(8, 12);

test.before(async () => {
  // Random weights move the output only a little from second to second: measure the raw outputs (target std 1,
  // mean 0) on this audio, then write a model whose outputs are centred and stretched to span about ±0.7.
  const raw = await loadModel(await writeTestModel(dir.path, 21, 1, [0, 0]));
  const wav = writeWav16k(dir.path, 'ov.wav', audio.samples);
  const events = await lastValueFrom(createPipeline(of(fileSource(wav)), { model: raw }).pipe(toArray()));
  await raw.release();
  const av = events.flatMap((e) => (e.type === 'av' ? [[e.arousal, e.valence]] : []));
  const mean = [0, 1].map((k) => av.reduce((s, r) => s + r[k]!, 0) / av.length);
  const spread = Math.max(...av.flatMap((r) => [Math.abs(r[0]! - mean[0]!), Math.abs(r[1]! - mean[1]!)]));
  const s = 0.7 / spread;
  model = await loadModel(await writeTestModel(dir.path, 21, s, [-s * mean[0]!, -s * mean[1]!]));
  server = await startServer({ model, port: 0, ingest: true, workers: 0 });
});
test.after(async () => { await browser?.close(); await server.close(); await model.release(); dir.cleanup(); });
const open = async (url: string, w: number, h: number) => {
  browser ??= await startBrowser(join(dir.path, 'profile'));
  return browser.open(url, w, h);
};

/** Expected pixel of a result on an overlay of w×h with the given layout. */
function expectedAt(p: { valence: number; arousal: number }, w: number, h: number, size = 0.4, corner = 'bottom-right') {
  const L = widgetLayout(w, h, size, corner);
  const [x, y] = discPoint(p.valence, p.arousal);
  return { x: L.cx + x * L.r, y: L.cy - y * L.r, L };
}
/** A page rendered from crafted trails, served from a file (its WebSocket finds no server and retries quietly). */
function craftedPage(name: string, streams: Record<string, readonly TrailPoint[]>, options: { stream?: string; size?: number; corner?: 'center' | 'bottom-right' } = {}): string {
  const path = join(dir.path, name);
  writeFileSync(path, renderOverlayPage({
    stream: options.stream, token: undefined, trailLength: 12, size: options.size, corner: options.corner,
    streams: Object.fromEntries(Object.entries(streams).map(([id, trail]) => [id, { trail }])),
  }));
  return `file://${path}`;
}
const pixelAlpha = (img: Image, x: number, y: number) => img.rgba[(Math.round(y) * img.width + Math.round(x)) * 4 + 3]!;

test('without a browser: the page embeds every running stream\'s last results and forgets a stream when it ends; bad options are 400s', async () => {
  const ws = server.url.replace('http', 'ws');
  const watcher = await connectClient(`${ws}/results?stream=tr`);
  const ingest = await connectClient(`${ws}/ingest?stream=tr`);
  sendFrames(ingest.ws, audio.s16le.subarray(0, 2 * 16000 * 5), 3200);
  await watcher.waitFor((m) => m.type === 'av' && m.t === 4);
  const config = async (q = 'stream=tr') => JSON.parse(/const CONFIG = (.*);/.exec(await (await fetch(`${server.url}/overlay?${q}`)).text())![1]!) as { streams: Record<string, { trail: Message[] }>; stream: string };
  const live = await config();
  const sent = watcher.messages.filter((m) => m.type === 'av');
  assert.is(live.stream, 'tr');
  assert.equal(live.streams.tr!.trail, sent.map((m) => ({ t: m.t, arousal: m.arousal, valence: m.valence, content: m.content, confidence: null })));
  ingest.ws.send(JSON.stringify({ type: 'end' }));
  await ingest.closed;
  assert.equal((await config()).streams, {}, 'an ended stream is not embedded');
  for (const [q, message] of [['size=2', /size must be a number from 0.1 to 1, got '2'/], ['corner=middle', /corner must be one of center, top-left/], ['opacity=0', /opacity must be/], ['stream=a%20b', /bad stream id/]] as const) {
    const r = await fetch(`${server.url}/overlay?${q}`);
    assert.is(r.status, 400, q);
    assert.match(await r.text(), message);
  }
  watcher.ws.close();
});

test('words: octants of the plane, neutral near the centre', () => {
  assert.equal([moodWord(0.8, 0.7), moodWord(-0.7, 0.8), moodWord(-0.6, -0.5), moodWord(0.6, -0.6), moodWord(0.05, 0.1), moodWord(0, 0.9), moodWord(-0.9, 0), moodWord(0.3, 0.1)],
    ['excited', 'tense', 'sad', 'calm', 'neutral', 'alert', 'upset', 'slightly pleased']);
  const [x, y] = discPoint(-1, 1);
  assert.ok(Math.abs(Math.hypot(x, y) - 1) < 1e-12, 'a corner of the square lands on the rim');
  assert.equal(discPoint(0.5, 0), [0.5, 0], 'axes map to themselves');
  assert.equal(discPoint(3, -3), discPoint(1, -1), 'values outside the square are clamped first');
});

withChromium('live, 640×360 centred at full size: transparent, the point sits at (valence, arousal) and moves with the results', async () => {
  const ws = server.url.replace('http', 'ws');
  const watcher = await connectClient(`${ws}/results?stream=ov`);
  const ingest = await connectClient(`${ws}/ingest?stream=ov`);
  sendFrames(ingest.ws, audio.s16le.subarray(0, 2 * 16000 * 3), 3200);
  await watcher.waitFor((m) => m.type === 'av' && m.t === 2);
  const page = await open(`${server.url}/overlay?stream=ov&size=1&corner=center`, 640, 360);
  // The point follows the last second that is not silence (it holds through silent seconds).
  const last = () => watcher.messages.filter((m) => m.type === 'av' && m.content !== 'silence').at(-1) as Message & { valence: number; arousal: number };
  const settled = async (name: string) => {
    const e = expectedAt(last(), 640, 360, 1, 'center');
    const img = await until(() => page.screenshot(name), (i) => { const p = colourCentroid(i, POINT_COLOR); return Math.hypot(p.x - e.x, p.y - e.y) < 2.5; }, `the point at ${JSON.stringify(e)}`);
    return { img, p: colourCentroid(img, POINT_COLOR) };
  };
  const a = await settled('overlay-640-a.png');
  let transparent = 0;
  for (let k = 3; k < a.img.rgba.length; k += 4) if (a.img.rgba[k] === 0) transparent++;
  assert.ok(transparent > 0.3 * 640 * 360, `background is transparent (${transparent} clear pixels)`);
  assert.ok(a.p.n > 20, `point drawn (${a.p.n} pixels)`);
  sendFrames(ingest.ws, audio.s16le.subarray(2 * 16000 * 3), 3200);
  await watcher.waitFor((m) => m.type === 'av' && (m.t as number) >= 7);
  const b = await settled('overlay-640-b.png');
  assert.ok(Math.hypot(a.p.x - b.p.x, a.p.y - b.p.y) > 4, `the point moved (${a.p.x.toFixed(1)},${a.p.y.toFixed(1)} → ${b.p.x.toFixed(1)},${b.p.y.toFixed(1)})`);
  ingest.ws.close();
  watcher.ws.close();
});

withChromium('1920×1080 default: a widget in the bottom-right corner, the middle of the picture left clear', async () => {
  const trail = [{ t: 2, arousal: 0.2, valence: 0.1 }, { t: 3, arousal: 0.5, valence: 0.4 }];
  const page = await open(craftedPage('default.html', { mic: trail }, { stream: 'mic' }), 1920, 1080);
  const img = await page.screenshot('overlay-1920.png');
  const p = colourCentroid(img, POINT_COLOR), e = expectedAt(trail[1]!, 1920, 1080);
  assert.ok(Math.hypot(p.x - e.x, p.y - e.y) < 3, `point at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}), expected (${e.x.toFixed(1)}, ${e.y.toFixed(1)})`);
  assert.ok(e.L.x > 1920 / 2 && e.L.y > 1080 / 2, 'the widget is in the bottom-right quarter');
  for (let y = 270; y < 810; y += 10) for (let x = 480; x < 1440; x += 10) assert.is(pixelAlpha(img, x, y), 0, `the middle is clear at (${x}, ${y})`);
});

withChromium('angry speech (a +0.9, v −0.9, the corner of the square) is drawn inside the disc, on the same mapping', async () => {
  const trail = [{ t: 2, arousal: 0.9, valence: -0.9 }, { t: 3, arousal: 1.3, valence: -1.2 }];
  const page = await open(craftedPage('corner.html', { mic: trail }, { stream: 'mic', size: 1, corner: 'center' }), 800, 800);
  const img = await page.screenshot('overlay-corner.png');
  const p = colourCentroid(img, POINT_COLOR), { L } = expectedAt(trail[1]!, 800, 800, 1, 'center');
  const e = expectedAt(trail[1]!, 800, 800, 1, 'center');
  assert.ok(Math.hypot(p.x - e.x, p.y - e.y) < 3, `point at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}), expected (${e.x.toFixed(1)}, ${e.y.toFixed(1)})`);
  assert.ok(Math.hypot(p.x - L.cx, p.y - L.cy) <= L.r + 1, `inside the disc: ${Math.hypot(p.x - L.cx, p.y - L.cy).toFixed(1)} ≤ R ${L.r}`);
});

withChromium('silence holds the point where it was (no jump to the centre); streams sharing a t are all drawn, each in its colour', async () => {
  const held = [{ t: 2, arousal: 0.6, valence: 0.5, content: 'speech' }, { t: 3, arousal: 0, valence: 0, content: 'silence' }];
  const page = await open(craftedPage('pause.html', { mic: held }, { stream: 'mic', size: 1, corner: 'center' }), 600, 600);
  const img = await page.screenshot('overlay-pause.png');
  // The paused point is dimmed (drawn at 45 % over its white ring): find its pink, not its exact colour.
  let sx = 0, sy = 0, n = 0;
  for (let y = 0; y < 600; y++) for (let x = 0; x < 600; x++) {
    const o = (y * 600 + x) * 4, [r, g, b] = [img.rgba[o]!, img.rgba[o + 1]!, img.rgba[o + 2]!];
    if (r - g > 50 && r - b > 20) { sx += x; sy += y; n++; }
  }
  const p = { x: sx / n, y: sy / n }, e = expectedAt(held[0]!, 600, 600, 1, 'center');
  assert.ok(n > 20, `the paused point is drawn (${n} pixels)`);
  assert.ok(Math.hypot(p.x - e.x, p.y - e.y) < 3, `held at the last spoken second (${p.x.toFixed(1)}, ${p.y.toFixed(1)}) vs (${e.x.toFixed(1)}, ${e.y.toFixed(1)})`);

  const two = { a: [{ t: 2, arousal: 0.5, valence: -0.5 }], b: [{ t: 2, arousal: -0.4, valence: 0.6 }] };
  const all = await (await open(craftedPage('all.html', two, { size: 1, corner: 'center' }), 600, 600)).screenshot('overlay-all.png');
  for (const [id, color] of [['a', STREAM_COLORS[0]!], ['b', STREAM_COLORS[1]!]] as const) {
    const q = colourCentroid(all, color), eq = expectedAt(two[id][0]!, 600, 600, 1, 'center');
    assert.ok(q.n > 20 && Math.hypot(q.x - eq.x, q.y - eq.y) < 3, `stream ${id} drawn at (${eq.x.toFixed(1)}, ${eq.y.toFixed(1)}): got (${q.x.toFixed(1)}, ${q.y.toFixed(1)}) n=${q.n}`);
  }
});

withChromium('an unknown stream: no point, and the readout says the stream is not running', async () => {
  const page = await open(craftedPage('unknown.html', { other: [{ t: 2, arousal: 0.5, valence: 0.5 }] }, { stream: 'nope', size: 1, corner: 'center' }), 600, 600);
  const img = await page.screenshot('overlay-unknown.png');
  assert.is(colourCentroid(img, POINT_COLOR).n, 0, 'no point');
  const text = await page.evaluate<string>(`(() => { const s = CONFIG.stream; return !streams.has(s) ? 'not running' : 'running'; })()`);
  assert.is(text, 'not running');
  const L = widgetLayout(600, 600, 1, 'center');
  let lit = 0;
  for (let y = Math.round(L.cy + L.r + 20); y < 600; y++) for (let x = 0; x < 600; x++) if (img.rgba[(y * 600 + x) * 4 + 3]! > 200) lit++;
  assert.ok(lit > 200, `a status line is drawn below the disc (${lit} pixels)`);
});

test.run();
