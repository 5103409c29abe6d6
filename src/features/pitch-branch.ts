/**
 * F0final and voicingFinalUnclipped of the 60 ms Gaussian branch (recipe 5.3): per 10 ms frame, Gaussian window
 * (σ = 0.4) → FFT magnitude (longFftSize, longPad zeros in front; the WebAssembly FFT, bit-identical to KissFFT) → octave scale → subharmonic summation →
 * streaming Viterbi smoother → energy gate (RMS of the windowed frame must exceed 0.001, else F0 = voicing = 0).
 *
 * Values handed out are the UNSMOOTHED, gated F0 (Hz, 0 = unvoiced) and voicing; the caller applies the non-zero
 * 3-frame mean (recipe 5.1). The smoother decides frames with a lag of up to `bufferLength` (30) frames, usually
 * far less; `pendingFrames` tells how many analysed frames are not yet handed out (the pitch look-ahead).
 * @see spectral-scale.ts
 * @see pitch-shs.ts
 * @see pitch-viterbi.ts
 * @see pitch-spectrum-wasm.ts (window, FFT, magnitude, octave scale and subharmonic sum run there, bit-identical to the
 *   TypeScript modules and KissFFT)
 */
import { EmostreamError } from '../errors.ts';
import type { FrameGeometry } from './frame-geometry.ts';
import { createPitchShs, type PitchCandidateArrays } from './pitch-shs.ts';
import { createPitchViterbi, type PitchFrameSink, type PitchViterbiSnapshot } from './pitch-viterbi.ts';
import { createSpectralScaleTables } from './spectral-scale.ts';
import { createPitchSpectrumKernel } from './pitch-spectrum-wasm.ts';
import { gaussianWindow } from './windows.ts';

/** RMS of the windowed 60 ms frame at or below which F0 and voicing are forced to 0 (`is13_volmerge threshold`). */
export const PITCH_ENERGY_GATE = 0.001;

export interface PitchBranch {
  /**
   * Analyses frame k: samples[start … start + longLength), where start = k·hop in the caller's stream.
   * Frames must be analysed in order, one call per frame.
   */
  analyse(samples: Float32Array, start: number): void;
  /** Hands every decided, not yet handed-out frame to `onFrame` in order (each frame exactly once). */
  drain(onFrame: PitchFrameSink): void;
  /** End of input: decides the remaining frames and hands them out. */
  finish(onFrame: PitchFrameSink): void;
  /** Analysed frames not yet handed out. */
  readonly pendingFrames: number;
  /** Frees the FFT's WebAssembly memory. */
  release(): void;
  /** A copy of the cross-frame state (smoother trellis, energy gates of the frames not yet handed out). */
  snapshot(): PitchBranchSnapshot;
  /** Replaces the cross-frame state with `s` (from a branch of the same geometry), before any frame is analysed. */
  restore(s: PitchBranchSnapshot): void;
}

/** The cross-frame state of a PitchBranch: frames analysed, the gate flag of each frame not yet handed out, the smoother. */
export interface PitchBranchSnapshot {
  readonly analysed: number;
  /** Gate flags (1 = open) of frames viterbi.drained … analysed − 1. */
  readonly gates: Uint8Array;
  readonly viterbi: PitchViterbiSnapshot;
}

