/** Public API of the trainer's data layer: manifests, corpus builders, target alignment, rendering, feature cache. */
export * from './manifest-types.ts';
export { validateManifest, resolveManifestPaths, loadManifest, sequenceFiles } from './manifest.ts';
export { NRC_RAW, NRC_CATEGORY_MAP, DEFAULT_INTENSITY_SCALE, nrcToUnit, scaledPoint } from './categories.ts';
export {
  toOneHz, segmentsToOneHz, alignToWindows, sliceWindows, DEFAULT_ALIGN_OPTIONS,
  type TimedTargets, type SecondTargets, type AlignOptions, type AlignedTargets,
} from './align.ts';
export { sequenceSecondTargets, alignSequenceTargets, summariseAlignment, type AlignmentSummary } from './targets.ts';
export { parseTargetCsv, parseFeatureCsv, readTargetCsv, readFeatureCsv } from './csv.ts';
export { renderSequenceAudio, partSpans, createGapNoise, toSamples, RENDER_VERSION, type DecodeFn, type PartSpan } from './render.ts';
export { readFlacInfo, parseFlacInfo, type FlacInfo } from './flac-info.ts';
export {
  featureCacheKey, readCachedFeatures, writeCachedFeatures, cachePath, fileSha256,
  type PooledFeatures, type ExtractFn, type ExtractorIdentity, type CacheHeader,
} from './feature-cache.ts';
export { extractDataset, startExtractWorker, DEFAULT_CACHE_DIR, type ExtractorModule, type ExtractDatasetOptions, type ExtractDatasetResult } from './extract-dataset.ts';
export { buildCorpusManifest, writeManifest, CORPUS_BUILDERS, type CorpusName, type CorpusBuildOptions } from './builders/index.ts';
export { buildEmoMusicManifest, buildPmemoManifest, type EmoMusicOptions } from './builders/music.ts';
export { buildMusic4qManifest, MUSIC4Q_QUADRANT_POINTS, type Quadrant } from './builders/music4q.ts';
export { buildRavdessManifest, buildEmoDbManifest, DEFAULT_GAP_NOISE_DB, type SpeechBuildOptions } from './builders/speech.ts';
export {
  parseAugmentationConfig, drawRecipe, babblePool, drawSeed, DEFAULT_AUGMENTATION,
  type AugmentationConfig, type AugmentTransforms, type BabblePool, type Range,
} from './augment-config.ts';
export {
  labelAugmentedCopy, augmentedSecondTargets, speedScaledSeconds, recipeSpeedFactor, augmentedId, isAugmented,
  type AugmentedFeatures, type AugmentationInfo,
} from './augment-labels.ts';
export { createTalkerLoader, DEFAULT_TALKER_CACHE_SAMPLES, type TalkerLoader } from './augment-sources.ts';
export { augmentAudio, type AugmentAudioOptions } from './augment-apply.ts';
export { buildNemoManifest, buildAsedManifest, buildBavedManifest, BAVED_LEVEL_POINTS, BAVED_HIGH_AROUSAL_CATEGORIES } from './builders/labelled-speech.ts';
export { DEFAULT_SPEECH_BUILD_OPTIONS, type SpeakerStreamOptions, type StreamGrouping, type PauseKind } from './builders/speakers.ts';
export { readAudioDuration, parseOpusHead, opusDuration, type AudioDurationInfo } from './builders/audio-info.ts';
