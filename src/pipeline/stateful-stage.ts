/**
 * Building block of the per-stream operators whose state needs an async factory (WASM resampler, LLD extractor).
 * Chunks that arrive while the state is being created wait in a bounded backlog (in order); afterwards every chunk is
 * handled synchronously. Completion waits for the state, lets the stage flush, then completes; errors and early
 * unsubscribe release the state exactly once (also when it is still being created). A factory that returns the
 * state itself (not a promise) is adopted at once, so such a stage is fully synchronous (and marble-testable).
 *
 *   in:   --a--b--c--|            (init resolves after b)      --a--b--#
 *   out:  --------A'B'C'-F|       (F: complete() output)         --------#   (state released once either way)
 *
 * More than `maxBacklog` values while the state is created fail the stream with EMO_ERR_OVERLOAD and protocol code
 * `server_full` (the stage cannot start fast enough for its input).
 */
import { Observable, type Subscriber } from 'rxjs';
import { EmostreamError } from '../errors.ts';
import type { Operator } from './types.ts';

/** The hooks of a stateful stage. */
export interface StageHooks<In, Out, State> {
  /** Creates the state from the first value (a promise, or the state itself to start synchronously). */
  init(first: In): Promise<State> | State;
  /** Handles one value; may emit any number of outputs. Throwing errors the stream. */
  next(state: State, value: In, emit: (out: Out) => void): void;
  /** End of input: emit what is still buffered. */
  complete(state: State, emit: (out: Out) => void): void;
  /** Frees the state (called once, after complete, error or unsubscribe). */
  release(state: State): void;
}

function isPromiseLike<T>(value: Promise<T> | T): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** One subscription of a stateful stage. */
interface StageRun<In, Out, State> {
  readonly name: string;
  readonly hooks: StageHooks<In, Out, State>;
  readonly maxBacklog: number;
  readonly subscriber: Subscriber<Out>;
  /** `subscriber.next`, bound once (handed to every hook call). */
  readonly emit: (out: Out) => void;
  state: State | undefined;
  /** Defined while init runs. */
  backlog: In[] | undefined;
  sourceDone: boolean;
  closed: boolean;
}

/** Releases the state, if any, exactly once. */
function releaseState<In, Out, State>(run: StageRun<In, Out, State>): void {
  if (run.state !== undefined) {
    const s = run.state;
    run.state = undefined;
    run.hooks.release(s);
  }
}

/** Errors the stream (once) and releases the state. */
function failStage<In, Out, State>(run: StageRun<In, Out, State>, err: unknown): void {
  if (run.closed) return;
  run.closed = true;
  releaseState(run);
  run.subscriber.error(err);
}

/** Lets the stage flush, then releases the state and completes (a throwing flush errors the stream instead). */
function finishStage<In, Out, State>(run: StageRun<In, Out, State>): void {
  if (run.closed || run.state === undefined) return;
  try {
    run.hooks.complete(run.state, run.emit);
  } catch (err) {
    failStage(run, err);
    return;
  }
  run.closed = true;
  releaseState(run);
  run.subscriber.complete();
}

/** Handles one value with the state; a throwing hook errors the stream. */
function handleValue<In, Out, State>(run: StageRun<In, Out, State>, value: In): void {
  try {
    run.hooks.next(run.state as State, value, run.emit);
  } catch (err) {
    failStage(run, err);
  }
}

/** Takes the created state: handles the backlog in order, then finishes if the source already completed. */
function adoptState<In, Out, State>(run: StageRun<In, Out, State>, created: State): void {
  if (run.closed) {
    run.hooks.release(created);
    return;
  }
  run.state = created;
  const waiting = run.backlog ?? [];
  run.backlog = undefined;
  for (const v of waiting) {
    if (run.closed) return;
    handleValue(run, v);
  }
  if (run.sourceDone) finishStage(run);
}

/** The first value: starts creating the state (adopted at once when the factory returns it synchronously). */
function startState<In, Out, State>(run: StageRun<In, Out, State>, first: In): void {
  run.backlog = [first];
  let created: Promise<State> | State;
  try {
    created = run.hooks.init(first);
  } catch (err) {
    failStage(run, err);
    return;
  }
  if (isPromiseLike(created)) created.then((c) => adoptState(run, c), (err: unknown) => failStage(run, err));
  else adoptState(run, created);
}

/** A value from the source: handled, held in the bounded backlog while the state is created, or starts it. */
function acceptValue<In, Out, State>(run: StageRun<In, Out, State>, value: In): void {
  if (run.closed) return;
  if (run.state !== undefined) {
    handleValue(run, value);
    return;
  }
  const { backlog, maxBacklog } = run;
  if (backlog) {
    if (backlog.length >= maxBacklog) {
      const message = `${run.name}: more than ${maxBacklog} chunks arrived while the stage was starting`;
      failStage(run, Object.assign(new EmostreamError('EMO_ERR_OVERLOAD', message), { protocolCode: 'server_full' }));
      return;
    }
    backlog.push(value);
    return;
  }
  startState(run, value);
}

/** The source completed: finish now, later (once the state exists) or at once when no value ever arrived. */
function completeSource<In, Out, State>(run: StageRun<In, Out, State>): void {
  run.sourceDone = true;
  if (run.closed) return;
  if (run.state !== undefined) {
    finishStage(run);
  } else if (!run.backlog) {
    run.closed = true; // no value ever arrived: nothing to flush
    run.subscriber.complete();
  }
}

/** Turns stage hooks into an operator; `maxBacklog` bounds the values held while the state is created. */
export function statefulStage<In, Out, State>(name: string, hooks: StageHooks<In, Out, State>, maxBacklog: number): Operator<In, Out> {
  return (source) => new Observable<Out>((subscriber) => {
    const run: StageRun<In, Out, State> = {
      name, hooks, maxBacklog, subscriber,
      emit: (out) => subscriber.next(out),
      state: undefined, backlog: undefined, sourceDone: false, closed: false,
    };
    const subscription = source.subscribe({
      next: (value) => acceptValue(run, value),
      error: (err: unknown) => failStage(run, err),
      complete: () => completeSource(run),
    });
    return () => {
      run.closed = true;
      subscription.unsubscribe();
      releaseState(run);
    };
  });
}
