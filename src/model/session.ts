/**
 * Runtime: loads a validated emostream model into an onnxruntime-node InferenceSession and runs one
 * batched step per call for any set of streams, each carrying its own state (LSTM and stream normaliser;
 * state-store.ts), which can be snapshot and restored (e.g. to hand a stream over to another process).
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { EmostreamError } from '../errors.ts';
import { GRAPH_IO, memberNames } from './graph-names.ts';
import { NORM_IO } from './graph-norm.ts';
import { readModelInfo } from './model-info.ts';
import { createStateStore } from './state-store.ts';
import type { EmotionModel, LoadModelOptions, ModelMetadata, StreamFeatures, StreamPrediction, StreamStateSnapshot } from './types.ts';

/** The state parts of a model's graph: input name, output name and width per stream, in packing order. */
function stateParts(metadata: ModelMetadata): { input: string; output: string; width: number }[] {
  const [n, h1, h2] = metadata.layerSizes;
  const parts = Array.from({ length: metadata.ensembleSize }, (_, k) => memberNames(k)).flatMap((m) => [
    { input: m.h1In, output: m.h1Out, width: h1 }, { input: m.c1In, output: m.c1Out, width: h1 },
    { input: m.h2In, output: m.h2Out, width: h2 }, { input: m.c2In, output: m.c2Out, width: h2 },
  ]);
  if (metadata.streamNorm.kind === 'none') return parts;
  return [...parts,
    { input: NORM_IO.meanIn, output: NORM_IO.meanOut, width: n }, { input: NORM_IO.varIn, output: NORM_IO.varOut, width: n },
    { input: NORM_IO.countIn, output: NORM_IO.countOut, width: 1 }];
}

/** The layout tag of a model's snapshots ("260,150,10,2/mean-var", "…/mean-var/x5" for a 5-member ensemble). */
export function stateLayout(metadata: ModelMetadata): string {
  const k = metadata.ensembleSize;
  return `${metadata.layerSizes.join(',')}/${metadata.streamNorm.kind}${k > 1 ? `/x${k}` : ''}`;
}

/** Defaults of `loadModel`. */
export const DEFAULT_LOAD_MODEL_OPTIONS: Required<LoadModelOptions> = Object.freeze({ intraOpThreads: 1 });

/** Throws `EMO_ERR_BAD_FEATURES` naming the stream (and feature) if `item` has the wrong length or a NaN/Inf. */
export function checkStreamFeatures(item: StreamFeatures, metadata: ModelMetadata): void {
  const n = metadata.featureNames.length;
  if (typeof item.streamId !== 'string' || item.streamId.length === 0) {
    throw new EmostreamError('EMO_ERR_BAD_FEATURES', 'stream id must be a non-empty string');
  }
  if (!(item.features instanceof Float32Array) || item.features.length !== n) {
    const got = item.features instanceof Float32Array ? `${item.features.length} values` : 'not a Float32Array';
    throw new EmostreamError('EMO_ERR_BAD_FEATURES', `stream "${item.streamId}": expected a Float32Array of ${n} features, got ${got}`);
  }
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(item.features[k])) {
      throw new EmostreamError('EMO_ERR_BAD_FEATURES',
        `stream "${item.streamId}": feature ${k} (${metadata.featureNames[k]}) is ${item.features[k]}, expected a finite number`);
    }
  }
}

async function readSource(source: string | Uint8Array): Promise<Uint8Array> {
  if (typeof source !== 'string') return source;
  try {
    return await readFile(source);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'unreadable';
    throw new EmostreamError('EMO_ERR_MODEL', `model file ${source} is ${why}`, { cause: err });
  }
}

/** Loads, validates (`EMO_ERR_MODEL`) and opens an emostream model from a path or its bytes. */
export async function loadModel(source: string | Uint8Array, options: LoadModelOptions = {}): Promise<EmotionModel> {
  const intraOpThreads = options.intraOpThreads ?? DEFAULT_LOAD_MODEL_OPTIONS.intraOpThreads;
  if (!Number.isInteger(intraOpThreads) || intraOpThreads < 1) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `intraOpThreads must be an integer ≥ 1, got ${intraOpThreads}`);
  }
  const bytes = await readSource(source);
  const { metadata } = readModelInfo(bytes);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new EmostreamError('EMO_ERR_MODEL', `onnxruntime rejected the model: ${why}`, { cause: err });
  }
  return createEmotionModel(session, metadata);
}

/** An open model: its session, state store and the steps in flight. */
interface SessionState {
  readonly session: ort.InferenceSession;
  readonly metadata: ModelMetadata;
  /** Feature width. */
  readonly n: number;
  readonly parts: { input: string; output: string; width: number }[];
  readonly store: ReturnType<typeof createStateStore>;
  readonly layout: string;
  released: boolean;
  /** Steps run one after another so no two runs read the same stream's state concurrently. */
  queue: Promise<unknown>;
}

