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
import { Observable, type Subscriber } from 'rxjs';
import { isAutoModel } from '../model/auto-model.ts';
import type { EmotionModel, StreamFeatures, StreamPrediction } from '../model/types.ts';
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

/** Per-subscription state of `inferBatched`. */
interface InferState {
  readonly model: EmotionModel;
  readonly label: string;
  readonly maxPendingWindows: number;
  readonly subscriber: Subscriber<PipelineEvent>;
  /** Items of the current event-loop turn. */
  turn: StreamItem[];
  immediate: NodeJS.Immediate | undefined;
  /** The turns in flight, one after the other. */
  chain: Promise<void>;
  closed: boolean;
  /** Windows queued per stream. */
  readonly pending: Map<string, number>;
  readonly lagging: Set<string>;
  /** t of each stream's last result (or of its resumed state). */
  readonly lastT: Map<string, number>;
}

/** A stream's start: resets its LSTM state (or restores a resumed one) and emits the event. */
function startStream(st: InferState, item: Extract<StreamItem, { type: 'stream' }>): void {
  const { model } = st;
  model.reset(item.streamId);
  if (item.resume) {
    try {
      if (item.resume.state) model.restore(item.streamId, item.resume.state);
    } catch {
      model.reset(item.streamId); // a state of another model: the stream starts afresh (its clock still continues)
    }
    st.lastT.set(item.streamId, item.resume.stateT);
  }
  st.subscriber.next(item);
}

/**
 * Splits a turn into rounds of windows (round r holds each stream's r-th window) and the other events; `started`
 * events are handled and emitted at once, since a stream's start precedes all its windows.
 */
function groupTurn(st: InferState, items: readonly StreamItem[]): { rounds: PooledWindow[][]; others: Exclude<StreamItem, PooledWindow>[] } {
  const rounds: PooledWindow[][] = [];
  const roundOf = new Map<string, number>();
  const others: Exclude<StreamItem, PooledWindow>[] = [];
  for (const item of items) {
    if (item.type === 'stream' && item.state === 'started') {
      startStream(st, item);
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
  return { rounds, others };
}

/** Emits one result per window of a round (predictions in the same order), updating the pending counts. */
function emitResults(st: InferState, round: readonly PooledWindow[], predictions: readonly StreamPrediction[]): void {
  const { pending, lagging } = st;
  for (let k = 0; k < round.length; k++) {
    const w = round[k];
    const left = (pending.get(w.streamId) ?? 1) - 1;
    pending.set(w.streamId, left);
    if (left <= st.maxPendingWindows / 2) lagging.delete(w.streamId);
    const result: AvResult = {
      type: 'av', streamId: w.streamId, t: w.endTimeS,
      arousal: predictions[k].arousal, valence: predictions[k].valence, model: st.label, completedAtMs: w.completedAtMs,
      ...resultDetails(w, predictions[k]),
    };
    st.lastT.set(w.streamId, w.endTimeS);
    st.subscriber.next(result);
  }
}

/** Emits the turn's other events after its results; `ended`/`error` drop the stream (a detached end gets its state). */
function emitOthers(st: InferState, others: readonly Exclude<StreamItem, PooledWindow>[]): void {
  const { model } = st;
  for (let event of others) {
    if (st.closed) return;
    if (event.type === 'error' || (event.type === 'stream' && event.state === 'ended')) {
      if (event.type === 'stream' && event.detached) {
        event = { ...event, finalState: model.snapshot(event.streamId), lastT: st.lastT.get(event.streamId) ?? 0 };
      }
      model.drop(event.streamId);
      st.pending.delete(event.streamId);
      st.lagging.delete(event.streamId);
      st.lastT.delete(event.streamId);
    }
    st.subscriber.next(event);
  }
}

/** Runs one turn: one batched `model.step` per round, then the other events. */
async function runTurn(st: InferState, items: readonly StreamItem[]): Promise<void> {
  const { rounds, others } = groupTurn(st, items);
  for (const round of rounds) {
    const batch: StreamFeatures[] = round.map((w) => ({ streamId: w.streamId, features: w.features }));
    const predictions = await st.model.step(batch);
    if (st.closed) return;
    emitResults(st, round, predictions);
  }
  emitOthers(st, others);
}

/** Ends the current turn: chains it behind the turns in flight (a failed step errors the pipeline). */
function flushTurn(st: InferState): void {
  st.immediate = undefined;
  const items = st.turn;
  st.turn = [];
  st.chain = st.chain.then(() => (st.closed ? undefined : runTurn(st, items))).catch((err: unknown) => {
    if (!st.closed) {
      st.closed = true;
      st.subscriber.error(err);
    }
  });
}

/** An item from the source: joins the current turn; a window may raise the stream's `lag` event. */
function acceptItem(st: InferState, item: StreamItem): void {
  if (st.closed) return;
  st.turn.push(item);
  if (item.type === 'window') {
    const count = (st.pending.get(item.streamId) ?? 0) + 1;
    st.pending.set(item.streamId, count);
    if (count > st.maxPendingWindows && !st.lagging.has(item.streamId)) {
      st.lagging.add(item.streamId);
      const lag: LagEvent = { type: 'lag', streamId: item.streamId, pendingWindows: count };
      st.subscriber.next(lag);
    }
  }
  st.immediate ??= setImmediate(() => flushTurn(st));
}

/** Operator running the model on windows of all streams, batched per event-loop turn. */
export function inferBatched(model: EmotionModel, options: InferOptions = {}): Operator<StreamItem, PipelineEvent> {
  const { maxPendingWindows } = { ...DEFAULT_INFER_OPTIONS, ...options };
  const label = modelLabel(model);
  return (source) => new Observable<PipelineEvent>((subscriber) => {
    const st: InferState = {
      model, label, maxPendingWindows, subscriber,
      turn: [], immediate: undefined, chain: Promise.resolve(), closed: false,
      pending: new Map(), lagging: new Set(), lastT: new Map(),
    };
    const subscription = source.subscribe({
      next: (item) => acceptItem(st, item),
      error(err) {
        if (st.closed) return;
        st.closed = true;
        subscriber.error(err);
      },
      complete() {
        if (st.immediate) {
          clearImmediate(st.immediate);
          flushTurn(st);
        }
        st.chain.then(() => {
          if (!st.closed) {
            st.closed = true;
            subscriber.complete();
          }
        });
      },
    });
    return () => {
      st.closed = true;
      if (st.immediate) clearImmediate(st.immediate);
      subscription.unsubscribe();
    };
  });
}
