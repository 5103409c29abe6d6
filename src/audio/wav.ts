/**
 * RIFF/WAVE reader and writer (own implementation, after the Microsoft RIFF and
 * WAVE_FORMAT_EXTENSIBLE specifications).
 *
 * Integer PCM maps to floats by x = v / (2^(bits-1) - 1), e.g. int16 / 32767, as openSMILE's
 * wave source does (so full-scale negative -32768 decodes to -1.00003, slightly below -1);
 * unsigned 8-bit maps by x = (v - 128) / 127. IEEE float (32/64-bit) is taken as is, except that
 * NaN and ±Inf are replaced by 0 and counted in `nonFiniteSamples`.
 *
 * Chunk walking is tolerant: unknown chunks are skipped, odd-sized chunks honour their pad byte,
 * a `data` size that is larger than the file, or 0 / 0xFFFFFFFF (streaming writers, RF64), is
 * clamped to the bytes present, and a trailing partial sample frame is dropped. A size larger than
 * the file (not a streaming placeholder) means a truncated file: what is there is decoded and the
 * shortfall reported (`missingDataBytes`, `wavTruncation`) so callers can warn. A 0 size that is
 * followed by a well-formed chunk header (4 printable ASCII bytes and a size that fits) is taken
 * at its word: an empty data chunk.
 * @see wav-chunks.ts (the fmt chunk and the chunk walk)
 */
import { EmostreamError } from '../errors.ts';
import { BYTES_PER_SAMPLE, findChunks, FORMAT_EXTENSIBLE, FORMAT_FLOAT, FORMAT_PCM, fourCc, frameBytesOf, sampleFormatOf } from './wav-chunks.ts';

/** Sample encodings this module reads and writes. */
export type WavSampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

/** One decoded WAV file: de-interleaved channels in [-1, 1] (integer PCM) at the file's rate. */
export interface WavAudio {
  readonly channels: readonly Float32Array[];
  readonly sampleRateHz: number;
  readonly sampleFormat: WavSampleFormat;
  /** Number of NaN/±Inf samples (float WAV only) that were replaced by 0. */
  readonly nonFiniteSamples: number;
  /**
   * Bytes the data chunk header declares beyond the end of the file (a truncated file); 0 when the file is
   * complete or the size is a streaming placeholder (0 or 0xFFFFFFFF).
   */
  readonly missingDataBytes: number;
}

/** How much of a truncated WAV's declared audio is present (see `wavTruncation`). */
export interface WavTruncation {
  /** Data bytes the header declares. */
  readonly declaredBytes: number;
  /** Data bytes present in the file. */
  readonly presentBytes: number;
  /** Declared duration in seconds. */
  readonly declaredS: number;
  /** Duration of the whole sample frames present, in seconds. */
  readonly presentS: number;
}

/** Options of `encodeWav`. */
export interface EncodeWavOptions {
  /** Write a WAVE_FORMAT_EXTENSIBLE fmt chunk (40 bytes) instead of the plain 16-byte one. Default false. */
  readonly extensible?: boolean;
}

/** True when the bytes start with a RIFF (or RF64) header of form type WAVE. */
export function isWav(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const riff = fourCc(bytes, 0);
  return (riff === 'RIFF' || riff === 'RF64') && fourCc(bytes, 8) === 'WAVE';
}

/**
 * Whether a RIFF/WAVE file is truncated (its data chunk declares more bytes than the file holds), and by how much;
 * undefined for a complete file or a streaming size. Throws as `decodeWav` does on a file it cannot read.
 */
