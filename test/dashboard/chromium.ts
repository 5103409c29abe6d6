/**
 * The dashboard tests' page: one headless Chromium (test/server/browser.ts, the project's CDP client) with a fresh
 * profile showing one URL; `close()` stops the browser's process group and removes the profile.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, startBrowser, until } from '../server/browser.ts';

/** Skip reason for `testUnless` (undefined: run; in CI a missing browser fails). */
export function chromiumSkipReason(): string | undefined {
  return existsSync(CHROMIUM) || process.env.CI ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

/** A page in a headless Chromium. */
export interface BrowserPage {
  /** Evaluates `expression` in the page; resolves with its (JSON-serialisable) value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits (polling, at most `ms`) until `expression` is truthy; resolves with its value. */
  waitFor<T>(expression: string, what: string, ms?: number): Promise<T>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** Starts Chromium at `width` × `height` showing `url`. */
export async function openPage(url: string, width: number, height: number): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), 'emostream-chromium-'));
  const browser = await startBrowser(profile);
  const page = await browser.open(url, width, height);
  return {
    evaluate: (expression) => page.evaluate(expression),
    waitFor: <T>(expression: string, what: string, ms = 20_000) =>
      until(() => page.evaluate<T>(expression).catch(() => undefined), (v) => Boolean(v), `the page: ${what}`, ms) as Promise<T>,
    screenshot: () => page.png(),
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}
