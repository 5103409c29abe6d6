import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempDir } from '../pipeline/helpers.ts';

const test = suite('test/run.mjs (the runner behind npm test)');
const root = new URL('../..', import.meta.url).pathname;
const dir = tempDir('runner');
test.after(() => dir.cleanup());

const uvu = JSON.stringify(join(root, 'node_modules/uvu/dist/index.mjs'));
const helpers = JSON.stringify(join(root, 'test/pipeline/helpers.ts'));
const fixture = (name: string, body: string): void => writeFileSync(join(dir.path, name), `import { suite } from ${uvu};\n${body}\n`);
fixture('a-pass.test.ts', `const t = suite('pass'); t('one', () => {}); t('two', () => {}); t.run();`);
fixture('b-hang.test.ts', `const t = suite('hang'); t('passes, then leaves a timer running', () => { setInterval(() => {}, 1000); }); t.run();`);
fixture('c-skip.test.ts', `import { testUnless } from ${helpers};
const t = suite('skip'); testUnless(t, 'no frobnicator on this machine')('needs a frobnicator', () => { throw new Error('ran'); });
t.skip('silent skip', () => {}); t('runs', () => {}); t.run();`);
fixture('d-fail.test.ts', `const t = suite('fail'); t('fails', () => { throw new Error('boom'); }); t.run();`);

test('a file that prints its summary but does not exit fails with a note; skips are listed with reasons; the last line counts', () => {
  const r = spawnSync(process.execPath, ['test/run.mjs'], {
    cwd: root, encoding: 'utf8', timeout: 120000,
    env: { ...process.env, EMOSTREAM_TEST_DIR: dir.path, EMOSTREAM_TEST_EXIT_GRACE_MS: '1000' },
  });
  const lines = r.stdout.trim().split('\n');
  assert.is(r.status, 1, r.stdout);
  assert.ok(lines.some((l) => /^ok {3}.*a-pass\.test\.ts {2}2 passed, 0 failed \(/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^FAIL .*b-hang\.test\.ts {2}1 passed, 1 failed .*\[printed its summary but did not exit within 1 s \(open handles\?\): killed, counted as a failure\]$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^ok {3}.*c-skip\.test\.ts {2}1 passed, 0 failed, 2 skipped \(/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^FAIL .*d-fail\.test\.ts {2}0 passed, 1 failed/.test(l)), r.stdout);
  const at = lines.indexOf('skipped:');
  assert.ok(at > 0, r.stdout);
  const skipFile = relative(root, join(dir.path, 'c-skip.test.ts'));
  assert.equal(lines.slice(at + 1, at + 3), [
    `  ${skipFile}: needs a frobnicator: no frobnicator on this machine`,
    `  ${skipFile}: 1 test skipped without a printed reason`,
  ]);
  assert.is(lines.at(-1), '4 passed, 2 failed, 2 skipped');
});

test.run();
