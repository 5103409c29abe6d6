/**
 * `--model` handling shared by `serve` and `analyse`.
 * - `--model music` / `--model speech` name a shipped model (src/model/shipped-models.ts); `--model auto` runs both,
 *   each second through the one its content calls for (src/model/auto-model.ts); any other value is a path.
 * - Without `--model`, the default shipped model (shipped-models.ts); if none qualifies, speech is used and a note
 *   saying so is printed to stderr.
 * - A test-fixture model (random weights, metadata purpose 'test-fixture') is refused unless `--allow-test-model`
 *   is given, in which case one warning line is printed to stderr.
 */
import { EmostreamError } from '../../errors.ts';
import { loadModel } from '../../model/session.ts';
import { defaultShippedModel, isShippedModelName, shippedModelPath } from '../../model/shipped-models.ts';
import type { EmotionModel } from '../../model/types.ts';
import { AUTO_MODEL_NAME, loadShippedAutoModel } from '../../model/auto-loading.ts';

/** The model `--model` selects: a shipped name, a path, or (undefined) the default; `note` explains a fallback. */
export async function resolveModelArgument(arg: string | undefined): Promise<{ path: string; note?: string }> {
  if (arg !== undefined && isShippedModelName(arg)) return { path: shippedModelPath(arg) };
  if (arg !== undefined) {
    if (!arg) throw new EmostreamError('EMO_ERR_USAGE', '--model needs music, speech, auto or a path to an .onnx file');
    return { path: arg };
  }
  const d = await defaultShippedModel();
  return { path: d.path, note: d.note && `emostream: note: ${d.note}` };
}

/** The warning printed when a test-fixture model is used. */
export function testModelWarning(path: string): string {
  return `emostream: WARNING: ${path} is a TEST-FIXTURE model (random weights): its arousal/valence values are meaningless`;
}

/** Loads the model `arg` selects (see the module header); EMO_ERR_USAGE if it is a test fixture and `allowTestModel` is false. */
export async function loadCliModel(arg: string | undefined, allowTestModel: boolean, command: string): Promise<EmotionModel> {
  if (arg === AUTO_MODEL_NAME) return loadShippedAutoModel();
  const { path, note } = await resolveModelArgument(arg);
  if (note) process.stderr.write(note + '\n');
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
