import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeliverPolicy } from '@nats-io/jetstream';
import { RESULTS_STREAM } from '../../src/cluster/names.ts';
import { startDashboard, type Dashboard } from '../../src/dashboard/dashboard-server.ts';
import { tempDir, testUnless } from '../pipeline/helpers.ts';
import { decodePng } from '../server/png.ts';
import { natsSkipReason, startNatsServer, type NatsServer } from '../cluster/nats-server.ts';
import { chromiumSkipReason, openPage, type BrowserPage } from './chromium.ts';
import { createClusterPublisher, type ClusterPublisher } from './cluster-publisher.ts';
import { addScenarioCalls, INSTANCES, scenarioRules, type ScenarioCalls } from './scenario.ts';

const test = suite('dashboard/50 live streams of 3 instances on a real nats-server, alert rules, headless Chromium');
const run = testUnless(test, natsSkipReason() ?? chromiumSkipReason());
const dir = tempDir('dashboard');

let nats: NatsServer;
let publisher: ClusterPublisher;
let dashboard: Dashboard;
let page: BrowserPage;
let scenario: ScenarioCalls;
let webhook: Server;
const posted: Array<Record<string, unknown>> = [];
let ticker: NodeJS.Timeout | undefined;
let ticking: Promise<unknown> = Promise.resolve();
const log: string[] = [];

