/**
 * The content classifier: one second's 260 pooled features → what the audio is: `speech`, `music`, `silence` (silence
 * or steady noise: neither speech nor music) or `mixed` (speech over music). A small feed-forward network stored as
 * JSON (`models/content.json`, written by `emostream train-content`, src/train/content):
 *
 *   z = (x − mean) / std                                  (training-set standardisation, 260 values)
 *   h₀ = z;  hₖ = relu(Wₖ hₖ₋₁ + bₖ)  for the hidden layers     (Wₖ row-major [outₖ, inₖ])
 *   p = softmax(W_L h_{L−1} + b_L)                          (one probability per label, in `labels` order)
 *   label = argmax p
 *
 * With no hidden layer it is multinomial logistic regression. Pure and stateless: the same features always give the
 * same estimate (the router of `--model auto` and the content flag of the messages agree by construction).
 * @see src/train/content (training, held-out evaluation), docs/content.md (design and accuracy).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmostreamError } from '../errors.ts';

/** What a second of audio holds. */
export type ContentLabel = 'speech' | 'music' | 'silence' | 'mixed';

/** Every label a classifier may use, in the canonical order. */
export const CONTENT_LABELS: readonly ContentLabel[] = Object.freeze(['speech', 'music', 'silence', 'mixed']);

/** Format tag of the JSON file. */
export const CONTENT_MODEL_FORMAT = 'emostream-content@1';

/** One dense layer: `weights` row-major [outputs, inputs]. */
export interface ContentLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: readonly number[];
  readonly bias: readonly number[];
}

/** The JSON file (`models/content.json`). */
export interface ContentModelFile {
  readonly format: typeof CONTENT_MODEL_FORMAT;
  /** Output labels in the order of the last layer's rows (a subset of CONTENT_LABELS, at least 2). */
  readonly labels: readonly ContentLabel[];
  /** Feature cache identity the classifier was trained on, e.g. 'compare2013-lld-pool@2'. */
  readonly features: string;
  /** Standardisation [inputSize]; std > 0. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Hidden layers (ReLU) then the output layer (softmax). */
  readonly layers: readonly ContentLayer[];
  /** Free text: data and split. */
  readonly trainingData: string;
  /** Held-out evaluation (JSON), written by the trainer. */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** ISO 8601. */
  readonly created: string;
}

/** One second's content. */
export interface ContentEstimate {
  /** The most probable label. */
  readonly label: ContentLabel;
  /** Its probability, in [0, 1]. */
  readonly probability: number;
  /** Probability of every label of the classifier (absent labels: 0). */
  readonly probabilities: Readonly<Record<ContentLabel, number>>;
}

/** A loaded classifier. */
export interface ContentClassifier {
  readonly labels: readonly ContentLabel[];
  /** Feature width expected (260). */
  readonly inputSize: number;
  /** The file it was read from (metrics, training data). */
  readonly file: ContentModelFile;
  /** Classifies one second's pooled features; EMO_ERR_BAD_FEATURES for a wrong length or a NaN/Inf value. */
  classify(features: Float32Array): ContentEstimate;
}

function bad(where: string, what: string): never {
  throw new EmostreamError('EMO_ERR_MODEL', `content model ${where}: ${what}`);
}

