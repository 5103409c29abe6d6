import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Subject } from 'rxjs';
import { inferBatched } from '../../src/pipeline/infer.ts';
import type { PipelineEvent, PooledWindow, StreamItem } from '../../src/pipeline/types.ts';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel, StreamFeatures } from '../../src/model/types.ts';
import { createSeededRandom } from '../../src/model/test-model.ts';
import { tempDir, writeTestModel } from './helpers.ts';

const test = suite('pipeline/infer');
const dir = tempDir('infer');
let model: EmotionModel;
/** The real model, recording the batch of every step call. */
let counted: EmotionModel;
const calls: string[][] = [];

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 3));
  counted = Object.create(model, { step: { value: (batch: readonly StreamFeatures[]) => { calls.push(batch.map((b) => b.streamId)); return model.step(batch); } } });
});
test.after(async () => { await model.release(); dir.cleanup(); });

const random = createSeededRandom(4);
const features = () => Float32Array.from({ length: 260 }, () => random() * 2 - 1);
const win = (streamId: string, index: number): PooledWindow => ({ type: 'window', streamId, index, endTimeS: index + 2, features: features(), completedAtMs: 0 });
const started = (streamId: string): StreamItem => ({ type: 'stream', streamId, state: 'started', kind: 'ingest' });
const ended = (streamId: string): StreamItem => ({ type: 'stream', streamId, state: 'ended', kind: 'ingest' });

function collect(input: Subject<StreamItem>, maxPendingWindows = 5): { out: PipelineEvent[]; done: Promise<void> } {
  const out: PipelineEvent[] = [];
  const done = new Promise<void>((resolve, reject) => input.pipe(inferBatched(counted, { maxPendingWindows })).subscribe({ next: (e) => out.push(e), complete: resolve, error: reject }));
  return { out, done };
}

test('windows of all streams in one event-loop turn → ONE model.step; two of one stream → two rounds, in order', async () => {
  calls.length = 0;
  const input = new Subject<StreamItem>();
  const { out, done } = collect(input);
  input.next(started('a')); input.next(started('b')); input.next(started('c'));
  const wa0 = win('a', 0);
  input.next(wa0); input.next(win('b', 0)); input.next(win('c', 0));
  await new Promise((r) => setImmediate(r)); // the turn above is flushed (its setImmediate came first)
  input.next(win('a', 1)); input.next(win('a', 2)); input.next(win('b', 1));
  input.next(ended('a')); input.next(ended('b')); input.next(ended('c'));
  input.complete();
  await done;
  assert.equal(calls, [['a', 'b', 'c'], ['a', 'b'], ['a']]);
  const seq = out.map((e) => `${e.type}:${e.streamId}${e.type === 'av' ? '@' + e.t : ''}`);
  assert.equal(seq, ['stream:a', 'stream:b', 'stream:c', 'av:a@2', 'av:b@2', 'av:c@2', 'av:a@3', 'av:b@3', 'av:a@4', 'stream:a', 'stream:b', 'stream:c']);
  assert.is(model.has('a') || model.has('b') || model.has('c'), false, 'ended streams dropped');
  // The batched value equals an unbatched step from zero state.
  const single = await model.step([{ streamId: 'solo', features: wa0.features }]);
  model.drop('solo');
  const first = out.find((e) => e.type === 'av' && e.streamId === 'a');
  assert.ok(first && first.type === 'av');
  assert.is(first.arousal, single[0].arousal);
  assert.is(first.valence, single[0].valence);
});

test('more pending windows than maxPendingWindows raise one lag event (nothing is skipped)', async () => {
  const input = new Subject<StreamItem>();
  const { out, done } = collect(input, 2);
  input.next(started('slow'));
  for (let k = 0; k < 5; k++) input.next(win('slow', k));
  input.next(ended('slow'));
  input.complete();
  await done;
  const lags = out.filter((e) => e.type === 'lag');
  assert.is(lags.length, 1);
  assert.ok(lags[0].type === 'lag' && lags[0].pendingWindows === 3);
  assert.equal(out.filter((e) => e.type === 'av').map((e) => e.type === 'av' && e.t), [2, 3, 4, 5, 6]);
});

test('a model failure errors the pipeline; unsubscribe drops pending work', async () => {
  const input = new Subject<StreamItem>();
  const { done } = collect(input);
  input.next({ ...win('bad', 0), features: new Float32Array(10) });
  await done.then(() => assert.unreachable('should fail'), (err: { code: string }) => assert.is(err.code, 'EMO_ERR_BAD_FEATURES'));
  const again = new Subject<StreamItem>();
  const seen: PipelineEvent[] = [];
  calls.length = 0;
  const sub = again.pipe(inferBatched(counted)).subscribe((e) => seen.push(e));
  again.next(win('x', 0));
  sub.unsubscribe();
  // The turn would have been flushed (and its model.step called) by the next two setImmediate turns.
  for (let k = 0; k < 2; k++) await new Promise((r) => setImmediate(r));
  assert.equal(calls, [], 'no model step after unsubscribe');
  assert.is(seen.length, 0);
  assert.is(again.observed, false);
});

test.run();
