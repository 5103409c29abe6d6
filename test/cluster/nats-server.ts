/**
 * A real nats-server (Debian package nats-server 2.9) for the tests: started with JetStream on a free loopback port
 * and its own store directory, stopped by pid. Missing binary: the tests that need it are skipped with a printed
 * reason locally and FAIL in CI (CI=true: .ci/run installs the package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/** Path of the nats-server binary, or undefined. */
export function natsServerBinary(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** Skip reason for `testUnless` (undefined when the tests must run: the binary exists, or CI=true). */
export function natsSkipReason(): string | undefined {
  return natsServerBinary() || process.env.CI ? undefined : 'nats-server is not installed (apt-get install nats-server)';
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running nats-server. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Stops it (SIGTERM, then SIGKILL after 3 s); the store survives. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops it and removes the store. */
  dispose(): Promise<void>;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not listen on ${port} within ${ms} ms`);
}

/** Starts nats-server -js on a free loopback port. */
export async function startNatsServer(): Promise<NatsServer> {
  const bin = natsServerBinary();
  if (!bin) throw new Error('nats-server is not installed (.ci/run installs the Debian package nats-server)');
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'emostream-nats-'));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: 'ignore' });
    await waitForPort(port, 10_000);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`, port, storeDir, stop, restart: start,
    async dispose() { await stop(); rmSync(storeDir, { recursive: true, force: true }); },
  };
}
