/**
 * Audio file decoding: container detection by magic bytes, WAV through the own reader in
 * `wav.ts`, FLAC / MP3 / Ogg (Vorbis, Opus) and the rest through the `audio-decode` package
 * (pure JS/WASM decoders, no ffmpeg). Every decoded sample is finite: NaN/±Inf become 0 and
 * are counted in `nonFiniteSamples`. The file extension is never looked at.
 *
 * Scaling note: our WAV reader divides int16 by 32767 (openSMILE's convention) while
 * audio-decode's FLAC decoder divides by 32768, a 0.003 % (0.0003 dB) gain difference, below
 * one LSB; MP3/Ogg decoders output float directly.
 */
import decodeCompressed from 'audio-decode';
import { EmostreamError } from '../errors.ts';
import { decodeWav, isWav } from './wav.ts';

/** Containers told apart by their first bytes; 'other' is left to audio-decode's own detection. */
export type AudioContainer = 'wav' | 'flac' | 'ogg' | 'mp3' | 'other';

/** Decoded audio: de-interleaved channels (nominally in [-1, 1]) at the file's own rate. */
export interface DecodedAudio {
  readonly channels: readonly Float32Array[];
  readonly sampleRateHz: number;
  /** Container detected from the magic bytes. */
  readonly format: AudioContainer;
  /** Number of NaN/±Inf samples that were replaced by 0 (never passed on). */
  readonly nonFiniteSamples: number;
}

/** Options of `decodeAudio`. */
export interface DecodeOptions {
  /** Name shown in error messages (usually the file path). Default '<buffer>'. */
  readonly name?: string;
}

/** Detects the container from magic bytes (RIFF/RF64+WAVE, fLaC, OggS, ID3 or an MPEG sync word). */
export function sniffContainer(bytes: Uint8Array): AudioContainer {
  if (isWav(bytes)) return 'wav';
  if (bytes.length >= 4) {
    const [a, b, c, d] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
    if (a === 0x66 && b === 0x4c && c === 0x61 && d === 0x43) return 'flac'; // "fLaC"
    if (a === 0x4f && b === 0x67 && c === 0x67 && d === 0x53) return 'ogg'; // "OggS"
    if (a === 0x49 && b === 0x44 && c === 0x33) return 'mp3'; // "ID3" tag
    // MPEG audio frame sync: 11 set bits, layer bits != 00 (00 is AAC ADTS)
    if (a === 0xff && (b & 0xe0) === 0xe0 && (b & 0x06) !== 0) return 'mp3';
  }
  return 'other';
}

/** Replaces NaN/±Inf by 0 in place; returns how many were replaced. */
export function zeroNonFinite(samples: Float32Array): number {
  let count = 0;
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) {
      samples[i] = 0;
      count++;
    }
  }
  return count;
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 200);
}

async function decodeWithLibrary(bytes: Uint8Array, name: string, format: AudioContainer): Promise<DecodedAudio> {
  let result: { channelData: Float32Array[]; sampleRate: number };
  try {
    result = await decodeCompressed(bytes);
  } catch (err) {
    const what = format === 'other' ? 'unrecognised or unsupported audio format' : `cannot decode ${format.toUpperCase()}`;
    throw new EmostreamError('EMO_ERR_DECODE', `${name}: ${what} (${describe(err)})`, { cause: err });
  }
  const channels = result.channelData;
  if (channels.length === 0 || !(result.sampleRate > 0)) {
    throw new EmostreamError('EMO_ERR_DECODE', `${name}: no audio could be decoded (corrupt or truncated ${format === 'other' ? 'file' : format.toUpperCase()})`);
  }
  let nonFinite = 0;
  for (const ch of channels) nonFinite += zeroNonFinite(ch);
  return { channels, sampleRateHz: result.sampleRate, format, nonFiniteSamples: nonFinite };
}

/**
 * Decodes a whole audio file held in memory to float channels at the file's rate.
 * Throws `EmostreamError`: EMO_ERR_EMPTY_AUDIO for an empty input or zero decoded samples,
 * EMO_ERR_DECODE for unknown, corrupt or unsupported data, EMO_ERR_BAD_AUDIO for a WAV that
 * declares 0 channels or 0 Hz.
 */
export async function decodeAudio(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const name = options.name ?? '<buffer>';
  if (bytes.length === 0) throw new EmostreamError('EMO_ERR_EMPTY_AUDIO', `${name}: file is empty (0 bytes)`);
  const format = sniffContainer(bytes);
  let decoded: DecodedAudio;
  if (format === 'wav') {
    const wav = decodeWav(bytes, name);
    decoded = { channels: wav.channels, sampleRateHz: wav.sampleRateHz, format, nonFiniteSamples: wav.nonFiniteSamples };
  } else {
    decoded = await decodeWithLibrary(bytes, name, format);
  }
  if (decoded.channels[0]!.length === 0) {
    throw new EmostreamError('EMO_ERR_EMPTY_AUDIO', `${name}: contains no audio samples`);
  }
  return decoded;
}
