import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { statefulStage, type StageHooks } from '../../src/pipeline/stateful-stage.ts';
import { extractWindows, MAX_BACKLOG_CHUNKS } from '../../src/pipeline/extract.ts';
import { streamErrorCode } from '../../src/pipeline/stream-lifecycle.ts';
import type { AudioChunk } from '../../src/audio/sources/types.ts';
import { EmostreamError } from '../../src/errors.ts';

const test = suite('pipeline/stateful-stage');
const scheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));

interface Counter { total: number; readonly id: number }
/** A stage summing its inputs: emits the running total per value and 'F<total>' on completion; counts releases. */
function summing(init: (first: number) => Promise<Counter> | Counter = () => ({ total: 0, id: 1 })) {
  const released: number[] = [];
  const hooks: StageHooks<number, string, Counter> = {
    init,
    next(state, value, emit) {
      if (value < 0) throw new Error(`negative input ${value}`);
      state.total += value;
      emit(String(state.total));
    },
    complete(state, emit) { emit(`F${state.total}`); },
    release(state) { released.push(state.id); },
  };
  return { stage: statefulStage('sum', hooks, 3), released };
}
const N = { a: 1, b: 2, c: 4, n: -1 };

test('synchronous init: each value handled in its frame; completion flushes then completes; state released once', () => {
  const { stage, released } = summing();
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const input = cold('--a--b--c--|', N);
    expectObservable(input.pipe(stage)).toBe('--1--3--7--(F|)', { 1: '1', 3: '3', 7: '7', F: 'F7' });
    expectSubscriptions(input.subscriptions).toBe('^----------!');
  });
  assert.equal(released, [1]);
});

test('upstream error: passed on after the outputs before it; state released once', () => {
  const { stage, released } = summing();
  scheduler().run(({ cold, expectObservable }) => {
    const failure = new Error('socket reset');
    expectObservable(cold('--a--b--#', N, failure).pipe(stage)).toBe('--1--3--#', { 1: '1', 3: '3' }, failure);
  });
  assert.equal(released, [1]);
});

test('a throwing next() errors the stream at that value (later values ignored); state released once', () => {
  const { stage, released } = summing();
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const input = cold('--a--n--b--|', N);
    expectObservable(input.pipe(stage)).toBe('--1--#', { 1: '1' }, new Error('negative input -1'));
    expectSubscriptions(input.subscriptions).toBe('^----!');
  });
  assert.equal(released, [1]);
});

test('early unsubscribe: no flush, upstream unsubscribed, state released once; no input at all: plain completion, no state', () => {
  const { stage, released } = summing();
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const input = cold('--a--b--c--|', N);
    expectObservable(input.pipe(stage), '^---!').toBe('--1--', { 1: '1' });
    expectSubscriptions(input.subscriptions).toBe('^---!');
    expectObservable(cold<number>('----|').pipe(stage)).toBe('----|');
  });
  assert.equal(released, [1]);
});

/** An init whose promise the test resolves. */
function deferredInit() {
  let resolve!: (c: Counter) => void;
  let reject!: (e: unknown) => void;
  const calls: number[] = [];
  const init = (first: number) => {
    calls.push(first);
    return new Promise<Counter>((res, rej) => { resolve = res; reject = rej; });
  };
  return { init, calls, resolve: (c: Counter) => resolve(c), reject: (e: unknown) => reject(e) };
}
function subscribe(input: Subject<number>, stage: ReturnType<typeof summing>['stage']) {
  const run = { out: [] as string[], error: undefined as unknown, completed: false };
  const sub = input.pipe(stage).subscribe({ next: (x) => run.out.push(x), error: (e) => { run.error = e; }, complete: () => { run.completed = true; } });
  return Object.assign(run, { unsubscribe: () => sub.unsubscribe() });
}

test('async init: values arriving meanwhile wait in order; completion before the state exists waits for it, then flushes', async () => {
  const d = deferredInit();
  const { stage, released } = summing(d.init);
  const input = new Subject<number>();
  const run = subscribe(input, stage);
  input.next(1); input.next(2); input.next(4); input.complete();
  assert.equal([run.out, run.completed, d.calls], [[], false, [1]], 'nothing before the state exists; init called once, with the first value');
  d.resolve({ total: 0, id: 9 });
  await Promise.resolve();
  assert.equal(run.out, ['1', '3', '7', 'F7']);
  assert.is(run.completed, true);
  assert.equal(released, [9]);
});

test('async init: unsubscribing while it runs frees the state once it arrives; a failing init errors the stream', async () => {
  const d = deferredInit();
  const { stage, released } = summing(d.init);
  const input = new Subject<number>();
  const run = subscribe(input, stage);
  input.next(1);
  run.unsubscribe();
  d.resolve({ total: 0, id: 5 });
  await Promise.resolve();
  assert.equal([run.out, released], [[], [5]]);

  const failing = deferredInit();
  const second = summing(failing.init);
  const run2 = subscribe(input, second.stage);
  input.next(1);
  failing.reject(new EmostreamError('EMO_ERR_INTERNAL', 'no WASM memory'));
  await Promise.resolve();
  assert.is((run2.error as EmostreamError).message, 'no WASM memory');
  assert.equal(second.released, [], 'no state was created, nothing to free');
});

test('backlog limit: more than maxBacklog values while starting fail the stream (EMO_ERR_OVERLOAD, protocol code server_full)', async () => {
  const d = deferredInit();
  const { stage, released } = summing(d.init);
  const input = new Subject<number>();
  const run = subscribe(input, stage);
  for (let k = 0; k < 3; k++) input.next(1);
  assert.is(run.error, undefined, 'maxBacklog (3) values are held');
  input.next(1);
  assert.instance(run.error, EmostreamError);
  assert.is((run.error as EmostreamError).code, 'EMO_ERR_OVERLOAD');
  assert.is(streamErrorCode(run.error), 'server_full');
  assert.match((run.error as Error).message, /^sum: more than 3 chunks arrived while the stage was starting$/);
  d.resolve({ total: 0, id: 3 });
  await Promise.resolve();
  assert.equal(released, [3], 'the late state is freed');
});

test(`extractWindows: a burst of MAX_BACKLOG_CHUNKS (${MAX_BACKLOG_CHUNKS}) + 1 chunks before its WASM exists fails with server_full`, async () => {
  const chunk = (k: number): AudioChunk => ({ streamId: 's', samples: new Float32Array(16), sampleRateHz: 16000, arrivedAtMs: k });
  const ok = new Subject<AudioChunk>();
  const fine = new Promise<unknown>((resolve) => ok.pipe(extractWindows()).subscribe({ error: resolve, complete: () => resolve('completed') }));
  for (let k = 0; k < MAX_BACKLOG_CHUNKS; k++) ok.next(chunk(k));
  ok.complete();
  assert.is(await fine, 'completed', 'exactly MAX_BACKLOG_CHUNKS are held and then processed');
  const burst = new Subject<AudioChunk>();
  let error: unknown;
  burst.pipe(extractWindows()).subscribe({ error: (e) => { error = e; } });
  for (let k = 0; k <= MAX_BACKLOG_CHUNKS; k++) burst.next(chunk(k));
  assert.is(streamErrorCode(error), 'server_full');
  assert.match((error as Error).message, new RegExp(`^extract: more than ${MAX_BACKLOG_CHUNKS} chunks arrived while the stage was starting$`));
});

test.run();
