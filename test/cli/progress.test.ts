import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgress, etaSeconds, formatDuration, renderBar } from '../../src/cli/progress.ts';

const test = suite('train/progress');

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { write: (s: string) => out.push(s), isTTY, columns: 100 } };
}

test('formatting helpers', () => {
  assert.is(formatDuration(65), '1:05');
  assert.is(formatDuration(3723), '1:02:03');
  assert.is(formatDuration(Infinity), '--:--');
  assert.is(etaSeconds(1, 4, 10), 30);
  assert.is(etaSeconds(0, 4, 10), Infinity);
  assert.is(renderBar(0.5, 10), '█████░░░░░');
});

test('non-TTY: plain lines at 10 % steps with ETA from an injected clock', () => {
  let t = 0;
  const { out, stream } = fakeStream(false);
  const p = createProgress({ total: 20, label: 'feat', stream, now: () => t });
  for (let i = 0; i < 20; i++) {
    t += 1000;
    p.tick(1, `seq${i}`);
  }
  p.done();
  assert.is(out.length, 11, '10 steps + done');
  assert.is(out[0], 'feat: 2/20 10% elapsed 0:02 eta 0:18 seq1\n');
  assert.ok(out.every((l) => l.endsWith('\n') && !l.includes('\r')));
});

test('TTY: one redrawn line with a bar, newline at the end', () => {
  let t = 0;
  const { out, stream } = fakeStream(true);
  const p = createProgress({ total: 4, label: 'feat', stream, now: () => (t += 500) });
  p.tick();
  p.tick(3);
  p.done('ok');
  assert.is(out.length, 3);
  assert.ok(out[0]!.startsWith('\rfeat █') && out[0]!.includes('1/4 25%'));
  assert.ok(out[2]!.endsWith('\n') && out[2]!.includes('4/4 100%') && out[2]!.includes(' ok'));
  assert.throws(() => createProgress({ total: 0, stream }), /positive integer/);
});

test.run();
