import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { RESULTS_STREAM } from '../../src/cluster/names.ts';
import { tempDir, testUnless, writeTestModel } from '../pipeline/helpers.ts';
import { testAudio8k, TwilioClient } from '../server/telephony/clients.ts';
import { natsSkipReason, startNatsServer, type NatsServer } from '../cluster/nats-server.ts';
import { startServe, stopAll, type ServeProcess } from '../cluster/serve-process.ts';

const test = suite('dashboard/`emostream dashboard` process on a real nats-server fed by a real `serve --nats` process (Twilio call)');
const withNats = testUnless(test, natsSkipReason());
const dir = tempDir('dashboard-serve');
const ROOT = new URL('../..', import.meta.url).pathname;
/** Audio of the call, s (sent in real time, 20 ms media messages as Twilio does). */
const SECONDS = 10;
const RULE = { id: 'caller-up', metric: 'arousal', above: -0.2, forS: 3, track: 'caller', severity: 'critical' } as const;

let nats: NatsServer;
let serve: ServeProcess;
let dashboard: ChildProcess;
let dashboardUrl: string;
type Update = Record<string, unknown> & { type: string };
const updates: Array<{ at: number; msg: Update }> = [];

withNats('setup: nats-server, `serve --ingest --nats`, `emostream dashboard --rules`, a page socket on /updates', async () => {
  nats = await startNatsServer();
  const modelPath = await writeTestModel(dir.path, 23);
  serve = await startServe('A', ['--ingest', '--port', '0', '--nats', nats.url, '--instance', 'inst-A', '--model', modelPath, '--allow-test-model', '--workers', '1']);
  const rules = join(dir.path, 'rules.json');
  writeFileSync(rules, JSON.stringify({ rules: [RULE] }));
  dashboard = spawn(process.execPath, ['--no-concurrent-recompilation', 'bin/emostream.js', 'dashboard', '--nats', nats.url, '--rules', rules, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  dashboardUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    dashboard.stderr!.on('data', (d) => {
      err += d;
      const m = /dashboard on (http:\/\/\S+?)\/ \(1 alert rule/.exec(err);
      if (m) resolve(m[1]);
    });
    dashboard.once('exit', (code) => reject(new Error(`dashboard exited (${code}): ${err}`)));
  });
  const page = await (await fetch(`${dashboardUrl}/`)).text();
  assert.match(page, /<title>emostream · supervisor<\/title>/);
  const ws = new WebSocket(`${dashboardUrl.replace('http', 'ws')}/updates`);
  ws.on('message', (data) => updates.push({ at: Date.now(), msg: JSON.parse(data.toString()) }));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  dashboard.once('exit', () => ws.terminate());
});

withNats('a Twilio call in real time: both tracks on the board with the published numbers, the rule raised on real results, updates ≤ 1 s behind', async () => {
  const callSid = 'CAdash0000000000000000000000000001';
  const audio = [testAudio8k(SECONDS, 5), testAudio8k(SECONDS, 6)];
  const client = await TwilioClient.connect(`${serve.ws}/twilio`, callSid, { tracks: ['inbound', 'outbound'] });
  for (let s = 0; s < SECONDS * 5; s++) { // 200 ms at a time, in real time
    const from = s * 1600, to = from + 1600;
    client.media('inbound', audio[0].mulaw.subarray(from, to));
    client.media('outbound', audio[1].mulaw.subarray(from, to));
    await new Promise((r) => setTimeout(r, 200));
  }
  client.stop();
  await client.socket.closed;
  // What serve published, as a JetStream consumer reads it.
  const nc = await connect({ servers: nats.url });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(RESULTS_STREAM, { filter_subjects: 'emostream.>', deliver_policy: DeliverPolicy.All });
  const stored: Array<{ subject: string; body: Record<string, unknown>; storedAt: number }> = [];
  const deadline = Date.now() + 10_000;
  while (!stored.some((s) => s.subject.startsWith('emostream.alert.')) || !stored.some((s) => s.body.state === 'ended' && s.body.stream === `${callSid}.outbound`)) {
    if (Date.now() > deadline) throw new Error(`JetStream: ${stored.map((s) => s.subject).join(', ')}`);
    for await (const m of await consumer.fetch({ max_messages: 200, expires: 1000 })) stored.push({ subject: m.subject, body: m.json(), storedAt: m.info.timestampNanos / 1e6 });
  }
  await nc.close();
  const av = (track: string) => stored.filter((s) => s.subject === `emostream.av.${callSid}.${track}`).map((s) => s.body as { t: number; arousal: number; valence: number });
  const inbound = av('inbound');
  assert.ok(inbound.length >= SECONDS - 3 && av('outbound').length === inbound.length, `${inbound.length} results per track`);

  // The board got every result as a point, with the very numbers published.
  const points = updates.filter((u) => u.msg.type === 'point').map((u) => u.msg as unknown as { stream: string; t: number; a: number; v: number });
  for (const track of ['inbound', 'outbound']) {
    assert.equal(points.filter((p) => p.stream === `${callSid}.${track}`).map((p) => [p.t, p.a, p.v]), av(track).map((r) => [r.t, r.arousal, r.valence]), track);
  }
  const rows = updates.filter((u) => u.msg.type === 'row').map((u) => u.msg.row as { stream: string; call: string; role: string; instance?: string; kind?: string });
  assert.ok(rows.some((r) => r.stream === `${callSid}.inbound` && r.call === callSid && r.role === 'caller' && r.instance === 'inst-A' && r.kind === 'twilio'));
  assert.ok(rows.some((r) => r.stream === `${callSid}.outbound` && r.role === 'agent'));
  assert.ok(updates.some((u) => u.msg.type === 'gone' && u.msg.stream === `${callSid}.inbound`), 'the row goes when the call ends');

  // The rule, evaluated on the real results: raised at the end of the first 3 consecutive seconds above −0.2.
  const firstRun = inbound.findIndex((_, k) => k >= 2 && [0, 1, 2].every((d) => inbound[k - d].arousal > RULE.above && inbound[k - d].t === inbound[k].t - d));
  const alerts = stored.filter((s) => s.subject === `emostream.alert.${callSid}.inbound`).map((s) => s.body);
  assert.ok(firstRun >= 0, `the seeded model's caller arousal has a 3 s run above ${RULE.above}: ${inbound.map((r) => r.arousal.toFixed(2)).join(' ')}`);
  assert.equal([alerts[0].state, alerts[0].rule, alerts[0].t, alerts[0].sinceT], ['raised', 'caller-up', inbound[firstRun].t, inbound[firstRun - 2].t]);
  assert.ok(updates.some((u) => u.msg.type === 'alert' && (u.msg.alert as { rule: string }).rule === 'caller-up'), 'the page was told');
  const clearedAt = inbound.findIndex((r, k) => k > firstRun && !(r.arousal > RULE.above));
  assert.equal([alerts.at(-1)!.state, alerts.at(-1)!.reason], ['cleared', clearedAt < 0 ? 'ended' : undefined], 'cleared when the call ended (or fell below)');
  assert.is(stored.filter((s) => s.subject === `emostream.alert.${callSid}.outbound`).length, 0, 'a caller rule ignores the agent');

  // Lag: the result's JetStream store time → the page socket received it.
  const storedAt = new Map(stored.map((s) => [`${s.body.stream}:${s.body.t}`, s.storedAt]));
  const lags = updates.filter((u) => u.msg.type === 'point').map((u) => u.at - storedAt.get(`${u.msg.stream}:${u.msg.t}`)!).sort((a, b) => a - b);
  console.log(`[measure] dashboard lag behind serve's results (store → /updates), ${lags.length} updates: p50 ${lags[lags.length >> 1]} ms, max ${lags.at(-1)} ms`);
  assert.ok(lags.at(-1)! <= 1000, `max ${lags.at(-1)} ms`);
});

withNats('SIGTERM ends the dashboard with exit 0', async () => {
  const exited = new Promise<number | null>((r) => dashboard.once('exit', (code) => r(code)));
  dashboard.kill('SIGTERM');
  assert.is(await exited, 0);
});

test.after(async () => {
  if (dashboard && dashboard.exitCode === null && dashboard.signalCode === null) dashboard.kill('SIGKILL');
  await stopAll();
  await nats?.dispose();
  dir.cleanup();
});

test.run();
