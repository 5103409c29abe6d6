/**
 * A test wrapper giving any model the optional `uncertainty` of StreamPrediction (until the shipped models carry
 * their own): sd = 0.1 + 0.2·|value| for each output, so the confidence varies with the values and is known exactly.
 */
import type { EmotionModel } from '../../src/model/types.ts';

/** Standard deviation the wrapper reports for an output value. */
export const wrapperSd = (x: number): number => 0.1 + 0.2 * Math.abs(x);

/** `model` with uncertainty on every prediction (the wrapper owns nothing: release the inner model yourself). */
export function withUncertainty(model: EmotionModel): EmotionModel {
  return {
    get metadata() { return model.metadata; },
    get inputSize() { return model.inputSize; },
    get streamCount() { return model.streamCount; },
    async step(batch) {
      return (await model.step(batch)).map((p) => ({ ...p, uncertainty: { arousalSd: wrapperSd(p.arousal), valenceSd: wrapperSd(p.valence) } }));
    },
    has: (id) => model.has(id),
    reset: (id) => model.reset(id),
    snapshot: (id) => model.snapshot(id),
    restore: (id, s) => model.restore(id, s),
    drop: (id) => model.drop(id),
    release: () => model.release(),
  };
}
