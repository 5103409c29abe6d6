#!/usr/bin/env node
// Runs every test/**/*.test.ts file in its own Node process (uvu suites, TypeScript through tsx),
// two at a time, and ends with the one line CI reads: "N passed, N failed".
// Usage: npm test [-- filter]   (filter = substring of the test file path)
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

const files = listTests(join(root, 'test')).filter((f) => f.includes(filter));
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** A file whose tests are done must exit within this grace period (a stuck exit is killed, not waited for). */
const EXIT_GRACE_MS = 10_000;
/** No test file may run longer than this. */
const FILE_TIMEOUT_MS = 300_000;

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: process.env });
    let output = '';
    let note = '';
    let graceTimer;
    const hardTimer = setTimeout(() => {
      note = `killed after ${FILE_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    const onData = (d) => {
      output += d;
      // uvu prints its summary (ending with "Duration:") when every suite has run. Seen on loaded machines: the
      // process then occasionally never exits (stuck in the tsx/esbuild loader at exit). The results are final, so
      // give it a grace period and then end it.
      if (!graceTimer && /Duration:/.test(stripAnsi(output))) {
        graceTimer = setTimeout(() => {
          note = 'finished its tests but did not exit; ended after a grace period';
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
      const endedAfterSummary = signal === 'SIGKILL' && summarised && note.startsWith('finished');
      // A crash, a timeout or a non-zero exit with no failure counted is still one failure.
      if ((code !== 0 || !summarised) && failed === 0 && !endedAfterSummary) failed = 1;
      resolve({ file, code, passed, failed, skipped, text, note, seconds: (Date.now() - started) / 1000 });
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
    process.stdout.write(`${mark} ${relative(root, file)}  ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)${r.note ? ` [${r.note}]` : ''}\n`);
    if (r.failed) process.stdout.write(r.text.split('\n').map((l) => '     ' + l).join('\n') + '\n');
  }
});
await Promise.all(workers);

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + r.skipped, 0);
if (files.length === 0) console.log('no test files matched');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || files.length === 0 ? 1 : 0);
