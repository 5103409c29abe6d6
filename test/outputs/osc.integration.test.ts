import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { tempDir, testAudio16k, writeWav16k } from '../pipeline/helpers.ts';
import { startOscReceiver } from './osc-wire.ts';

const test = suite('outputs: serve --osc end to end (CLI, shipped speech model, real UDP)');
const dir = tempDir('osc-cli');
test.after(() => dir.cleanup());
const root = new URL('../..', import.meta.url).pathname;

test('serve --file … --osc 127.0.0.1:PORT --osc-flat --osc-range unit --motion-hz 0: one /content s and float values per second', async () => {
  const receiver = await startOscReceiver();
  const wav = writeWav16k(dir.path, 'talk.wav', testAudio16k(5, 4).samples);
  const child = spawn(process.execPath, ['--no-concurrent-recompilation', 'bin/emostream.js', 'serve', '--file', wav, '--fast', '--port', '0', '--workers', '0',
    '--model', 'speech', '--osc', `127.0.0.1:${receiver.port}`, '--osc-flat', '--osc-range', 'unit', '--motion-hz', '0'], { cwd: root });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    // 5 s of audio: results at t = 2, 3, 4, 5 → 4 × (content, arousal, valence, confidence).
    const got = await receiver.waitFor(16);
    assert.match(stderr, new RegExp(`osc +udp://127\\.0\\.0\\.1:${receiver.port}`), 'the banner names the target');
    const by = (suffix: string) => got.filter((m) => m.address === `/emostream_talk_${suffix}`);
    assert.is(by('content').length, 4);
    assert.ok(by('content').every((m) => m.types === 's' && ['speech', 'music', 'silence', 'mixed'].includes(m.args[0] as string)));
    for (const field of ['arousal', 'valence', 'confidence']) {
      const values = by(field);
      assert.is(values.length, 4, field);
      assert.ok(values.every((m) => m.types === 'f' && (m.args[0] as number) >= 0 && (m.args[0] as number) <= 1), `${field} in 0–1: ${JSON.stringify(values)}`);
    }
  } finally {
    child.kill('SIGINT');
    assert.is(await exited, 0, stderr);
    await receiver.close();
  }
});

test.run();
