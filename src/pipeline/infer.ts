/**
 * `inferBatched(model)`: pooled windows of all streams → arousal/valence results, with ONE batched `model.step` per
 * round: every window that arrives in the same event-loop turn (collected until `setImmediate`) goes into the same
 * step; a stream with several windows in one turn (a file read fast) gets one step per window, in order.
 *
 *   in:   --a0-b0--(turn)--a1--b1--c0--(turn)--X(a)--|
 *   step:   [a0, b0]          [a1, b1, c0]
 *   out:  ----A0-B0-----------A1-B1-C0-------X(a)--|
 *
 * `started` events pass first, `ended`/`error` events behind the results of the same turn (per stream the order is kept);
 * `ended`/`error` drops the stream's LSTM state, `started` resets it (or restores `resume.state` for a stream
 * resumed from another process); a detached `ended` first gets the stream's final state and last `t` attached. Pending windows per stream are bounded
 * only by reporting: when more than `maxPendingWindows` wait, one `lag` event is emitted (windows are never
 * skipped, since the LSTM state must see every second). A failed step (a model/runtime fault, not one stream's data)
 * errors the whole pipeline. Completion waits for the steps in flight; unsubscribe drops pending work.
 * @see extractWindows (before), serializeEvents (after).
 */
import { Observable } from 'rxjs';
import { isAutoModel } from '../model/auto-model.ts';
import type { EmotionModel, StreamFeatures } from '../model/types.ts';
import { resultDetails } from './result-details.ts';
import type { AvResult, LagEvent, Operator, PipelineEvent, PooledWindow, StreamItem } from './types.ts';

/** Options of `inferBatched`. */
export interface InferOptions {
  /** Windows of one stream waiting for the model before a `lag` event is raised (count ≥ 1). Default 5. */
  readonly maxPendingWindows?: number;
}

/** Defaults of `inferBatched`. */
export const DEFAULT_INFER_OPTIONS: Readonly<Required<InferOptions>> = Object.freeze({ maxPendingWindows: 5 });

/** Model label shown in results: `<domain>@<version>` (an auto model: `auto(speech@…,music@…)`). */
export function modelLabel(model: EmotionModel): string {
  if (isAutoModel(model)) return model.label;
  return `${model.metadata.domain}@${model.metadata.modelVersion}`;
}

/** Operator running the model on windows of all streams, batched per event-loop turn. */
export function inferBatched(model: EmotionModel, options: InferOptions = {}): Operator<StreamItem, PipelineEvent> {
  const { maxPendingWindows } = { ...DEFAULT_INFER_OPTIONS, ...options };
  const label = modelLabel(model);
  return (source) => new Observable<PipelineEvent>((subscriber) => {
    let turn: StreamItem[] = [];
    let immediate: NodeJS.Immediate | undefined;
    let chain: Promise<void> = Promise.resolve();
    let closed = false;
    const pending = new Map<string, number>(); // windows queued per stream
    const lagging = new Set<string>();
    const lastT = new Map<string, number>(); // t of each stream's last result (or of its resumed state)

    const runTurn = async (items: readonly StreamItem[]): Promise<void> => {
      const rounds: PooledWindow[][] = [];
      const roundOf = new Map<string, number>();
      const others: Exclude<StreamItem, PooledWindow>[] = [];
      for (const item of items) {
        if (item.type === 'stream' && item.state === 'started') {
          // A stream's start precedes all its windows, so it is emitted before this turn's results.
          model.reset(item.streamId);
          if (item.resume) {
            try {
              if (item.resume.state) model.restore(item.streamId, item.resume.state);
            } catch {
              model.reset(item.streamId); // a state of another model: the stream starts afresh (its clock still continues)
            }
            lastT.set(item.streamId, item.resume.stateT);
          }
          subscriber.next(item);
          continue;
        }
        if (item.type !== 'window') {
          others.push(item);
          continue;
        }
        const r = roundOf.get(item.streamId) ?? 0;
        roundOf.set(item.streamId, r + 1);
        (rounds[r] ??= []).push(item);
      }
      for (const round of rounds) {
        const batch: StreamFeatures[] = round.map((w) => ({ streamId: w.streamId, features: w.features }));
        const predictions = await model.step(batch);
        if (closed) return;
        for (let k = 0; k < round.length; k++) {
          const w = round[k];
          const left = (pending.get(w.streamId) ?? 1) - 1;
          pending.set(w.streamId, left);
          if (left <= maxPendingWindows / 2) lagging.delete(w.streamId);
          const result: AvResult = {
            type: 'av', streamId: w.streamId, t: w.endTimeS,
            arousal: predictions[k].arousal, valence: predictions[k].valence, model: label, completedAtMs: w.completedAtMs,
            ...resultDetails(w, predictions[k]),
          };
          lastT.set(w.streamId, w.endTimeS);
          subscriber.next(result);
        }
      }
      for (let event of others) {
        if (closed) return;
        if (event.type === 'error' || (event.type === 'stream' && event.state === 'ended')) {
          if (event.type === 'stream' && event.detached) {
            event = { ...event, finalState: model.snapshot(event.streamId), lastT: lastT.get(event.streamId) ?? 0 };
          }
          model.drop(event.streamId);
          pending.delete(event.streamId);
          lagging.delete(event.streamId);
          lastT.delete(event.streamId);
        }
        subscriber.next(event);
      }
    };

    const flush = (): void => {
      immediate = undefined;
      const items = turn;
      turn = [];
      chain = chain.then(() => (closed ? undefined : runTurn(items))).catch((err: unknown) => {
        if (!closed) {
          closed = true;
          subscriber.error(err);
        }
      });
    };

    const subscription = source.subscribe({
      next(item) {
        if (closed) return;
        turn.push(item);
        if (item.type === 'window') {
          const count = (pending.get(item.streamId) ?? 0) + 1;
          pending.set(item.streamId, count);
          if (count > maxPendingWindows && !lagging.has(item.streamId)) {
            lagging.add(item.streamId);
            const lag: LagEvent = { type: 'lag', streamId: item.streamId, pendingWindows: count };
            subscriber.next(lag);
          }
        }
        immediate ??= setImmediate(flush);
      },
      error(err) {
        if (closed) return;
        closed = true;
        subscriber.error(err);
      },
      complete() {
        if (immediate) {
          clearImmediate(immediate);
          flush();
        }
        chain.then(() => {
          if (!closed) {
            closed = true;
            subscriber.complete();
          }
        });
      },
    });
    return () => {
      closed = true;
      if (immediate) clearImmediate(immediate);
      subscription.unsubscribe();
    };
  });
}
