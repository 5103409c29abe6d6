/**
 * Whole-file loading for offline analysis and training: read → decode (by magic bytes) →
 * mono mixdown (channel average) → resample to the analysis rate (Speex), in one call.
 */
import { readFile } from 'node:fs/promises';
import { EmostreamError } from '../errors.ts';
import { decodeAudio, type AudioContainer } from './decode.ts';
import { toMono } from './mixdown.ts';
import { ANALYSIS_RATE_HZ, DEFAULT_RESAMPLE_OPTIONS, resample, validateResampleOptions } from './resample.ts';

/** Options of `loadAudioFile`. */
export interface LoadAudioOptions {
  /** Output rate in Hz (integer), or 'native' to keep the file's own rate. Default 16000. */
  readonly rate?: 'native' | number;
  /** Speex resampler quality 0..10. Default 7 (see `ResampleOptions`). */
  readonly quality?: number;
}

/** Default load options: 16 kHz (the analysis rate), resampler quality 7. */
export const DEFAULT_LOAD_OPTIONS: Readonly<Required<LoadAudioOptions>> = Object.freeze({
  rate: ANALYSIS_RATE_HZ,
  quality: DEFAULT_RESAMPLE_OPTIONS.quality,
});

/** A loaded file: mono samples at `sampleRateHz`. */
export interface LoadedAudio {
  readonly samples: Float32Array;
  readonly sampleRateHz: number;
  /** The file's own sample rate before resampling. */
  readonly sourceRateHz: number;
  /** Channel count of the file before mixdown. */
  readonly sourceChannels: number;
  /** samples.length / sampleRateHz, in seconds. */
  readonly durationS: number;
  readonly format: AudioContainer;
  /** NaN/±Inf samples in the file that were replaced by 0. */
  readonly nonFiniteSamples: number;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found'
      : code === 'EISDIR' ? 'is a directory, not an audio file'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : `cannot read file (${code ?? String(err)})`;
    throw new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', `${path}: ${why}`, { cause: err });
  }
}

/** Reads, decodes, mixes to mono and resamples an audio file (WAV, FLAC, MP3, Ogg, …). */
export async function loadAudioFile(path: string, options: LoadAudioOptions = {}): Promise<LoadedAudio> {
  const rate = options.rate ?? DEFAULT_LOAD_OPTIONS.rate;
  if (rate !== 'native' && (!Number.isInteger(rate) || rate < 1)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `rate must be 'native' or a positive integer in Hz, got ${String(rate)}`);
  }
  const quality = options.quality ?? DEFAULT_LOAD_OPTIONS.quality;
  validateResampleOptions({ quality });
  const bytes = await readBytes(path);
  const decoded = await decodeAudio(bytes, { name: path });
  const mono = toMono(decoded.channels);
  const targetHz = rate === 'native' ? decoded.sampleRateHz : rate;
  // Equal rates skip the resampler (the decoded buffers are ours, no copy needed).
  const samples = targetHz === decoded.sampleRateHz ? mono : await resample(mono, decoded.sampleRateHz, targetHz, { quality });
  return {
    samples,
    sampleRateHz: targetHz,
    sourceRateHz: decoded.sampleRateHz,
    sourceChannels: decoded.channels.length,
    durationS: samples.length / targetHz,
    format: decoded.format,
    nonFiniteSamples: decoded.nonFiniteSamples,
  };
}
