/**
 * The library form of `emostream analyse`: arousal and valence once per second for samples pushed by the caller
 * (`createAnalyser`) or for a file (`analyseFile`), through exactly the pipeline `serve` runs (`createPipeline`:
 * window extractor → batched model step), so the numbers equal the server's.
 *
 * Pushed samples are coalesced into one chunk per event-loop turn before they enter the pipeline (chunking never
 * changes a number), so a caller may push a whole file in tiny pieces synchronously.
 */
import { lastValueFrom, of, Subject, tap } from 'rxjs';
import { EmostreamError } from '../errors.ts';
import { fileSource } from '../audio/sources/file-source.ts';
import type { AudioChunk, StreamSource } from '../audio/sources/types.ts';
import { loadModel } from '../model/session.ts';
import { defaultShippedModel, isShippedModelName, shippedModelPath, type ShippedModelName } from '../model/shipped-models.ts';
import type { EmotionModel } from '../model/types.ts';
import { AUTO_MODEL_NAME, loadShippedAutoModel } from '../model/auto-loading.ts';
import { createPipeline } from './create-pipeline.ts';
import type { AvResult, PipelineEvent } from './types.ts';

/**
 * Which model to run: a loaded model (the caller keeps ownership), a shipped model's name, 'auto' (speech or music
 * per second by content, src/model/auto-model.ts), or a model file path.
 */
export type ModelChoice = EmotionModel | ShippedModelName | 'default' | 'auto' | (string & {});

/** One second's estimate. */
export interface EmotionEstimate {
  /** End of the 1 s hop in stream seconds (the first is t = 2). */
  readonly t: number;
  /** Arousal in [−1, 1] (calm … excited). */
  readonly arousal: number;
  /** Valence in [−1, 1] (negative … positive). */
  readonly valence: number;
  /** `<domain>@<version>` of the model (with 'auto': of the model that produced this second). */
  readonly model: string;
  /** What the second holds: 'speech', 'music', 'silence' or 'mixed'. */
  readonly content?: string;
  /** Confidence in [0, 1] (src/model/confidence.ts); null when the model gives no uncertainty. */
  readonly confidence?: number | null;
}

/** Options of `createAnalyser`. */
export interface AnalyserOptions {
  /** Model. Default 'default' (the shipped model that qualifies, src/model/shipped-models.ts). */
  readonly model?: ModelChoice;
  /** Rate of the pushed samples, Hz (8000–192000). Required. */
  readonly sampleRateHz: number;
  /** Called with each second's estimate as soon as it exists. */
  readonly onEstimate?: (estimate: EmotionEstimate) => void;
}

/** A running analysis of one stream. */
export interface Analyser {
  /** Adds mono samples (any length, nominally in [−1, 1]; copied). */
  push(samples: Float32Array): void;
  /** End of input: flushes the last second(s); resolves with every estimate of the stream, in time order. */
  end(): Promise<readonly EmotionEstimate[]>;
  /** Abandons the stream (no further estimates) and frees what the analyser owns; idempotent. */
  close(): Promise<void>;
}

/** Loads `choice` unless it is already a model; `owned` says whether the caller of this function must release it. */
export async function resolveModel(choice: ModelChoice = 'default'): Promise<{ model: EmotionModel; owned: boolean }> {
  if (typeof choice !== 'string') return { model: choice, owned: false };
  if (choice === AUTO_MODEL_NAME) return { model: await loadShippedAutoModel(), owned: true };
  const path = choice === 'default' ? (await defaultShippedModel()).path : isShippedModelName(choice) ? shippedModelPath(choice) : choice;
  return { model: await loadModel(path), owned: true };
}

let analysers = 0;

const estimateOf = (r: AvResult): EmotionEstimate => ({
  t: Math.round(r.t * 1e6) / 1e6, arousal: r.arousal, valence: r.valence, model: r.model,
  ...(r.content && { content: r.content.label }), confidence: r.confidence ?? null,
});

