import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAlertEngine, type AlertEvent } from '../../src/dashboard/alert-engine.ts';
import { parseAlertRules } from '../../src/dashboard/alert-rules.ts';
import { callOf } from '../../src/dashboard/call-grouping.ts';

const test = suite('dashboard/alert engine: consecutive seconds per track or per call');
const rules = (...list: object[]) => parseAlertRules({ rules: list }).rules;
const brief = (events: AlertEvent[]) => events.map((e) => `${e.state} ${e.rule} ${e.stream ?? e.call} since ${e.sinceT} t ${e.t}${e.reason ? ' ' + e.reason : ''}`);

test('call grouping from the platforms\' stream ids', () => {
  assert.equal(callOf('CA12.inbound'), { call: 'CA12', role: 'caller', channel: 'inbound' });
  assert.equal(callOf('CA12.outbound').role, 'agent');
  assert.equal(callOf('9f00.external').role, 'caller');
  assert.equal(callOf('9f00.internal').role, 'agent');
  assert.equal(callOf('fork-1.callee'), { call: 'fork-1', role: 'agent', channel: 'callee' });
  assert.equal(callOf('fork-1.mixed').role, 'mixed');
  assert.equal(callOf('2b6c-uuid'), { call: '2b6c-uuid', role: 'caller', channel: '' });
  assert.equal(callOf('team.a.desk'), { call: 'team.a.desk', role: 'caller', channel: '' });
});

test('raised after forS seconds above, cleared at the first second below (the module\'s example)', () => {
  const e = createAlertEngine(rules({ id: 'hi', metric: 'arousal', above: 0.5, forS: 3 }));
  const seq = [0.6, 0.7, 0.4, 0.6, 0.6, 0.7, 0.2];
  const events = seq.flatMap((a, k) => e.onResult('c.inbound', 10 + k, a, 0));
  assert.equal(brief(events), ['raised hi c.inbound since 13 t 15', 'cleared hi c.inbound since 13 t 16']);
  assert.equal(e.active(), []);
});

test('a missing second restarts the run; exactly the threshold does not hold', () => {
  const e = createAlertEngine(rules({ id: 'lo', metric: 'valence', below: -0.3, forS: 2 }));
  assert.equal(e.onResult('s', 2, 0, -0.5), []);
  assert.equal(e.onResult('s', 4, 0, -0.5), [], 'second 3 missing: the run starts again at 4');
  assert.equal(brief(e.onResult('s', 5, 0, -0.5)), ['raised lo s since 4 t 5']);
  const f = createAlertEngine(rules({ id: 'lo', metric: 'valence', below: -0.3, forS: 1 }));
  assert.equal(f.onResult('s', 2, 0, -0.3), []);
});

test('track filter: a caller rule ignores agents; a mixed track counts for both', () => {
  const e = createAlertEngine(rules({ id: 'c', metric: 'arousal', above: 0, forS: 1, track: 'caller' }, { id: 'g', metric: 'arousal', above: 0, forS: 1, track: 'agent' }));
  assert.equal(brief(e.onResult('x.outbound', 2, 0.9, 0)), ['raised g x.outbound since 2 t 2']);
  assert.equal(brief(e.onResult('x.inbound', 2, 0.9, 0)), ['raised c x.inbound since 2 t 2']);
  assert.equal(brief(e.onResult('y.mixed', 2, 0.9, 0)).length, 2);
});

test('call scope: the mean of the tracks per second, once both reported (or one is 3 s ahead); the call\'s end clears it', () => {
  const e = createAlertEngine(rules({ id: 'neg', metric: 'valence', below: -0.3, forS: 2, scope: 'call' }));
  assert.equal(e.onResult('k.inbound', 2, 0, -0.8), [], 'waits for the agent');
  assert.equal(e.onResult('k.outbound', 2, 0, 0.1), [], 'mean −0.35 holds (1 of 2 s)');
  assert.equal(e.onResult('k.inbound', 3, 0, -0.2), []);
  assert.equal(brief(e.onResult('k.outbound', 3, 0, -0.5)), ['raised neg k since 2 t 3'], 'mean −0.35 again');
  for (const t of [4, 5, 6]) assert.equal(e.onResult('k.inbound', t, 0, -0.9), [], `t ${t}: the agent is late`);
  assert.equal(e.onResult('k.inbound', 7, 0, -0.9), [], 'the agent is 3 s behind: second 4 is evaluated without it');
  assert.is(e.active().length, 1);
  assert.equal(brief(e.onStreamEnded('k.inbound')), [], 'one track left: the call goes on');
  assert.equal(brief(e.onStreamEnded('k.outbound')), ['cleared neg k since 2 t 7 ended']);
});

test('a stream that ends clears its open alerts', () => {
  const e = createAlertEngine(rules({ id: 'hi', metric: 'arousal', above: 0.5, forS: 1 }));
  e.onResult('z', 2, 0.9, 0);
  assert.equal(brief(e.onStreamEnded('z')), ['cleared hi z since 2 t 2 ended']);
  assert.equal(e.active(), []);
});

test.run();