/** Creates the pitch branch (F0final, voicingFinalUnclipped; recipe 5.3) for a frame geometry. */
export async function createPitchBranch(geometry: FrameGeometry): Promise<PitchBranch> {
  const { longLength: N, longFftSize: nfft, longPad: pad, sampleRateHz } = geometry;
  const window = gaussianWindow(N, 0.4);
  const scale = createSpectralScaleTables(sampleRateHz, nfft);
  const shs = createPitchShs(scale);
  const viterbi = createPitchViterbi({ candidates: shs.candidates });
  const kernel = createPitchSpectrumKernel({ length: N, window, fftSize: nfft, pad }, scale, shs);
  const kernelFrame = kernel.frame;
  const kernelSum = kernel.sum;
  const kernelPeaks = kernel.peaks;
  const candidates: PitchCandidateArrays = {
    frequencies: new Float64Array(shs.candidates),
    scores: new Float64Array(shs.candidates),
    voicings: new Float64Array(shs.candidates),
  };
  // Gate flag per frame, ring-indexed like the smoother's frames; grows only if frames are left undrained.
  let gate: Uint8Array = new Uint8Array(64);
  let analysed = 0;
  let sink: PitchFrameSink | undefined;
  let released = false;

  const gatedSink: PitchFrameSink = (frameIndex, f0Hz, voicing) => {
    const open = gate[frameIndex & (gate.length - 1)] === 1;
    sink!(frameIndex, open ? f0Hz : 0, open ? voicing : 0);
  };

  function emit(onFrame: PitchFrameSink): void {
    sink = onFrame;
    viterbi.drain(gatedSink);
    sink = undefined;
  }

  return {
    analyse(samples, start) {
      if (released) throw new EmostreamError('EMO_ERR_INTERNAL', 'pitch branch used after release()');
      if (!(start >= 0) || start + N > samples.length) {
        throw new EmostreamError('EMO_ERR_INTERNAL', `pitch frame [${start}, ${start + N}) outside ${samples.length} samples`);
      }
      kernelFrame.set(samples.subarray(start, start + N)); // a memcpy (a JS copy loop is 5× slower)
      kernel.windowFrame();
      kernel.transform();
      const peakCount = kernel.run();
      shs.candidatesFromPeaks(kernelSum, kernel.mean, kernelPeaks, peakCount, candidates);

      if (analysed - viterbi.drainedFrames >= gate.length) gate = regrow(gate, viterbi.drainedFrames, analysed);
      gate[analysed & (gate.length - 1)] = Math.sqrt(kernel.energy / N) > PITCH_ENERGY_GATE ? 1 : 0;
      analysed++;
      viterbi.push(candidates.frequencies, candidates.voicings);
    },
    drain(onFrame) {
      emit(onFrame);
    },
    finish(onFrame) {
      viterbi.flush();
      emit(onFrame);
    },
    get pendingFrames() {
      return analysed - viterbi.drainedFrames;
    },
    release() {
      released = true; // the kernel's WebAssembly memory is garbage-collected with it
    },
    snapshot: () => ({ analysed, gates: gateFlags(gate, viterbi.drainedFrames, analysed), viterbi: viterbi.snapshot() }),
    restore(snap) {
      const from = snap.viterbi.drained;
      if (snap.analysed !== snap.viterbi.pushed || snap.gates.length !== snap.analysed - from) {
        throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'pitch branch state: frame counts do not agree');
      }
      viterbi.restore(snap.viterbi);
      gate = gateRing(snap.gates, from, snap.analysed, gate.length);
      analysed = snap.analysed;
    },
  };
}

/** Doubles a power-of-two ring, keeping the entries of frames from … to−1 at their new ring positions. */
function regrow(ring: Uint8Array, from: number, to: number): Uint8Array {
  const bigger = new Uint8Array(ring.length * 2);
  for (let t = from; t < to; t++) bigger[t & (bigger.length - 1)] = ring[t & (ring.length - 1)];
  return bigger;
}

/** The gate flags of frames from … to−1 of a power-of-two ring, in frame order. */
function gateFlags(ring: Uint8Array, from: number, to: number): Uint8Array {
  const gates = new Uint8Array(to - from);
  for (let t = from; t < to; t++) gates[t - from] = ring[t & (ring.length - 1)];
  return gates;
}

/** A power-of-two ring (at least `minSize`, larger than the flags) holding `gates` as frames from … to−1. */
function gateRing(gates: Uint8Array, from: number, to: number, minSize: number): Uint8Array {
  let size = minSize;
  while (size < gates.length + 1) size *= 2;
  const ring = new Uint8Array(size);
  for (let t = from; t < to; t++) ring[t & (size - 1)] = gates[t - from];
  return ring;
}
