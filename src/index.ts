/**
 * emostream's public API: audio → ComParE 2013 features → arousal/valence once per second.
 *
 * - Features: `extractFeatures` (whole file or samples), `createWindowExtractor` (streaming), with the column names
 *   `FRAME_COLUMN_NAMES` (130 LLD values per 10 ms frame) and `POOLED_FEATURE_NAMES` (260 pooled per second).
 * - Models: `loadModel` (an emostream ONNX file), `shippedModelPath` / `defaultShippedModel` (the models shipped
 *   in the package: 'speech', 'music'), and the `EmotionModel` contract (per-stream state, snapshot/restore);
 *   `shippedContentClassifier` (speech / music / silence / mixed per second), `loadShippedAutoModel` (`--model auto`),
 *   `predictionConfidence` (confidence and 90 % intervals from a model's uncertainty).
 * - Analysis: `createAnalyser` (push samples, get one estimate per second), `analyseFile` (a whole file), both
 *   through the same pipeline as the server; `startServer` (WebSocket results, ingest, OBS overlay, metrics).
 * - Audio: `loadAudioFile` (decode + mono mixdown + resampling).
 * - Errors: every failure is an `EmostreamError` with a stable `code` (`EMO_ERR_*`).
 *
 * @example
 *   import { analyseFile } from 'emostream';
 *   for (const e of await analyseFile('call.wav', { model: 'speech' })) console.log(e.t, e.arousal, e.valence);
 * @packageDocumentation
 */
export { VERSION } from './version.ts';
export { EmostreamError, EXIT_CODES, type EmostreamErrorCode } from './errors.ts';

export { loadAudioFile, DEFAULT_LOAD_OPTIONS, type LoadAudioOptions, type LoadedAudio } from './audio/load-file.ts';

export { FRAME_COLUMN_NAMES } from './features/registry.ts';
export { POOLED_FEATURE_NAMES } from './pool/pooler.ts';
export {
  createWindowExtractor, DEFAULT_WINDOW_EXTRACTOR_OPTIONS,
  type WindowExtractor, type WindowExtractorOptions, type FeatureWindow, type FrameRowCallback,
} from './pool/window-extractor.ts';
export { extractFeatures, type ExtractFeaturesOptions, type ExtractedFeatures, type SamplesInput } from './pool/extract-features.ts';

export { loadModel, DEFAULT_LOAD_MODEL_OPTIONS } from './model/session.ts';
export { shippedModelPath, defaultShippedModel, DEFAULT_MODEL_ORDER, type ShippedModelName } from './model/shipped-models.ts';
export { DEFAULT_STREAM_NORM, type StreamNormConfig, type StreamNormKind } from './model/stream-norm.ts';
export type {
  EmotionModel, LoadModelOptions, ModelMetadata, ModelDomain, StreamFeatures, StreamPrediction, StreamStateSnapshot,
} from './model/types.ts';

export {
  shippedContentClassifier, loadContentClassifier, CONTENT_LABELS, type ContentClassifier, type ContentEstimate, type ContentLabel,
} from './model/content-classifier.ts';
export { createAutoModel, isAutoModel, type AutoModel, type AutoModelOptions } from './model/auto-model.ts';
export { loadShippedAutoModel } from './model/auto-loading.ts';
export { predictionConfidence, INTERVAL_LEVEL, type PredictionConfidence, type PredictionInterval } from './model/confidence.ts';

export {
  createAnalyser, analyseFile, resolveModel,
  type Analyser, type AnalyserOptions, type EmotionEstimate, type ModelChoice,
} from './pipeline/analyser.ts';
export { createPipeline, type PipelineOptions } from './pipeline/create-pipeline.ts';
export type { PipelineEvent, AvResult, StreamStateEvent, StreamErrorEvent, LagEvent } from './pipeline/types.ts';
export type { StreamSource, AudioChunk, SourceKind } from './audio/sources/types.ts';

export { startServer, type EmostreamServer, type ServerOptions } from './server/create-server.ts';
