/**
 * Public API of the model package: contract types, the ONNX writer/reader, the reference forward pass,
 * the runtime (`loadModel`) and the deterministic test-model factory.
 */
export type {
  EmotionModel, LayerSizes, LoadModelOptions, LstmLayerWeights, LstmModelWeights, ModelDomain, ModelMetadata,
  ModelMetadataInput, ModelPurpose, NaturalLstmLayerWeights, StreamFeatures, StreamPrediction, TensorDataType,
  TensorDataTypeMap,
} from './types.ts';
export { fromOnnxGateOrder, toOnnxGateOrder } from './gate-order.ts';
export { GRAPH_IO, writeLstmModel } from './lstm-graph.ts';
export { DEFAULT_MODEL_METADATA, METADATA_KEYS, MODEL_FORMAT_VERSION } from './metadata.ts';
export { readModelInfo, type ModelInfo } from './model-info.ts';
export { createReferenceForward, type ReferenceForward, type ReferenceState } from './reference-forward.ts';
export { checkStreamFeatures, DEFAULT_LOAD_MODEL_OPTIONS, loadModel } from './session.ts';
export { createSeededRandom, createTestModel, createTestModelWeights, DEFAULT_TEST_LAYER_SIZES } from './test-model.ts';
export { validateWeights } from './weights.ts';
export {
  DEFAULT_STREAM_NORM, NO_STREAM_NORM, normaliseSequence, newStreamNormState, streamNormStep, validateStreamNorm,
  type StreamNormConfig, type StreamNormKind, type StreamNormState,
} from './stream-norm.ts';
export type { StreamStateSnapshot } from './types.ts';
