import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { startServer, type EmostreamServer } from '../../src/server/index.ts';
import { EVENT_LOOP_RESOLUTION_MS } from '../../src/server/process-metrics.ts';
import { tempDir, writeTestModel } from '../pipeline/helpers.ts';

const test = suite('server /metrics (process metrics, scraped)');
const dir = tempDir('metrics');
let model: EmotionModel;
let server: EmostreamServer;

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 4));
  server = await startServer({ model, port: 0, workers: 0 });
});
test.after(async () => { await server.close(); await model.release(); dir.cleanup(); });

interface Family { type: string; help: string; samples: Map<string, number> }

/** Parses Prometheus text format 0.0.4 strictly: every sample belongs to a family announced by HELP and TYPE. */
function parseExposition(text: string): Map<string, Family> {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const families = new Map<string, Family>();
  const help = new Map<string, string>();
  for (const line of text.slice(0, -1).split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line))) {
      assert.not.ok(help.has(m[1]), `one HELP for ${m[1]}`);
      help.set(m[1], m[2]);
    } else if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      assert.ok(help.has(m[1]), `HELP before TYPE for ${m[1]}`);
      assert.not.ok(families.has(m[1]), `one TYPE for ${m[1]}`);
      families.set(m[1], { type: m[2], help: help.get(m[1])!, samples: new Map() });
    } else if ((m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line))) {
      const value = Number(m[3] === '+Inf' ? Infinity : m[3]);
      assert.ok(Number.isFinite(value), `finite value in '${line}'`);
      const base = families.has(m[1]) ? m[1] : m[1].replace(/_(bucket|sum|count)$/, '');
      const family = families.get(base);
      assert.ok(family, `sample '${line}' has a TYPE line`);
      family.samples.set(m[1] + (m[2] ?? ''), value);
    } else {
      assert.unreachable(`unparseable line '${line}'`);
    }
  }
  return families;
}

const scrape = async (): Promise<Map<string, Family>> => {
  const res = await fetch(`${server.url}/metrics`);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
};
const value = (families: Map<string, Family>, name: string): number => {
  const v = families.get(name)?.samples.get(name);
  assert.ok(v !== undefined, `${name} is exported`);
  return v;
};

const EXPECTED: ReadonlyArray<readonly [string, string]> = [
  ['process_cpu_user_seconds_total', 'counter'], ['process_cpu_system_seconds_total', 'counter'], ['process_cpu_seconds_total', 'counter'],
  ['process_start_time_seconds', 'gauge'], ['process_resident_memory_bytes', 'gauge'], ['process_heap_bytes', 'gauge'],
  ['process_virtual_memory_bytes', 'gauge'], ['process_open_fds', 'gauge'],
  ['nodejs_heap_size_used_bytes', 'gauge'], ['nodejs_heap_size_total_bytes', 'gauge'], ['nodejs_external_memory_bytes', 'gauge'],
  ['nodejs_eventloop_lag_seconds', 'gauge'], ['nodejs_eventloop_lag_max_seconds', 'gauge'], ['nodejs_eventloop_lag_p99_seconds', 'gauge'],
  ['emostream_streams_active', 'gauge'], ['emostream_latency_ms', 'histogram'],
];

test('every default process metric is exported once, with HELP and TYPE, next to the server metrics', async () => {
  const families = await scrape();
  for (const [name, type] of EXPECTED) {
    assert.is(families.get(name)?.type, type, name);
    assert.ok(families.get(name)!.help.length > 10, `${name} has a HELP text`);
  }
});

test('values describe this process: start time, memory, CPU (user + system = total, growing with work)', async () => {
  const before = await scrape();
  const nowS = Date.now() / 1000;
  const start = value(before, 'process_start_time_seconds');
  assert.ok(Math.abs(start - (nowS - process.uptime())) < 2, `start time ${start} vs ${nowS - process.uptime()}`);
  const rss = value(before, 'process_resident_memory_bytes');
  const heapUsed = value(before, 'nodejs_heap_size_used_bytes');
  assert.ok(heapUsed > 1e6 && heapUsed <= value(before, 'nodejs_heap_size_total_bytes'), `heap used ${heapUsed}`);
  assert.ok(rss > heapUsed && rss < 4 * process.memoryUsage().rss, `rss ${rss}`);
  assert.ok(value(before, 'process_virtual_memory_bytes') >= rss, 'virtual ≥ resident');
  assert.ok(value(before, 'process_open_fds') >= 3, 'stdio at least');
  const user0 = value(before, 'process_cpu_user_seconds_total');
  const system0 = value(before, 'process_cpu_system_seconds_total');
  assert.ok(Math.abs(value(before, 'process_cpu_seconds_total') - (user0 + system0)) < 1e-9, 'total = user + system');
  let x = 0;
  for (let i = 0; i < 2e7; i++) x += Math.sqrt(i); // CPU work in this (the server's) process
  assert.ok(x > 0);
  const after = await scrape();
  assert.ok(value(after, 'process_cpu_user_seconds_total') > user0, 'user CPU grew with the work');
  assert.ok(value(after, 'process_cpu_system_seconds_total') >= system0, 'system CPU never decreases');
});

test('event-loop lag (monitorEventLoopDelay): a 200 ms block of the server\'s loop shows as ≥ 0.19 s max lag', async () => {
  await scrape(); // starts a new interval
  // After a reset, perf_hooks measures from the monitor's next tick on: let it tick (timers due earlier run first).
  await new Promise((r) => setTimeout(r, 3 * EVENT_LOOP_RESOLUTION_MS));
  const until = performance.now() + 200;
  while (performance.now() < until); // blocks the loop: the monitor's next timer fires ≥ 200 ms late
  // That late tick is recorded in the next timers phase; a request sent right now could be answered before it.
  await new Promise((r) => setTimeout(r, 2 * EVENT_LOOP_RESOLUTION_MS));
  const families = await scrape();
  const max = value(families, 'nodejs_eventloop_lag_max_seconds');
  assert.ok(max >= 0.19, `max lag ${max} s`);
  const mean = value(families, 'nodejs_eventloop_lag_seconds');
  assert.ok(mean > 0 && mean <= max, `mean lag ${mean} s within (0, max]`);
  assert.ok(value(families, 'nodejs_eventloop_lag_min_seconds') <= mean);
});

test.run();
