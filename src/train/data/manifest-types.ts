/**
 * The dataset manifest contract (version 1): what a training/evaluation corpus looks like on disk.
 * Documented for users in docs/dataset-manifest.md; validated by `parseManifest` (manifest.ts).
 *
 * A manifest lists sequences (one song, one recording, or one speaker's concatenated utterances).
 * Each sequence has exactly one audio source (`audio`, `parts` or precomputed `features`) and one
 * target form (`csv`, inline `samples` or categorical `segments`). Relative paths resolve against
 * `baseDir` (itself relative to the manifest file's folder; default: that folder).
 */

/** The current manifest format version. */
export const MANIFEST_VERSION = 1;

/** Analysis sample rate of rendered audio, Hz (the whole pipeline runs at 16 kHz). */
export const RENDER_RATE_HZ = 16000;

/** Dimension of one pooled feature vector (130 LLD+delta series × mean, stddev). */
export const POOLED_FEATURE_COUNT = 260;

/** Acoustic domain of a sequence: decides M2M / S2S / cross-domain roles. */
export type Domain = 'music' | 'speech';

/** A point on the circumplex: arousal and valence, each in [-1, 1]. */
export interface AffectPoint {
  readonly arousal: number;
  readonly valence: number;
}

/** The two target dimensions, in the order of the trainer's target columns. */
export type AffectDimension = 'arousal' | 'valence';

/**
 * A category's point in a `categoryMap`: each dimension in [-1, 1], or `null` when the category says
 * nothing about it (e.g. BAVED's arousal levels have no valence). A `null` dimension is a **missing
 * target**: aligned windows get NaN there, the training loss and the metrics skip it. At least one
 * dimension must be a number.
 */
export interface CategoryPoint {
  readonly arousal: number | null;
  readonly valence: number | null;
}

/**
 * What fills the gaps (and the padding) of a joined sequence: white Gaussian noise of this RMS level in
 * dBFS (a number in [-200, 0]), or `"silence"` for digital silence (exact zeros).
 */
export type GapNoiseLevel = number | 'silence';

/** One audio segment of a concatenated sequence. */
export interface SequencePart {
  /** Audio file (any format the decoder reads), relative to `baseDir` or absolute. */
  readonly audio: string;
  /** Seconds of gap noise inserted before this part (≥ 0). Default 0. */
  readonly gapBeforeS?: number;
  /**
   * Exact length of this part in seconds. When given, the decoded audio is cut or padded with gap
   * noise to round(durationS·16000) samples, so segment times in the manifest are sample-exact.
   */
  readonly durationS?: number;
}

/** Time-stamped continuous targets held in a CSV file with columns `time`, `arousal`, `valence`. */
export interface CsvTargets {
  readonly csv: string;
}

/** Time-stamped continuous targets inline: equal-length arrays, times in seconds, ascending. */
export interface SampleTargets {
  readonly samples: { readonly timeS: readonly number[]; readonly arousal: readonly number[]; readonly valence: readonly number[] };
}

/** One constant-target stretch of a categorical sequence. */
export interface TargetSegment {
  /** Start time in seconds (sequence timeline). */
  readonly start: number;
  /** End time in seconds (> start). */
  readonly end: number;
  /** Key of `categoryMap`. */
  readonly category: string;
  /** Fraction of the way from the neutral point to the category's point, in [0, 1]. Default 1. */
  readonly intensity?: number;
}

/** Piecewise-constant categorical targets. */
export interface SegmentTargets {
  readonly segments: readonly TargetSegment[];
}

/** The three target forms. */
export type SequenceTargets = CsvTargets | SampleTargets | SegmentTargets;

/** One sequence of the manifest. Exactly one of `audio`, `parts`, `features`. */
export interface ManifestSequence {
  /** Unique id within the manifest. */
  readonly id: string;
  readonly domain: Domain;
  /** Cross-validation group (song, artist or speaker): sequences of one group never straddle folds. */
  readonly group: string;
  /** One audio file. */
  readonly audio?: string;
  /** Several audio files concatenated with noise gaps (see `renderSequenceAudio`). */
  readonly parts?: readonly SequencePart[];
  /** Gap filler: RMS level of white Gaussian noise in dBFS, or `"silence"` (exact zeros). Required with `parts`. */
  readonly gapNoiseDb?: GapNoiseLevel;
  /** Integer seed of the gap noise generator. Required with `parts` (unused with `"silence"`). */
  readonly gapNoiseSeed?: number;
  /** CSV of pooled features: one row per window w (260 values, or 261 with a leading end time w+2). */
  readonly features?: string;
  readonly targets: SequenceTargets;
  /** Free-form string metadata (artist, title, sex, …); never used for computation. */
  readonly meta?: Readonly<Record<string, string>>;
}

/** A whole manifest file. */
export interface Manifest {
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  /** Folder that relative paths resolve against; relative to the manifest file. Default '.'. */
  readonly baseDir?: string;
  /** Category → circumplex point (`null` = dimension not labelled). Required when any sequence has segment targets. */
  readonly categoryMap?: Readonly<Record<string, CategoryPoint>>;
  /** Category used as the neutral point for `intensity` < 1. Required when any intensity < 1. */
  readonly neutralCategory?: string;
  readonly sequences: readonly ManifestSequence[];
}

/** A validated manifest whose paths are absolute (`baseDir` included). */
export interface ResolvedManifest extends Manifest {
  readonly baseDir: string;
  /** Absolute path of the manifest file, or undefined when built in memory. */
  readonly sourcePath?: string;
}
