/**
 * Streaming parser for raw little-endian PCM bytes (live sources: sockets, stdin, devices).
 * s16le maps by x = v / 32767 (as `wav.ts` and openSMILE); f32le is taken as is with NaN/±Inf
 * replaced by 0 and counted. Chunks may have any byte length: a partial sample at the end of a
 * chunk is carried over and completed by the next one, so no byte is ever lost or misaligned.
 * Multi-channel input comes out interleaved, exactly as it went in.
 */
import { EmostreamError } from '../errors.ts';

/** Raw PCM sample encodings accepted by `createPcmParser`. */
export type PcmFormat = 's16le' | 'f32le';

/** A stateful raw-PCM parser; create one per stream. */
export interface PcmParser {
  readonly format: PcmFormat;
  /** Parses one chunk (not retained); returns every sample completed by it, possibly none. */
  push(bytes: Uint8Array): Float32Array;
  /** Bytes of an incomplete sample held back for the next chunk (0 .. bytesPerSample-1). */
  readonly pendingBytes: number;
  /** NaN/±Inf samples replaced by 0 so far (f32le only). */
  readonly nonFiniteSamples: number;
}

const BYTES: Readonly<Record<PcmFormat, number>> = Object.freeze({ s16le: 2, f32le: 4 });

/** Creates a raw PCM byte-stream parser for `format` (s16le / 32767, or f32le). */
export function createPcmParser(format: PcmFormat): PcmParser {
  const width = BYTES[format];
  if (width === undefined) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `unknown PCM format '${String(format)}' (expected 's16le' or 'f32le')`);
  }
  const carry = new Uint8Array(width);
  const carryView = new DataView(carry.buffer);
  let pending = 0;
  let nonFinite = 0;

  const read = (view: DataView, at: number): number => {
    if (format === 's16le') return view.getInt16(at, true) / 32767;
    const v = view.getFloat32(at, true);
    if (Number.isFinite(v)) return v;
    nonFinite++;
    return 0;
  };

  function push(bytes: Uint8Array): Float32Array {
    const count = Math.floor((pending + bytes.length) / width);
    const out = new Float32Array(count);
    let at = 0; // next unread byte of `bytes`
    let n = 0;
    if (count > 0 && pending > 0) {
      // complete the carried sample with the head of this chunk
      at = width - pending;
      carry.set(bytes.subarray(0, at), pending);
      out[n++] = read(carryView, 0);
      pending = 0;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (; n < count; n++, at += width) out[n] = read(view, at);
    const rest = bytes.length - at;
    carry.set(bytes.subarray(at), pending);
    pending += rest;
    return out;
  }

  return {
    format,
    push,
    get pendingBytes() { return pending; },
    get nonFiniteSamples() { return nonFinite; },
  };
}
