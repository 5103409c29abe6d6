/**
 * Names in the emostream ONNX graph. Member 0 of an ensemble keeps the format-1 names (`lstm1_W`, `h1_in`, …);
 * member k ≥ 1 adds the suffix `_m<k>` (`lstm1_W_m1`, `h1_in_m1`, …). Shared parts (features, standardisation,
 * stream normaliser, output bound) have one name each.
 */

/** Graph inputs and outputs shared by all members. */
export const GRAPH_IO = Object.freeze({ features: 'features', av: 'av', avSd: 'av_sd' } as const);

/** Shared initialisers. */
export const SHARED_INITIALIZERS = Object.freeze({
  featureMean: 'feature_mean', featureStd: 'feature_std', squeezeAxes: 'squeeze_axes',
  targetStd: 'target_std', targetMean: 'target_mean', avMin: 'av_min', avMax: 'av_max',
  memberCount: 'ensemble_size', spreadScale: 'uncertainty_spread_scale', varianceFloor: 'uncertainty_variance_floor',
} as const);

/** Names of one member's state I/O and weights. */
export interface MemberNames {
  readonly h1In: string; readonly c1In: string; readonly h2In: string; readonly c2In: string;
  readonly h1Out: string; readonly c1Out: string; readonly h2Out: string; readonly c2Out: string;
  readonly W1: string; readonly R1: string; readonly B1: string; readonly P1: string;
  readonly W2: string; readonly R2: string; readonly B2: string; readonly P2: string;
  readonly Wout: string; readonly bout: string;
  /** The member's de-standardised, unbounded output [B, 2] (an internal value). */
  readonly av: string;
}

/** Names of member `k` (0-based). */
export function memberNames(k: number): MemberNames {
  const s = k === 0 ? '' : `_m${k}`;
  return Object.freeze({
    h1In: `h1_in${s}`, c1In: `c1_in${s}`, h2In: `h2_in${s}`, c2In: `c2_in${s}`,
    h1Out: `h1_out${s}`, c1Out: `c1_out${s}`, h2Out: `h2_out${s}`, c2Out: `c2_out${s}`,
    W1: `lstm1_W${s}`, R1: `lstm1_R${s}`, B1: `lstm1_B${s}`, P1: `lstm1_P${s}`,
    W2: `lstm2_W${s}`, R2: `lstm2_R${s}`, B2: `lstm2_B${s}`, P2: `lstm2_P${s}`,
    Wout: `out_W${s}`, bout: `out_b${s}`, av: `av_member${k}`,
  });
}
