/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, the `ws` package): open a page, evaluate
 * expressions in it (DOM checks), take PNG screenshots. Started with the project's flags and a fresh profile
 * directory, in its own process group; `close()` ends that group (SIGTERM, then SIGKILL) and removes the profile
 * (`process.on('exit')` kills the group if a test forgets).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';

export const CHROMIUM = '/usr/bin/chromium';

/** Skip reason for `testUnless` (undefined: run; in CI a missing browser fails). */
export function chromiumSkipReason(): string | undefined {
  return existsSync(CHROMIUM) || process.env.CI ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

const alive = new Set<ChildProcess>();
/** Signals Chromium's process group (the browser and the helpers it started). */
const killGroup = (c: ChildProcess, signal: NodeJS.Signals): void => {
  try { process.kill(-c.pid!, signal); } catch { /* already gone */ }
};
process.once('exit', () => { for (const c of alive) killGroup(c, 'SIGKILL'); });

/** A page in a headless Chromium. */
export interface BrowserPage {
  /** Evaluates `expression` in the page; resolves with its (JSON-serialisable) value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits (polling every 100 ms, at most `ms`) until `expression` is truthy; resolves with its value. */
  waitFor<T>(expression: string, what: string, ms?: number): Promise<T>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts Chromium at `width` × `height` showing `url`. */
export async function openPage(url: string, width: number, height: number): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'emostream-chromium-'));
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--hide-scrollbars', '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'],
  { stdio: ['ignore', 'ignore', 'pipe'], detached: true }); // its own process group: close() ends its helpers too
  alive.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => { alive.delete(child); r(); }));
  const browserWs = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`chromium exited: ${err.slice(-500)}`)));
  });
  const { port } = new URL(browserWs);
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as Array<{ type: string; webSocketDebuggerUrl: string }>;
  const ws = new WebSocket(targets.find((t) => t.type === 'page')!.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let id = 0;
  const waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
    const w = msg.id !== undefined ? waiting.get(msg.id) : undefined;
    if (!w) return;
    waiting.delete(msg.id!);
    if (msg.error) w.reject(new Error(msg.error.message));
    else w.resolve(msg.result ?? {});
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> => new Promise((resolve, reject) => {
    waiting.set(++id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  await call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  await call('Page.enable');
  await call('Page.navigate', { url });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = await call('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`in the page: ${JSON.stringify(r.exceptionDetails).slice(0, 400)}`);
    return r.result.value;
  };
  return {
    evaluate,
    async waitFor<T>(expression: string, what: string, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const v = await evaluate<T>(expression).catch(() => undefined);
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting in the page for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async screenshot() {
      const r = await call('Page.captureScreenshot', { format: 'png' }) as { data: string };
      return Buffer.from(r.data, 'base64');
    },
    async close() {
      ws.close();
      killGroup(child, 'SIGTERM'); // a clean shutdown: nothing writes to the profile afterwards
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      await new Promise((r) => setTimeout(r, 200)); // helpers leave after the browser
      killGroup(child, 'SIGKILL');
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
