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

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: process.env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const text = stripAnsi(output);
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      let failed = total - passed - skipped;
      // A crash or a non-zero exit with no failure counted is still one failure.
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ file, code, passed, failed, skipped, text, seconds: (Date.now() - started) / 1000 });
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
    process.stdout.write(`${mark} ${relative(root, file)}  ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)\n`);
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
