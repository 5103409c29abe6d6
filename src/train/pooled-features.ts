/**
 * The trainer's feature extractor: 16 kHz mono samples → ComParE 2013 LLDs + deltas (130 per 10 ms frame,
 * src/features) → 1 Hz pooling (mean and SD over 2 s windows, hop 1 s; src/pool) → W × 260 windows.
 * This is exactly the live pipeline's feature path, so a trained model sees the features it will be served.
 * `pooledFeatures` is the `ExtractFn` that the data layer's worker pool imports by path (`POOLED_EXTRACTOR_MODULE`);
 * `POOLED_FEATURES_IDENTITY` keys the feature cache: bump `POOLED_FEATURES_VERSION` whenever the numbers change.
 */
import { extractLlds } from '../features/extractor.ts';
import { POOLED_WIDTH, poolRows } from '../pool/pooler.ts';
import type { ExtractorIdentity, ExtractorModule, PooledFeatures } from './data/index.ts';

/** Version of the feature path (LLD recipe + pooling); part of the cache key. */
export const POOLED_FEATURES_VERSION = 1;

/** Cache identity of `pooledFeatures`. */
export const POOLED_FEATURES_IDENTITY: ExtractorIdentity = Object.freeze({
  id: `compare2013-lld-pool@${POOLED_FEATURES_VERSION}`,
  params: Object.freeze({ sampleRateHz: 16000, voicingDeltas: 'correct', windowRows: 200, hopRows: 100 }),
  dims: POOLED_WIDTH,
});

/** The module form of the extractor, for `extractDataset`'s worker pool. */
export const POOLED_EXTRACTOR_MODULE: ExtractorModule = Object.freeze({
  modulePath: new URL('./pooled-features.ts', import.meta.url).href,
  exportName: 'pooledFeatures',
});

/** Pooled ComParE 2013 features (W × 260, row-major) of 16 kHz mono samples (src/features + src/pool). */
export async function pooledFeatures(samples16k: Float32Array): Promise<PooledFeatures> {
  const { rows, count } = await extractLlds(samples16k, { sampleRateHz: 16000, voicingDeltas: 'correct' });
  const pooled = poolRows(rows, count);
  return { windows: pooled.features, count: pooled.count };
}
