import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { classifyContent } from '../../src/pipeline/classify-content.ts';
import { createContentClassifier, CONTENT_MODEL_FORMAT } from '../../src/model/content-classifier.ts';
import type { StreamItem } from '../../src/pipeline/types.ts';

const test = suite('pipeline/classify-content (marbles)');
const scheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));
// One feature: speech when it is positive, music when negative.
const classifier = createContentClassifier({
  format: CONTENT_MODEL_FORMAT, labels: ['speech', 'music'], features: 'test', mean: [0], std: [1],
  layers: [{ inputs: 1, outputs: 2, weights: [10, -10], bias: [0, 0] }], trainingData: '', metrics: {}, created: '',
});
const w = (index: number, x: number): StreamItem => ({ type: 'window', streamId: 'a', index, endTimeS: index + 2, features: Float32Array.of(x), completedAtMs: 0 });
const E: Record<string, StreamItem> = {
  s: { type: 'stream', streamId: 'a', state: 'started', kind: 'file' },
  p: w(0, 1), q: w(1, -1),
  l: { type: 'lag', streamId: 'a', pendingWindows: 6 },
  e: { type: 'stream', streamId: 'a', state: 'ended', kind: 'file' },
};
const summary = (i: StreamItem) => (i.type === 'window' ? `${i.index}:${i.content?.label}` : i.type === 'stream' ? i.state : i.type);

test('each window gets its own content, other items pass unchanged, completion passes through', () => {
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const input = cold('-s-p-q-l-e-|', E);
    expectObservable(input.pipe(classifyContent(classifier), map(summary))).toBe('-a-b-c-d-e-|', { a: 'started', b: '0:speech', c: '1:music', d: 'lag', e: 'ended' });
    expectSubscriptions(input.subscriptions).toBe('^----------!');
  });
});

test('errors pass through; early unsubscribe unsubscribes upstream', () => {
  scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
    const failure = new Error('down');
    expectObservable(cold('-p-#', E, failure).pipe(classifyContent(classifier), map(summary))).toBe('-a-#', { a: '0:speech' }, failure);
    const input = hot('-p-q-|', E);
    expectObservable(input.pipe(classifyContent(classifier), map(summary)), '^--!').toBe('-a--', { a: '0:speech' });
    expectSubscriptions(input.subscriptions).toBe('^--!');
  });
});

test.run();
