/**
 * Headless Chromium driven over the DevTools protocol (CDP, through the `ws` client the project already has), for
 * page tests that need more than one screenshot of the same page: open a page at a viewport size, take screenshots
 * while it runs (requestAnimationFrame keeps going), press keys, evaluate expressions. Screenshots are decoded by
 * png.ts. `EMOSTREAM_KEEP_SCREENSHOTS=<dir>` copies each one there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { decodePng, type Image } from './png.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** One open page. */
export interface BrowserPage {
  screenshot(name?: string): Promise<Image>;
  /** The PNG file of a screenshot. */
  png(): Promise<Buffer>;
  /** Presses (keyDown + keyUp) a key such as 'ArrowRight' or '2'. */
  press(key: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
}

/** A running browser. */
export interface Browser {
  open(url: string, width: number, height: number): Promise<BrowserPage>;
  close(): Promise<void>;
}

/** Browsers still running: killed (with their helpers) if the test process exits without closing them. */
const alive = new Set<ChildProcess>();
process.once('exit', () => { for (const c of alive) try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ } });

const KEY_CODES: Record<string, number> = { ArrowLeft: 37, ArrowRight: 39, f: 70 };

/** Starts Chromium with a profile in `profileDir`. */
export async function startBrowser(profileDir: string): Promise<Browser> {
  const child: ChildProcess = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--remote-debugging-port=0', `--user-data-dir=${profileDir}`, 'about:blank'], { detached: true });
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  let stderr = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-400)}`)));
  });
  const ws = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let id = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const events: Array<{ method: string; sessionId?: string; resolve: () => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.id !== undefined) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(`CDP: ${m.error.message}`));
      else p?.resolve(m.result);
    } else {
      for (let k = events.length - 1; k >= 0; k--) if (events[k]!.method === m.method && events[k]!.sessionId === m.sessionId) events.splice(k, 1)[0]!.resolve();
    }
  });
  const send = (method: string, params: object = {}, sessionId?: string): Promise<any> => new Promise((resolve, reject) => {
    pending.set(++id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
  });
  const once = (method: string, sessionId: string) => new Promise<void>((resolve) => events.push({ method, sessionId, resolve }));
  return {
    async open(url, width, height) {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      await send('Page.enable', {}, sessionId);
      await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
      await send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } }, sessionId);
      const loaded = once('Page.loadEventFired', sessionId);
      await send('Page.navigate', { url }, sessionId);
      await loaded;
      const page: BrowserPage = {
        async png() {
          const { data } = await send('Page.captureScreenshot', { format: 'png' }, sessionId);
          return Buffer.from(data, 'base64');
        },
        async screenshot(name) {
          const png = await page.png();
          if (name && process.env.EMOSTREAM_KEEP_SCREENSHOTS) writeFileSync(join(process.env.EMOSTREAM_KEEP_SCREENSHOTS, name), png);
          return decodePng(png);
        },
        async press(key) {
          const code = KEY_CODES[key] ?? key.toUpperCase().charCodeAt(0);
          for (const type of ['keyDown', 'keyUp']) {
            await send('Input.dispatchKeyEvent', { type, key, code: key.length === 1 ? (/\d/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`) : key, windowsVirtualKeyCode: code, ...(type === 'keyDown' && key.length === 1 && { text: key }) }, sessionId);
          }
        },
        async evaluate(expression) {
          const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
          if (r.exceptionDetails) throw new Error(`page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
          return r.result.value;
        },
      };
      return page;
    },
    async close() {
      ws.close();
      await stopProcessGroup(child);
    },
  };
}

/** Pixels of colour `hex` (each channel within `tolerance`, alpha above `minAlpha`): centroid and count. */
export function colourCentroid(img: Image, hex: string, tolerance = 12, minAlpha = 200, region?: { x0: number; y0: number; x1: number; y1: number }): { x: number; y: number; n: number } {
  const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  const { x0 = 0, y0 = 0, x1 = img.width, y1 = img.height } = region ?? {};
  let sx = 0, sy = 0, n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * img.width + x) * 4;
      if (img.rgba[o + 3]! > minAlpha && Math.abs(img.rgba[o]! - r!) < tolerance && Math.abs(img.rgba[o + 1]! - g!) < tolerance && Math.abs(img.rgba[o + 2]! - b!) < tolerance) {
        sx += x; sy += y; n++;
      }
    }
  }
  return { x: sx / n, y: sy / n, n };
}

/** Resolves once `probe` returns a value that `done` accepts (a guard ends a hang; it is no timing assertion). */
export async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, guardMs = 20000): Promise<T> {
  const end = Date.now() + guardMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops Chromium and its helper processes (its own process group) and waits until none is left writing the profile. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid!;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try { process.kill(-pid, signal); return true; } catch { return false; }
  };
  signalGroup('SIGTERM');
  await exited;
  for (let k = 0; k < 50 && signalGroup(0); k++) await new Promise((r) => setTimeout(r, 100));
  signalGroup('SIGKILL');
}
