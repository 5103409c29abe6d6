/**
 * Model metadata ↔ ONNX `metadata_props` (string key/values). Keys (format version 2; version 1 lacks the last):
 * `emostream.format_version` "1", `feature_names` JSON string array, `sample_rate_hz` integer,
 * `layer_sizes` JSON [In1, H1, H2, 2], `domain` music|speech, `training_data`, `metrics` JSON object,
 * `created` ISO 8601 date, `purpose` trained|test-fixture, `model_version`, `producer`, `license`,
 * `emostream.stream_norm` JSON StreamNormConfig (maxWeight ∞ as null), `emostream.ensemble_size` members K;
 * any further key is kept in `extra`.
 */
import { EmostreamError } from '../errors.ts';
import { NO_STREAM_NORM, streamNormFromJson, streamNormToJson, type StreamNormConfig } from './stream-norm.ts';
import type { LayerSizes, ModelDomain, ModelMetadata, ModelMetadataInput, ModelPurpose } from './types.ts';

/** The metadata format this code writes (it also reads format "1"). */
export const MODEL_FORMAT_VERSION = '2';

/** Metadata keys with a meaning; everything else is `extra`. */
export const METADATA_KEYS = Object.freeze({
  formatVersion: 'emostream.format_version',
  featureNames: 'feature_names',
  sampleRateHz: 'sample_rate_hz',
  layerSizes: 'layer_sizes',
  domain: 'domain',
  trainingData: 'training_data',
  metrics: 'metrics',
  created: 'created',
  purpose: 'purpose',
  modelVersion: 'model_version',
  producer: 'producer',
  license: 'license',
  streamNorm: 'emostream.stream_norm',
  ensembleSize: 'emostream.ensemble_size',
} as const);

const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(METADATA_KEYS));
const DOMAINS: readonly ModelDomain[] = ['music', 'speech'];
const PURPOSES: readonly ModelPurpose[] = ['trained', 'test-fixture'];

/** Default metadata values filled in by the writer. */
export const DEFAULT_MODEL_METADATA = Object.freeze({
  sampleRateHz: 16000,
  modelVersion: '0',
  producer: 'emostream',
  license: 'unspecified',
});

function configError(message: string): EmostreamError {
  return new EmostreamError('EMO_ERR_BAD_CONFIG', `model metadata: ${message}`);
}

function modelError(message: string): EmostreamError {
  return new EmostreamError('EMO_ERR_MODEL', `model metadata: ${message}`);
}

function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(s) && Number.isFinite(Date.parse(s));
}

/** Metadata key/value pairs for a model of the given layer sizes (validates the input, `EMO_ERR_BAD_CONFIG`). */
export function buildMetadataProps(meta: ModelMetadataInput, sizes: LayerSizes, streamNorm: StreamNormConfig = NO_STREAM_NORM, members = 1): [string, string][] {
  const sampleRateHz = meta.sampleRateHz ?? DEFAULT_MODEL_METADATA.sampleRateHz;
  const created = meta.created ?? new Date().toISOString();
  if (meta.featureNames.length !== sizes[0]) {
    throw configError(`${meta.featureNames.length} feature names for an input of ${sizes[0]} features`);
  }
  if (meta.featureNames.some((n) => typeof n !== 'string' || n.length === 0)) throw configError('feature names must be non-empty strings');
  if (new Set(meta.featureNames).size !== meta.featureNames.length) throw configError('feature names must be unique');
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) throw configError(`sampleRateHz must be a positive integer, got ${sampleRateHz}`);
  if (!DOMAINS.includes(meta.domain)) throw configError(`domain must be one of ${DOMAINS.join('|')}, got ${String(meta.domain)}`);
  if (!PURPOSES.includes(meta.purpose)) throw configError(`purpose must be one of ${PURPOSES.join('|')}, got ${String(meta.purpose)}`);
  if (!isIsoDate(created)) throw configError(`created must be an ISO 8601 date, got ${created}`);
  const extra = Object.entries(meta.extra ?? {});
  const clash = extra.find(([k]) => KNOWN_KEYS.has(k));
  if (clash) throw configError(`extra key ${clash[0]} clashes with a reserved key`);
  // Extra keys go before the required ones, so a file cut at any field boundary loses a required key.
  return [
    [METADATA_KEYS.formatVersion, MODEL_FORMAT_VERSION],
    ...extra.map(([k, v]) => [k, String(v)] as [string, string]),
    [METADATA_KEYS.featureNames, JSON.stringify(meta.featureNames)],
    [METADATA_KEYS.sampleRateHz, String(sampleRateHz)],
    [METADATA_KEYS.layerSizes, JSON.stringify(sizes)],
    [METADATA_KEYS.domain, meta.domain],
    [METADATA_KEYS.trainingData, meta.trainingData],
    [METADATA_KEYS.metrics, JSON.stringify(meta.metrics ?? {})],
    [METADATA_KEYS.created, created],
    [METADATA_KEYS.purpose, meta.purpose],
    [METADATA_KEYS.modelVersion, meta.modelVersion ?? DEFAULT_MODEL_METADATA.modelVersion],
    [METADATA_KEYS.producer, meta.producer ?? DEFAULT_MODEL_METADATA.producer],
    [METADATA_KEYS.license, meta.license ?? DEFAULT_MODEL_METADATA.license],
    [METADATA_KEYS.streamNorm, streamNormToJson(streamNorm)],
    [METADATA_KEYS.ensembleSize, String(members)],
  ];
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw modelError(`${key} is not valid JSON`);
  }
}

