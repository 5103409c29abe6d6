/**
 * The live pipeline, end to end in RxJS, read top to bottom:
 *
 *   sources$ (one StreamSource per stream, any time)
 *     └─ per stream: chunks → extractWindows()                  (window extractor in this thread)
 *                    chunks → extractWindowsInWorkers(featurePool)  (the same window extractor in a worker thread)
 *        → bracketStream (started … ended | error)
 *   merged → classifyContent (speech / music / silence / mixed per window; src/model/content-classifier.ts)
 *          → inferBatched(model) (one batched ORT step per event-loop turn) → PipelineEvent
 *
 * A stream handed over between processes (HandoffSource, src/server/handoff) may continue a saved extractor state,
 * has its clock shifted and warm-up windows dropped (handoffWindows), its saved model state restored at `started`,
 * and may be detached (its audio extracted, no flush; its `ended` event then carries the extractor state and the
 * final model state).
 *
 * Offline analysis (`emostream analyse`) and the server run exactly this function (the worker path runs the very
 * same extraction code), so their numbers are identical. Completion of `sources$` and of every stream completes the
 * output; unsubscribing tears every stage down (sources closed, WASM state freed, worker state freed).
 */
import { mergeMap, type Observable } from 'rxjs';
import type { StreamSource } from '../audio/sources/types.ts';
import type { EmotionModel } from '../model/types.ts';
import { shippedContentClassifier, type ContentClassifier } from '../model/content-classifier.ts';
import { classifyContent } from './classify-content.ts';
import { extractWindows } from './extract.ts';
import { extractWindowsInWorkers, type WorkerExtractOptions } from './extract-in-workers.ts';
import type { FeaturePool } from './feature-pool.ts';
import { handoffChunks, handoffWindows } from './handoff-windows.ts';
import { bracketStream } from './stream-lifecycle.ts';
import { inferBatched, type InferOptions } from './infer.ts';
import type { HandoffSource, PipelineEvent } from './types.ts';

/** Options of `createPipeline`. */
export interface PipelineOptions extends InferOptions, WorkerExtractOptions {
  readonly model: EmotionModel;
  /**
   * Feature workers doing resampling + extraction + pooling (the caller creates and releases the pool).
   * Default none: extraction runs in this thread. File sources are exempt from `lagAfterS` / `maxQueuedS`: they are
   * decoded in memory already and, unless paced, are read faster than real time on purpose.
   */
  readonly featurePool?: FeaturePool;
  /** Content classifier tagging each second (results carry `content`); null: none. Default the shipped models/content.json. */
  readonly content?: ContentClassifier | null;
}

/** Runs every stream of `sources$` through resampling, LLD extraction, pooling and batched inference. */
export function createPipeline(sources$: Observable<StreamSource>, options: PipelineOptions): Observable<PipelineEvent> {
  const { featurePool } = options;
  const unbounded: WorkerExtractOptions = { lagAfterS: Infinity, maxQueuedS: Infinity };
  const perStream = (source: HandoffSource) => {
    const { chunks, detached } = handoffChunks(source);
    const handoff = { restore: source.resume?.extractorState, detached };
    return bracketStream(
      source,
      (featurePool
        ? chunks.pipe(extractWindowsInWorkers(featurePool, source.kind === 'file' ? unbounded : options, handoff))
        : chunks.pipe(extractWindows(handoff))
      ).pipe(handoffWindows(source)),
    );
  };
  const content = options.content === undefined ? shippedContentClassifier() : options.content;
  const merged = sources$.pipe(mergeMap(perStream));
  return (content ? merged.pipe(classifyContent(content)) : merged).pipe(inferBatched(options.model, options));
}
