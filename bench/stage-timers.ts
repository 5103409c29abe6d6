import { spawnSync } from 'node:child_process';

/** Named CPU-time accumulators for benchmark breakdowns (median of 3 passes per stage). */
export function stageTimers(cpuSeconds: () => number) {
  const totals = new Map<string, number>();
  return {
    time(name: string, fn: () => void): number {
      const passes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = cpuSeconds();
        fn();
        passes.push(cpuSeconds() - t);
      }
      const med = passes.sort((a, b) => a - b)[1];
      totals.set(name, med);
      return med;
    },
    entries: () => totals.entries(),
  };
}

/**
 * CPU seconds (user + sys, all threads and any waited-for children) of running `command args…` as a child process,
 * from bash's `times` builtin (millisecond resolution). Throws with the child's stderr if it fails; returns its
 * stderr too (a clean run prints nothing).
 */
export function childCpuSeconds(command: string, args: readonly string[], timeoutS = 600): { cpuS: number; stderr: string } {
  const script = `timeout ${timeoutS} "$@" > /dev/null; rc=$?; times; exit $rc`;
  const r = spawnSync('bash', ['-c', script, 'bash', command, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${r.status}${r.status === 124 ? ' (timed out)' : ''}: ${r.stderr}`);
  // `times` prints two lines, the shell's own and its children's: "XmS.SSSs YmS.SSSs" (user, system).
  const children = r.stdout.trim().split('\n').pop() ?? '';
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(children);
  if (!m) throw new Error(`cannot read the CPU time from bash's times output '${r.stdout}'`);
  return { cpuS: 60 * Number(m[1]) + Number(m[2]) + 60 * Number(m[3]) + Number(m[4]), stderr: r.stderr };
}
