/**
 * Loading `--model auto` (auto-model.ts) from the shipped files: models/speech.onnx, models/music.onnx and
 * models/content.json. The auto model owns both loaded models.
 */
import { createAutoModel, type AutoModel } from './auto-model.ts';
import { shippedContentClassifier } from './content-classifier.ts';
import type { ContentRouterOptions } from './content-router.ts';
import { loadModel } from './session.ts';
import { shippedModelPath } from './shipped-models.ts';

/** The name that selects the auto model. */
export const AUTO_MODEL_NAME = 'auto';

/** Loads the shipped speech and music models behind the shipped content classifier. */
export async function loadShippedAutoModel(options: ContentRouterOptions = {}): Promise<AutoModel> {
  const classifier = shippedContentClassifier();
  const speech = await loadModel(shippedModelPath('speech'));
  let music;
  try {
    music = await loadModel(shippedModelPath('music'));
  } catch (err) {
    await speech.release();
    throw err;
  }
  try {
    return createAutoModel({ ...options, speech, music, classifier });
  } catch (err) {
    await Promise.all([speech.release(), music.release()]);
    throw err;
  }
}
