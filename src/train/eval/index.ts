/** Public API of the trainer's evaluation layer: metrics, statistics, folds and baselines. */
export { rmse, pearson, ccc, scoreTrack, evaluateSequences, type Scores, type AffectScores, type SequencePrediction, type Evaluation } from './metrics.ts';
export { pairedTTest, bonferroni, meanConfidenceInterval, type PairedTTest, type MeanCI } from './stats.ts';
export { logGamma, regularizedIncompleteBeta, studentTCdf, studentTTwoSided, studentTQuantile } from './special.ts';
export { groupFolds, leaveOneGroupOut, crossDomainFolds, distinctGroups, type Fold, type ValidationMode, type GroupFoldOptions } from './folds.ts';
export {
  runBaseline, fitRidgeCv, fitRidge, predictRidge, fitMean, DEFAULT_LAMBDA_GRID,
  type SequenceData, type RidgeOptions, type RidgeModel, type BaselineFoldResult,
} from './baselines.ts';
