import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { eventMessage, serializeEvents } from '../../src/pipeline/serialize.ts';
import type { AvResult, PipelineEvent } from '../../src/pipeline/types.ts';

const test = suite('pipeline/serialize (marbles)');
const scheduler = () => new TestScheduler((actual, expected) => assert.equal(actual, expected));

const AV: AvResult = { type: 'av', streamId: 'c1', t: 2.0000000000000004, arousal: 0.25, valence: -0.5, model: 'speech@1', completedAtMs: 0 };
const E: Record<string, PipelineEvent> = {
  s: { type: 'stream', streamId: 'c1', state: 'started', kind: 'ingest' },
  a: AV,
  l: { type: 'lag', streamId: 'c1', pendingWindows: 6 },
  x: { type: 'error', streamId: 'c2', code: 'decode_failed', message: 'bad file', error: new Error('bad file') },
  e: { type: 'stream', streamId: 'c1', state: 'ended', kind: 'ingest' },
};
/** The protocol texts (docs/protocol.md) of the events above. */
const T: Record<string, string> = {
  s: '{"type":"stream","stream":"c1","state":"started","source":"ingest"}',
  a: '{"type":"av","stream":"c1","t":2,"arousal":0.25,"valence":-0.5,"model":"speech@1"}',
  l: '{"type":"lag","stream":"c1","pending_windows":6}',
  x: '{"type":"error","stream":"c2","code":"decode_failed","message":"bad file"}',
  e: '{"type":"stream","stream":"c1","state":"ended","source":"ingest"}',
};

test('one protocol text per event, same frames, completion passes through', () => {
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const input = cold('--s--a--l--x--e--|', E);
    const expected = '  --s--a--l--x--e--|';
    expectObservable(input.pipe(serializeEvents({ latency: false }), map((e) => e.text))).toBe(expected, T);
    expectSubscriptions(input.subscriptions).toBe('^----------------!');
  });
});

test('each output keeps its stream id, type and event (for per-stream fan-out)', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const input = cold('-a-x-|', E);
    expectObservable(input.pipe(serializeEvents({ latency: false }), map((e) => `${e.streamId}:${e.type}:${e.event === E[e.type === 'av' ? 'a' : 'x']}`)))
      .toBe('-p-q-|', { p: 'c1:av:true', q: 'c2:error:true' });
  });
});

test('an upstream error passes through after the texts before it', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const failure = new Error('pipeline down');
    const input = cold('--s--a--#', E, failure);
    expectObservable(input.pipe(serializeEvents({ latency: false }), map((e) => e.text))).toBe('--s--a--#', T, failure);
  });
});

test('early unsubscribe stops serialising and unsubscribes upstream', () => {
  scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
    const input = hot('--s--a--l--e--|', E);
    expectObservable(input.pipe(serializeEvents({ latency: false }), map((e) => e.text)), '^-------!').toBe('--s--a---', T);
    expectSubscriptions(input.subscriptions).toBe('^-------!');
  });
});

test('latency (live default): av results carry latency_ms = now − completedAtMs, rounded to 0.01 ms; other events none', () => {
  const completedAtMs = performance.now() - 5;
  const texts: Array<{ text: string; latencyMs?: number }> = [];
  scheduler().run(({ cold }) => {
    cold<PipelineEvent>('ab|', { a: { ...AV, completedAtMs }, b: E.l }).pipe(serializeEvents()).subscribe((e) => texts.push(e));
  });
  const av = JSON.parse(texts[0].text) as { latency_ms: number };
  assert.ok(texts[0].latencyMs! >= 5, `latencyMs ${texts[0].latencyMs}`);
  assert.is(av.latency_ms, Math.round(texts[0].latencyMs! * 100) / 100);
  assert.is(texts[1].latencyMs, undefined);
  assert.not.match(texts[1].text, /latency/);
});

test('eventMessage rounds t to 1 µs (window ends are binary multiples of 10 ms) and never clamps values', () => {
  const m = eventMessage({ ...AV, t: 1.1 + 2.2 - 0.3, arousal: 1.7, valence: -3 });
  assert.equal(m, { type: 'av', stream: 'c1', t: 3, arousal: 1.7, valence: -3, model: 'speech@1' });
  assert.is(eventMessage(E.a, 4.2345).latency_ms, 4.23);
});

test('protocol 2: confidence / interval (null without uncertainty), content and content_p, latency_ms last', () => {
  const content = { label: 'music' as const, probability: 0.87654, probabilities: { speech: 0.1, music: 0.87654, silence: 0.02346, mixed: 0 } };
  const withC: AvResult = { ...AV, confidence: 0.612345, interval: { level: 0.9, arousal: [0.1234567, 0.3765433], valence: [-0.7, -0.3] }, content };
  assert.is(JSON.stringify(eventMessage(withC, 1.234)),
    '{"type":"av","stream":"c1","t":2,"arousal":0.25,"valence":-0.5,"model":"speech@1","confidence":0.6123,"interval":{"level":0.9,"arousal":[0.1235,0.3765],"valence":[-0.7,-0.3]},"content":"music","content_p":0.877,"latency_ms":1.23}');
  assert.is(JSON.stringify(eventMessage({ ...AV, confidence: null, interval: null })),
    '{"type":"av","stream":"c1","t":2,"arousal":0.25,"valence":-0.5,"model":"speech@1","confidence":null,"interval":null}');
});

test.run();
