#!/usr/bin/env node
// Runs every test/**/*.test.ts file in its own Node process (uvu suites, TypeScript through tsx),
// two at a time, and ends with the one line CI reads: "N passed, N failed" (", N skipped" when tests were skipped).
// Usage: npm test [-- filter]   (filter = substring of the test file path)
//
// A file fails when any test fails, when it crashes, exits non-zero or prints no uvu summary, and when it does not
// exit after its summary (open handles): such a file is killed after EXIT_GRACE_MS and counted as a failure.
// Skipped tests (uvu's test.skip) are listed at the end with their reasons: a test file prints
// "[skip] <test title>: <reason>" for each skip (test/pipeline/helpers.ts `testUnless` does).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ?? '';

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

// EMOSTREAM_TEST_DIR (another folder of *.test.ts files) and EMOSTREAM_TEST_EXIT_GRACE_MS exist for the runner's own test.
const files = listTests(process.env.EMOSTREAM_TEST_DIR ?? join(root, 'test')).filter((f) => f.includes(filter));
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** A file whose tests are done must exit within this grace period (else it is killed and counted as failed). */
const EXIT_GRACE_MS = Number(process.env.EMOSTREAM_TEST_EXIT_GRACE_MS ?? 10_000);
/**
 * V8 flags of every test process. `--no-concurrent-recompilation`: Node 20 can deadlock at exit when a background
 * TurboFan job waits for a main-thread GC while the main thread waits for that job (NodePlatform::DrainTasks; Node
 * issue 54918, seen here in about 1 of 20 runs on a loaded machine). Compiling on the main thread removes the cycle,
 * so a file that then does not exit really left something open.
 */
const NODE_FLAGS = ['--no-concurrent-recompilation'];
/** No test file may run longer than this. */
const FILE_TIMEOUT_MS = 300_000;

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', file], { cwd: root, env: process.env });
    let output = '';
    let note = '';
    let graceTimer;
    const hardTimer = setTimeout(() => {
      note = `killed after ${FILE_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    const onData = (d) => {
      output += d;
      // uvu prints its summary (ending with "Duration:") when every suite has run; the process must then exit.
      // One that does not (a socket, timer or worker left open) is killed and fails: the leak is a bug to fix.
      if (!graceTimer && /Duration:/.test(stripAnsi(output))) {
        graceTimer = setTimeout(() => {
          note = `printed its summary but did not exit within ${EXIT_GRACE_MS / 1000} s (open handles?): killed, counted as a failure`;
          child.kill('SIGKILL');
        }, EXIT_GRACE_MS);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code, signal) => {
      clearTimeout(hardTimer);
      clearTimeout(graceTimer);
      const text = stripAnsi(output);
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      // uvu's Total counts the tests that ran (skipped ones are reported apart), so failures = Total − Passed.
      let failed = Math.max(0, total - passed);
      const summarised = /Duration:/.test(text);
      // A crash, a timeout, a hang after the summary or a non-zero exit with no failure counted is still one failure.
      if ((code !== 0 || signal !== null || !summarised) && failed === 0) failed = 1;
      const reasons = [...text.matchAll(/^\[skip\] (.+)$/gm)].map((m) => m[1]);
      resolve({ file, code, passed, failed, skipped, reasons, text, note, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const queue = [...files];
const results = [];
const workers = Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
  while (queue.length) {
    const file = queue.shift();
    const r = await runFile(file);
    results.push(r);
    const mark = r.failed ? 'FAIL' : 'ok  ';
    const skips = r.skipped ? `, ${r.skipped} skipped` : '';
    process.stdout.write(`${mark} ${relative(root, file)}  ${r.passed} passed, ${r.failed} failed${skips} (${r.seconds.toFixed(1)} s)${r.note ? ` [${r.note}]` : ''}\n`);
    if (r.failed) process.stdout.write(r.text.split('\n').map((l) => '     ' + l).join('\n') + '\n');
  }
});
await Promise.all(workers);

/** The skipped tests with their reasons, per file (and how many skipped without printing one). */
function skipReport() {
  const lines = [];
  for (const r of [...results].sort((a, b) => a.file.localeCompare(b.file))) {
    if (!r.skipped && r.reasons.length === 0) continue;
    for (const reason of r.reasons) lines.push(`  ${relative(root, r.file)}: ${reason}`);
    const silent = r.skipped - r.reasons.length;
    if (silent > 0) lines.push(`  ${relative(root, r.file)}: ${silent} test${silent > 1 ? 's' : ''} skipped without a printed reason`);
  }
  return lines;
}
const skipLines = skipReport();
if (skipLines.length) console.log(['skipped:', ...skipLines].join('\n'));

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + r.skipped, 0);
if (files.length === 0) console.log('no test files matched');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || files.length === 0 ? 1 : 0);
