/** Public API of the trainer's evaluation layer: metrics, statistics, folds, baselines and reports. */
export { rmse, pearson, ccc, scoreTrack, evaluateSequences, type Scores, type AffectScores, type SequencePrediction, type Evaluation } from './metrics.ts';
export { pairedTTest, bonferroni, meanConfidenceInterval, type PairedTTest, type MeanCI } from './stats.ts';
export { logGamma, regularizedIncompleteBeta, studentTCdf, studentTTwoSided, studentTQuantile } from './special.ts';
export { groupFolds, leaveOneGroupOut, crossDomainFolds, distinctGroups, type Fold, type ValidationMode, type GroupFoldOptions } from './folds.ts';
export {
  runBaseline, fitRidgeCv, fitRidge, predictRidge, fitMean, DEFAULT_LAMBDA_GRID,
  type SequenceData, type RidgeOptions, type RidgeModel, type BaselineFoldResult,
} from './baselines.ts';
export {
  writeResultsFolder, reportMarkdown, table6Markdown, predictionPlotSvg, learningCurveSvg, fmt3, fmtLr,
  PAPER_TABLE6, CONDITIONS, TEST_DOMAIN, type Condition, type ConditionResult, type ExperimentResults, type ScorePair,
} from './report.ts';
export { lineChartSvg, niceTicks, escapeXml, type Series, type LineChartOptions } from './svg.ts';
