/**
 * worker_threads entry of the feature-extraction pool (extract-dataset.ts). `workerData` names the
 * extractor: `{ modulePath, exportName }` (a file URL or absolute path of an ES module, and the name of
 * its exported `ExtractFn`). Messages in: `{ job, samples, recipe?, babble? }` (samples and babble talker
 * signals transferred; with a concrete augmentation `recipe`, src/audio/augment's `applyRecipe` runs here
 * before the extractor, so augmentation uses the worker's core too). Messages out:
 * `{ job, windows, count }` (windows transferred) or `{ job, error }`.
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractFn } from '../train/data/feature-cache.ts';
import { applyRecipe, type AugmentRecipe } from '../audio/augment/recipe.ts';

const { modulePath, exportName } = workerData as { modulePath: string; exportName: string };
const url = isAbsolute(modulePath) ? pathToFileURL(modulePath).href : modulePath;
const loaded = import(url).then((m: Record<string, unknown>) => {
  const fn = m[exportName];
  if (typeof fn !== 'function') throw new Error(`${modulePath} has no exported function "${exportName}"`);
  return fn as ExtractFn;
});

parentPort!.on('message', async (msg: { job: number; samples: Float32Array; recipe?: AugmentRecipe; babble?: Float32Array[] }) => {
  try {
    const extract = await loaded;
    const samples = msg.recipe ? await applyRecipe(msg.samples, msg.recipe, { babble: msg.babble }) : msg.samples;
    const { windows, count } = await extract(samples);
    // Transfer only a buffer the result owns whole (not a view into WASM or shared memory).
    const own = windows.byteOffset === 0 && windows.byteLength === windows.buffer.byteLength && windows.buffer instanceof ArrayBuffer ? windows : windows.slice();
    parentPort!.postMessage({ job: msg.job, windows: own, count }, [own.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ job: msg.job, error: err instanceof Error ? `${err.message}` : String(err) });
  }
});