/** Runs one source through the pipeline, calling `onAv` per result; rejects with the stream's error. */
async function runSource(source: StreamSource, model: EmotionModel, onAv: (r: AvResult) => void): Promise<void> {
  let failure: unknown;
  await lastValueFrom(createPipeline(of(source), { model }).pipe(tap((event: PipelineEvent) => {
    if (event.type === 'av') onAv(event);
    else if (event.type === 'error') failure ??= event.error ?? new EmostreamError('EMO_ERR_INTERNAL', event.message);
  })), { defaultValue: undefined });
  if (failure) throw failure;
}

/**
 * Starts a streaming analysis of samples at `sampleRateHz`.
 * @example
 *   const analyser = await createAnalyser({ model: 'speech', sampleRateHz: 16000, onEstimate: (e) => console.log(e) });
 *   for (const block of blocks) analyser.push(block);
 *   const all = await analyser.end();
 */
export async function createAnalyser(options: AnalyserOptions): Promise<Analyser> {
  const rate = options.sampleRateHz;
  if (!Number.isFinite(rate) || rate < 8000 || rate > 192000) {
    throw new EmostreamError('EMO_ERR_BAD_AUDIO', `createAnalyser: sampleRateHz must be 8000–192000, got ${rate}`);
  }
  const { model, owned } = await resolveModel(options.model);
  // A stream id of its own, so analysers sharing one loaded model never share a stream's state.
  const streamId = `api-${++analysers}`;
  const chunks = new Subject<AudioChunk>();
  const estimates: EmotionEstimate[] = [];
  const done = runSource({ streamId, kind: 'api', chunks }, model, (r) => {
    const e = estimateOf(r);
    estimates.push(e);
    options.onEstimate?.(e);
  }).finally(() => (owned ? model.release() : undefined));
  done.catch(() => undefined); // reported by end()
  let pending: Float32Array[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let state: 'open' | 'ended' | 'closed' = 'open';
  const flush = (): void => {
    scheduled = undefined;
    if (pending.length === 0 || state === 'closed') return;
    const total = pending.reduce((n, p) => n + p.length, 0);
    const samples = new Float32Array(total);
    let at = 0;
    for (const p of pending) { samples.set(p, at); at += p.length; }
    pending = [];
    chunks.next({ streamId, samples, sampleRateHz: rate, arrivedAtMs: performance.now() });
  };
  return {
    push(samples) {
      if (state !== 'open') throw new EmostreamError('EMO_ERR_INTERNAL', 'Analyser.push() after end() or close()');
      if (!(samples instanceof Float32Array)) throw new EmostreamError('EMO_ERR_BAD_AUDIO', 'Analyser.push() needs a Float32Array');
      if (samples.length === 0) return;
      pending.push(samples.slice());
      scheduled ??= setImmediate(flush);
    },
    async end() {
      if (state === 'open') {
        state = 'ended';
        if (scheduled) clearImmediate(scheduled);
        flush();
        chunks.complete();
      }
      await done;
      return estimates;
    },
    async close() {
      if (state === 'closed') return;
      state = 'closed';
      if (scheduled) clearImmediate(scheduled);
      chunks.error(new EmostreamError('EMO_ERR_INTERRUPTED', 'analysis closed'));
      await done.catch(() => undefined);
    },
  };
}

/**
 * Arousal and valence per second of a whole file (WAV, FLAC, MP3, Ogg Vorbis/Opus), as `emostream analyse`.
 * @throws EmostreamError EMO_ERR_INPUT_NOT_FOUND, EMO_ERR_DECODE, EMO_ERR_EMPTY_AUDIO, EMO_ERR_MODEL, …
 */
export async function analyseFile(path: string, options: { readonly model?: ModelChoice } = {}): Promise<readonly EmotionEstimate[]> {
  const { model, owned } = await resolveModel(options.model);
  const estimates: EmotionEstimate[] = [];
  try {
    await runSource(fileSource(path, { streamId: 'file', chunkMs: 1000 }), model, (r) => estimates.push(estimateOf(r)));
  } finally {
    if (owned) await model.release();
  }
  return estimates;
}
