import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EMPTY } from 'rxjs';
import { createStreamRegistry } from '../../src/server/stream-registry.ts';
import { createServerMetrics } from '../../src/server/metrics.ts';
import type { SerializedEvent } from '../../src/pipeline/serialize.ts';
import type { PipelineEvent } from '../../src/pipeline/types.ts';
import type { SourceKind, StreamSource } from '../../src/audio/sources/types.ts';
import { EmostreamError } from '../../src/errors.ts';

const test = suite('server/stream-registry');
const source = (streamId: string, kind: SourceKind = 'file'): StreamSource => ({ streamId, kind, chunks: EMPTY });
const serialized = (event: PipelineEvent, latencyMs?: number): SerializedEvent => ({ streamId: event.streamId, type: event.type, event, text: JSON.stringify({ id: event.streamId, type: event.type }), latencyMs });
const started = (id: string) => serialized({ type: 'stream', streamId: id, state: 'started', kind: 'file' });
const ended = (id: string) => serialized({ type: 'stream', streamId: id, state: 'ended', kind: 'file' });
const av = (id: string, t: number) => serialized({ type: 'av', streamId: id, t, arousal: t / 100, valence: -t / 100, model: 'm', completedAtMs: 0 }, 1.5);
const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { return (e as EmostreamError).code; }
  return 'none';
};

test('ids: claim checks the pattern and refuses an id in use; a reservation is claimed by its own kind only', () => {
  const r = createStreamRegistry(createServerMetrics());
  void r.claim(source('a'));
  assert.is(code(() => r.claim(source('a'))), 'EMO_ERR_BAD_CONFIG');
  assert.is(code(() => r.claim(source('no spaces'))), 'EMO_ERR_BAD_CONFIG');
  assert.ok(r.reserve('b', 'ingest'));
  assert.is(r.reserve('b', 'ingest'), undefined, 'reserved ids are taken');
  assert.is(code(() => r.claim(source('b', 'file'))), 'EMO_ERR_BAD_CONFIG');
  void r.claim(source('b', 'ingest'));
  assert.is(code(() => r.claim(source('b', 'ingest'))), 'EMO_ERR_BAD_CONFIG', 'a started stream is never claimed twice');
  assert.equal(r.ids(), ['a', 'b']);
  assert.is(r.freeId('ingest'), 'ingest-1');
});

test('outcomes: ended after its last message was sent, error with code, abandoned reservation, closed at shutdown', async () => {
  const metrics = createServerMetrics();
  const r = createStreamRegistry(metrics);
  const sent: string[] = [];
  r.subscribe({ stream: undefined, send: (t) => sent.push(JSON.parse(t).type) });
  const a = r.claim(source('a'));
  let aDone = false;
  void a.then(() => { aDone = true; assert.equal(sent, ['stream', 'av', 'stream'], 'ended reached the clients first'); });
  r.record(started('a'));
  r.record(av('a', 2));
  assert.equal(r.trail('a'), [{ t: 2, arousal: 0.02, valence: -0.02 }]);
  r.record(ended('a'));
  assert.equal(await a, { streamId: 'a', kind: 'file', state: 'ended' });
  assert.ok(aDone);
  assert.is(r.has('a'), false, 'the id is free again');
  assert.equal(r.trail('a'), []);

  const failure = new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', 'gone');
  const b = r.claim(source('b'));
  r.record(started('b'));
  r.record(serialized({ type: 'error', streamId: 'b', code: 'input_not_found', message: 'gone', error: failure }));
  assert.equal(await b, { streamId: 'b', kind: 'file', state: 'error', code: 'input_not_found', error: failure });

  const c = r.reserve('c', 'ingest')!;
  r.release('c');
  assert.is((await c).state, 'abandoned');
  const d = r.claim(source('d'));
  r.release('d'); // started: not released
  r.closeAll();
  assert.is((await d).state, 'closed');
  assert.equal([metrics.streamsStarted, metrics.streamsActive, metrics.streamErrors, metrics.results], [2, 0, 1, 1]);
});

test('subscriptions: a stream filter gets only its stream; unsubscribing stops delivery; counts follow', () => {
  const r = createStreamRegistry(createServerMetrics());
  const all: string[] = [];
  const onlyX: string[] = [];
  const offAll = r.subscribe({ stream: undefined, send: (t) => all.push(JSON.parse(t).id) });
  const offX = r.subscribe({ stream: 'x', send: (t) => onlyX.push(JSON.parse(t).id) });
  assert.is(r.clientCount, 2);
  r.record(av('x', 2));
  r.record(av('y', 2));
  offX();
  offX();
  assert.is(r.clientCount, 1);
  r.record(av('x', 3));
  offAll();
  r.record(av('x', 4));
  assert.equal(all, ['x', 'y', 'x']);
  assert.equal(onlyX, ['x']);
  assert.is(r.clientCount, 0);
});

test.run();
