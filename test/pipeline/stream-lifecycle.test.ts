import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EMPTY } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { bracketStream, streamErrorCode } from '../../src/pipeline/stream-lifecycle.ts';
import type { LagEvent, PooledWindow, StreamItem } from '../../src/pipeline/types.ts';
import type { StreamSource } from '../../src/audio/sources/types.ts';
import { EmostreamError, type EmostreamErrorCode } from '../../src/errors.ts';

const test = suite('pipeline/stream-lifecycle (marbles)');
const scheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));
const source: StreamSource = { streamId: 'call-7', kind: 'ingest', chunks: EMPTY };
const window = (index: number): PooledWindow => ({ type: 'window', streamId: 'call-7', index, endTimeS: index + 2, features: new Float32Array(0), completedAtMs: 0 });
type Windows = PooledWindow | LagEvent;
const W: Record<string, Windows> = {
  w: window(0),
  v: window(1),
  l: { type: 'lag', streamId: 'call-7', pendingWindows: 7 },
};
const V: Record<string, StreamItem> = {
  S: { type: 'stream', streamId: 'call-7', state: 'started', kind: 'ingest' },
  E: { type: 'stream', streamId: 'call-7', state: 'ended', kind: 'ingest' },
  w: window(0),
  v: window(1),
  l: { type: 'lag', streamId: 'call-7', pendingWindows: 7 },
};

test('completion: started at subscription, the windows (and lag notices) in their frames, ended with the completion', () => {
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const windows = cold<Windows>('--w--l--v--|', W);
    expectObservable(bracketStream(source, windows)).toBe('S-w--l--v--(E|)', V);
    expectSubscriptions(windows.subscriptions).toBe('^----------!');
  });
});

test('a stream with no window still starts and ends', () => {
  scheduler().run(({ cold, expectObservable }) => {
    expectObservable(bracketStream(source, cold<Windows>('---|'))).toBe('S--(E|)', V);
  });
});

test('error: the stream ends with ONE error event (stable code, first line of the message) and completes — it never errors', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const failure = new EmostreamError('EMO_ERR_DECODE', 'x.mp3: cannot decode MP3\n  at frame 12');
    const X: StreamItem = { type: 'error', streamId: 'call-7', code: 'decode_failed', message: 'x.mp3: cannot decode MP3', error: failure };
    expectObservable(bracketStream(source, cold<Windows>('--w--#', W, failure))).toBe('S-w--(X|)', { ...V, X });
  });
});

test('early unsubscribe: no ended event, the windows are unsubscribed at once', () => {
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const windows = cold<Windows>('--w--v--|', W);
    expectObservable(bracketStream(source, windows), '^---!').toBe('S-w--', V);
    expectSubscriptions(windows.subscriptions).toBe('^---!');
  });
});

test('streamErrorCode: every EMO_ERR_* code maps to a protocol code; a source may name its own; anything else is internal', () => {
  const table: Record<EmostreamErrorCode, string> = {
    EMO_ERR_USAGE: 'bad_config', EMO_ERR_INPUT_NOT_FOUND: 'input_not_found', EMO_ERR_DECODE: 'decode_failed', EMO_ERR_EMPTY_AUDIO: 'empty_audio',
    EMO_ERR_BAD_AUDIO: 'bad_audio', EMO_ERR_BAD_CONFIG: 'bad_config', EMO_ERR_MODEL: 'model', EMO_ERR_BAD_FEATURES: 'bad_features',
    EMO_ERR_DEVICE: 'device', EMO_ERR_NETWORK: 'network', EMO_ERR_DATASET: 'internal', EMO_ERR_INTERRUPTED: 'internal', EMO_ERR_OVERLOAD: 'server_full', EMO_ERR_INTERNAL: 'internal',
  };
  for (const [code, protocol] of Object.entries(table)) assert.is(streamErrorCode(new EmostreamError(code as EmostreamErrorCode, 'm')), protocol, code);
  assert.is(streamErrorCode(Object.assign(new EmostreamError('EMO_ERR_NETWORK', 'm'), { protocolCode: 'invalid_frame' })), 'invalid_frame');
  assert.is(streamErrorCode(new TypeError('bug')), 'internal');
  assert.is(streamErrorCode('a string'), 'internal');
  assert.is(streamErrorCode(null), 'internal');
});

test.run();