/** Validated metadata from ONNX `metadata_props` pairs (throws `EMO_ERR_MODEL` naming the bad key). */
export function parseMetadataProps(pairs: readonly (readonly [string, string])[]): ModelMetadata {
  const map = new Map(pairs);
  const version = map.get(METADATA_KEYS.formatVersion);
  if (version === undefined) {
    throw new EmostreamError('EMO_ERR_MODEL', `not an emostream model: no ${METADATA_KEYS.formatVersion} metadata (a foreign ONNX file?)`);
  }
  if (version !== MODEL_FORMAT_VERSION && version !== '1') {
    throw modelError(`unsupported format version "${version}" (this build reads "1" and "${MODEL_FORMAT_VERSION}")`);
  }
  const get = (key: string): string => {
    const v = map.get(key);
    if (v === undefined) throw modelError(`missing key ${key}`);
    return v;
  };
  const names = parseJson(METADATA_KEYS.featureNames, get(METADATA_KEYS.featureNames));
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    throw modelError(`${METADATA_KEYS.featureNames} must be a non-empty JSON array of strings`);
  }
  const sampleRateHz = Number(get(METADATA_KEYS.sampleRateHz));
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) throw modelError(`${METADATA_KEYS.sampleRateHz} must be a positive integer`);
  const sizes = parseJson(METADATA_KEYS.layerSizes, get(METADATA_KEYS.layerSizes));
  if (!Array.isArray(sizes) || sizes.length !== 4 || sizes.some((s) => !Number.isInteger(s) || s <= 0) || sizes[3] !== 2) {
    throw modelError(`${METADATA_KEYS.layerSizes} must be [inputs, hidden1, hidden2, 2] with positive integers`);
  }
  if (sizes[0] !== names.length) throw modelError(`${names.length} feature names but layer_sizes says ${sizes[0]} inputs`);
  const domain = get(METADATA_KEYS.domain) as ModelDomain;
  if (!DOMAINS.includes(domain)) throw modelError(`${METADATA_KEYS.domain} must be music|speech, got "${domain}"`);
  const purpose = get(METADATA_KEYS.purpose) as ModelPurpose;
  if (!PURPOSES.includes(purpose)) throw modelError(`${METADATA_KEYS.purpose} must be trained|test-fixture, got "${purpose}"`);
  const metrics = parseJson(METADATA_KEYS.metrics, get(METADATA_KEYS.metrics));
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) throw modelError(`${METADATA_KEYS.metrics} must be a JSON object`);
  const created = get(METADATA_KEYS.created);
  if (!isIsoDate(created)) throw modelError(`${METADATA_KEYS.created} must be an ISO 8601 date, got "${created}"`);
  const extra: Record<string, string> = {};
  for (const [k, v] of map) if (!KNOWN_KEYS.has(k)) extra[k] = v;
  const streamNorm = version === '1' ? NO_STREAM_NORM : streamNormFromJson(get(METADATA_KEYS.streamNorm));
  const ensembleSize = version === '1' ? 1 : Number(get(METADATA_KEYS.ensembleSize));
  if (!Number.isInteger(ensembleSize) || ensembleSize < 1 || ensembleSize > 64) throw modelError(`${METADATA_KEYS.ensembleSize} must be an integer 1–64`);
  return Object.freeze({
    formatVersion: version as '1' | '2',
    streamNorm,
    ensembleSize,
    featureNames: Object.freeze([...(names as string[])]),
    sampleRateHz,
    layerSizes: Object.freeze([sizes[0], sizes[1], sizes[2], sizes[3]] as const),
    domain,
    trainingData: get(METADATA_KEYS.trainingData),
    metrics: metrics as Record<string, unknown>,
    created,
    purpose,
    modelVersion: get(METADATA_KEYS.modelVersion),
    producer: get(METADATA_KEYS.producer),
    license: get(METADATA_KEYS.license),
    extra: Object.freeze(extra),
  });
}
