/** Ctrl-C on a real `emostream train` process: a checkpoint, exit 130, and `--resume` finishes the run. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';

const test = suite('train Ctrl-C');
const BIN = fileURLToPath(new URL('../../bin/emostream.js', import.meta.url));

function runTrain(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'train', ...args]);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('SIGINT after the first epochs writes a checkpoint and exits 130; --resume continues to the end', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-interrupt-'));
  try {
    await writeSyntheticCorpus(join(dir, 'corpus'), 3, 24);
    const exp = { corpora: ['corpus/manifest.json'], split: { testGroups: ['speech:0'], validationGroups: ['speech:1'] }, hidden: [16, 4], learningRate: 0.2, maxEpochs: 400, patience: 400, seed: 5, out: 'run' };
    await writeFile(join(dir, 'exp.json'), JSON.stringify(exp));
    let sent = false;
    const first = await runTrain([join(dir, 'exp.json')], (text, child) => {
      if (!sent && /epoch 3:/.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    assert.ok(sent, `training never reached epoch 3: ${first.stderr.slice(-300)}`);
    assert.is(first.code, 130, first.stderr.slice(-300));
    assert.match(first.stderr, /checkpoint written to/);
    const checkpoint = join(dir, 'run', 'checkpoint.json');
    assert.ok(existsSync(checkpoint));
    const epochsBefore = (first.stderr.match(/^epoch \d+:/gm) ?? []).length;
    const second = await runTrain([join(dir, 'exp.json'), '--resume', checkpoint, '--quiet']);
    assert.is(second.code, 0, second.stderr.slice(-300));
    const metrics = JSON.parse(await readFile(join(dir, 'run', 'metrics.json'), 'utf8'));
    assert.is(metrics.epochs, 400, 'the resumed run trains to maxEpochs');
    assert.ok(epochsBefore >= 3 && epochsBefore < 400);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
