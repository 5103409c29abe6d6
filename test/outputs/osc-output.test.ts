import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createOscOutput, type OscOutput } from '../../src/outputs/osc-output.ts';
import { oscAddress, scaleValue } from '../../src/outputs/osc-messages.ts';
import { parseOscTarget, resolveOscTarget } from '../../src/outputs/osc-target.ts';
import type { AvResult, PipelineEvent } from '../../src/pipeline/types.ts';
import { startOscReceiver, type OscReceiver } from './osc-wire.ts';

const test = suite('outputs/osc-output (real UDP, decoded by an independent OSC reader)');

const av = (stream: string, t: number, arousal: number, valence: number, extra: Partial<AvResult> = {}): AvResult => ({
  type: 'av', streamId: stream, t, arousal, valence, model: 'speech@1', completedAtMs: 0, confidence: null, interval: null, ...extra,
});
const speech = { label: 'speech' as const, probability: 0.9, probabilities: { speech: 0.9, music: 0.05, silence: 0.05, mixed: 0 } };
const f32 = (x: number) => Math.fround(x);
let receiver: OscReceiver;
let output: OscOutput | undefined;
test.before.each(async () => { receiver = await startOscReceiver(); });
test.after.each(async () => { await output?.close(); output = undefined; await receiver.close(); });

const target = () => ({ spec: `127.0.0.1:${receiver.port}`, address: '127.0.0.1', family: 4 as const, port: receiver.port });

test('once per result (rate 0): /content s, then /arousal, /valence, /confidence as float32 (type tag f)', async () => {
  output = createOscOutput({ targets: [target()], rateHz: 0 });
  output.handle(av('mic', 2, 0.5, -0.25, { confidence: 0.75, content: speech }));
  const got = await receiver.waitFor(4);
  assert.equal(got.map((m) => [m.address, m.types, m.args]), [
    ['/emostream/mic/content', 's', ['speech']],
    ['/emostream/mic/arousal', 'f', [0.5]],
    ['/emostream/mic/valence', 'f', [-0.25]],
    ['/emostream/mic/confidence', 'f', [0.75]],
  ]);
  assert.is(output.packetsSent, 4);
});

test('a whole-number value is still a float (f), and no /confidence while the model gives none', async () => {
  output = createOscOutput({ targets: [target()], rateHz: 0 });
  output.handle(av('mic', 2, 0, 1));
  const got = await receiver.waitFor(2);
  assert.equal(got.map((m) => `${m.address} ${m.types} ${m.args}`), ['/emostream/mic/arousal f 0', '/emostream/mic/valence f 1']);
});

test('flat addresses and 0–1 range: /emostream_<stream>_<field>, (x + 1) / 2 clamped', async () => {
  output = createOscOutput({ targets: [target()], rateHz: 0, addresses: 'flat', range: 'unit' });
  output.handle(av('call-17.a', 2, 0.5, -1.4));
  const got = await receiver.waitFor(2);
  assert.equal(got.map((m) => [m.address, m.args[0]]), [['/emostream_call_17_a_arousal', 0.75], ['/emostream_call_17_a_valence', 0]]);
});

test('at frame rate the values ramp from the previous result to the new one over 1 s; an ended stream stops', async () => {
  let now = 0;
  let tick: (() => void) | undefined;
  output = createOscOutput({ targets: [target()], rateHz: 30, now: () => now, scheduler: (fn, ms) => { tick = fn; assert.ok(Math.abs(ms - 1000 / 30) < 1e-9); return () => { tick = undefined; }; } });
  output.handle(av('s', 2, 0.2, -0.2));
  tick!();                                    // t = 0: the first result as it is
  now = 1000; output.handle(av('s', 3, 0.6, 0.2));
  now = 1500; tick!();                        // half-way
  now = 2000; tick!();                        // arrived
  now = 2600; tick!();                        // stays
  const got = await receiver.waitFor(8);
  const arousal = got.filter((m) => m.address.endsWith('/arousal')).map((m) => m.args[0]);
  const valence = got.filter((m) => m.address.endsWith('/valence')).map((m) => m.args[0]);
  assert.equal(arousal, [0.2, 0.4, 0.6, 0.6].map(f32));
  assert.equal(valence, [-0.2, 0, 0.2, 0.2].map(f32));
  const ended: PipelineEvent = { type: 'stream', streamId: 's', state: 'ended', kind: 'file' };
  output.handle(ended);
  const before = output.packetsSent;
  tick!();
  assert.is(output.packetsSent, before, 'nothing is sent for an ended stream');
  await output.close();
  assert.is(tick, undefined, 'close() stops the clock');
});

test('every target gets every message', async () => {
  const second = await startOscReceiver();
  try {
    output = createOscOutput({ targets: [target(), { spec: '', address: '127.0.0.1', family: 4, port: second.port }], rateHz: 0 });
    output.handle(av('x', 2, 0.1, 0.1));
    await receiver.waitFor(2);
    await second.waitFor(2);
    assert.is(output.packetsSent, 4);
  } finally {
    await second.close();
  }
});

test('targets: HOST:PORT, [v6]:PORT and names are accepted; anything else is a clear usage error', async () => {
  assert.equal(parseOscTarget('127.0.0.1:9000'), { host: '127.0.0.1', port: 9000 });
  assert.equal(parseOscTarget('[::1]:7000'), { host: '::1', port: 7000 });
  assert.equal(parseOscTarget('localhost:1'), { host: 'localhost', port: 1 });
  for (const bad of ['9000', '127.0.0.1', '127.0.0.1:0', 'host:65536', ':9000', '[zz]:9000', 'a b:1']) {
    try {
      parseOscTarget(bad);
      assert.unreachable(bad);
    } catch (err) {
      assert.is((err as { code: string }).code, 'EMO_ERR_USAGE', bad);
      assert.match((err as Error).message, /HOST:PORT|IPv6/);
    }
  }
  assert.equal(await resolveOscTarget('127.0.0.1:9'), { spec: '127.0.0.1:9', address: '127.0.0.1', family: 4, port: 9 });
  try {
    await resolveOscTarget('no-such-host.invalid:9000');
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, 'EMO_ERR_USAGE');
    assert.match((err as Error).message, /cannot resolve host 'no-such-host.invalid'/);
  }
});

test('a bad rate is refused', () => {
  assert.throws(() => createOscOutput({ targets: [target()], rateHz: 1000 }), /0–240 Hz/);
  assert.throws(() => createOscOutput({ targets: [], rateHz: 30 }), /at least one target/);
});

test('addresses and scaling as pure functions', () => {
  assert.is(oscAddress('mic', 'arousal'), '/emostream/mic/arousal');
  assert.is(oscAddress('mic-2', 'content', 'flat'), '/emostream_mic_2_content');
  assert.is(scaleValue(-1.3, 'raw'), -1.3);
  assert.is(scaleValue(-1.3, 'unit'), 0);
  assert.is(scaleValue(0.5, 'unit'), 0.75);
});

test.run();
