/**
 * Binary form of an extractor snapshot (window-extractor.ts `snapshot()`): a tree of plain objects, arrays, numbers,
 * booleans, strings and typed arrays becomes
 *
 *   "EMOX" · uint32 LE header length · JSON header · zero padding to 8 bytes · typed-array payloads (each 8-aligned)
 *
 * where the header is the tree with every typed array replaced by `{"$a": kind, "at": byte offset, "n": length}`
 * and every non-finite number by `{"$n": "Infinity" | "-Infinity" | "NaN"}`. Numbers pass through JSON, whose
 * shortest round-trip form gives back the same double; typed arrays are copied byte for byte (little-endian
 * platforms only, as WebAssembly is). Decoding checks every offset and length.
 */
import { EmostreamError } from '../errors.ts';

/** A value a snapshot may hold. */
export type SnapshotValue =
  | number | boolean | string | null
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int32Array
  | readonly SnapshotValue[]
  | { readonly [key: string]: SnapshotValue };

const MAGIC = 'EMOX';
const KINDS = { f32: Float32Array, f64: Float64Array, i8: Int8Array, u8: Uint8Array, i32: Int32Array } as const;
type Kind = keyof typeof KINDS;

function kindOf(v: unknown): Kind | undefined {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Int8Array) return 'i8';
  if (v instanceof Uint8Array) return 'u8';
  if (v instanceof Int32Array) return 'i32';
  return undefined;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Encodes a snapshot tree (see the module comment). */
export function encodeSnapshot(tree: SnapshotValue): Uint8Array {
  const blobs: Uint8Array[] = [];
  let bytes = 0;
  const walk = (v: unknown): unknown => {
    const kind = kindOf(v);
    if (kind) {
      const a = v as Float32Array;
      const at = bytes;
      blobs.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      bytes = align8(bytes + a.byteLength);
      return { $a: kind, at, n: a.length };
    }
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $n: String(v) };
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const header = Buffer.from(JSON.stringify(walk(tree)), 'utf8');
  const base = align8(8 + header.length);
  const out = new Uint8Array(base + bytes);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  let at = base;
  for (const b of blobs) {
    out.set(b, at);
    at = align8(at + b.length);
  }
  return out;
}

const bad = (why: string): never => { throw new EmostreamError('EMO_ERR_BAD_CONFIG', `extractor state: ${why}`); };

/** Decodes `encodeSnapshot` output; EMO_ERR_BAD_CONFIG when it is not one (typed arrays are fresh copies). */
export function decodeSnapshot(bytes: Uint8Array): SnapshotValue {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== MAGIC) bad('not an emostream extractor state');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.length) bad('truncated header');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8'));
  } catch {
    bad('unreadable header');
  }
  const base = align8(8 + length);
  const walk = (v: unknown): SnapshotValue => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v as SnapshotValue;
    const o = v as Record<string, unknown>;
    if (typeof o.$n === 'string') return Number(o.$n);
    if (typeof o.$a === 'string') {
      const Ctor = KINDS[o.$a as Kind] ?? bad(`unknown array kind ${o.$a}`);
      const at = Number(o.at);
      const n = Number(o.n);
      const size = n * Ctor.BYTES_PER_ELEMENT;
      if (!Number.isInteger(at) || !Number.isInteger(n) || at < 0 || n < 0 || base + at + size > bytes.length) bad('array outside the payload');
      const copy = new Uint8Array(size);
      copy.set(bytes.subarray(base + at, base + at + size));
      return new Ctor(copy.buffer);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(header);
}
