/**
 * Live-runtime benchmark (`node --import tsx bench/live.bench.ts [--max N] [--seconds S]`).
 *
 * 1. Latency, one ingest stream at real-time pace (100 ms frames of 16 kHz s16le) from a child process:
 *    - processing latency: the server's `latency_ms` (arrival of the chunk that completed the second → send);
 *    - end to end at the client: send time of the frame holding the second's last sample → result received
 *      (includes the extractor's lookahead: 60 ms frame + 30 ms smoothing/deltas + pitch smoother + frame size).
 * 2. Capacity: N ingest clients (one load-generator child) streaming in real time; N grows until a second is missing
 *    or late (client end-to-end p99 > 250 ms above the one-stream p99) or a `lag` event appears.
 * 3. Memory per stream: RSS / heap growth of the server process with N streams, per stream.
 * Prints a table and, last, `RESULT {json}`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadModel, createTestModel } from '../src/model/index.ts';
import { startServer } from '../src/server/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const arg = (name: string, fallback: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const MAX_N = arg('max', 400);
const SECONDS = arg('seconds', 8);
const LATE_MS = 250;
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'emostream-bench-'));

const generator = join(dir, 'load.mjs');
writeFileSync(generator, `
import { WebSocket } from ${JSON.stringify(join(root, 'node_modules/ws/wrapper.mjs'))};
const [url, n, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const rate = 16000, frame = 1600, frames = Math.round(seconds * 10);
const pcm = Buffer.alloc(2 * rate * seconds + 2 * frame);
let seed = 1;
for (let i = 0; i < pcm.length / 2; i++) {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  const x = 0.3 * Math.sin(2 * Math.PI * (180 + 60 * Math.sin(i / 9000)) * i / rate) + 0.05 * (seed / 2 ** 32 - 0.5);
  pcm.writeInt16LE(Math.round(x * 32767), 2 * i);
}
const results = new WebSocket(url + '/results');
await new Promise((r) => results.once('open', r));
const streams = [];
for (let k = 0; k < n; k++) {
  const ws = new WebSocket(url + '/ingest?stream=s' + k + '&rate=16000&format=s16le');
  streams.push({ ws, sent: new Float64Array(frames), next: 0, got: 0 });
}
await Promise.all(streams.map((s) => new Promise((r) => s.ws.once('open', r))));
const e2e = [], server = [];
let lags = 0, errors = 0, missing = 0;
results.on('message', (data) => {
  const m = JSON.parse(data.toString());
  const now = performance.now();
  if (m.type === 'lag') lags++;
  if (m.type === 'error') errors++;
  if (m.type !== 'av') return;
  const s = streams[Number(m.stream.slice(1))];
  s.got++;
  const i = Math.floor((m.t * rate - 1) / frame);
  if (i < frames && s.sent[i] > 0) e2e.push(now - s.sent[i]);
  server.push(m.latency_ms);
});
const start = performance.now() + 50;
const offset = (k) => (k * 100) / n; // spread the streams over the 100 ms frame period
await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now();
    let pending = false;
    for (let k = 0; k < n; k++) {
      const s = streams[k];
      while (s.next < frames && start + offset(k) + (s.next + 1) * 100 <= now) {
        s.ws.send(pcm.subarray(s.next * 2 * frame, (s.next + 1) * 2 * frame));
        s.sent[s.next] = performance.now();
        s.next++;
      }
      if (s.next < frames) pending = true;
    }
    if (pending) setTimeout(tick, 2); else resolve();
  };
  tick();
});
await new Promise((r) => setTimeout(r, 1500));
const expected = Math.floor(seconds) - 2; // windows end at 2 … seconds − 1 (the last needs lookahead past the end)
for (const s of streams) missing += Math.max(0, expected - s.got);
for (const s of streams) s.ws.close();
results.close();
console.log(JSON.stringify({ e2e, server, lags, errors, missing }));
process.exit(0);
`);

function runLoad(url: string, n: number, seconds: number): Promise<{ e2e: number[]; server: number[]; lags: number; errors: number; missing: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [generator, url, String(n), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) reject(new Error(`load generator failed (${code})`));
      else resolve(JSON.parse(line));
    });
  });
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r1 = (x: number) => Math.round(x * 10) / 10;

const model = await loadModel(createTestModel({ seed: 1 }));
const server = await startServer({ model, port: 0, ingest: true });
const url = server.url.replace('http', 'ws');
console.log(`emostream live bench — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, node ${process.version}`);

// 1. latency, one stream
const one = await runLoad(url, 1, Math.max(20, SECONDS * 3));
const latency = {
  results: one.e2e.length,
  processing_p50_ms: r1(pct(one.server, 50)), processing_p99_ms: r1(pct(one.server, 99)),
  end_to_end_p50_ms: r1(pct(one.e2e, 50)), end_to_end_p99_ms: r1(pct(one.e2e, 99)),
};
console.log(`latency (1 stream, ${latency.results} results): processing p50 ${latency.processing_p50_ms} ms, p99 ${latency.processing_p99_ms} ms;`
  + ` last sample → client p50 ${latency.end_to_end_p50_ms} ms, p99 ${latency.end_to_end_p99_ms} ms`);

// 2 + 3. capacity and memory
gc();
const base = process.memoryUsage();
const steps = [5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400].filter((n) => n <= MAX_N);
let capacity = 0;
let memoryPerStream = { rss_kib: NaN, heap_kib: NaN, n: 0 };
const table: Array<Record<string, number | boolean>> = [];
for (const n of steps) {
  let peak = { rss: 0, heap: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed + m.external) };
  }, 200);
  const r = await runLoad(url, n, SECONDS);
  clearInterval(sampler);
  const p99 = pct(r.e2e, 99);
  const ok = r.missing === 0 && r.lags === 0 && r.errors === 0 && p99 <= latency.end_to_end_p99_ms + LATE_MS;
  table.push({ n, ok, missing: r.missing, lags: r.lags, e2e_p50_ms: r1(pct(r.e2e, 50)), e2e_p99_ms: r1(p99), processing_p99_ms: r1(pct(r.server, 99)) });
  console.log(`N=${String(n).padStart(3)}  ${ok ? 'ok  ' : 'FAIL'}  missing ${r.missing}  lag events ${r.lags}  end-to-end p50 ${r1(pct(r.e2e, 50))} ms  p99 ${r1(p99)} ms  processing p99 ${r1(pct(r.server, 99))} ms`);
  if (ok) {
    capacity = n;
    memoryPerStream = { rss_kib: Math.round((peak.rss - base.rss) / n / 1024), heap_kib: Math.round((peak.heap - base.heapUsed - base.external) / n / 1024), n };
  } else break;
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`capacity: ${capacity} real-time streams (criterion: no missing second, no lag event, end-to-end p99 ≤ one-stream p99 + ${LATE_MS} ms)`);
console.log(`memory per stream (at N=${memoryPerStream.n}): ${memoryPerStream.rss_kib} KiB RSS, ${memoryPerStream.heap_kib} KiB heap+external`);
await server.close();
await model.release();
rmSync(dir, { recursive: true, force: true });
console.log(`RESULT ${JSON.stringify({ latency, capacity_streams: capacity, late_threshold_ms: LATE_MS, memory_per_stream: memoryPerStream, steps: table, cpus: cpus().length })}`);
