/**
 * The per-stream 20 ms analysis branch: the 59 non-voicing LLDs, columns COL.LOUDNESS (6) … COL.MFCC + 13 (64) of a
 * raw 65-wide LLD row (recipe 5.5–5.8).
 *
 * Per frame k (both frames start at sample k·hop):
 *   20 ms frame → RMS (unwindowed) ; × Hamming → symmetric zero-pad to N_short → real FFT (= KissFFT's) → |X|, |X|²
 *     |X|² → mel bank → loudness, RASTA bands + RASTA loudness, MFCC 1–14 ; |X|² → band energies, spectral shape
 *     |X| and the previous frame's |X| → flux (0 in the first frame)
 *   60 ms frame → ZCR (unwindowed)
 * The bin loops (RMS, ZCR, windowing, |X|², |X|, mel bank, band energies, spectral shape but its entropy) run in
 * WebAssembly (short-frame-wasm.ts), bit-identical to the TypeScript modules named above; the per-band work with
 * logarithms and powers (auditory spectrum, RASTA, MFCC) and the entropy stay in TypeScript (V8's Math functions).
 * State across frames: the previous magnitude spectrum and the RASTA filter (5-frame warm-up). Every buffer is
 * created in the factory; `analyse` allocates no buffers (only the
 * subarray view its frame copy reads). Any rate of `createFrameGeometry` works: below 16 kHz the mel
 * bank's 8 kHz upper edge is clamped to Nyquist (mel-filterbank.ts); digital silence gives finite values throughout.
 * @see frame-geometry.ts
 */
import { EmostreamError } from '../errors.ts';
import type { FrameGeometry } from './frame-geometry.ts';
import { hammingWindow } from './windows.ts';
import { COL } from './registry.ts';
import { createMelFilterbank, type MelFilterbank } from './mel-filterbank.ts';
import { auditorySpectrum, createEqualLoudnessTable, createRastaFilter, type EqualLoudnessTable, type RastaSnapshot } from './auditory-spectrum.ts';
import { createBandEnergyTable } from './band-energy.ts';
import { createSpectralShapeTables, spectralEntropy } from './spectral-shape.ts';
import { createMfccTable, mfccInto } from './mfcc.ts';
import { createShortFrameKernel, SHORT_OUT_COLUMNS, SHORT_OUT_ENTROPY, SHORT_OUT_TOTAL } from './short-frame-wasm.ts';

/** First and last (inclusive) raw-row columns written by the short-frame branch. */
export const SHORT_BRANCH_FIRST_COLUMN = COL.LOUDNESS;
export const SHORT_BRANCH_LAST_COLUMN = COL.MFCC + 13;

/** Per-stream analyser of the 20 ms branch plus ZCR. */
export interface ShortFrameBranch {
  readonly geometry: FrameGeometry;
  /**
   * Computes frame k's 59 LLDs into row[6 … 64] (raw, unsmoothed). The 20 ms frame is samples[start … start +
   * shortLength) and the 60 ms ZCR frame samples[start … start + longLength); the caller guarantees both exist.
   * Frames must be passed in order (flux and RASTA carry state).
   * @param samples the caller's contiguous sample buffer (values on the [−1, 1] scale)
   * @param start index of the frame's first sample in `samples`
   * @param row a 65-wide raw LLD row; only columns 6 … 64 are written
   */
  analyse(samples: Float32Array, start: number, row: Float32Array): void;
  /** Forgets the cross-frame state (flux history, RASTA filter), as at the start of a new stream. */
  reset(): void;
  /** A copy of the cross-frame state (previous magnitude spectrum, RASTA filter). */
  snapshot(): ShortFrameSnapshot;
  /** Replaces the cross-frame state with `s` (from a branch of the same geometry). */
  restore(s: ShortFrameSnapshot): void;
  /** Ends the branch (its WebAssembly memory is garbage-collected with it); it must not be used afterwards. */
  release(): void;
}

/** The cross-frame state of a ShortFrameBranch. */
export interface ShortFrameSnapshot {
  /** Whether a frame was analysed (the next one has a flux). */
  readonly havePrevious: boolean;
  /** |X_k| of the last frame, N_short/2 + 1 values. */
  readonly previous: Float32Array;
  readonly rasta: RastaSnapshot;
}

/** Creates the short-frame branch for a frame geometry (one per stream). */
export async function createShortFrameBranch(geometry: FrameGeometry): Promise<ShortFrameBranch> {
  const { sampleRateHz, shortLength, longLength, shortFftSize, shortPad } = geometry;
  const bank: MelFilterbank = createMelFilterbank(sampleRateHz, shortFftSize);
  const loudnessTable: EqualLoudnessTable = createEqualLoudnessTable(bank);
  const audspec = new Float64Array(bank.bandCount);
  const rastaBands = new Float64Array(bank.bandCount);
  const rasta = createRastaFilter(loudnessTable);
  const mfccTable = createMfccTable(bank.bandCount);
  const kernel = createShortFrameKernel({
    shortLength, longLength, fftSize: shortFftSize, pad: shortPad, window: hammingWindow(shortLength), bank,
    lowBand: createBandEnergyTable(250, 650, sampleRateHz, shortFftSize),
    highBand: createBandEnergyTable(1000, 4000, sampleRateHz, shortFftSize),
    shape: createSpectralShapeTables(sampleRateHz, shortFftSize),
  });
  const { frame, power, mel, out } = kernel;
  let havePrevious = false;
  const entropyColumn = COL.FBAND_250_650 + SHORT_OUT_ENTROPY;

  return {
    geometry,
    analyse(samples, start, row) {
      frame.set(samples.subarray(start, start + longLength)); // a memcpy (a JS copy loop is 5× slower)
      kernel.analyseTime();
      row[COL.RMS] = out[0];
      row[COL.ZCR] = out[1];
      kernel.transform();
      kernel.analyseSpectrum(havePrevious);
      havePrevious = true;
      for (let j = 0; j < SHORT_OUT_COLUMNS; j++) row[COL.FBAND_250_650 + j] = out[j];
      row[entropyColumn] = spectralEntropy(power, out[SHORT_OUT_TOTAL]);

      row[COL.LOUDNESS] = auditorySpectrum(mel, loudnessTable, audspec);
      row[COL.RASTA_LOUDNESS] = rasta.process(mel, rastaBands);
      for (let b = 0; b < bank.bandCount; b++) row[COL.RASTA_BANDS + b] = rastaBands[b];
      mfccInto(mfccTable, mel, row, COL.MFCC);
    },
    reset() {
      havePrevious = false;
      rasta.reset();
    },
    snapshot: () => ({ havePrevious, previous: kernel.previousMagnitude().slice(), rasta: rasta.snapshot() }),
    restore(s) {
      const previous = kernel.previousMagnitude();
      if (s.previous.length !== previous.length) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `short-frame state of ${s.previous.length} bins, expected ${previous.length}`);
      previous.set(s.previous);
      havePrevious = s.havePrevious;
      rasta.restore(s.rasta);
    },
    release() {},
  };
}
