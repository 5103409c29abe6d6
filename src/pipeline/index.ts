/** Public API of the pipeline: the composed pipeline and its named operators. */
export { createPipeline, type PipelineOptions } from './create-pipeline.ts';
export { extractWindows } from './extract.ts';
export { extractWindowsInWorkers, DEFAULT_WORKER_EXTRACT_OPTIONS, type WorkerExtractOptions } from './extract-in-workers.ts';
export {
  createFeaturePool, DEFAULT_FEATURE_POOL_OPTIONS,
  type FeaturePool, type FeaturePoolOptions, type FeaturePoolStats, type FeatureStream, type FeatureStreamHandlers, type WorkerWindow,
} from './feature-pool.ts';
export { bracketStream, streamErrorCode } from './stream-lifecycle.ts';
export { inferBatched, modelLabel, DEFAULT_INFER_OPTIONS, type InferOptions } from './infer.ts';
export { serializeEvents, eventMessage, type SerializedEvent, type SerializeOptions } from './serialize.ts';
export { statefulStage, type StageHooks } from './stateful-stage.ts';
export type { AvResult, LagEvent, Operator, PipelineEvent, PooledWindow, StreamErrorEvent, StreamItem, StreamStateEvent } from './types.ts';
