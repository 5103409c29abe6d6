/**
 * Reads a FLAC file's STREAMINFO block (FLAC format spec, RFC 9639 §8.2): sample rate (20 bits),
 * channels − 1 (3 bits), bits per sample − 1 (5 bits) and total samples per channel (36 bits) at
 * byte offsets 18–25 of the file. Used by the corpus builders for exact utterance durations without decoding.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { EmostreamError } from '../../errors.ts';

/** What STREAMINFO says about a FLAC stream. */
export interface FlacInfo {
  readonly sampleRateHz: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Samples per channel (0 = unknown, allowed by the format). */
  readonly totalSamples: number;
  /** totalSamples / sampleRateHz in seconds. */
  readonly durationS: number;
}

/** Parses STREAMINFO from the first 42 bytes of a FLAC file. */
export function parseFlacInfo(head: Uint8Array, path = 'file.flac'): FlacInfo {
  const magic = String.fromCharCode(...head.subarray(0, 4));
  if (head.length < 42 || magic !== 'fLaC' || (head[4]! & 0x7f) !== 0) {
    throw new EmostreamError('EMO_ERR_DATASET', `${path}: not a FLAC file starting with STREAMINFO`);
  }
  const b = (i: number): number => head[i]!;
  const sampleRateHz = (b(18) << 12) | (b(19) << 4) | (b(20) >> 4);
  const channels = ((b(20) >> 1) & 7) + 1;
  const bitsPerSample = (((b(20) & 1) << 4) | (b(21) >> 4)) + 1;
  const totalSamples = (b(21) & 0x0f) * 2 ** 32 + ((b(22) << 24) >>> 0) + (b(23) << 16) + (b(24) << 8) + b(25);
  if (sampleRateHz === 0) throw new EmostreamError('EMO_ERR_DATASET', `${path}: FLAC sample rate 0`);
  return { sampleRateHz, channels, bitsPerSample, totalSamples, durationS: totalSamples / sampleRateHz };
}

/** Runs `read` on the file at `path` opened for reading (EMO_ERR_DATASET if it cannot be opened), then closes it. */
export async function withOpenFile<T>(path: string, read: (fh: FileHandle) => Promise<T>): Promise<T> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${path}: cannot open (${(cause as Error).message})`, { cause });
  }
  try {
    return await read(fh);
  } finally {
    await fh.close();
  }
}

/** Reads STREAMINFO of a FLAC file on disk. */
export async function readFlacInfo(path: string): Promise<FlacInfo> {
  return withOpenFile(path, async (fh) => {
    const head = new Uint8Array(42);
    await fh.read(head, 0, 42, 0);
    return parseFlacInfo(head, path);
  });
}
