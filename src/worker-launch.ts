/**
 * Starting worker threads whose entry files live in src/workers/. Compiled (dist/), an entry is a `.js` file
 * started directly. Run from the TypeScript sources (tests, benches: `node --import tsx`), the entry is a `.ts`
 * file and the worker first registers tsx's loader, which Node 20 workers do not inherit from their parent.
 * The caller names the entry without extension; it gets the caller's own (`.ts` beside `.ts`, `.js` beside `.js`).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** URL of `src/workers/<name>` (or `dist/workers/<name>`) for a module whose own URL is `fromUrl`. */
export function workerEntryUrl(relativePathNoExt: string, fromUrl: string): URL {
  const ext = fromUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`${relativePathNoExt}${ext}`, fromUrl);
}

/** Starts a worker thread on `entry` (a `.js` or `.ts` file URL), registering tsx first for `.ts`. */
export function startWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}