export function wavTruncation(bytes: Uint8Array, name = '<buffer>'): WavTruncation | undefined {
  if (!isWav(bytes)) throw new EmostreamError('EMO_ERR_DECODE', `${name}: not a RIFF/WAVE file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { fmt, dataBytes, missingBytes } = findChunks(bytes, view, name);
  if (missingBytes === 0) return undefined;
  const frameBytes = frameBytesOf(fmt, sampleFormatOf(fmt, name));
  const bytesPerSecond = frameBytes * Math.max(1, fmt.sampleRateHz);
  return {
    declaredBytes: dataBytes + missingBytes,
    presentBytes: dataBytes,
    declaredS: (dataBytes + missingBytes) / bytesPerSecond,
    presentS: Math.floor(dataBytes / frameBytes) * frameBytes / bytesPerSecond,
  };
}

/** Decodes a RIFF/WAVE file to de-interleaved float channels (integer PCM scaled by 2^(bits-1)-1). */
export function decodeWav(bytes: Uint8Array, name = '<buffer>'): WavAudio {
  if (!isWav(bytes)) throw new EmostreamError('EMO_ERR_DECODE', `${name}: not a RIFF/WAVE file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { fmt, dataStart, dataBytes, missingBytes } = findChunks(bytes, view, name);
  const sampleFormat = sampleFormatOf(fmt, name);
  if (fmt.channels < 1) throw new EmostreamError('EMO_ERR_BAD_AUDIO', `${name}: WAV declares 0 channels`);
  if (fmt.sampleRateHz < 1) throw new EmostreamError('EMO_ERR_BAD_AUDIO', `${name}: WAV declares a sample rate of 0 Hz`);
  const bytesPerSample = BYTES_PER_SAMPLE[sampleFormat];
  const frameBytes = frameBytesOf(fmt, sampleFormat);
  const frames = Math.floor(dataBytes / frameBytes);
  const channels: Float32Array[] = [];
  for (let c = 0; c < fmt.channels; c++) channels.push(new Float32Array(frames));
  let nonFinite = 0;
  for (let c = 0; c < fmt.channels; c++) {
    const out = channels[c]!;
    let at = dataStart + c * bytesPerSample;
    for (let i = 0; i < frames; i++, at += frameBytes) {
      const v = readSample(view, at, sampleFormat);
      if (Number.isFinite(v)) out[i] = v;
      else nonFinite++;
    }
  }
  return { channels, sampleRateHz: fmt.sampleRateHz, sampleFormat, nonFiniteSamples: nonFinite, missingDataBytes: missingBytes };
}

function readSample(view: DataView, at: number, format: WavSampleFormat): number {
  switch (format) {
    case 'u8': return (view.getUint8(at) - 128) / 127;
    case 's16': return view.getInt16(at, true) / 32767;
    case 's24': {
      const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
      return v / 8388607;
    }
    case 's32': return view.getInt32(at, true) / 2147483647;
    case 'f32': return view.getFloat32(at, true);
    case 'f64': return view.getFloat64(at, true);
  }
}

function writeSample(view: DataView, at: number, format: WavSampleFormat, x: number): void {
  const s = Number.isFinite(x) ? Math.max(-1, Math.min(1, x)) : 0;
  switch (format) {
    case 'u8': view.setUint8(at, Math.round(s * 127) + 128); break;
    case 's16': view.setInt16(at, Math.round(s * 32767), true); break;
    case 's24': {
      const v = Math.round(s * 8388607);
      view.setUint8(at, v & 0xff);
      view.setUint8(at + 1, (v >> 8) & 0xff);
      view.setInt8(at + 2, v >> 16);
      break;
    }
    case 's32': view.setInt32(at, Math.round(s * 2147483647), true); break;
    case 'f32': view.setFloat32(at, x, true); break; // floats are written as given (NaN included)
    case 'f64': view.setFloat64(at, x, true); break;
  }
}

function writeAscii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}

/**
 * Encodes channels as a RIFF/WAVE file, the inverse of `decodeWav`: integer formats clamp to
 * [-1, 1] and round v = round(x * (2^(bits-1)-1)); float formats store samples unchanged.
 * @param channels one Float32Array per channel, all the same length (at least one channel)
 * @param rateHz sample rate, integer > 0
 */
export function encodeWav(
  channels: readonly Float32Array[],
  rateHz: number,
  format: WavSampleFormat,
  options: EncodeWavOptions = {},
): Uint8Array {
  if (channels.length < 1 || channels.length > 0xffff) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `encodeWav: channel count must be 1..65535, got ${channels.length}`);
  }
  const frames = channels[0]!.length;
  if (channels.some((ch) => ch.length !== frames)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'encodeWav: all channels must have the same length');
  }
  if (!Number.isInteger(rateHz) || rateHz < 1 || rateHz > 0xffffffff) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `encodeWav: sample rate must be a positive integer, got ${rateHz}`);
  }
  const bytesPerSample = BYTES_PER_SAMPLE[format];
  const blockAlign = bytesPerSample * channels.length;
  const extensible = options.extensible === true;
  const fmtSize = extensible ? 40 : 16;
  const dataBytes = frames * blockAlign;
  const pad = dataBytes & 1;
  const total = 12 + 8 + fmtSize + 8 + dataBytes + pad;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const tag = format === 'f32' || format === 'f64' ? FORMAT_FLOAT : FORMAT_PCM;
  writeAscii(bytes, 0, 'RIFF');
  view.setUint32(4, total - 8, true);
  writeAscii(bytes, 8, 'WAVE');
  writeAscii(bytes, 12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, extensible ? FORMAT_EXTENSIBLE : tag, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, rateHz, true);
  view.setUint32(28, rateHz * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPerSample * 8, true);
  if (extensible) {
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, bytesPerSample * 8, true); // valid bits
    view.setUint32(40, 0, true); // channel mask: unspecified
    // SubFormat GUID: tag, then the fixed tail 0000-0010-8000-00AA00389B71
    view.setUint16(44, tag, true);
    bytes.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  const dataAt = 12 + 8 + fmtSize;
  writeAscii(bytes, dataAt, 'data');
  view.setUint32(dataAt + 4, dataBytes, true);
  let at = dataAt + 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++, at += bytesPerSample) writeSample(view, at, format, channels[c]![i]!);
  }
  return bytes;
}
