/**
 * The models shipped with the package (`models/<name>.onnx`, found relative to this file, not the working directory)
 * and the default rule: the first of `DEFAULT_MODEL_ORDER` whose metadata says it beat both baselines on held-out
 * arousal CCC (`metrics.default === true`, written by `emostream experiment`; model cards in models/*.md).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readModelInfo } from './model-info.ts';

/** Names of the shipped models. */
export type ShippedModelName = 'music' | 'speech';

/** Shipped model names in order of preference for the default (speech first: the microphone use case). */
export const DEFAULT_MODEL_ORDER: readonly ShippedModelName[] = Object.freeze(['speech', 'music']);

/** Whether `name` is a shipped model name. */
export function isShippedModelName(name: string): name is ShippedModelName {
  return name === 'music' || name === 'speech';
}

/** Absolute path of a shipped model (src/model or dist/model → ../../models). */
export function shippedModelPath(name: ShippedModelName): string {
  return fileURLToPath(new URL(`../../models/${name}.onnx`, import.meta.url));
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

/** The default shipped model's path; `note` says so when no shipped model qualifies (speech is used anyway). */
export async function defaultShippedModel(): Promise<{ name: ShippedModelName; path: string; note?: string }> {
  for (const name of DEFAULT_MODEL_ORDER) {
    const path = shippedModelPath(name);
    if (await isQualifiedDefault(path)) return { name, path };
  }
  const name = DEFAULT_MODEL_ORDER[0]!;
  return {
    name, path: shippedModelPath(name),
    note: `no shipped model beats both baselines on held-out arousal CCC; using the ${name} model anyway (see models/${name}.md)`,
  };
}
