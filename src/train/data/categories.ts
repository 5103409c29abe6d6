/**
 * Emotion category → circumplex point, from the NRC Valence-Arousal-Dominance lexicon
 * (Mohammad 2018, ACL): lexicon ratings v, a ∈ [0, 1] of the emotion names, mapped to [-1, 1] by 2x − 1.
 * Intensity scaling: point = neutral + intensity · (category − neutral), intensity ∈ [0, 1].
 */
import { EmostreamError } from '../../errors.ts';
import type { AffectPoint, CategoryPoint } from './manifest-types.ts';

/** Raw NRC VAD ratings in [0, 1] of the category names (../shared/data/README.md). */
export const NRC_RAW: Readonly<Record<string, { readonly valence: number; readonly arousal: number }>> = Object.freeze({
  neutral: { valence: 0.469, arousal: 0.184 },
  calm: { valence: 0.875, arousal: 0.1 },
  happiness: { valence: 0.96, arousal: 0.732 },
  sadness: { valence: 0.052, arousal: 0.288 },
  anger: { valence: 0.167, arousal: 0.865 },
  fear: { valence: 0.073, arousal: 0.84 },
  disgust: { valence: 0.052, arousal: 0.775 },
  surprise: { valence: 0.875, arousal: 0.875 },
  boredom: { valence: 0.167, arousal: 0.139 },
  anxiety: { valence: 0.146, arousal: 0.865 },
});

/** Maps an NRC rating in [0, 1] to [-1, 1] (2x − 1), rounded to 1e-6 to keep manifests tidy. */
export function nrcToUnit(x: number): number {
  return Math.round((2 * x - 1) * 1e6) / 1e6;
}

/** The NRC categories as circumplex points in [-1, 1] (a ready `categoryMap`). */
export const NRC_CATEGORY_MAP: Readonly<Record<string, AffectPoint>> = Object.freeze(
  Object.fromEntries(
    Object.entries(NRC_RAW).map(([k, p]) => [k, Object.freeze({ arousal: nrcToUnit(p.arousal), valence: nrcToUnit(p.valence) })]),
  ),
);

/**
 * Point of a category at `intensity` ∈ [0, 1] of the way from `neutral` (linear interpolation, per
 * dimension). A dimension the category leaves `null` (not labelled) stays `null`; scaling a labelled
 * dimension from a neutral point whose dimension is `null` throws EMO_ERR_DATASET.
 */
export function scaledPoint(point: CategoryPoint, neutral: CategoryPoint | undefined, intensity = 1): CategoryPoint {
  if (intensity === 1 || neutral === undefined) return point;
  const dim = (k: 'arousal' | 'valence'): number | null => {
    const p = point[k], n = neutral[k];
    if (p === null) return null;
    if (n === null) throw new EmostreamError('EMO_ERR_DATASET', `targets: cannot scale ${k} by intensity ${intensity}: the neutral point has no ${k}`);
    return n + intensity * (p - n);
  };
  return { arousal: dim('arousal'), valence: dim('valence') };
}

/**
 * Default intensity factors for corpora with a two-level intensity label (RAVDESS): "strong" is the
 * category's full NRC point, "normal" lies half-way between neutral and that point.
 */
export const DEFAULT_INTENSITY_SCALE: Readonly<Record<'normal' | 'strong', number>> = Object.freeze({ normal: 0.5, strong: 1 });
