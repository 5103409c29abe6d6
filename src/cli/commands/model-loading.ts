/**
 * `--model` handling shared by `serve` and `analyse`: loads the model and refuses a test-fixture model (random
 * weights, metadata purpose 'test-fixture') unless `--allow-test-model` is given, in which case one warning line
 * is printed to stderr.
 */
import { EmostreamError } from '../../errors.ts';
import { loadModel } from '../../model/session.ts';
import type { EmotionModel } from '../../model/types.ts';

/** The warning printed when a test-fixture model is used. */
export function testModelWarning(path: string): string {
  return `emostream: WARNING: ${path} is a TEST-FIXTURE model (random weights): its arousal/valence values are meaningless`;
}

/** Loads `path`; EMO_ERR_USAGE if it is a test fixture and `allowTestModel` is false. */
export async function loadCliModel(path: string | undefined, allowTestModel: boolean, command: string): Promise<EmotionModel> {
  if (!path) throw new EmostreamError('EMO_ERR_USAGE', `${command}: --model <path.onnx> is required`);
  const model = await loadModel(path);
  if (model.metadata.purpose === 'test-fixture') {
    if (!allowTestModel) {
      await model.release();
      throw new EmostreamError('EMO_ERR_USAGE', `${command}: ${path} is a test-fixture model (random weights); pass --allow-test-model to use it anyway`);
    }
    process.stderr.write(testModelWarning(path) + '\n');
  }
  return model;
}
