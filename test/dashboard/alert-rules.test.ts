import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAlertRules, parseAlertRulesText } from '../../src/dashboard/alert-rules.ts';
import { tempDir } from '../pipeline/helpers.ts';
import { runCli } from '../server/helpers.ts';

const test = suite('dashboard/alert rules: validated field by field');
const dir = tempDir('rules');
test.after(() => dir.cleanup());

const ok = { id: 'r1', metric: 'arousal', above: 0.5, forS: 10 };
const refused = (doc: unknown): string => {
  try {
    parseAlertRules(doc, 'rules.json');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'EMO_ERR_BAD_CONFIG');
    assert.not.match((err as Error).message, /\n/, 'one line');
    return (err as Error).message;
  }
  return assert.unreachable('should be refused') as never;
};

test('a full rules file: defaults filled in, labels generated, webhook kept', () => {
  const r = parseAlertRules({ webhook: 'http://127.0.0.1:9/hook', rules: [ok, { id: 'r2', metric: 'valence', below: -0.3, forS: 20, scope: 'call', severity: 'critical', label: 'Bad call' }, { id: 'r3', metric: 'arousal', below: -0.5, forS: 5, track: 'agent' }] });
  assert.is(r.webhook, 'http://127.0.0.1:9/hook');
  assert.equal(r.rules.map((x) => [x.id, x.direction, x.threshold, x.forS, x.scope, x.track, x.severity, x.label]), [
    ['r1', 'above', 0.5, 10, 'track', 'any', 'warning', 'arousal > 0.5 for 10 s'],
    ['r2', 'below', -0.3, 20, 'call', 'any', 'critical', 'Bad call'],
    ['r3', 'below', -0.5, 5, 'track', 'agent', 'warning', 'arousal < -0.5 for 5 s (agent)'],
  ]);
});

test('each mistake is refused with the field named', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[], /^rules\.json: must be a JSON object/],
    [{ rule: [] }, /^rules\.json: rule: unknown field/],
    [{ rules: {} }, /^rules\.json: rules: must be an array/],
    [{ rules: [5] }, /rules\[0\]: must be an object/],
    [{ rules: [{ ...ok, abvoe: 1 }] }, /rules\[0\]\.abvoe: unknown field/],
    [{ rules: [{ ...ok, id: 'a b' }] }, /rules\[0\]\.id: must be 1–64 characters/],
    [{ rules: [{ ...ok, metric: 'loudness' }] }, /rules\[0\]\.metric: must be "arousal" or "valence", got "loudness"/],
    [{ rules: [{ id: 'x', metric: 'arousal', forS: 3 }] }, /rules\[0\]\.above: give exactly one of "above" and "below"/],
    [{ rules: [{ ...ok, below: 0 }] }, /rules\[0\]\.above: give exactly one/],
    [{ rules: [{ ...ok, above: 1.5 }] }, /rules\[0\]\.above: must be a number in \[-1, 1\], got 1\.5/],
    [{ rules: [{ ...ok, above: '0.5' }] }, /rules\[0\]\.above: must be a number/],
    [{ rules: [ok, { ...ok, id: 'r2', forS: 2.5 }] }, /rules\[1\]\.forS: must be a whole number of seconds in 1\.\.3600, got 2\.5/],
    [{ rules: [{ ...ok, forS: 0 }] }, /rules\[0\]\.forS/],
    [{ rules: [{ ...ok, scope: 'tracks' }] }, /rules\[0\]\.scope: scope must be "track" or "call"/],
    [{ rules: [{ ...ok, track: 'customer' }] }, /rules\[0\]\.track: track must be "caller" or "agent" or "any"/],
    [{ rules: [{ ...ok, scope: 'call', track: 'caller' }] }, /rules\[0\]\.track: a rule with scope "call" watches all tracks/],
    [{ rules: [{ ...ok, severity: 'fatal' }] }, /rules\[0\]\.severity/],
    [{ rules: [{ ...ok, label: '' }] }, /rules\[0\]\.label: must be a text of 1–80 characters/],
    [{ rules: [ok, ok] }, /rules\[1\]\.id: "r1" is used by an earlier rule/],
    [{ rules: [ok], webhook: 'ftp://x' }, /webhook: must be an http:\/\/ or https:\/\/ URL/],
    [{ rules: Array.from({ length: 101 }, (_, k) => ({ ...ok, id: `r${k}` })) }, /rules: at most 100 rules/],
  ];
  for (const [doc, expected] of cases) assert.match(refused(doc), expected);
  try {
    parseAlertRulesText('{"rules": [', 'x.json');
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /^x\.json: not valid JSON/);
  }
});

test('emostream dashboard with a bad rules file: one line naming the file and field, exit 2 (before NATS is contacted)', async () => {
  const path = join(dir.path, 'rules.json');
  writeFileSync(path, JSON.stringify({ rules: [{ ...ok, forS: 'ten' }] }));
  const r = await runCli(['dashboard', '--nats', 'nats://127.0.0.1:1', '--rules', path]);
  assert.is(r.code, 2);
  assert.is(r.stderr.trim(), `emostream: ${path}: rules[0].forS: must be a whole number of seconds in 1..3600, got "ten"`);
  const missing = await runCli(['dashboard', '--nats', 'nats://127.0.0.1:1', '--rules', join(dir.path, 'none.json')]);
  assert.is(missing.code, 3);
  const noNats = await runCli(['dashboard']);
  assert.is(noNats.code, 2);
  assert.match(noNats.stderr, /--nats <url> is required/);
});

test.run();
