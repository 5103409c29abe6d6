/**
 * The offline trainer (Coutinho & Schuller 2017, docs/trainer.md), in the order data flow through it:
 * - data: manifests, corpus builders, augmentation, cached feature extraction, labelled sequences (data/);
 * - fit: the numeric engine (peephole-LSTM BPTT, WASM SIMD), training loops, standardisation and stream
 *   normalisation of the inputs, checkpoints, run folders, ONNX export (fit/);
 * - eval: metrics, statistics, folds, baselines, ranking/AUC, uncertainty calibration (eval/);
 * - protocol: single trainings, the experiment plan and protocol, generalisation tests, final models (protocol/);
 * - output: results folder, results page, model cards (output/).
 * Progress goes to a `ProgressReporter` the caller passes (progress.ts); the trainer writes to no stream itself.
 */
export * from './data/index.ts';
export * from './eval/index.ts';
export { fitRegressor, fitAutoencoder, type FitOptions, type FitResult, type FitState, type EpochReport } from './fit/fit.ts';
export { fitStandardisation, networkInputs, trainingPieces, type Standardisation } from './fit/standardise.ts';
export { exportOnnx, exportEnsembleOnnx, exportRunFolder } from './fit/export.ts';
export { readRunFolder, writeRunFolder, RUN_FORMAT } from './fit/run-files.ts';
export { readCheckpoint, writeCheckpoint } from './fit/checkpoint.ts';
export { parseTrainConfig, runTraining, type TrainConfig } from './protocol/train-run.ts';
export { parsePlan, type Plan } from './protocol/plan.ts';
export { runProtocol, type ProtocolOutcome, type ProtocolOptions } from './protocol/protocol.ts';
export { publishRun, type RunFacts } from './output/publish.ts';
export { writeResultsFolder } from './output/report.ts';
export { SILENT_PROGRESS, type ProgressReporter, type ProgressTask } from './progress.ts';
