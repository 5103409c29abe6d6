/**
 * Frame sizes of the ComParE front end for a sample rate (recipe 5.0): 10 ms hop, a 20 ms Hamming frame (named
 * "25" in the configuration) and a 60 ms Gaussian frame, both starting at sample k·hop (`frameCenterSpecial=left`),
 * zero-padded symmetrically to the next power of two.
 */
import { EmostreamError } from '../errors.ts';

export interface FrameGeometry {
  /** Sample rate in Hz. */
  readonly sampleRateHz: number;
  /** Hop in samples (10 ms). */
  readonly hop: number;
  /** Short frame length in samples (20 ms). */
  readonly shortLength: number;
  /** Long frame length in samples (60 ms). */
  readonly longLength: number;
  /** FFT sizes: next power of two ≥ the frame length. */
  readonly shortFftSize: number;
  readonly longFftSize: number;
  /** Zeros in front of the frame inside the FFT buffer: floor((Nfft − N)/2). */
  readonly shortPad: number;
  readonly longPad: number;
}

/** Smallest power of two ≥ n. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Frame geometry for a sample rate in Hz (8 kHz … 192 kHz). */
export function createFrameGeometry(sampleRateHz: number): FrameGeometry {
  if (!Number.isFinite(sampleRateHz) || sampleRateHz < 8000 || sampleRateHz > 192000) {
    throw new EmostreamError('EMO_ERR_BAD_AUDIO', `sample rate must be 8000–192000 Hz, got ${sampleRateHz}`);
  }
  const hop = Math.round(0.01 * sampleRateHz);
  const shortLength = Math.round(0.02 * sampleRateHz);
  const longLength = Math.round(0.06 * sampleRateHz);
  const shortFftSize = nextPowerOfTwo(shortLength);
  const longFftSize = nextPowerOfTwo(longLength);
  return Object.freeze({
    sampleRateHz,
    hop,
    shortLength,
    longLength,
    shortFftSize,
    longFftSize,
    shortPad: Math.floor((shortFftSize - shortLength) / 2),
    longPad: Math.floor((longFftSize - longLength) / 2),
  });
}

/** Number of complete long (60 ms) frames in `sampleCount` samples: the number of LLD rows. */
export function frameCountOf(sampleCount: number, geometry: FrameGeometry): number {
  return sampleCount < geometry.longLength ? 0 : Math.floor((sampleCount - geometry.longLength) / geometry.hop) + 1;
}
