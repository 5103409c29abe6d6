import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

const test = suite('cli/analyse with the shipped models');
const fixture = fileURLToPath(new URL('../fixtures/golden/speech1_16k.wav', import.meta.url));

/** Runs the CLI, capturing stdout and stderr. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const w = process.stdout.write.bind(process.stdout), e = process.stderr.write.bind(process.stderr);
  let out = '', err = '';
  process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((err += c), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), out, err };
  } finally {
    process.stdout.write = w;
    process.stderr.write = e;
  }
}

const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; t: number; arousal: number; valence: number; model: string });

test('analyse <speech fixture> --model speech: one JSON line per second, finite arousal/valence in a plausible range', async () => {
  const r = await run(['analyse', fixture, '--model', 'speech']);
  assert.is(r.code, 0, r.err);
  const rows = lines(r.out);
  assert.ok(rows.length >= 3, `only ${rows.length} results for a ~5.9 s file`);
  rows.forEach((x, i) => {
    assert.is(x.type, 'av');
    assert.is(x.t, i + 2);
    for (const v of [x.arousal, x.valence]) assert.ok(Number.isFinite(v) && Math.abs(v) < 2, `implausible value ${v}`);
    assert.match(x.model, /^speech/);
  });
});

test('analyse without --model uses the documented default and still answers', async () => {
  const r = await run(['analyse', fixture, '--format', 'csv']);
  assert.is(r.code, 0, r.err);
  const [head, ...rest] = r.out.trim().split('\n');
  assert.is(head, 't,arousal,valence');
  assert.ok(rest.length >= 3);
  for (const row of rest) assert.ok(row.split(',').map(Number).every(Number.isFinite), row);
});

test.run();
