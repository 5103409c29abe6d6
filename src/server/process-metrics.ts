/**
 * Default process metrics in the Prometheus text format, under the names exporters conventionally use (those of
 * prom-client's `collectDefaultMetrics`), so stock dashboards and alerts work unchanged:
 *
 *   process_cpu_user_seconds_total, process_cpu_system_seconds_total, process_cpu_seconds_total   counters, s
 *   process_start_time_seconds                        gauge, Unix epoch s
 *   process_resident_memory_bytes                     gauge (process.memoryUsage.rss)
 *   process_virtual_memory_bytes, process_heap_bytes  gauges, Linux only (/proc/self/status VmSize, VmData)
 *   process_open_fds                                  gauge, Linux only (/proc/self/fd)
 *   nodejs_heap_size_total_bytes, nodejs_heap_size_used_bytes, nodejs_external_memory_bytes   gauges
 *   nodejs_eventloop_lag_seconds                      gauge: mean event-loop lag since the previous scrape
 *   nodejs_eventloop_lag_{min,max,mean,p50,p90,p99}_seconds   gauges over the same interval
 *
 * Event-loop lag comes from `perf_hooks.monitorEventLoopDelay`, which samples the delay of a timer firing every
 * EVENT_LOOP_RESOLUTION_MS; the lag is that delay minus the timer interval (never below 0). The histogram is reset
 * after each scrape (as prom-client does), so each scrape describes the interval since the one before (perf_hooks
 * starts measuring again from the monitor's first tick after the reset, ≤ EVENT_LOOP_RESOLUTION_MS later); with no
 * sample in the interval (two scrapes within one resolution) the lag gauges read 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Sampling interval of the event-loop delay monitor, ms. */
export const EVENT_LOOP_RESOLUTION_MS = 10;

/** The process metrics of one server. */
export interface ProcessMetrics {
  /** Renders the metrics as Prometheus text (HELP, TYPE and one sample each) and starts a new lag interval. */
  render(): string;
  /** Stops the event-loop monitor. Idempotent. */
  release(): void;
}

type MetricType = 'counter' | 'gauge';

/** Appends one metric (HELP, TYPE, sample) to `lines`. */
function metric(lines: string[], name: string, type: MetricType, help: string, value: number): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${Number.isFinite(value) ? value : 0}`);
}

/** VmSize and VmData of /proc/self/status in bytes (undefined off Linux). */
function procStatusMemory(): { virtualBytes: number; dataBytes: number } | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const virtualBytes = kib('VmSize');
  const dataBytes = kib('VmData');
  return Number.isFinite(virtualBytes) && Number.isFinite(dataBytes) ? { virtualBytes, dataBytes } : undefined;
}

/** Open file descriptors (undefined off Linux). */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length - 1; // the directory handle read here is one of them
  } catch {
    return undefined;
  }
}

/** Appends the event-loop lag gauges of `h` (delays in ns, timer interval subtracted) and resets it. */
function renderLag(lines: string[], h: IntervalHistogram): void {
  const lagS = (ns: number): number => (h.count > 0 ? Math.max(0, ns - EVENT_LOOP_RESOLUTION_MS * 1e6) / 1e9 : 0);
  const mean = h.count > 0 ? Math.round(lagS(h.mean) * 1e9) / 1e9 : 0; // h.mean is fractional ns
  metric(lines, 'nodejs_eventloop_lag_seconds', 'gauge', 'Mean event-loop lag since the previous scrape, seconds.', mean);
  metric(lines, 'nodejs_eventloop_lag_min_seconds', 'gauge', 'Smallest event-loop lag since the previous scrape, seconds.', lagS(h.min));
  metric(lines, 'nodejs_eventloop_lag_max_seconds', 'gauge', 'Largest event-loop lag since the previous scrape, seconds.', lagS(h.max));
  metric(lines, 'nodejs_eventloop_lag_mean_seconds', 'gauge', 'Mean event-loop lag since the previous scrape, seconds.', mean);
  for (const p of [50, 90, 99]) {
    metric(lines, `nodejs_eventloop_lag_p${p}_seconds`, 'gauge', `${p}th percentile of the event-loop lag since the previous scrape, seconds.`, lagS(h.percentile(p)));
  }
  h.reset();
}

/** Starts the event-loop monitor and returns the process metrics. */
export function createProcessMetrics(): ProcessMetrics {
  const loop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  loop.enable();
  let released = false;
  const startTimeS = performance.timeOrigin / 1000;
  return {
    render() {
      const lines: string[] = [];
      const cpu = process.cpuUsage();
      metric(lines, 'process_cpu_user_seconds_total', 'counter', 'Total user CPU time spent in seconds.', cpu.user / 1e6);
      metric(lines, 'process_cpu_system_seconds_total', 'counter', 'Total system CPU time spent in seconds.', cpu.system / 1e6);
      metric(lines, 'process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', (cpu.user + cpu.system) / 1e6);
      metric(lines, 'process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.', startTimeS);
      const memory = process.memoryUsage();
      metric(lines, 'process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', memory.rss);
      const status = procStatusMemory();
      if (status) {
        metric(lines, 'process_virtual_memory_bytes', 'gauge', 'Virtual memory size in bytes.', status.virtualBytes);
        metric(lines, 'process_heap_bytes', 'gauge', 'Process heap size in bytes.', status.dataBytes);
      }
      const fds = openFds();
      if (fds !== undefined) metric(lines, 'process_open_fds', 'gauge', 'Number of open file descriptors.', fds);
      metric(lines, 'nodejs_heap_size_total_bytes', 'gauge', 'Process heap size from Node.js in bytes.', memory.heapTotal);
      metric(lines, 'nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.', memory.heapUsed);
      metric(lines, 'nodejs_external_memory_bytes', 'gauge', 'Node.js external memory size in bytes.', memory.external);
      renderLag(lines, loop);
      return lines.join('\n') + '\n';
    },
    release() {
      if (released) return;
      released = true;
      loop.disable();
    },
  };
}