const finiteArray = (v: unknown, n: number): v is number[] => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Validates a parsed JSON file (EMO_ERR_MODEL naming the first problem). */
export function validateContentModel(json: unknown, where = '(in memory)'): ContentModelFile {
  const f = json as Partial<ContentModelFile> | null;
  if (!f || typeof f !== 'object' || f.format !== CONTENT_MODEL_FORMAT) bad(where, `not an emostream content model (format must be '${CONTENT_MODEL_FORMAT}')`);
  const labels = f.labels;
  if (!Array.isArray(labels) || labels.length < 2 || new Set(labels).size !== labels.length || !labels.every((l) => CONTENT_LABELS.includes(l))) {
    bad(where, `labels must be 2–4 distinct values of ${CONTENT_LABELS.join(', ')}`);
  }
  const n = Array.isArray(f.mean) ? f.mean.length : 0;
  if (n < 1 || !finiteArray(f.mean, n) || !finiteArray(f.std, n) || !f.std.every((s) => s > 0)) bad(where, 'mean and std must be equal-length finite arrays with std > 0');
  if (!Array.isArray(f.layers) || f.layers.length < 1) bad(where, 'needs at least one layer');
  let width = n;
  f.layers.forEach((layer, k) => {
    if (!layer || layer.inputs !== width || !Number.isInteger(layer.outputs) || layer.outputs < 1) bad(where, `layer ${k}: inputs must be ${width} and outputs ≥ 1`);
    if (!finiteArray(layer.weights, layer.inputs * layer.outputs) || !finiteArray(layer.bias, layer.outputs)) bad(where, `layer ${k}: weights [${layer.outputs}×${layer.inputs}] and bias [${layer.outputs}] must be finite`);
    width = layer.outputs;
  });
  if (width !== labels.length) bad(where, `the last layer has ${width} outputs for ${labels.length} labels`);
  return f as ContentModelFile;
}

/** y = W x + b for one layer (row-major W). */
function dense(layer: ContentLayer, x: Float64Array): Float64Array {
  const y = new Float64Array(layer.outputs);
  for (let o = 0; o < layer.outputs; o++) {
    let s = layer.bias[o]!;
    const row = o * layer.inputs;
    for (let i = 0; i < layer.inputs; i++) s += layer.weights[row + i]! * x[i]!;
    y[o] = s;
  }
  return y;
}

/** Softmax in place, numerically stable. */
export function softmaxInPlace(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += (z[k] = Math.exp(z[k]! - max));
  for (let k = 0; k < z.length; k++) z[k]! /= sum;
  return z;
}

/** A classifier from a validated file. */
export function createContentClassifier(file: ContentModelFile): ContentClassifier {
  const n = file.mean.length;
  const last = file.layers.length - 1;
  return {
    labels: file.labels,
    inputSize: n,
    file,
    classify(features) {
      if (features.length !== n) throw new EmostreamError('EMO_ERR_BAD_FEATURES', `content classifier: ${features.length} features, expected ${n}`);
      let h: Float64Array = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = features[i]!;
        if (!Number.isFinite(x)) throw new EmostreamError('EMO_ERR_BAD_FEATURES', `content classifier: feature ${i} is ${x}`);
        h[i] = (x - file.mean[i]!) / file.std[i]!;
      }
      file.layers.forEach((layer, k) => {
        h = dense(layer, h);
        if (k < last) for (let i = 0; i < h.length; i++) h[i] = Math.max(0, h[i]!);
      });
      const p = softmaxInPlace(h);
      const probabilities: Record<ContentLabel, number> = { speech: 0, music: 0, silence: 0, mixed: 0 };
      let best = 0;
      file.labels.forEach((label, k) => {
        probabilities[label] = p[k]!;
        if (p[k]! > p[best]!) best = k;
      });
      return { label: file.labels[best]!, probability: p[best]!, probabilities };
    },
  };
}

/** Reads and validates a content model file (EMO_ERR_MODEL if missing or invalid). */
export function loadContentClassifier(path: string): ContentClassifier {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_MODEL', `content model ${path}: cannot read it (${(cause as Error).message})`, { cause });
  }
  return createContentClassifier(validateContentModel(json, path));
}

/** Path of the shipped classifier (src/model or dist/model → ../../models/content.json). */
export function shippedContentModelPath(): string {
  return fileURLToPath(new URL('../../models/content.json', import.meta.url));
}

let shipped: ContentClassifier | undefined;

/** The shipped classifier, read once per process. */
export function shippedContentClassifier(): ContentClassifier {
  shipped ??= loadContentClassifier(shippedContentModelPath());
  return shipped;
}
