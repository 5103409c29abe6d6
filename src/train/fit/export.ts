/**
 * Trained network → ONNX model file (src/model `writeLstmModel`): the engine's ONNX-layout parameters (W, R, B
 * with Rb = 0, P per layer; output W, b) plus the training fold's standardisation statistics and metadata
 * (260 pooled feature names, domain, training data, metrics, purpose 'trained'). The ONNX graph standardises
 * the input and de-standardises the output itself, so `loadModel(...).step` gives arousal/valence directly.
 */
import { writeFile } from 'node:fs/promises';
import { EmostreamError } from '../../errors.ts';
import { writeLstmModel, type LstmModelWeights, type ModelDomain, type ModelMetadataInput } from '../../model/index.ts';
import type { UncertaintyCalibration } from '../../model/types.ts';
import { POOLED_FEATURE_NAMES } from '../../pool/pooler.ts';
import type { NetworkParameters } from './engine/index.ts';
import { readRunFolder } from './run-files.ts';
import type { Standardisation } from './standardise.ts';

/** Model weights (src/model layout) of a 2-layer network and its standardisation. */
export function toModelWeights(p: NetworkParameters, st: Standardisation): LstmModelWeights {
  if (p.layers.length !== 2) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `export needs a 2-layer network, got ${p.layers.length} layers`);
  const [l1, l2] = p.layers as [NetworkParameters['layers'][0], NetworkParameters['layers'][0]];
  const hidden1 = l1.P.length / 3, hidden2 = l2.P.length / 3;
  return {
    inputSize: l1.W.length / (4 * hidden1), hidden1, hidden2,
    layer1: l1, layer2: l2, Wout: p.output.W, bout: p.output.b,
    featureMean: st.featureMean, featureStd: st.featureStd, targetMean: st.targetMean, targetStd: st.targetStd,
    streamNorm: st.streamNorm,
  };
}

/** Metadata fields the exporter needs (the rest default: feature names, purpose 'trained'). */
export interface ExportMetadata {
  readonly domain: ModelDomain;
  readonly trainingData: string;
  readonly metrics?: Readonly<Record<string, unknown>>;
  readonly modelVersion?: string;
  readonly license?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

/** ONNX bytes of a trained regressor with its standardisation statistics (see the module header). */
export function exportOnnx(p: NetworkParameters, st: Standardisation, meta: ExportMetadata): Uint8Array {
  const w = toModelWeights(p, st);
  const featureNames = w.inputSize === POOLED_FEATURE_NAMES.length ? POOLED_FEATURE_NAMES : Array.from({ length: w.inputSize }, (_, i) => `f${i}`);
  const m: ModelMetadataInput = { ...meta, featureNames, purpose: 'trained', sampleRateHz: 16000 };
  return writeLstmModel(w, m);
}

/**
 * ONNX bytes of an ensemble of trained regressors sharing one standardisation: member k's parameters are
 * `members[k]`; `uncertainty` turns their spread into calibrated SDs (required for 2+ members: without a fitted
 * calibration a unit scale and a 0.05 floor are written and the metadata says `uncalibrated`).
 */
export function exportEnsembleOnnx(
  members: readonly NetworkParameters[], st: Standardisation, uncertainty: UncertaintyCalibration | null, meta: ExportMetadata,
): Uint8Array {
  if (members.length === 0) throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'export needs at least one member');
  const [first, ...rest] = members.map((m) => toModelWeights(m, st));
  const w: LstmModelWeights = rest.length === 0 ? first! : {
    ...first!,
    moreMembers: rest.map((m) => ({ layer1: m.layer1, layer2: m.layer2, Wout: m.Wout, bout: m.bout })),
    uncertainty: uncertainty ?? { varianceFloor: Float32Array.of(0.05, 0.05), spreadScale: Float32Array.of(1, 1) },
  };
  const featureNames = w.inputSize === POOLED_FEATURE_NAMES.length ? POOLED_FEATURE_NAMES : Array.from({ length: w.inputSize }, (_, i) => `f${i}`);
  const extra = { ...(meta.extra ?? {}), ...(rest.length && !uncertainty ? { 'emostream.uncertainty': 'uncalibrated' } : {}) };
  return writeLstmModel(w, { ...meta, extra, featureNames, purpose: 'trained', sampleRateHz: 16000 });
}

/** Exports a run folder (`train` output) to `outPath`; `domain` overrides the run's domain. Returns the byte count. */
export async function exportRunFolder(runDir: string, outPath: string, domain?: ModelDomain): Promise<number> {
  const run = await readRunFolder(runDir);
  const bytes = exportOnnx(run.parameters, run.standardisation, {
    domain: domain ?? run.record.domain,
    trainingData: run.record.trainingData,
    metrics: run.record.metrics,
    // The run's training date names the model in results messages (e.g. "speech@2026-11-26").
    modelVersion: run.record.createdAt.slice(0, 10),
    extra: { 'emostream.trainer_config': JSON.stringify(run.record.config) },
  });
  await writeFile(outPath, bytes);
  return bytes.length;
}
