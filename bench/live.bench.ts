/**
 * Live-runtime benchmark (`node --import tsx bench/live.bench.ts [--workers W] [--max N] [--seconds S] [--soak]`).
 * `--workers W`: feature-extraction worker threads of the server (default: CPU count; 0 = all in the main thread).
 * `--model speech|music|<file>`: the model served (default: a small single-network test model of the shipped shape).
 *
 * 1. Latency, one ingest stream at real-time pace (100 ms frames of 16 kHz s16le) from a child process:
 *    - processing latency: the server's `latency_ms` (arrival of the chunk that completed the second → send);
 *    - end to end at the client: send time of the frame holding the second's last sample → result received
 *      (includes the extractor's lookahead: 60 ms frame + 30 ms smoothing/deltas + pitch smoother + frame size).
 * 2. Capacity: N ingest clients (one load-generator child) streaming in real time; N grows (up to `--max`, default
 *    300) until a second is missing or late (processing p99 > 250 ms, or client end-to-end p99 > 250 ms above the
 *    one-stream p99) or a `lag` / `error` event appears. Also the server process's CPU use (all threads) per step.
 * 3. Memory per stream: RSS / heap growth of the server process with N streams, per stream.
 * 4. `--soak` (instead of 1–3): `--soak-streams` (20) streams × `--soak-minutes` (30) of audio pushed as fast as the
 *    server takes it (each stream stays ≤ 4 s of audio ahead of its last result), RSS sampled every 2 s; prints the
 *    RSS trend over the audio pushed.
 * Prints a table and, last, `RESULT {json}`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadModel, createTestModel } from '../src/model/index.ts';
import { shippedModelPath } from '../src/model/shipped-models.ts';
import { startServer } from '../src/server/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const arg = (name: string, fallback: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const MAX_N = arg('max', 300);
const SECONDS = arg('seconds', 8);
const WORKERS = arg('workers', availableParallelism());
const SOAK = process.argv.includes('--soak');
const SOAK_STREAMS = arg('soak-streams', 20);
const SOAK_MINUTES = arg('soak-minutes', 30);
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
const soakGenerator = join(dir, 'soak.mjs');
writeFileSync(soakGenerator, `
import { WebSocket } from ${JSON.stringify(join(root, 'node_modules/ws/wrapper.mjs'))};
const [url, n, minutes] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const rate = 16000, seconds = Math.round(minutes * 60), AHEAD = 4;
const pcm = Buffer.alloc(2 * rate * 60); // one minute of audio, looped
let seed = 7;
for (let i = 0; i < pcm.length / 2; i++) {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  const x = 0.3 * Math.sin(2 * Math.PI * (150 + 80 * Math.sin(i / 7000)) * i / rate) + 0.05 * (seed / 2 ** 32 - 0.5);
  pcm.writeInt16LE(Math.round(x * 32767), 2 * i);
}
const results = new WebSocket(url + '/results');
await new Promise((r) => results.once('open', r));
const streams = [];
for (let k = 0; k < n; k++) {
  const ws = new WebSocket(url + '/ingest?stream=soak' + k + '&rate=16000&format=s16le');
  streams.push({ ws, sent: 0, lastT: 0, ended: false });
}
await Promise.all(streams.map((s) => new Promise((r) => s.ws.once('open', r))));
let results$ = 0, lags = 0, errors = 0, done = 0, lastReport = 0;
const topUp = (s) => {
  while (s.sent < seconds && s.sent - s.lastT < AHEAD) {
    const at = (s.sent % 60) * 2 * rate;
    s.ws.send(pcm.subarray(at, at + 2 * rate));
    s.sent++;
  }
  if (s.sent >= seconds && !s.ended) { s.ended = true; s.ws.send(JSON.stringify({ type: 'end' })); }
};
const finished = new Promise((resolve) => {
  results.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'lag') lags++;
    if (m.type === 'error') { errors++; console.error(JSON.stringify(m)); }
    const s = m.stream && streams[Number(String(m.stream).slice(4))];
    if (!s) return;
    if (m.type === 'av') { results$++; s.lastT = m.t; topUp(s); }
    if ((m.type === 'stream' && m.state === 'ended') || m.type === 'error') if (++done === n) resolve();
    const progress = Math.min(...streams.map((x) => x.lastT));
    if (progress >= lastReport + 30) { lastReport = progress; console.log(JSON.stringify({ progress_s: progress })); }
  });
});
const t0 = performance.now();
for (const s of streams) topUp(s);
await finished;
const wallS = (performance.now() - t0) / 1000;
for (const s of streams) s.ws.close();
results.close();
console.log(JSON.stringify({ done: true, results: results$, lags, errors, wall_s: wallS }));
process.exit(0);
`);

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const mib = (bytes: number) => Math.round(bytes / 1048576 * 10) / 10;

// `--model speech|music|<path>`: the shipped model (an ensemble) instead of the small single-network test model.
const modelArg = process.argv.includes('--model') ? process.argv[process.argv.indexOf('--model') + 1]! : undefined;
const model = await loadModel(modelArg === undefined ? createTestModel({ seed: 1 })
  : modelArg === 'speech' || modelArg === 'music' ? shippedModelPath(modelArg) : modelArg);
const server = await startServer({ model, port: 0, ingest: true, workers: WORKERS });
const url = server.url.replace('http', 'ws');
console.log(`emostream live bench — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, node ${process.version}, ${WORKERS} feature worker(s)`);
await new Promise((r) => setTimeout(r, 1000)); // workers load their modules

if (SOAK) {
  // 4. accelerated soak: RSS of the server process while SOAK_STREAMS × SOAK_MINUTES of audio go through.
  gc();
  const samples: Array<{ wall_s: number; audio_s: number; rss_mib: number; heap_mib: number }> = [];
  let audioS = 0;
  const t0 = performance.now();
  const sample = (): void => {
    const m = process.memoryUsage();
    samples.push({ wall_s: r1((performance.now() - t0) / 1000), audio_s: audioS, rss_mib: mib(m.rss), heap_mib: mib(m.heapUsed + m.external) });
  };
  sample();
  const sampler = setInterval(sample, 2000);
  const summary = await new Promise<Record<string, number>>((resolve, reject) => {
    const child = spawn(process.execPath, [soakGenerator, url, String(SOAK_STREAMS), String(SOAK_MINUTES)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    let last: Record<string, number> | undefined;
    child.stdout.on('data', (d) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const msg = JSON.parse(line) as Record<string, number>;
        if (msg.progress_s !== undefined) audioS = msg.progress_s;
        if (msg.done) last = msg;
      }
    });
    child.on('close', (code) => (last ? resolve(last) : reject(new Error(`soak generator failed (${code})`))));
  });
  clearInterval(sampler);
  audioS = SOAK_MINUTES * 60;
  sample();
  gc();
  await new Promise((r) => setTimeout(r, 500));
  sample();
  const stats = server.featurePool ? await server.featurePool.stats() : undefined;
  // Trend: least-squares slope of RSS over audio time in the second half (after warm-up), MiB per audio minute.
  const half = samples.filter((s) => s.audio_s >= (SOAK_MINUTES * 60) / 2 && s.audio_s < SOAK_MINUTES * 60);
  const mx = half.reduce((a, s) => a + s.audio_s, 0) / half.length;
  const my = half.reduce((a, s) => a + s.rss_mib, 0) / half.length;
  const slope = half.reduce((a, s) => a + (s.audio_s - mx) * (s.rss_mib - my), 0) / half.reduce((a, s) => a + (s.audio_s - mx) ** 2, 0) * 60;
  const at = (f: number) => samples.find((s) => s.audio_s >= f * SOAK_MINUTES * 60) ?? samples[samples.length - 1];
  const trend = { start: samples[0], at25: at(0.25), at50: at(0.5), at75: at(0.75), end: samples[samples.length - 2], after_gc: samples[samples.length - 1] };
  console.log(`soak: ${SOAK_STREAMS} streams × ${SOAK_MINUTES} min of audio in ${r1(summary.wall_s)} s wall (${r1(SOAK_STREAMS * SOAK_MINUTES * 60 / summary.wall_s)} stream-seconds/s),`
    + ` ${summary.results} results, ${summary.lags} lag events, ${summary.errors} errors`);
  for (const [name, s] of Object.entries(trend)) console.log(`  ${name.padEnd(8)} audio ${String(s.audio_s).padStart(5)} s  RSS ${s.rss_mib} MiB  heap+external ${s.heap_mib} MiB`);
  console.log(`  RSS slope over the second half: ${Math.round(slope * 1000) / 1000} MiB per audio minute (per stream: ×1/${SOAK_STREAMS})`);
  if (stats) console.log(`  workers after the soak: ${JSON.stringify(stats.workers)}`);
  await server.close();
  await model.release();
  rmSync(dir, { recursive: true, force: true });
  console.log(`RESULT ${JSON.stringify({ soak: { streams: SOAK_STREAMS, minutes: SOAK_MINUTES, ...summary, rss_slope_mib_per_audio_min: slope, trend, samples }, workers: WORKERS, cpus: cpus().length })}`);
  process.exit(0);
}

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
const steps = [5, 10, 20, 40, 60, 80, 100, 125, 150, 175, 200, 225, 250, 275, 300, 350, 400].filter((n) => n <= MAX_N);
let capacity = 0;
let memoryPerStream = { rss_kib: NaN, heap_kib: NaN, n: 0 };
const table: Array<Record<string, number | boolean>> = [];
for (const n of steps) {
  let peak = { rss: 0, heap: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed + m.external) };
  }, 200);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const r = await runLoad(url, n, SECONDS);
  const cpu = process.cpuUsage(cpu0);
  const cpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100);
  clearInterval(sampler);
  const p99 = pct(r.e2e, 99);
  const processingP99 = pct(r.server, 99);
  const ok = r.missing === 0 && r.lags === 0 && r.errors === 0 && processingP99 <= LATE_MS && p99 <= latency.end_to_end_p99_ms + LATE_MS;
  table.push({ n, ok, missing: r.missing, lags: r.lags, errors: r.errors, e2e_p50_ms: r1(pct(r.e2e, 50)), e2e_p99_ms: r1(p99),
    processing_p50_ms: r1(pct(r.server, 50)), processing_p99_ms: r1(processingP99), server_cpu_pct: cpuPct });
  console.log(`N=${String(n).padStart(3)}  ${ok ? 'ok  ' : 'FAIL'}  missing ${r.missing}  lag ${r.lags}  errors ${r.errors}  end-to-end p50 ${r1(pct(r.e2e, 50))} ms  p99 ${r1(p99)} ms`
    + `  processing p50 ${r1(pct(r.server, 50))} ms  p99 ${r1(processingP99)} ms  server CPU ${cpuPct}%`);
  if (ok) {
    capacity = n;
    memoryPerStream = { rss_kib: Math.round((peak.rss - base.rss) / n / 1024), heap_kib: Math.round((peak.heap - base.heapUsed - base.external) / n / 1024), n };
  } else break;
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`capacity: ${capacity} real-time streams (criterion: no missing second, no lag/error event, processing p99 ≤ ${LATE_MS} ms,`
  + ` end-to-end p99 ≤ one-stream p99 + ${LATE_MS} ms)`);
console.log(`memory per stream (at N=${memoryPerStream.n}): ${memoryPerStream.rss_kib} KiB RSS, ${memoryPerStream.heap_kib} KiB heap+external (main thread)`);
await server.close();
await model.release();
rmSync(dir, { recursive: true, force: true });
console.log(`RESULT ${JSON.stringify({ latency, capacity_streams: capacity, late_threshold_ms: LATE_MS, memory_per_stream: memoryPerStream, steps: table, workers: WORKERS, cpus: cpus().length })}`);
