import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EMPTY } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { handoffWindows } from '../../src/pipeline/handoff-windows.ts';
import { bracketStream } from '../../src/pipeline/stream-lifecycle.ts';
import type { HandoffSource, LagEvent, PooledWindow, StreamItem, StreamResume } from '../../src/pipeline/types.ts';

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

test('detach: the windows stop at once (unsubscribed, no flush) and the stream ends marked detached; started carries resume', () => {
  scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
    const detach = hot<void>('-----x');
    const source: HandoffSource = { streamId: 'c', kind: 'fork', chunks: EMPTY, resume, detach };
    const windows = cold<PooledWindow>('--a--b--|', { a: window(0), b: window(1) });
    const S: StreamItem = { type: 'stream', streamId: 'c', state: 'started', kind: 'fork', resume };
    const E: StreamItem = { type: 'stream', streamId: 'c', state: 'ended', kind: 'fork', detached: true };
    expectObservable(bracketStream(source, windows)).toBe('S-a--(E|)', { S, E, a: window(0) });
    expectSubscriptions(windows.subscriptions).toBe('^----!');
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
