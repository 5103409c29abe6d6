/**
 * What a result says besides arousal and valence, taken from its window and its model prediction (used by
 * inferBatched when it builds an AvResult):
 * - `confidence` / `interval` from the prediction's uncertainty (src/model/confidence.ts); both null when the model
 *   gives none, so a protocol-2 message always carries the two keys;
 * - `content` from the window (classifyContent), when the pipeline classifies content;
 * - `model`: the label of the model that produced this second, when the prediction names it (a routed model,
 *   src/model/auto-model.ts); otherwise the caller keeps the loaded model's label.
 */
import { predictionConfidence } from '../model/confidence.ts';
import { predictionModelLabel } from '../model/auto-model.ts';
import type { StreamPrediction } from '../model/types.ts';
import type { AvResult, PooledWindow } from './types.ts';

/** The optional fields of the AvResult of `window` predicted as `prediction` (spread after the required ones). */
export function resultDetails(window: PooledWindow, prediction: StreamPrediction): Partial<Pick<AvResult, 'confidence' | 'interval' | 'content' | 'model'>> {
  const c = predictionConfidence(prediction);
  const model = predictionModelLabel(prediction);
  return {
    confidence: c?.confidence ?? null,
    interval: c?.interval ?? null,
    ...(window.content && { content: window.content }),
    ...(model !== undefined && { model }),
  };
}
