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

const PAGE_BYTES = 65536;

/** Static layout of a fresh instance's memory: 16-byte aligned regions from `__heap_base`, then one grow. */
export interface StaticHeap {
  /** Reserves `bytes` and returns their address. */
  take(bytes: number): number;
  /** Grows the memory to hold every region taken (once, after the last `take`) and returns its final buffer. */
  commit(): ArrayBuffer;
}

/** A `StaticHeap` over `memory`, starting at the module's `__heap_base`. */
export function staticHeap(memory: WebAssembly.Memory, heapBase: WebAssembly.Global): StaticHeap {
  let top = Math.ceil(Number(heapBase.value) / 16) * 16;
  return {
    take(bytes) {
      const at = top;
      top = Math.ceil((top + bytes) / 16) * 16;
      return at;
    },
    commit() {
      const missing = top - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
      return memory.buffer;
    },
  };
}
