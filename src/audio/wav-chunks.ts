/**
 * The RIFF side of the WAV reader (wav.ts): the fmt chunk, the sample format it declares, and the tolerant chunk
 * walk that finds the data byte range (rules in wav.ts).
 * @see wav.ts
 */
import { EmostreamError } from '../errors.ts';
import type { WavSampleFormat } from './wav.ts';

export const FORMAT_PCM = 0x0001;
export const FORMAT_FLOAT = 0x0003;
export const FORMAT_EXTENSIBLE = 0xfffe;
const STREAMING_SIZE = 0xffffffff;

export const BYTES_PER_SAMPLE: Readonly<Record<WavSampleFormat, number>> = Object.freeze({
  u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8,
});

/** The four ASCII bytes at `at`. */
export function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** The fields of a fmt chunk this reader uses (`tag`: the real format tag, also for WAVE_FORMAT_EXTENSIBLE). */
export interface FmtInfo {
  readonly tag: number;
  readonly channels: number;
  readonly sampleRateHz: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
}

/** Parses the fmt chunk body of `size` bytes at `at`. */
function parseFmt(view: DataView, at: number, size: number, name: string): FmtInfo {
  if (size < 16) throw new EmostreamError('EMO_ERR_DECODE', `${name}: WAV fmt chunk is truncated (${size} bytes, need 16)`);
  let tag = view.getUint16(at, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (tag === FORMAT_EXTENSIBLE) {
    // cbSize(2) validBits(2) channelMask(4) then the SubFormat GUID whose first 2 bytes are the real tag.
    if (size < 40) throw new EmostreamError('EMO_ERR_DECODE', `${name}: WAVE_FORMAT_EXTENSIBLE fmt chunk is truncated (${size} bytes, need 40)`);
    tag = view.getUint16(at + 24, true);
  }
  return {
    tag,
    channels: view.getUint16(at + 2, true),
    sampleRateHz: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bitsPerSample,
  };
}

/** The sample format a fmt chunk declares; throws EMO_ERR_DECODE for encodings this module does not read. */
export function sampleFormatOf(fmt: FmtInfo, name: string): WavSampleFormat {
  const b = fmt.bitsPerSample;
  if (fmt.tag === FORMAT_PCM) {
    if (b === 8) return 'u8';
    if (b === 16) return 's16';
    if (b === 24) return 's24';
    if (b === 32) return 's32';
  } else if (fmt.tag === FORMAT_FLOAT) {
    if (b === 32) return 'f32';
    if (b === 64) return 'f64';
  } else {
    const hex = fmt.tag.toString(16).padStart(4, '0');
    throw new EmostreamError('EMO_ERR_DECODE', `${name}: unsupported WAV encoding (format tag 0x${hex}); only PCM and IEEE float are read`);
  }
  throw new EmostreamError('EMO_ERR_DECODE', `${name}: unsupported WAV sample size ${b} bits for ${fmt.tag === FORMAT_PCM ? 'PCM' : 'float'}`);
}

/** True when a plausible chunk header (printable ASCII id, size within the file) starts at `at`. */
function looksLikeChunk(bytes: Uint8Array, view: DataView, at: number): boolean {
  if (at + 8 > bytes.length) return false;
  for (let i = 0; i < 4; i++) {
    const c = bytes[at + i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return at + 8 + view.getUint32(at + 4, true) <= bytes.length;
}

/** Where the audio is: the fmt info and the data byte range. */
export interface ChunkLayout {
  readonly fmt: FmtInfo;
  readonly dataStart: number;
  /** Data bytes present (clamped to the file). */
  readonly dataBytes: number;
  /** Bytes declared beyond the end of the file (0 unless truncated). */
  readonly missingBytes: number;
}

/** Walks the RIFF chunks; returns the fmt info and the clamped data byte range. */
export function findChunks(bytes: Uint8Array, view: DataView, name: string): ChunkLayout {
  let fmt: FmtInfo | undefined;
  let dataStart = -1;
  let dataBytes = 0;
  let missingBytes = 0;
  let at = 12;
  while (at + 8 <= bytes.length && (fmt === undefined || dataStart < 0)) {
    const id = fourCc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const available = bytes.length - body;
    if (id === 'fmt ') {
      fmt = parseFmt(view, body, Math.min(size, available), name);
    } else if (id === 'data') {
      dataStart = body;
      const lying = size === STREAMING_SIZE || size > available || (size === 0 && !looksLikeChunk(bytes, view, body));
      dataBytes = lying ? available : size;
      if (size !== STREAMING_SIZE && size > available) missingBytes = size - available;
      if (lying) break; // the data runs to the end of the file: nothing more to walk
    }
    at = body + size + (size & 1);
  }
  if (fmt === undefined) throw new EmostreamError('EMO_ERR_DECODE', `${name}: WAV has no fmt chunk (truncated or corrupt header)`);
  if (dataStart < 0) throw new EmostreamError('EMO_ERR_DECODE', `${name}: WAV has no data chunk (truncated or corrupt file)`);
  return { fmt, dataStart, dataBytes, missingBytes };
}

/** Bytes per sample frame: the packed size, or blockAlign when that is larger (padding). */
export function frameBytesOf(fmt: FmtInfo, sampleFormat: WavSampleFormat): number {
  const minAlign = BYTES_PER_SAMPLE[sampleFormat] * fmt.channels;
  // Some writers get blockAlign wrong; it can only ever be the packed frame size or larger (padding).
  return fmt.blockAlign >= minAlign ? fmt.blockAlign : minAlign;
}
