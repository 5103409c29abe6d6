/**
 * Cluster benchmark (`npm run bench:cluster [-- --seconds S] [--per-instance N] [--capacity 200,250,300]
 * [--adapter-streams 60] [--adapter-seconds 20]`): one real nats-server (Debian
 * package, started like the tests do) and `serve --ingest --nats` processes with the shipped speech model on this
 * machine, fed in real time by a separate load-generator process (bench/cluster-load.ts). Measures:
 *
 * 1. NATS publish cost, in this process: CPU time per message of the server's own ResultPublisher (JSON text of an
 *    av result → JetStream publish → ack), 20 000 messages.
 * 2. 3 instances × N (40) /ingest streams for S (30) s, with `emostream dashboard`'s server running here and one
 *    page socket: throughput (av results reaching a JetStream consumer / (S − 2) s; each stream's last second,
 *    flushed at its end, counts too), end-to-end latency (the load
 *    generator sent the frame holding a second's last sample → that second's result delivered to a JetStream
 *    consumer), processing latency (`latency_ms`), missing seconds, dashboard lag (JetStream store time of a result
 *    → the page socket received it), server CPU per result.
 * 3. Capacity of one instance with publishing on: 200, 250, 300 real-time 16 kHz streams, 12 s each (server CPU
 *    as % of one core over the step's wall time); passes when no
 *    second is missing, no lag or error event, and processing p99 ≤ 250 ms.
 * 4. Telephony adapter CPU per stream vs /ingest: 60 streams each of /ingest 8 kHz (20 ms frames), Twilio (30 calls ×
 *    2 tracks, base64 μ-law JSON every 20 ms), AudioSocket (20 ms slin frames), then /ingest again, 20 s each; server
 *    CPU per stream-second.
 * 5. Step 2 again on 3 fresh instances without --nats: the serve-side CPU per result that cluster membership adds
 *    (publishing, registry refreshes, heartbeats and the periodic state snapshots, per published message; both
 *    steps after WARMUP_SECONDS of unmeasured load on their fresh instances).
 * Prints a table and, last, `RESULT {json}`.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { WebSocket } from 'ws';
import { DeliverPolicy } from '@nats-io/jetstream';
import { connectNats, type NatsLink } from '../src/cluster/nats-connection.ts';
import { openClusterStore } from '../src/cluster/cluster-store.ts';
import { RESULTS_STREAM } from '../src/cluster/names.ts';
import { createResultPublisher } from '../src/cluster/result-publisher.ts';
import { NO_ALERT_RULES } from '../src/dashboard/alert-rules.ts';
import { startDashboard } from '../src/dashboard/dashboard-server.ts';
import { startNatsServer } from '../test/cluster/nats-server.ts';
import { startServe, stopAll, type ServeProcess } from '../test/cluster/serve-process.ts';
import type { LoadGroup } from './cluster-load.ts';

const arg = (name: string, fallback: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const SECONDS = arg('seconds', 30);
const PER_INSTANCE = arg('per-instance', 40);
const CAPACITY_STEPS = (process.argv.includes('--capacity') ? process.argv[process.argv.indexOf('--capacity') + 1] : '200,250,300').split(',').map(Number);
const CAPACITY_SECONDS = 12;
const ADAPTER_STREAMS = arg('adapter-streams', 60);
const ADAPTER_SECONDS = arg('adapter-seconds', 20);
/** Unmeasured load on fresh instances before steps 2 and 5, s. */
const WARMUP_SECONDS = 6;
const ROOT = new URL('..', import.meta.url).pathname;

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Counters of one instance from its /metrics. */
async function metrics(s: ServeProcess): Promise<Record<string, number>> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const get = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { cpu: get('process_cpu_seconds_total'), results: get('emostream_results_total'), published: get('emostream_nats_published_total'),
    gap: get('emostream_nats_gap_total'), lags: get('emostream_lag_events_total'), errors: get('emostream_stream_errors_total') };
}
const sum = (list: Array<Record<string, number>>, k: string) => list.reduce((n, m) => n + m[k], 0);

function runLoad(groups: readonly LoadGroup[], seconds: number): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/cluster-load.ts', JSON.stringify({ groups, seconds })], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) reject(new Error(`load generator failed (${code})`));
      else resolve((JSON.parse(line) as { sent: Record<string, number[]> }).sent);
    });
  });
}

