/**
 * Exact durations of audio files from their headers, without decoding (for the corpus builders, which
 * write each part's `durationS` so that segment times are sample-exact):
 * - Ogg Opus (RFC 7845 §4.5): the decoded length is the last page's granule position minus the
 *   `OpusHead` pre-skip, in samples at 48 kHz (whatever the input rate was).
 * - FLAC: STREAMINFO total samples / sample rate (flac-info.ts).
 * - WAV (RIFF, PCM or float): data chunk bytes / block align / sample rate.
 * The container is told by its magic bytes, never by the file name.
 */
import { EmostreamError } from '../../../errors.ts';
import { parseFlacInfo, withOpenFile } from '../flac-info.ts';

/** Opus granule positions count samples at 48 kHz (RFC 7845 §4). */
export const OPUS_GRANULE_RATE_HZ = 48000;

/** Longest Ogg page: 27-byte header + 255 lacing values + 255 × 255 body bytes. */
const MAX_OGG_PAGE = 27 + 255 + 255 * 255;

/** What a file header says about the decoded length. */
export interface AudioDurationInfo {
  readonly container: 'ogg-opus' | 'flac' | 'wav';
  /** Samples per channel at `rateHz` after decoding (Opus: at 48 kHz, pre-skip removed). */
  readonly samples: number;
  /** Rate that `samples` counts at, Hz. */
  readonly rateHz: number;
  /** samples / rateHz, seconds. */
  readonly durationS: number;
}

function bad(path: string, what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', `${path}: ${what}`);
}

function isOggPage(b: Uint8Array, at: number): boolean {
  return b[at] === 0x4f && b[at + 1] === 0x67 && b[at + 2] === 0x67 && b[at + 3] === 0x53 && b[at + 4] === 0;
}

/** Granule position (int64 LE at byte 6 of a page), as a number (exact below 2^53). */
function granuleAt(b: Uint8Array, at: number): number {
  const v = new DataView(b.buffer, b.byteOffset + at + 6, 8);
  return v.getUint32(4, true) * 2 ** 32 + v.getUint32(0, true);
}

/** Byte length of the Ogg page starting at `at` (header, lacing table and body), or -1 if cut off. */
function pageLength(b: Uint8Array, at: number): number {
  if (at + 27 > b.length) return -1;
  const segments = b[at + 26]!;
  if (at + 27 + segments > b.length) return -1;
  let body = 0;
  for (let i = 0; i < segments; i++) body += b[at + 27 + i]!;
  return 27 + segments + body;
}

/** Pre-skip (samples at 48 kHz) from the OpusHead packet of the first Ogg page; throws if not Opus. */
export function parseOpusHead(head: Uint8Array, path = 'file.opus'): { preSkip: number; channels: number; inputRateHz: number } {
  if (!isOggPage(head, 0)) bad(path, 'not an Ogg file');
  const at = 27 + (head[26] ?? 0);
  const magic = String.fromCharCode(...head.subarray(at, at + 8));
  if (magic !== 'OpusHead' || head.length < at + 19) bad(path, 'Ogg stream does not start with an OpusHead packet (not Ogg Opus)');
  const v = new DataView(head.buffer, head.byteOffset + at, 19);
  return { channels: v.getUint8(9), preSkip: v.getUint16(10, true), inputRateHz: v.getUint32(12, true) };
}

/**
 * Granule position of the last complete Ogg page in `tail` (the last bytes of the file): the last
 * "OggS" capture whose page ends exactly at the end of the file.
 */
export function lastGranule(tail: Uint8Array, path = 'file.opus'): number {
  for (let at = tail.length - 27; at >= 0; at--) {
    if (isOggPage(tail, at) && at + pageLength(tail, at) === tail.length) return granuleAt(tail, at);
  }
  return bad(path, 'no complete Ogg page at the end of the file (truncated?)');
}

/** Decoded length of an Ogg Opus file from its first and last pages. */
export function opusDuration(head: Uint8Array, tail: Uint8Array, path = 'file.opus'): AudioDurationInfo {
  const { preSkip } = parseOpusHead(head, path);
  const samples = lastGranule(tail, path) - preSkip;
  if (!(samples > 0)) bad(path, `Ogg Opus end granule minus pre-skip is ${samples} samples`);
  return { container: 'ogg-opus', samples, rateHz: OPUS_GRANULE_RATE_HZ, durationS: samples / OPUS_GRANULE_RATE_HZ };
}

/** Decoded length of a RIFF/WAVE file from its fmt and data chunk headers (`head` = the first bytes). */
export function wavDuration(head: Uint8Array, fileBytes: number, path = 'file.wav'): AudioDurationInfo {
  const v = new DataView(head.buffer, head.byteOffset, head.length);
  const tag = (at: number): string => String.fromCharCode(...head.subarray(at, at + 4));
  if (head.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') bad(path, 'not a RIFF/WAVE file');
  let at = 12, rateHz = 0, blockAlign = 0;
  while (at + 8 <= head.length) {
    const id = tag(at), size = v.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 22 <= head.length) {
      rateHz = v.getUint32(at + 12, true);
      blockAlign = v.getUint16(at + 20, true);
    } else if (id === 'data') {
      if (!(rateHz > 0 && blockAlign > 0)) bad(path, 'WAV data chunk before a valid fmt chunk');
      const bytes = Math.min(size, fileBytes - at - 8);
      const samples = Math.floor(bytes / blockAlign);
      return { container: 'wav', samples, rateHz, durationS: samples / rateHz };
    }
    at += 8 + size + (size & 1);
  }
  return bad(path, 'no WAV data chunk in the first bytes of the file');
}

/** Reads the header(s) of an Ogg Opus, FLAC or WAV file and returns its exact decoded length. */
export async function readAudioDuration(path: string): Promise<AudioDurationInfo> {
  return withOpenFile(path, async (fh) => {
    const size = (await fh.stat()).size;
    const head = new Uint8Array(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    const magic = String.fromCharCode(...head.subarray(0, 4));
    if (magic === 'OggS') {
      const tail = new Uint8Array(Math.min(size, MAX_OGG_PAGE));
      await fh.read(tail, 0, tail.length, size - tail.length);
      return opusDuration(head, tail, path);
    }
    if (magic === 'fLaC') {
      const f = parseFlacInfo(head, path);
      return { container: 'flac', samples: f.totalSamples, rateHz: f.sampleRateHz, durationS: f.durationS };
    }
    if (magic === 'RIFF') return wavDuration(head, size, path);
    return bad(path, 'unknown audio container (want Ogg Opus, FLAC or WAV)');
  });
}
