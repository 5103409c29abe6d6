/** Validation of raw-PCM stream parameters shared by the stdin, ingest and push sources. */
import { EmostreamError } from '../../errors.ts';
import type { PcmFormat } from '../pcm.ts';

/** Lowest and highest accepted raw-PCM sample rate in Hz. */
export const MIN_PCM_RATE_HZ = 8000;
export const MAX_PCM_RATE_HZ = 192000;

/** Raw PCM stream parameters. */
export interface PcmStreamFormat {
  /** Sample encoding. */
  readonly format: PcmFormat;
  /** Sample rate in Hz, integer in 8000..192000. */
  readonly sampleRateHz: number;
}

/** Throws EMO_ERR_BAD_CONFIG unless `format` is s16le/f32le and the rate an integer in 8000..192000 Hz. */
export function validatePcmStreamFormat(value: PcmStreamFormat): void {
  if (value.format !== 's16le' && value.format !== 'f32le') {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `PCM format must be 's16le' or 'f32le', got '${String(value.format)}'`);
  }
  const rate = value.sampleRateHz;
  if (!Number.isInteger(rate) || rate < MIN_PCM_RATE_HZ || rate > MAX_PCM_RATE_HZ) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `PCM rate must be an integer in ${MIN_PCM_RATE_HZ}..${MAX_PCM_RATE_HZ} Hz, got ${String(rate)}`);
  }
}

/** Bytes per sample of a raw PCM format. */
export function bytesPerSample(format: PcmFormat): number {
  return format === 's16le' ? 2 : 4;
}
