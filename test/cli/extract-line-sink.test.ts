/** The CLI's output sink: byte-identical text, back-pressure without piling up listeners, clear write errors. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLineSink } from '../../src/cli/line-sink.ts';
import { EmostreamError } from '../../src/errors.ts';

const test = suite('cli line-sink');
const dir = mkdtempSync(join(tmpdir(), 'emostream-sink-'));

test('lines and byte records reach the file in order; 40 slow flushes raise no MaxListeners warning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => { warnings.push(`${w.name}: ${w.message}`); };
  process.on('warning', onWarning);
  const path = join(dir, 'many.csv');
  const sink = createLineSink(path);
  const expected: string[] = [];
  const record = 'x'.repeat(999);
  for (let batch = 0; batch < 40; batch++) {
    for (let i = 0; i < 1500; i++) {
      if (i % 2) {
        const text = `${batch};${i};é`;
        sink.line(text);
        expected.push(text);
      } else {
        sink.bytes(1100, (_view, bytes, pos) => {
          const text = `${batch};${i};${record}`;
          for (let k = 0; k < text.length; k++) bytes[pos++] = text.charCodeAt(k);
          bytes[pos] = 0x0a;
          return pos + 1;
        });
        expected.push(`${batch};${i};${record}`);
      }
    }
    await sink.flush(); // > 1 MiB queued each time: the file stream needs a drain per flush
  }
  await sink.close();
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
  process.off('warning', onWarning);
  assert.equal(warnings, []);
  const text = readFileSync(path, 'utf8');
  assert.is(text, expected.join('\n') + '\n');
  assert.not.ok(sink.readerGone);
});

test('an unwritable path rejects with one clear error', async () => {
  const sink = createLineSink(join(dir, 'no-such-dir', 'out.csv'));
  sink.line('a');
  try {
    await sink.close();
    assert.unreachable('close() should reject');
  } catch (err) {
    assert.instance(err, EmostreamError);
    assert.is((err as EmostreamError).code, 'EMO_ERR_INPUT_NOT_FOUND');
    assert.match((err as Error).message, /no-such-dir.*cannot write \(ENOENT\)/);
  }
});

test.run();
