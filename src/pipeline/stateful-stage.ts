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
 * More than `maxBacklog` values while the state is created fail the stream with EMO_ERR_INTERNAL and protocol code
 * `server_full` (the stage cannot start fast enough for its input).
 */
import { Observable } from 'rxjs';
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

/** Turns stage hooks into an operator; `maxBacklog` bounds the values held while the state is created. */
export function statefulStage<In, Out, State>(name: string, hooks: StageHooks<In, Out, State>, maxBacklog: number): Operator<In, Out> {
  return (source) => new Observable<Out>((subscriber) => {
    let state: State | undefined;
    let backlog: In[] | undefined; // defined while init runs
    let sourceDone = false;
    let closed = false;
    const emit = (out: Out): void => subscriber.next(out);

    const release = (): void => {
      if (state !== undefined) {
        const s = state;
        state = undefined;
        hooks.release(s);
      }
    };
    const fail = (err: unknown): void => {
      if (closed) return;
      closed = true;
      release();
      subscriber.error(err);
    };
    const finish = (): void => {
      if (closed || state === undefined) return;
      try {
        hooks.complete(state, emit);
      } catch (err) {
        fail(err);
        return;
      }
      closed = true;
      release();
      subscriber.complete();
    };
    const adopt = (created: State): void => {
      if (closed) {
        hooks.release(created);
        return;
      }
      state = created;
      const waiting = backlog ?? [];
      backlog = undefined;
      for (const v of waiting) {
        if (closed) return;
        handle(v);
      }
      if (sourceDone) finish();
    };
    const handle = (value: In): void => {
      try {
        hooks.next(state as State, value, emit);
      } catch (err) {
        fail(err);
      }
    };

    const subscription = source.subscribe({
      next(value) {
        if (closed) return;
        if (state !== undefined) {
          handle(value);
          return;
        }
        if (backlog) {
          if (backlog.length >= maxBacklog) {
            const message = `${name}: more than ${maxBacklog} chunks arrived while the stage was starting`;
            fail(Object.assign(new EmostreamError('EMO_ERR_OVERLOAD', message), { protocolCode: 'server_full' }));
            return;
          }
          backlog.push(value);
          return;
        }
        backlog = [value];
        let created: Promise<State> | State;
        try {
          created = hooks.init(value);
        } catch (err) {
          fail(err);
          return;
        }
        if (isPromiseLike(created)) created.then(adopt, fail);
        else adopt(created);
      },
      error: fail,
      complete() {
        sourceDone = true;
        if (closed) return;
        if (state !== undefined) {
          finish();
        } else if (!backlog) {
          closed = true; // no value ever arrived: nothing to flush
          subscriber.complete();
        }
      },
    });
    return () => {
      closed = true;
      subscription.unsubscribe();
      release();
    };
  });
}
