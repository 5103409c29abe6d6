/**
 * Auditory spectra and loudness (recipe 5.5; openSMILE `cPlp` as `is13_audspec` and `is13_audspecRasta`, and
 * `cVectorOperation operation=ll1` as the loudness sum).
 *
 *   audspec:   A_b = (max(M_b, 9.3e-10) · E(f_b))^0.33,            loudness = (1/B)·Σ_b A_b
 *   RASTA:     L_b = ln(max(M_b, 9.3e-10)) → RASTA IIR per band → R_b = exp(0.33·(out_b + ln E(f_b))),
 *              RASTA loudness = (1/B)·Σ_b R_b
 * E is Hermansky's equal-loudness curve at the band centre f_b (ω = 2πf):
 *   E = 1e32·(ω² + 56.8e6)·ω⁴ / ((ω² + 6.3e6)²·(ω² + 0.38e9)·(ω⁷ + 1.7e31)).
 * The RASTA filter (`newRASTA=1`, frame period 10 ms) is H(z) = b(z)/(1 − a·z⁻¹) with
 *   b = [2, −4ω, 0, 4ω, −2] / √(10(32ω² + 8)), ω = cos(2π·29·0.01), a = 1 − sin(2π·1·0.01),
 * run in transposed direct form II; for the first 5 frames its output is forced to 0 and the feedback is off.
 * @see mel-filterbank.ts
 */
import { EmostreamError } from '../errors.ts';
import type { MelFilterbank } from './mel-filterbank.ts';

/** Band-power floor before compression or logarithm (openSMILE `melfloor` default). */
export const MEL_FLOOR = 9.3e-10;
/** Intensity-to-loudness compression exponent (`compression=0.33`). */
export const LOUDNESS_COMPRESSION = 0.33;
/** Frames at the start of a stream whose RASTA output is forced to 0 (feedback off). */
export const RASTA_WARMUP_FRAMES = 5;

/** Hermansky's equal-loudness weight E(f) (dimensionless, ≈ 1 around 1–5 kHz) of a frequency in Hz. */
export function equalLoudnessWeight(hz: number): number {
  const w2 = (2 * Math.PI * hz) ** 2;
  const w7 = w2 * w2 * w2 * Math.sqrt(w2);
  return (1e32 * (w2 + 56.8e6) * w2 * w2) / ((w2 + 6.3e6) ** 2 * (w2 + 0.38e9) * (w7 + 1.7e31));
}

/** Per-band equal-loudness weights E(f_b) and their logarithms, built once for a filterbank. */
export interface EqualLoudnessTable {
  readonly weight: Float64Array;
  readonly logWeight: Float64Array;
}

/** Builds E(f_b) and ln E(f_b) for the centres of a mel filterbank. */
export function createEqualLoudnessTable(bank: MelFilterbank): EqualLoudnessTable {
  const weight = new Float64Array(bank.bandCount);
  const logWeight = new Float64Array(bank.bandCount);
  for (let b = 0; b < bank.bandCount; b++) {
    weight[b] = equalLoudnessWeight(bank.centreHz[b]);
    logWeight[b] = Math.log(weight[b]);
  }
  return Object.freeze({ weight, logWeight });
}

/**
 * Auditory spectrum A_b = (max(M_b, 9.3e-10)·E_b)^0.33 and returns the loudness (1/B)·Σ A_b
 * (audspec_lengthL1norm, recipe 5.5).
 * @param melPower band powers M_b, B values
 * @param table equal-loudness weights for the same B bands
 * @param out auditory spectrum, B values (overwritten)
 */
export function auditorySpectrum(melPower: Float64Array, table: EqualLoudnessTable, out: Float64Array): number {
  const n = table.weight.length;
  let sum = 0;
  for (let b = 0; b < n; b++) {
    const a = Math.pow(Math.max(melPower[b], MEL_FLOOR) * table.weight[b], LOUDNESS_COMPRESSION);
    out[b] = a;
    sum += a;
  }
  return sum / n;
}

/** A per-stream bank of RASTA band-pass filters, one per band, with the warm-up rule of recipe 5.5. */
export interface RastaFilter {
  /**
   * Filters one frame of log band powers and writes R_b = exp(0.33·(out_b + ln E_b)); returns the RASTA loudness
   * (1/B)·Σ R_b (audspecRasta_lengthL1norm).
   * @param melPower band powers M_b of this frame, B values
   * @param out the 26 audSpec_Rfilt values, B values (overwritten)
   */
  process(melPower: Float64Array, out: Float64Array): number;
  /** Clears the filter state and restarts the warm-up. */
  reset(): void;
  /** A copy of the filter state (for a stream handed over to another process, src/pool/window-extractor.ts). */
  snapshot(): RastaSnapshot;
  /** Replaces the state with `s` (taken from a filter over the same number of bands). */
  restore(s: RastaSnapshot): void;
}

/** The state of a RastaFilter: the transposed direct form II states (4 per band) and the warm-up frame count. */
export interface RastaSnapshot {
  readonly state: Float64Array;
  readonly frame: number;
}

const RASTA_OMEGA = Math.cos(2 * Math.PI * 29 * 0.01);
const RASTA_NORM = Math.sqrt(10 * (32 * RASTA_OMEGA * RASTA_OMEGA + 8));
const RB0 = 2 / RASTA_NORM;
const RB1 = (-4 * RASTA_OMEGA) / RASTA_NORM;
const RB3 = (4 * RASTA_OMEGA) / RASTA_NORM;
const RB4 = -2 / RASTA_NORM;
const RASTA_POLE = 1 - Math.sin(2 * Math.PI * 1 * 0.01);

/** Creates the RASTA filter state for the bands of an equal-loudness table (openSMILE `cPlp newRASTA=1`). */
export function createRastaFilter(table: EqualLoudnessTable): RastaFilter {
  const n = table.weight.length;
  // Transposed direct form II states s0 … s3, band-major (4 per band).
  const state = new Float64Array(4 * n);
  let frame = 0;
  return {
    process(melPower, out) {
      const warm = frame >= RASTA_WARMUP_FRAMES;
      let sum = 0;
      for (let b = 0; b < n; b++) {
        const x = Math.log(Math.max(melPower[b], MEL_FLOOR));
        const s = 4 * b;
        const y = RB0 * x + state[s];
        state[s] = RB1 * x + state[s + 1] + (warm ? RASTA_POLE * y : 0);
        state[s + 1] = state[s + 2]; // b2 = 0
        state[s + 2] = RB3 * x + state[s + 3];
        state[s + 3] = RB4 * x;
        const r = Math.exp(LOUDNESS_COMPRESSION * ((warm ? y : 0) + table.logWeight[b]));
        out[b] = r;
        sum += r;
      }
      if (!warm) frame++;
      return sum / n;
    },
    reset() {
      state.fill(0);
      frame = 0;
    },
    snapshot: () => ({ state: state.slice(), frame }),
    restore(s) {
      if (s.state.length !== state.length) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `RASTA state of ${s.state.length / 4} bands, expected ${n}`);
      state.set(s.state);
      frame = s.frame;
    },
  };
}
