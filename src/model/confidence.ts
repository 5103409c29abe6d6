/**
 * Per-second confidence from a model's calibrated uncertainty (`StreamPrediction.uncertainty`, standard deviations of
 * arousal and valence in their own units, nominal range [−1, 1]).
 *
 *   half-width  hᵢ = z₉₀ · sdᵢ            z₉₀ = Φ⁻¹(0.95) = 1.6449 (central 90 % interval of a normal error)
 *   interval    [yᵢ − hᵢ, yᵢ + hᵢ]        (not clamped: the printed value is the model's own)
 *   confidence  c = clamp(1 − (h_arousal + h_valence) / 2, 0, 1)
 *
 * So c = 1 for a point estimate, c = 0.5 when the 90 % interval spans ±0.5 (a quarter of the range), and c = 0 once
 * it spans ±1 (the whole range) or more. A model without uncertainty gives `undefined`: the protocol then sends
 * `confidence: null` and `interval: null` (never a made-up number).
 * @see docs/protocol.md ("av").
 */
import type { StreamPrediction } from './types.ts';

/** Nominal coverage of `PredictionInterval`. */
export const INTERVAL_LEVEL = 0.9;

/** Φ⁻¹((1 + INTERVAL_LEVEL) / 2): the 95th percentile of the standard normal. */
export const Z_90 = 1.6448536269514722;

/** A central interval of one output, [low, high]. */
export type Bounds = readonly [low: number, high: number];

/** The nominal 90 % intervals of one second's outputs. */
export interface PredictionInterval {
  /** Nominal coverage, INTERVAL_LEVEL (0.9). */
  readonly level: number;
  readonly arousal: Bounds;
  readonly valence: Bounds;
}

/** Confidence and interval of one prediction. */
export interface PredictionConfidence {
  /** In [0, 1]; see the module header. */
  readonly confidence: number;
  readonly interval: PredictionInterval;
}

/**
 * Confidence and 90 % intervals of a prediction, or undefined when the model gives no uncertainty (or a standard
 * deviation is negative or not finite: a broken model output is not turned into a confident-looking number).
 */
export function predictionConfidence(prediction: Pick<StreamPrediction, 'arousal' | 'valence' | 'uncertainty'>): PredictionConfidence | undefined {
  const u = prediction.uncertainty;
  if (!u || !(u.arousalSd >= 0) || !(u.valenceSd >= 0) || !Number.isFinite(u.arousalSd) || !Number.isFinite(u.valenceSd)) return undefined;
  const ha = Z_90 * u.arousalSd;
  const hv = Z_90 * u.valenceSd;
  const confidence = Math.min(1, Math.max(0, 1 - (ha + hv) / 2));
  return {
    confidence,
    interval: {
      level: INTERVAL_LEVEL,
      arousal: [prediction.arousal - ha, prediction.arousal + ha],
      valence: [prediction.valence - hv, prediction.valence + hv],
    },
  };
}
