/**
 * Loads one of emostream's own WebAssembly kernels (`wasm/<part>/*.wasm`, built by `wasm/<part>/build.sh` and
 * committed) and compiles it once per process; every caller instantiates its own copy with its own memory.
 */
import { readFileSync } from 'node:fs';
import { EmostreamError } from './errors.ts';

const compiled = new Map<string, WebAssembly.Module>();

/** The compiled module of the `.wasm` file at `url` (compiled on first use, then cached). */
export function compiledWasmModule(url: URL, buildScript: string): WebAssembly.Module {
  const cached = compiled.get(url.href);
  if (cached) return cached;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(url));
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_INTERNAL', `cannot read ${url.pathname}; run ${buildScript}`, { cause });
  }
  const module = new WebAssembly.Module(bytes);
  compiled.set(url.href, module);
  return module;
}