const startWebhook = (): Promise<string> => new Promise((resolve) => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { posted.push(JSON.parse(body)); res.writeHead(204).end(); });
  });
  webhook.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(webhook.address() as { port: number }).port}/hook`));
});

/** What the page shows: counters, and per row (in order) the call id and its badges' rules. */
const readPage = (): Promise<{ calls: string; streams: string; instances: string; alerts: string; status: string; rows: Array<{ call: string; rules: string[] }> }> => page.evaluate(`(() => ({
  calls: document.getElementById('calls').textContent, streams: document.getElementById('streams').textContent,
  instances: document.getElementById('instances').textContent, alerts: document.getElementById('alerts').textContent,
  status: document.getElementById('status').textContent,
  rows: [...document.querySelectorAll('tr[data-call]')].map((tr) => ({ call: tr.dataset.call, rules: [...tr.querySelectorAll('.badge')].map((b) => b.dataset.rule).sort() })),
}))()`);

const expectedCount = (): number => [...scenario.expected.values()].reduce((n, r) => n + r.length, 0);

run('setup: nats-server, a webhook, the dashboard, 28 calls (50 streams) with 5 minutes of results, Chromium', async () => {
  nats = await startNatsServer();
  const hook = await startWebhook();
  publisher = await createClusterPublisher(nats.url);
  await publisher.instances(INSTANCES);
  dashboard = await startDashboard({ nats: nats.url, rules: scenarioRules(hook), port: 0, log: (l) => log.push(l) });
  scenario = await addScenarioCalls(publisher);
  assert.is(scenario.streams, 50);
  await publisher.prefill(300);
  ticker = setInterval(() => { ticking = ticking.then(() => publisher.tick()); }, 1000);
  page = await openPage(`${dashboard.url}/`, 1440, 900);
});

run('the page: 28 calls, 50 streams, 3/3 instances; each call\'s alert badges are exactly the rules it broke; sorted by alerts', async () => {
  await page.waitFor(`document.getElementById('streams').textContent === '50' && document.getElementById('alerts').textContent === '${expectedCount()}'`, '50 streams and the alerts');
  const p = await readPage();
  assert.equal([p.calls, p.streams, p.instances, p.alerts, p.status], ['28', '50', '3/3', String(expectedCount()), 'live']);
  assert.is(p.rows.length, 28);
  for (const row of p.rows) assert.equal(row.rules, [...(scenario.expected.get(row.call) ?? [])].sort(), `badges of ${row.call}`);
  // Critical first (agitated-caller), then warnings, then the calm calls.
  const rank = (r: { rules: string[] }) => (r.rules.includes('agitated-caller') ? 0 : r.rules.length > 0 ? 1 : 2);
  const ranks = p.rows.map(rank);
  assert.equal(ranks, [...ranks].sort((a, b) => a - b), `row order by alerts: ${ranks.join('')}`);
  assert.is(ranks.filter((r) => r === 0).length, 3);
  assert.is(ranks.filter((r) => r === 1).length, 2);
  // Two sparklines per two-party call, one for an AudioSocket call; the values shown are the last results.
  const sparks = await page.evaluate<number>(`document.querySelectorAll('svg.spark polyline.a').length`);
  assert.is(sparks, 50);
  const twilio0 = publisher.calls[0];
  const shown = await page.evaluate<string>(`document.querySelector('td.party[data-stream="${twilio0.tracks[0].stream}"] .num.a').textContent`);
  assert.ok(['+0.6', '+0.7'].some((x) => shown.startsWith(x)), `caller arousal of an agitated call shows ${shown}`);
});

run('alerts on JetStream (emostream.alert.<stream>) and the webhook: one raised alert each, with the rule\'s fields', async () => {
  const consumer = await publisher.link.js.consumers.get(RESULTS_STREAM, { filter_subjects: 'emostream.alert.>', deliver_policy: DeliverPolicy.All });
  const stored: Array<{ subject: string; body: Record<string, unknown> }> = [];
  const info = await publisher.link.jsm.streams.info(RESULTS_STREAM);
  assert.ok(info.state.messages >= publisher.results.published && publisher.results.published > 8000, `the results are stored (${info.state.messages} messages)`);
  const messages = await consumer.fetch({ max_messages: 100, expires: 2000 });
  for await (const m of messages) stored.push({ subject: m.subject, body: m.json() });
  const raised = stored.filter((s) => s.body.state === 'raised');
  assert.is(raised.length, expectedCount(), stored.map((s) => s.subject).join(', '));
  for (const { subject, body } of raised) {
    assert.ok((scenario.expected.get(body.call as string) ?? []).includes(body.rule as string), `${body.rule} on ${body.call}`);
    assert.is(subject, `emostream.alert.${body.stream ?? body.call}`);
    if (body.rule === 'agitated-caller') assert.equal([body.severity, body.role, body.scope, body.forS, (body.t as number) - (body.sinceT as number)], ['critical', 'caller', 'track', 8, 7]);
    if (body.rule === 'negative-call') assert.equal([body.scope, body.stream, (body.value as number) < -0.35], ['call', undefined, true]);
  }
  const deadline = Date.now() + 5000;
  while (posted.filter((b) => b.state === 'raised').length < expectedCount() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(posted.filter((b) => b.state === 'raised').map((b) => `${b.rule}:${b.stream ?? b.call}`).sort(), raised.map((s) => `${s.body.rule}:${s.body.stream ?? s.body.call}`).sort());
  assert.is(dashboard.alerts.stats.webhookFailures, 0, log.join('\n'));
});

run('live: a new call that turns agitated gets its badge after 8 s of results; ending it removes the row and clears the alert', async () => {
  const hot = (t: number) => 0.62 + 0.05 * Math.sin(t);
  const call = await publisher.addCall({ kind: 'twilio', instance: INSTANCES[1], since: Date.now(), tracks: [
    { stream: 'CAlive0000.inbound', arousal: hot, valence: () => 0.1 }, { stream: 'CAlive0000.outbound', arousal: () => 0.05, valence: () => 0.2 },
  ] });
  await page.waitFor(`document.getElementById('streams').textContent === '52'`, 'the new call');
  await page.waitFor(`document.querySelector('tr[data-call="CAlive0000"] .badge[data-rule="agitated-caller"]')`, 'its badge', 20_000);
  assert.ok(call.t - 1 >= 9, `raised at t ${call.t - 1} (first result t 2, 8 s above 0.5)`);
  assert.is((await readPage()).alerts, String(expectedCount() + 1));
  await ticking;
  await publisher.endCall(call);
  await page.waitFor(`document.getElementById('streams').textContent === '50' && !document.querySelector('tr[data-call="CAlive0000"]')`, 'the row to go');
  assert.is((await readPage()).alerts, String(expectedCount()));
  const deadline = Date.now() + 5000;
  while (!posted.some((b) => b.stream === 'CAlive0000.inbound' && b.state === 'cleared') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(posted.some((b) => b.stream === 'CAlive0000.inbound' && b.state === 'cleared' && b.reason === 'ended'), 'cleared (ended) posted');
});

run('dashboard updates are at most 1 s behind the results (JetStream store time → rendered in the page)', async () => {
  await page.evaluate(`window.__dashboard.delays.length = 0`);
  await new Promise((r) => setTimeout(r, 10_000));
  const delays = (await page.evaluate<number[]>(`window.__dashboard.delays`)).sort((a, b) => a - b);
  assert.ok(delays.length >= 8 * 50, `${delays.length} updates in 10 s`);
  const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))];
  console.log(`[measure] dashboard lag, 50 live streams, ${delays.length} updates: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${delays.at(-1)} ms`);
  assert.ok(q(0.99) <= 1000, `p99 ${q(0.99)} ms`);
});

run('screenshot (1440×900): alert rows on top, red critical badges, sparklines drawn', async () => {
  const png = await page.screenshot();
  const path = join(dir.path, 'dashboard.png');
  writeFileSync(path, png);
  if (process.env.EMOSTREAM_KEEP_SCREENSHOTS) writeFileSync(join(process.env.EMOSTREAM_KEEP_SCREENSHOTS, 'dashboard.png'), png);
  const img = decodePng(png);
  assert.equal([img.width, img.height], [1440, 900]);
  let red = 0, orange = 0;
  for (let i = 0; i < img.rgba.length; i += 4) {
    const [r, g, b] = [img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]];
    if (r > 230 && g < 100 && b < 110) red++; // critical badge #ff4d5e
    if (r > 230 && g > 140 && g < 175 && b < 90) orange++; // arousal line #ff9f43
  }
  assert.ok(red > 500, `critical badges visible (${red} px)`);
  assert.ok(orange > 500, `arousal sparklines visible (${orange} px)`);
});

test.after(async () => {
  if (ticker) clearInterval(ticker);
  await ticking.catch(() => undefined);
  // Each step on its own, so that one failing does not leave the nats-server or the browser running.
  for (const step of [() => page?.close(), () => dashboard?.close(), () => publisher?.close(), () => { webhook?.close(); }, () => nats?.dispose()]) {
    await Promise.resolve().then(step).catch((err: unknown) => console.error(`teardown: ${(err as Error).message}`));
  }
  dir.cleanup();
});

test.run();