interface Received { readonly stream: string; readonly t: number; readonly at: number; readonly latencyMs: number }
/** A JetStream consumer of new av results (what a downstream system reads). */
async function collect(link: NatsLink): Promise<{ got: Received[]; stop(): void }> {
  const consumer = await link.js.consumers.get(RESULTS_STREAM, { filter_subjects: 'emostream.av.>', deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume();
  const got: Received[] = [];
  void (async () => {
    for await (const m of messages) {
      const b = m.json<{ stream: string; t: number; latency_ms: number }>();
      got.push({ stream: b.stream, t: b.t, at: Date.now(), latencyMs: b.latency_ms });
    }
  })().catch(() => undefined);
  return { got, stop: () => messages.stop() };
}

/** Runs `groups` for `seconds` against `instances`; CPU and counters from their /metrics; results from JetStream. */
async function phase(instances: readonly ServeProcess[], groups: readonly LoadGroup[], seconds: number, link?: NatsLink) {
  const before = await Promise.all(instances.map(metrics));
  const w0 = performance.now();
  const collector = link ? await collect(link) : undefined;
  const sent = await runLoad(groups, seconds);
  await new Promise((r) => setTimeout(r, 1000));
  collector?.stop();
  const after = await Promise.all(instances.map(metrics));
  const wallS = (performance.now() - w0) / 1000;
  const d = (k: string) => sum(after, k) - sum(before, k);
  const got = collector?.got ?? [];
  const e2e = got.flatMap((g) => { const at = sent[g.stream]?.[g.t]; return at ? [g.at - at] : []; });
  const perStream = new Map<string, Set<number>>();
  for (const g of got) (perStream.get(g.stream) ?? perStream.set(g.stream, new Set()).get(g.stream)!).add(g.t);
  const expected = Math.floor(seconds) - 2;
  const missing = link ? Object.keys(sent).reduce((n, s) => n + Math.max(0, expected - (perStream.get(s)?.size ?? 0)), 0) : Math.max(0, Object.keys(sent).length * expected - d('results'));
  return { streams: Object.keys(sent).length, wallS, cpuS: d('cpu'), results: d('results'), published: d('published'), gap: d('gap'), lags: d('lags'), errors: d('errors'),
    missing, e2e, processing: got.map((g) => g.latencyMs), received: got.length, cpuPerInstance: after.map((a, k) => r1(a.cpu - before[k].cpu)) };
}

/** 1. CPU per JetStream publish (the server's publisher, acks awaited per 1 000). */
async function publishCost(link: NatsLink): Promise<{ cpu_us_per_msg: number; msgs_per_s: number }> {
  const publisher = createResultPublisher(link);
  const N = 20_000;
  const text = (k: number) => JSON.stringify({ type: 'av', stream: `pub${k % 100}`, t: 2 + Math.floor(k / 100), arousal: 0.123456789, valence: -0.0987654321, model: 'speech@2026-11-26', latency_ms: 3.21 });
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let k = 0; k < N; k++) {
    const id = `pub${k % 100}`;
    publisher.publish({ streamId: id, type: 'av', text: text(k), event: { type: 'av', streamId: id, t: 2 + Math.floor(k / 100), arousal: 0, valence: 0, model: 'm', completedAtMs: 0 } });
    if (k % 1000 === 999) await publisher.flush();
  }
  await publisher.flush();
  const c = process.cpuUsage(c0);
  return { cpu_us_per_msg: r1((c.user + c.system) / N), msgs_per_s: Math.round(N / ((performance.now() - w0) / 1000)) };
}

const serveArgs = (name: string, nats?: string) => ['--ingest', '--port', '0', '--audiosocket', '0', '--model', 'speech', ...(nats ? ['--nats', nats, '--instance', `bench-${name}`] : [])];
const ingestGroups = (instances: readonly ServeProcess[], n: number, prefix = 'i'): LoadGroup[] => instances.map((s, k) => ({ protocol: 'ingest16', ws: s.ws, streams: n, prefix: `${prefix}${k}x` }));

const nats = await startNatsServer();
const link = await connectNats({ url: nats.url, name: 'cluster bench' });
await openClusterStore(link);
console.log(`emostream cluster bench — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, node ${process.version}, load average ${loadavg().map(r1).join(' ')}`);
try {
  const publish = await publishCost(link);
  console.log(`1. JetStream publish, in-process: ${publish.cpu_us_per_msg} µs CPU per message, ${publish.msgs_per_s} messages/s`);
  await link.jsm.streams.purge(RESULTS_STREAM); // the dashboard below replays 5 min: not these

  let instances = await Promise.all(['A', 'B', 'C'].map((n) => startServe(n, serveArgs(n, nats.url))));
  await phase(instances, ingestGroups(instances, PER_INSTANCE, 'w'), WARMUP_SECONDS); // JIT and workers warm, as in 5.
  const dashboard = await startDashboard({ nats: nats.url, rules: NO_ALERT_RULES, port: 0, log: () => undefined });
  const lag: number[] = [];
  const page = new WebSocket(`${dashboard.url.replace('http', 'ws')}/updates`);
  page.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { type: string; stream?: string; at?: number };
    if (m.type === 'point' && /^i\dx/.test(m.stream!)) lag.push(Date.now() - m.at!); // the measured streams, not the warm-up's replay
  });
  await new Promise((r) => page.once('open', r));
  const cluster = await phase(instances, ingestGroups(instances, PER_INSTANCE), SECONDS, link);
  page.close();
  await dashboard.close();
  const throughput = cluster.received / (SECONDS - 2);
  console.log(`2. 3 instances × ${PER_INSTANCE} streams, ${SECONDS} s: ${r1(throughput)} results/s on JetStream, end to end p50 ${r1(pct(cluster.e2e, 50))} ms p99 ${r1(pct(cluster.e2e, 99))} ms, `
    + `processing p99 ${r1(pct(cluster.processing, 99))} ms, missing ${cluster.missing}, gap ${cluster.gap}; dashboard lag p50 ${r1(pct(lag, 50))} ms p99 ${r1(pct(lag, 99))} ms max ${r1(Math.max(...lag))} ms; `
    + `server CPU ${cluster.cpuPerInstance.join(' / ')} s (${r3(cluster.cpuS / cluster.results * 1000)} ms per result)`);

  // 3. Capacity of instance A (B and C idle), publishing on.
  const steps: Array<Record<string, number | boolean>> = [];
  let capacity = 0;
  for (const n of CAPACITY_STEPS) {
    const p = await phase([instances[0]], [{ protocol: 'ingest16', ws: instances[0].ws, streams: n, prefix: `cap${n}x` }], CAPACITY_SECONDS, link);
    const ok = p.missing === 0 && p.lags === 0 && p.errors === 0 && pct(p.processing, 99) <= 250;
    steps.push({ streams: n, ok, missing: p.missing, lags: p.lags, processing_p99_ms: r1(pct(p.processing, 99)), e2e_p99_ms: r1(pct(p.e2e, 99)), cpu_pct_of_one_core: Math.round(p.cpuS / p.wallS * 100), published: p.published, gap: p.gap });
    console.log(`3. one instance, ${n} streams, NATS on: ${ok ? 'ok' : 'FAILED'} (missing ${p.missing}, lags ${p.lags}, processing p99 ${r1(pct(p.processing, 99))} ms, CPU ${Math.round(p.cpuS / p.wallS * 100)} % of one core)`);
    if (!ok) break;
    capacity = n;
  }

  // 4. Telephony adapters vs /ingest at 8 kHz, same audio duration and frame rate, on instance A.
  const A = instances[0];
  const adapters: Record<string, number> = {};
  const order: Array<[string, LoadGroup['protocol']]> = [['ingest8_a', 'ingest8'], ['twilio', 'twilio'], ['audiosocket', 'audiosocket'], ['ingest8_b', 'ingest8']];
  for (const [label, protocol] of order) {
    const p = await phase([A], [{ protocol, ws: A.ws, audiosocketPort: A.audiosocketPort, streams: ADAPTER_STREAMS, prefix: `ad${label.replace('_', '')}x` }], ADAPTER_SECONDS, link);
    adapters[label] = r3(p.cpuS / (p.streams * ADAPTER_SECONDS) * 1000); // ms CPU per stream-second
    console.log(`4. ${label}: ${p.streams} streams, ${adapters[label]} ms CPU per stream-second (missing ${p.missing}, errors ${p.errors})`);
  }
  const base = (adapters.ingest8_a + adapters.ingest8_b) / 2;
  const overhead = { twilio_pct: r1((adapters.twilio / base - 1) * 100), audiosocket_pct: r1((adapters.audiosocket / base - 1) * 100), baseline_spread_pct: r1(Math.abs(adapters.ingest8_a - adapters.ingest8_b) / base * 100) };

  // 5. The same cluster load without NATS.
  await stopAll();
  instances = await Promise.all(['A', 'B', 'C'].map((n) => startServe(`${n}0`, serveArgs(n))));
  await phase(instances, ingestGroups(instances, PER_INSTANCE, 'w'), WARMUP_SECONDS);
  const plain = await phase(instances, ingestGroups(instances, PER_INSTANCE), SECONDS);
  const perResult = (p: { cpuS: number; results: number }) => p.cpuS / p.results * 1e6;
  const serveDelta = r1((perResult(cluster) - perResult(plain)) * cluster.results / Math.max(1, cluster.published));
  console.log(`5. without NATS: ${r3(plain.cpuS / plain.results * 1000)} ms CPU per result; publishing adds ${serveDelta} µs per published message (serve side)`);

  console.log(`RESULT ${JSON.stringify({
    instances: 3, streams_per_instance: PER_INSTANCE, seconds: SECONDS, throughput_results_per_s: r1(throughput),
    e2e_to_jetstream_consumer_ms: { p50: r1(pct(cluster.e2e, 50)), p99: r1(pct(cluster.e2e, 99)) }, processing_ms_p99: r1(pct(cluster.processing, 99)),
    missing: cluster.missing, gap: cluster.gap, nats_publish_cpu_us_per_msg: { in_process_publisher: publish.cpu_us_per_msg, serve_with_minus_without: serveDelta },
    nats_publish_msgs_per_s: publish.msgs_per_s, dashboard_lag_ms: { p50: r1(pct(lag, 50)), p99: r1(pct(lag, 99)), max: r1(Math.max(...lag)), n: lag.length },
    capacity_one_instance_nats_on: capacity, capacity_steps: steps, adapter_cpu_ms_per_stream_s: adapters, adapter_overhead_vs_ingest8: overhead,
    cpus: cpus().length, load_average: loadavg().map(r1),
  })}`);
} finally {
  await stopAll();
  await link.close();
  await nats.dispose();
}
