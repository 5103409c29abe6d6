/**
 * The trainer's feature extractor: 16 kHz mono samples → the one window extractor of the live pipeline
 * (src/pool/window-extractor.ts: ComParE 2013 LLDs + deltas, 1 Hz pooling, tail padding) → W × 260 windows,
 * so a trained model sees exactly the features it will be served.
 * `pooledFeatures` is the `ExtractFn` that the data layer's worker pool imports by path (`POOLED_EXTRACTOR_MODULE`);
 * `POOLED_FEATURES_IDENTITY` keys the feature cache: bump `POOLED_FEATURES_VERSION` whenever the numbers change.
 */
import { POOLED_WIDTH } from '../../pool/pooler.ts';
import { extractWindowMatrix } from '../../pool/window-extractor.ts';
import type { ExtractorIdentity, ExtractorModule, PooledFeatures } from './index.ts';

/** Version of the feature path (LLD recipe + pooling + tail padding); part of the cache key. */
export const POOLED_FEATURES_VERSION = 2;

/** Cache identity of `pooledFeatures`. */
export const POOLED_FEATURES_IDENTITY: ExtractorIdentity = Object.freeze({
  id: `compare2013-lld-pool@${POOLED_FEATURES_VERSION}`,
  params: Object.freeze({ sampleRateHz: 16000, voicingDeltas: 'correct', windowRows: 200, hopRows: 100, padTail: true }),
  dims: POOLED_WIDTH,
});

/** The module form of the extractor, for `extractDataset`'s worker pool. */
export const POOLED_EXTRACTOR_MODULE: ExtractorModule = Object.freeze({
  modulePath: import.meta.url,
  exportName: 'pooledFeatures',
});

/** Pooled ComParE 2013 features (W × 260, row-major) of 16 kHz mono samples. */
export async function pooledFeatures(samples16k: Float32Array): Promise<PooledFeatures> {
  return extractWindowMatrix(samples16k, { inputRateHz: 16000, name: 'sequence' });
}
