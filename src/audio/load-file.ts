/**
 * Whole-file loading for offline analysis and training: read → decode (by magic bytes) →
 * mono mixdown (channel average) → resample to the analysis rate (Speex), in one call.
 * A file that decodes but is damaged (a truncated WAV: the data chunk declares more than the file
 * holds) loads what is there and raises a warning (`onWarning`; by default one
 * `emostream: warning: …` line on stderr), never silently.
 */
import { readFile } from 'node:fs/promises';
import { EmostreamError } from '../errors.ts';
import { decodeAudio, type AudioContainer } from './decode.ts';
import { wavTruncation } from './wav.ts';
import { toMono } from './mixdown.ts';
import { ANALYSIS_RATE_HZ, DEFAULT_RESAMPLE_OPTIONS, resample, validateResampleOptions } from './resample.ts';

/** Options of `loadAudioFile`. */
export interface LoadAudioOptions {
  /** Output rate in Hz (integer), or 'native' to keep the file's own rate. Default 16000. */
  readonly rate?: 'native' | number;
  /** Speex resampler quality 0..10. Default 7 (see `ResampleOptions`). */
  readonly quality?: number;
  /** Called with each warning about the file (also listed in `LoadedAudio.warnings`). Default `warnOnStderr`. */
  readonly onWarning?: (message: string) => void;
}

/** The default warning handler: one `emostream: warning: <message>` line on stderr. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`emostream: warning: ${message}\n`);
}

/** Default load options: 16 kHz (the analysis rate), resampler quality 7, warnings on stderr. */
export const DEFAULT_LOAD_OPTIONS: Readonly<Required<LoadAudioOptions>> = Object.freeze({
  rate: ANALYSIS_RATE_HZ,
  quality: DEFAULT_RESAMPLE_OPTIONS.quality,
  onWarning: warnOnStderr,
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
  /** Warnings about the file (e.g. truncated), each already passed to `onWarning`. */
  readonly warnings: readonly string[];
}

/** The warning for a truncated WAV, or undefined when the file is complete (or not a WAV). */
function truncationWarning(bytes: Uint8Array, path: string, format: AudioContainer): string | undefined {
  if (format !== 'wav') return undefined;
  const t = wavTruncation(bytes, path);
  if (!t) return undefined;
  return `${path}: truncated WAV: the data chunk declares ${t.declaredS.toFixed(2)} s (${t.declaredBytes} bytes) but the file holds `
    + `${t.presentS.toFixed(2)} s (${t.presentBytes} bytes); using the audio that is there`;
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
  const warnings: string[] = [];
  const truncated = truncationWarning(bytes, path, decoded.format);
  if (truncated) warnings.push(truncated);
  for (const w of warnings) (options.onWarning ?? DEFAULT_LOAD_OPTIONS.onWarning)(w);
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
    warnings,
  };
}
