/**
 * `--model` handling shared by `serve` and `analyse`.
 * - `--model music` / `--model speech` name a shipped model: `models/<name>.onnx` of the package (resolved from this
 *   file, not from the working directory); any other value is a file path.
 * - Without `--model`, the default is the first of `DEFAULT_MODEL_ORDER` (speech, then music) whose metadata says it
 *   beat both baselines on held-out arousal CCC (`metrics.default === true`, written by `emostream experiment`;
 *   model cards in models/*.md). If none qualifies, speech is used and a note saying so is printed to stderr.
 * - A test-fixture model (random weights, metadata purpose 'test-fixture') is refused unless `--allow-test-model`
 *   is given, in which case one warning line is printed to stderr.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EmostreamError } from '../../errors.ts';
import { readModelInfo } from '../../model/model-info.ts';
import { loadModel } from '../../model/session.ts';
import type { EmotionModel } from '../../model/types.ts';

/** Names of the shipped models (`models/<name>.onnx`). */
export type ShippedModelName = 'music' | 'speech';

/** Shipped model names in order of preference for the default (speech first: the microphone use case). */
export const DEFAULT_MODEL_ORDER: readonly ShippedModelName[] = Object.freeze(['speech', 'music']);

/** Absolute path of a shipped model, relative to the package (src/cli/commands → ../../../models). */
export function shippedModelPath(name: ShippedModelName): string {
  return fileURLToPath(new URL(`../../../models/${name}.onnx`, import.meta.url));
}

/** Whether a model file's metadata marks it as a qualified default (`metrics.default === true`); false if unreadable. */
export async function isQualifiedDefault(path: string): Promise<boolean> {
  try {
    const info = readModelInfo(new Uint8Array(await readFile(path)));
    return info.metadata.purpose === 'trained' && info.metadata.metrics['default'] === true;
  } catch {
    return false;
  }
}

/** The model `--model` selects: a shipped name, a path, or (undefined) the default; `note` explains a fallback. */
export async function resolveModelArgument(arg: string | undefined): Promise<{ path: string; note?: string }> {
  if (arg === 'music' || arg === 'speech') return { path: shippedModelPath(arg) };
  if (arg !== undefined) {
    if (!arg) throw new EmostreamError('EMO_ERR_USAGE', '--model needs music, speech or a path to an .onnx file');
    return { path: arg };
  }
  for (const name of DEFAULT_MODEL_ORDER) if (await isQualifiedDefault(shippedModelPath(name))) return { path: shippedModelPath(name) };
  const fallback = DEFAULT_MODEL_ORDER[0]!;
  return {
    path: shippedModelPath(fallback),
    note: `emostream: note: no shipped model beats both baselines on held-out arousal CCC; using the ${fallback} model anyway (see models/${fallback}.md)`,
  };
}

/** The warning printed when a test-fixture model is used. */
export function testModelWarning(path: string): string {
  return `emostream: WARNING: ${path} is a TEST-FIXTURE model (random weights): its arousal/valence values are meaningless`;
}

/** Loads the model `arg` selects (see the module header); EMO_ERR_USAGE if it is a test fixture and `allowTestModel` is false. */
export async function loadCliModel(arg: string | undefined, allowTestModel: boolean, command: string): Promise<EmotionModel> {
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
