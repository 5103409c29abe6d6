#!/usr/bin/env node
// emostream CLI launcher: runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` / `npm install` run).
//
// It runs the CLI under `node --no-concurrent-recompilation`: Node 20 can deadlock at exit when a background
// optimising-compiler job waits for a garbage collection while the main thread waits for that job
// (nodejs/node#54918; measured here: 3 of 210 short `extract` runs hung on a loaded 2-core machine, 0 of 630 with
// the flag). V8 reads the flag only at start-up, so without it the launcher starts one child process with it,
// forwards SIGINT/SIGTERM/SIGHUP to it and exits with its status; the child ends itself (as on SIGTERM) if the
// launcher disappears. Help and version output run no analysis
// (no optimising compiler at work) and print in-process, so they stay fast.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FLAG = '--no-concurrent-recompilation';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('emostream: dist/ is missing: run `npm run build` (npm ci / npm install do it) in the package folder\n');
  process.exit(70);
}
const args = process.argv.slice(2);
const helpOnly = args.length === 0 || args.some((a) => a === '--help' || a === '-h' || a === '--version') || args[0] === 'help';
if (process.execArgv.includes(FLAG) || helpOnly) {
  // Started by the launcher below: if the launcher dies (even by SIGKILL) the IPC channel closes; end as on SIGTERM.
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  const { main } = await import(entry.href);
  process.exitCode = await main(args);
} else {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`emostream: cannot start ${process.execPath}: ${err.message}\n`);
    process.exit(70);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 128 + 15)));
}