const tensor = (data: Float32Array, b: number, width: number) => new ort.Tensor('float32', data, [1, b, width]);

/** Runs the session on a batch with the streams' state (tokens from `store.acquire`) and stores the new state. */
async function runSession(st: SessionState, ids: readonly string[], features: Float32Array, tokens: readonly Float32Array[]): Promise<StreamPrediction[]> {
  if (st.released) throw new EmostreamError('EMO_ERR_MODEL', 'model was released');
  const { parts, store, metadata } = st;
  const b = ids.length;
  const state = store.gather(tokens);
  const feeds: Record<string, ort.Tensor> = { [GRAPH_IO.features]: tensor(features, b, st.n) };
  parts.forEach((p, k) => { feeds[p.input] = tensor(state[k], b, p.width); });
  let out: ort.InferenceSession.OnnxValueMapType;
  try {
    out = await st.session.run(feeds);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new EmostreamError('EMO_ERR_MODEL', `onnxruntime failed to run the model: ${why}`, { cause: err });
  }
  if (!st.released) store.scatter(ids, tokens, parts.map((p) => out[p.output].data as Float32Array));
  const av = out[GRAPH_IO.av].data as Float32Array;
  const sd = metadata.ensembleSize > 1 ? out[GRAPH_IO.avSd].data as Float32Array : undefined;
  return ids.map((streamId, k) => (sd
    ? { streamId, arousal: av[2 * k], valence: av[2 * k + 1], uncertainty: { arousalSd: sd[2 * k], valenceSd: sd[2 * k + 1] } }
    : { streamId, arousal: av[2 * k], valence: av[2 * k + 1] }));
}

/** `EmotionModel.step`: checks the batch, copies its inputs and takes the state tokens now, then queues the run. */
function stepSession(st: SessionState, batch: readonly StreamFeatures[]): Promise<StreamPrediction[]> {
  if (st.released) return Promise.reject(new EmostreamError('EMO_ERR_MODEL', 'model was released'));
  try {
    const seen = new Set<string>();
    for (const item of batch) {
      checkStreamFeatures(item, st.metadata);
      if (seen.has(item.streamId)) throw new EmostreamError('EMO_ERR_BAD_FEATURES', `stream "${item.streamId}" appears twice in one batch`);
      seen.add(item.streamId);
    }
  } catch (err) {
    return Promise.reject(err);
  }
  if (batch.length === 0) return Promise.resolve([]);
  // Inputs are copied and state tokens taken now: callers may reuse their arrays, and a reset/drop
  // after this call never receives this step's state.
  const { n } = st;
  const ids = batch.map((item) => item.streamId);
  const features = new Float32Array(batch.length * n);
  batch.forEach((item, k) => features.set(item.features, k * n));
  const tokens = st.store.acquire(ids);
  const result = st.queue.then(() => runSession(st, ids, features, tokens));
  st.queue = result.catch(() => undefined);
  return result;
}

/** `EmotionModel.restore`: the snapshot must have this model's layout, width and finite values. */
function restoreStream(st: SessionState, id: string, snapshot: StreamStateSnapshot): void {
  const { layout, store } = st;
  if (snapshot?.layout !== layout || !(snapshot.values instanceof Float32Array) || snapshot.values.length !== store.width) {
    throw new EmostreamError('EMO_ERR_MODEL', `stream "${id}": state snapshot of layout ${snapshot?.layout} does not fit this model (${layout})`);
  }
  for (let k = 0; k < snapshot.values.length; k++) {
    if (!Number.isFinite(snapshot.values[k])) throw new EmostreamError('EMO_ERR_MODEL', `stream "${id}": state snapshot value ${k} is not finite`);
  }
  store.write(id, snapshot.values);
}

function createEmotionModel(session: ort.InferenceSession, metadata: ModelMetadata): EmotionModel {
  const n = metadata.layerSizes[0];
  const parts = stateParts(metadata);
  const store = createStateStore(parts.map((p) => p.width));
  const layout = stateLayout(metadata);
  const st: SessionState = { session, metadata, n, parts, store, layout, released: false, queue: Promise.resolve() };
  return {
    metadata,
    inputSize: n,
    get streamCount() {
      return store.size;
    },
    step: (batch) => stepSession(st, batch),
    has: (id) => store.has(id),
    reset: (id) => store.reset(id),
    snapshot(id): StreamStateSnapshot | undefined {
      const values = store.read(id);
      return values && { layout, values };
    },
    restore: (id, snapshot) => restoreStream(st, id, snapshot),
    drop: (id) => store.drop(id),
    async release() {
      if (st.released) return;
      st.released = true;
      await st.queue;
      store.clear();
      await session.release();
    },
  };
}
