import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../server/helpers.ts';
import { tempDir } from '../pipeline/helpers.ts';

const test = suite('cli/serve (real processes)');
const root = new URL('../..', import.meta.url).pathname;
const dir = tempDir('serve-cli');
const missing = join(dir.path, 'missing.wav');
test.after(() => dir.cleanup());

test('every source failed, no --ingest: serve stops and exits with the first source\'s exit code (3: file missing)', async () => {
  const r = await runCli(['serve', '--model', 'speech', '--port', '0', '--workers', '0', '--file', missing, '--url', 'http://127.0.0.1:9/none.mp3']);
  assert.is(r.code, 3, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines.at(-1)!, /^emostream: serve: every source failed \(missing, url\), nothing left to serve; first error: .*missing\.wav: file not found$/);
  assert.ok(lines.some((l) => l.includes('"stream":"url"') && l.includes('"code":"network"')), 'the URL source\'s error was printed too');
});

test('a failed URL source alone exits 9 (network source failure)', async () => {
  const r = await runCli(['serve', '--model', 'speech', '--port', '0', '--workers', '0', '--url', 'http://127.0.0.1:9/none.mp3']);
  assert.is(r.code, 9, r.stderr);
});

test('with --ingest the server keeps serving after its only source failed; Ctrl-C exits 0', async () => {
  const child = spawn(process.execPath, ['bin/emostream.js', 'serve', '--model', 'speech', '--port', '0', '--workers', '0', '--ingest', '--file', missing], { cwd: root });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failed = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const url = /serving .* on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url && stderr.includes('"code":"input_not_found"')) resolve(url);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) early: ${stderr}`)));
  });
  try {
    const url = await failed;
    const health = await (await fetch(`${url}/health`)).json() as Record<string, unknown>;
    assert.is(health.status, 'ok');
    assert.equal(health.stream_ids, [], 'the failed stream is gone; the server waits for ingest streams');
    assert.is(child.exitCode, null, 'still running');
  } finally {
    child.kill('SIGINT');
  }
  assert.is(await exited, 0, stderr);
});

test.run();
