import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EMPTY } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { handoffChunks, handoffWindows } from '../../src/pipeline/handoff-windows.ts';
import { bracketStream } from '../../src/pipeline/stream-lifecycle.ts';
import type { ExtractorStateItem, HandoffSource, LagEvent, PooledWindow, StreamItem, StreamResume } from '../../src/pipeline/types.ts';

const test = suite('pipeline/handoff-windows (marbles)');
const scheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));
const window = (index: number): PooledWindow => ({ type: 'window', streamId: 'c', index, endTimeS: index + 2, features: new Float32Array(0), completedAtMs: 0 });
const resume: StreamResume = { state: { layout: 'x', values: new Float32Array(1) }, stateT: 6, offsetS: 4, skipThroughT: 6 };
const lag: LagEvent = { type: 'lag', streamId: 'c', pendingWindows: 6 };

test('resume: windows shifted by offsetS, those ending at or before skipThroughT dropped, lag notices kept', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const source: HandoffSource = { streamId: 'c', kind: 'twilio', chunks: EMPTY, resume };
    const input = cold<PooledWindow | LagEvent>('-a-l-b-c-|', { a: window(0), b: window(1), c: window(2), l: lag });
    expectObservable(input.pipe(handoffWindows(source))).toBe('---l-b-c-|', { l: lag, b: window(5), c: window(6) });
  });
});

test('no resume: windows pass untouched', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const source: HandoffSource = { streamId: 'c', kind: 'twilio', chunks: EMPTY };
    const input = cold<PooledWindow>('-a-b-|', { a: window(0), b: window(1) });
    expectObservable(input.pipe(handoffWindows(source))).toBe('-a-b-|', { a: window(0), b: window(1) });
  });
});

test('handoffChunks: the chunks complete when detach emits and detached() then says so; without detach they pass untouched', () => {
  const chunk = { streamId: 'c', samples: new Float32Array(1), sampleRateHz: 8000, arrivedAtMs: 0 };
  let cut: ReturnType<typeof handoffChunks> | undefined;
  let plain: ReturnType<typeof handoffChunks> | undefined;
  scheduler().run(({ cold, hot, expectObservable }) => {
    cut = handoffChunks({ streamId: 'c', kind: 'fork', chunks: cold('-a-a-a-a-|', { a: chunk }), detach: hot<void>('----x') });
    expectObservable(cut.chunks).toBe('-a-a|', { a: chunk });
    plain = handoffChunks({ streamId: 'c', kind: 'fork', chunks: cold('-a-|', { a: chunk }), detach: hot<void>('------') });
    expectObservable(plain.chunks).toBe('-a-|', { a: chunk });
  });
  assert.ok(cut!.detached(), 'detached');
  assert.not.ok(plain!.detached(), 'not detached');
});

test('detach: the extractor state the stage emits last goes into the ended event (detached), never downstream; started carries resume', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const state = Uint8Array.of(1, 2, 3);
    const source: HandoffSource = { streamId: 'c', kind: 'fork', chunks: EMPTY, resume };
    const windows = cold<PooledWindow | ExtractorStateItem>('--a--b-(x|)', { a: window(0), b: window(1), x: { type: 'extractor-state', streamId: 'c', state } });
    const S: StreamItem = { type: 'stream', streamId: 'c', state: 'started', kind: 'fork', resume };
    const E: StreamItem = { type: 'stream', streamId: 'c', state: 'ended', kind: 'fork', detached: true, extractorState: state };
    expectObservable(bracketStream(source, windows)).toBe('S-a--b-(E|)', { S, E, a: window(0), b: window(1) });
  });
});

test('a detach signal that never fires: the stream ends normally, not detached', () => {
  scheduler().run(({ cold, hot, expectObservable }) => {
    const source: HandoffSource = { streamId: 'c', kind: 'fork', chunks: EMPTY, detach: hot<void>('---------') };
    const windows = cold<PooledWindow>('--a--|', { a: window(0) });
    const S: StreamItem = { type: 'stream', streamId: 'c', state: 'started', kind: 'fork' };
    const E: StreamItem = { type: 'stream', streamId: 'c', state: 'ended', kind: 'fork' };
    expectObservable(bracketStream(source, windows)).toBe('S-a--(E|)', { S, E, a: window(0) });
  });
});

test.run();
