/**
 * The one ordered table of emostream's 65 ComParE 2013 low-level descriptors (recipe 5.9), the family that computes
 * each, and how it is smoothed and differentiated. It fixes the CSV and model-input layout: 65 LLDs, then the same 65
 * with `_de` (deltas). No option ever changes this layout.
 */

/** How a column is smoothed (recipe 5.1): plain 3-frame mean, or the mean of the non-zero neighbours ('nonzero'). */
export type SmoothingKind = 'plain' | 'nonzero';
/** How a column's delta is computed (recipe 5.2): plain regression, or regression inside non-zero segments. */
export type DeltaKind = 'plain' | 'in-segments';
/** The module family computing a column. */
export type LldFamily = 'pitch' | 'voice-quality' | 'loudness' | 'energy' | 'rasta' | 'band-energy' | 'spectral-shape' | 'mfcc';

export interface LldColumn {
  /** Column name as openSMILE spells it (with `_sma`). */
  readonly name: string;
  readonly family: LldFamily;
  readonly smoothing: SmoothingKind;
  readonly delta: DeltaKind;
}

const voicing = (name: string, family: LldFamily): LldColumn => ({ name, family, smoothing: 'nonzero', delta: 'in-segments' });
const plain = (name: string, family: LldFamily): LldColumn => ({ name, family, smoothing: 'plain', delta: 'plain' });
const range = (n: number, f: (i: number) => LldColumn): LldColumn[] => Array.from({ length: n }, (_, i) => f(i));

/** The 65 LLD columns in output order. */
export const LLD_COLUMNS: readonly LldColumn[] = Object.freeze([
  voicing('F0final_sma', 'pitch'),
  voicing('voicingFinalUnclipped_sma', 'pitch'),
  voicing('jitterLocal_sma', 'voice-quality'),
  voicing('jitterDDP_sma', 'voice-quality'),
  voicing('shimmerLocal_sma', 'voice-quality'),
  voicing('logHNR_sma', 'voice-quality'),
  plain('audspec_lengthL1norm_sma', 'loudness'),
  plain('audspecRasta_lengthL1norm_sma', 'rasta'),
  plain('pcm_RMSenergy_sma', 'energy'),
  plain('pcm_zcr_sma', 'energy'),
  ...range(26, (i) => plain(`audSpec_Rfilt_sma[${i}]`, 'rasta')),
  plain('pcm_fftMag_fband250-650_sma', 'band-energy'),
  plain('pcm_fftMag_fband1000-4000_sma', 'band-energy'),
  plain('pcm_fftMag_spectralRollOff25.0_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralRollOff50.0_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralRollOff75.0_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralRollOff90.0_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralFlux_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralCentroid_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralEntropy_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralVariance_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralSkewness_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralKurtosis_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralSlope_sma', 'spectral-shape'),
  plain('pcm_fftMag_psySharpness_sma', 'spectral-shape'),
  plain('pcm_fftMag_spectralHarmonicity_sma', 'spectral-shape'),
  ...range(14, (i) => plain(`mfcc_sma[${i + 1}]`, 'mfcc')),
].map((c) => Object.freeze(c)));

export const LLD_COUNT = 65;
/** openSMILE's delta column name: `_de` after `_sma`, before any `[index]` (e.g. `mfcc_sma_de[1]`). */
export function deltaNameOf(name: string): string {
  const bracket = name.indexOf('[');
  return bracket < 0 ? `${name}_de` : `${name.slice(0, bracket)}_de${name.slice(bracket)}`;
}

/** LLDs then deltas: the 130 frame-level output columns. */
export const FRAME_COLUMN_NAMES: readonly string[] = Object.freeze([
  ...LLD_COLUMNS.map((c) => c.name),
  ...LLD_COLUMNS.map((c) => deltaNameOf(c.name)),
]);
export const FRAME_WIDTH = 2 * LLD_COUNT;

/** Column offsets inside a 65-wide raw LLD row. */
export const COL = Object.freeze({
  F0: 0,
  VOICING: 1,
  JITTER_LOCAL: 2,
  JITTER_DDP: 3,
  SHIMMER: 4,
  LOG_HNR: 5,
  LOUDNESS: 6,
  RASTA_LOUDNESS: 7,
  RMS: 8,
  ZCR: 9,
  RASTA_BANDS: 10, // 26 columns
  FBAND_250_650: 36,
  FBAND_1000_4000: 37,
  ROLLOFF: 38, // 4 columns: 25, 50, 75, 90 %
  FLUX: 42,
  CENTROID: 43,
  ENTROPY: 44,
  VARIANCE: 45,
  SKEWNESS: 46,
  KURTOSIS: 47,
  SLOPE: 48,
  SHARPNESS: 49,
  HARMONICITY: 50,
  MFCC: 51, // 14 columns: mfcc_sma[1..14]
});

/** The voicing group (recipe 5.3–5.4): columns 0 … 5, computed on the 60 ms branch and delayed by pitch smoothing. */
export const VOICING_COLUMNS = 6;
