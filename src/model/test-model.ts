/**
 * Deterministic test models: seeded random weights (U[-0.1, 0.1], the paper's initialisation range) and
 * seeded standardisation statistics, written with `purpose: 'test-fixture'` so no tool presents their
 * output as a meaningful emotion estimate. Used by tests, the server tests and the CLI self-test.
 */
import { EmostreamError } from '../errors.ts';
import { writeLstmModel } from './lstm-graph.ts';
import type { LayerSizes, LstmLayerWeights, LstmModelWeights, ModelDomain } from './types.ts';
import { mulberry32 } from '../random.ts';
import { DEFAULT_STREAM_NORM, type StreamNormConfig } from './stream-norm.ts';

/** Paper-sized layers (Table 6: 150 and 10 blocks) on the 260 ComParE functionals. */
export const DEFAULT_TEST_LAYER_SIZES: LayerSizes = Object.freeze([260, 150, 10, 2] as const);

/** Fixed creation date of test models, so their bytes depend on the seed only. */
export const TEST_MODEL_CREATED = '2000-01-01T00:00:00.000Z';

/** Seeded uniform PRNG on [0, 1) (mulberry32, src/random.ts); same seed → same sequence. */
export const createSeededRandom: (seed: number) => () => number = mulberry32;

function uniform(random: () => number, length: number, low: number, high: number): Float32Array {
  const out = new Float32Array(length);
  for (let k = 0; k < length; k++) out[k] = low + (high - low) * random();
  return out;
}

function layer(random: () => number, inputs: number, hidden: number): LstmLayerWeights {
  return {
    W: uniform(random, 4 * hidden * inputs, -0.1, 0.1),
    R: uniform(random, 4 * hidden * hidden, -0.1, 0.1),
    B: uniform(random, 8 * hidden, -0.1, 0.1),
    P: uniform(random, 3 * hidden, -0.1, 0.1),
  };
}

/**
 * Deterministic weights for `sizes` [In1, H1, H2, 2]: all weights U[-0.1, 0.1]; feature means U[-1, 1],
 * feature stds U[0.5, 2], target means U[-0.2, 0.2], target stds U[0.2, 0.5] (non-trivial, so a missing
 * (de)standardisation node changes the output), and the given stream normaliser (default DEFAULT_STREAM_NORM).
 */
export function createTestModelWeights(seed: number, sizes: LayerSizes = DEFAULT_TEST_LAYER_SIZES, streamNorm: StreamNormConfig = DEFAULT_STREAM_NORM, members = 1): LstmModelWeights {
  const [n, h1, h2, outputs] = sizes;
  if (!Number.isInteger(seed)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `test model seed must be an integer, got ${seed}`);
  if (outputs !== 2 || ![n, h1, h2].every((s) => Number.isInteger(s) && s > 0)) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `test model sizes must be [inputs>0, hidden1>0, hidden2>0, 2], got [${sizes}]`);
  }
  const random = createSeededRandom(seed);
  const member = () => ({ layer1: layer(random, n, h1), layer2: layer(random, h1, h2), Wout: uniform(random, 2 * h2, -0.1, 0.1), bout: uniform(random, 2, -0.1, 0.1) });
  const first = member();
  const more = Array.from({ length: members - 1 }, member);
  return {
    inputSize: n, hidden1: h1, hidden2: h2,
    ...first,
    ...(more.length ? { moreMembers: more, uncertainty: { spreadScale: Float32Array.of(4, 4), varianceFloor: Float32Array.of(0.01, 0.02) } } : {}),
    featureMean: uniform(random, n, -1, 1),
    featureStd: uniform(random, n, 0.5, 2),
    targetMean: uniform(random, 2, -0.2, 0.2),
    targetStd: uniform(random, 2, 0.2, 0.5),
    streamNorm,
  };
}

/** Options of `createTestModel`. */
export interface TestModelOptions {
  /** PRNG seed (integer). */
  readonly seed: number;
  /** Layer sizes. Default `DEFAULT_TEST_LAYER_SIZES`. */
  readonly sizes?: LayerSizes;
  /** Feature names (length In1). Default `feature_0 … feature_{In1-1}`. */
  readonly featureNames?: readonly string[];
  /** Default `'speech'`. */
  readonly domain?: ModelDomain;
  /** Stream normaliser. Default DEFAULT_STREAM_NORM. */
  readonly streamNorm?: StreamNormConfig;
  /** Ensemble members (spread scale 4, variance floors 0.01 / 0.02). Default 1. */
  readonly members?: number;
}

/** ONNX bytes of a deterministic test model (metadata `purpose: 'test-fixture'`). */
export function createTestModel(options: TestModelOptions): Uint8Array {
  const sizes = options.sizes ?? DEFAULT_TEST_LAYER_SIZES;
  const weights = createTestModelWeights(options.seed, sizes, options.streamNorm, options.members);
  return writeLstmModel(weights, {
    featureNames: options.featureNames ?? Array.from({ length: sizes[0] }, (_, k) => `feature_${k}`),
    domain: options.domain ?? 'speech',
    trainingData: `none: random weights, seed ${options.seed}`,
    metrics: {},
    created: TEST_MODEL_CREATED,
    purpose: 'test-fixture',
    modelVersion: `test-${options.seed}`,
    license: 'MIT',
  });
}
