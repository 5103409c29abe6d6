/**
 * `emostream serve` as a real process for the cluster tests and the cluster bench: started with
 * `node --no-concurrent-recompilation bin/emostream.js serve …` (the launcher then runs the CLI in that very process,
 * so the child's pid is the server's and SIGKILL reaches it), its URLs read from its start-up lines on stderr.
 * `stopAll()` kills whatever is left, so no process outlives a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;
const running = new Set<ChildProcess>();
process.once('exit', () => { for (const c of running) c.kill('SIGKILL'); });

/** A running `serve` process. */
export interface ServeProcess {
  readonly name: string;
  readonly pid: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** ws://127.0.0.1:PORT */
  readonly ws: string;
  /** AudioSocket TCP port (started with --audiosocket 0), else undefined. */
  readonly audiosocketPort: number | undefined;
  /** Everything it printed on stderr so far. */
  readonly stderr: () => string;
  /** Resolves with [exit code, signal] when it exited. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `emostream serve <args>` and resolves once it printed where it serves (rejects if it exits first). */
export function startServe(name: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--no-concurrent-recompilation', 'bin/emostream.js', 'serve', ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => { running.delete(child); resolve([code, signal]); }));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const http = /serving .* on (http:\/\/[^\s]+)/.exec(stderr);
      const overlay = /overlay {2}/.test(stderr); // the last start-up line
      if (!http || !overlay) return;
      const audiosocket = /audiosocket tcp [^:\s]+:(\d+)/.exec(stderr);
      resolve({
        name, pid: child.pid!, url: http[1], ws: http[1].replace('http', 'ws'), audiosocketPort: audiosocket ? Number(audiosocket[1]) : undefined,
        stderr: () => stderr, exited, kill: (signal) => { child.kill(signal); },
      });
    });
    void exited.then(([code, signal]) => reject(new Error(`${name} exited (${code ?? signal}) before serving: ${stderr.slice(-600)}`)));
  });
}

/** Kills every process still running (SIGKILL) and waits for them. */
export async function stopAll(): Promise<void> {
  const left = [...running];
  for (const c of left) c.kill('SIGKILL');
  await Promise.all(left.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
}
