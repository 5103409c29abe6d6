/**
 * `--model auto`: one EmotionModel that runs, for each stream and second, either the speech or the music model,
 * chosen by the second's content (content-classifier.ts) with hysteresis (content-router.ts). On a switch the model
 * switched to starts that stream from zero LSTM state (`reset`; its stream normaliser from its training prior) and the
 * model left drops the stream's state: a model never continues from seconds it did not see. Each prediction names its
 * model (`predictionModelLabel`), so every result says which model produced it.
 *
 * A step classifies every window first (a bad feature vector throws EMO_ERR_BAD_FEATURES before any state changes),
 * then routes, then runs one batched step per model that has streams in the batch. Steps are serialised.
 * `release()` releases both models (the auto model owns them).
 */
import { EmostreamError } from '../errors.ts';
import type { ContentClassifier, ContentEstimate } from './content-classifier.ts';
import { initialRouterState, resolveRouterOptions, routeStep, type ContentRouterOptions, type RouterState } from './content-router.ts';
import type { EmotionModel, ModelDomain, StreamFeatures, StreamPrediction, StreamStateSnapshot } from './types.ts';

/** A prediction that names the model which produced it. */
export interface RoutedPrediction extends StreamPrediction {
  /** `<domain>@<version>` of the model used for this second. */
  readonly modelLabel: string;
  /** The content the route was decided on. */
  readonly content: ContentEstimate;
}

/** Options of `createAutoModel`. */
export interface AutoModelOptions extends ContentRouterOptions {
  /** Model for speech (domain 'speech'). */
  readonly speech: EmotionModel;
  /** Model for music (domain 'music'). */
  readonly music: EmotionModel;
  readonly classifier: ContentClassifier;
}

/** The auto model: an EmotionModel plus its parts. */
export interface AutoModel extends EmotionModel {
  /** `auto(speech@…,music@…)`, shown in `hello` and /health. */
  readonly label: string;
  readonly models: Readonly<Record<ModelDomain, EmotionModel>>;
  /** Current route of a stream (undefined: unknown stream). */
  routeOf(streamId: string): ModelDomain | undefined;
}

/** `<domain>@<version>` of a model. */
const labelOf = (m: EmotionModel): string => `${m.metadata.domain}@${m.metadata.modelVersion}`;

/** The model label a prediction carries (routed models), or undefined. */
export function predictionModelLabel(prediction: StreamPrediction): string | undefined {
  const label = (prediction as Partial<RoutedPrediction>).modelLabel;
  return typeof label === 'string' ? label : undefined;
}

/** Whether `model` is an auto model. */
export function isAutoModel(model: EmotionModel): model is AutoModel {
  return typeof (model as Partial<AutoModel>).routeOf === 'function' && typeof (model as Partial<AutoModel>).label === 'string';
}

const DOMAINS: readonly ModelDomain[] = ['speech', 'music'];

/** Creates the auto model (EMO_ERR_BAD_CONFIG if the models' domains or widths do not fit). */
export function createAutoModel(options: AutoModelOptions): AutoModel {
  const { speech, music, classifier } = options;
  const router = resolveRouterOptions(options);
  if (speech.metadata.domain !== 'speech' || music.metadata.domain !== 'music') {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `auto model: needs a speech and a music model, got ${labelOf(speech)} and ${labelOf(music)}`);
  }
  if (speech.inputSize !== music.inputSize || classifier.inputSize !== speech.inputSize) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `auto model: feature widths differ (speech ${speech.inputSize}, music ${music.inputSize}, content ${classifier.inputSize})`);
  }
  const models: Record<ModelDomain, EmotionModel> = { speech, music };
  const states = new Map<string, RouterState>();
  let queue: Promise<unknown> = Promise.resolve();
  let released = false;

  const runStep = async (batch: readonly StreamFeatures[]): Promise<StreamPrediction[]> => {
    if (released) throw new EmostreamError('EMO_ERR_MODEL', 'auto model: step() after release()');
    const contents = batch.map((item) => classifier.classify(item.features)); // throws before any state changes
    const routes = batch.map((item, k) => {
      const decision = routeStep(states.get(item.streamId) ?? initialRouterState(router), contents[k]!, router);
      states.set(item.streamId, decision.state);
      if (decision.switched) {
        const to = decision.state.route;
        models[to === 'speech' ? 'music' : 'speech'].drop(item.streamId);
        models[to].reset(item.streamId);
      }
      return decision.state.route;
    });
    const out = new Array<StreamPrediction>(batch.length);
    await Promise.all(DOMAINS.map(async (domain) => {
      const index = routes.flatMap((r, k) => (r === domain ? [k] : []));
      if (index.length === 0) return;
      const predictions = await models[domain].step(index.map((k) => batch[k]!));
      const label = labelOf(models[domain]);
      index.forEach((k, j) => {
        const routed: RoutedPrediction = { ...predictions[j]!, modelLabel: label, content: contents[k]! };
        out[k] = routed;
      });
    }));
    return out;
  };

  return {
    label: `auto(${labelOf(speech)},${labelOf(music)})`,
    models,
    metadata: speech.metadata,
    inputSize: speech.inputSize,
    get streamCount() { return states.size; },
    routeOf: (id) => states.get(id)?.route,
    step(batch) {
      const run = queue.then(() => runStep(batch));
      queue = run.catch(() => undefined);
      return run;
    },
    has: (id) => states.has(id),
    reset(id) {
      states.delete(id);
      speech.drop(id);
      music.drop(id);
    },
    snapshot(id) {
      const state = states.get(id);
      if (!state) return undefined;
      const inner = models[state.route].snapshot(id);
      const values = new Float32Array(3 + (inner?.values.length ?? 0));
      values.set([state.decided ? 1 : 0, state.route === 'music' ? 1 : 0, state.streak]);
      if (inner) values.set(inner.values, 3);
      return { layout: `auto/${state.route}/${inner?.layout ?? 'none'}`, values };
    },
    restore(id, snapshot: StreamStateSnapshot) {
      const m = /^auto\/(speech|music)\/(.+)$/.exec(snapshot.layout);
      if (!m || snapshot.values.length < 3 || (snapshot.values[1] === 1) !== (m[1] === 'music')) {
        throw new EmostreamError('EMO_ERR_MODEL', `auto model: cannot restore a '${snapshot.layout}' snapshot`);
      }
      const route = m[1] as ModelDomain;
      speech.drop(id);
      music.drop(id);
      if (m[2] !== 'none') models[route].restore(id, { layout: m[2]!, values: snapshot.values.slice(3) });
      states.set(id, { decided: snapshot.values[0] === 1, route, streak: snapshot.values[2]! });
    },
    drop(id) {
      states.delete(id);
      speech.drop(id);
      music.drop(id);
    },
    async release() {
      if (released) return;
      released = true;
      states.clear();
      await Promise.all([speech.release(), music.release()]);
    },
  };
}
