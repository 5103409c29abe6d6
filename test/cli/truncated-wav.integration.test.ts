import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../server/helpers.ts';
import { tempDir, testAudio16k, writeWav16k } from '../pipeline/helpers.ts';

const test = suite('cli: a truncated WAV is analysed as far as it goes, with a warning');
const dir = tempDir('truncated');
const audio = testAudio16k(8, 4).samples;
// The whole 8 s file cut after 4.5 s of data (plus one stray byte): its header still declares 8 s.
const whole = readFileSync(writeWav16k(dir.path, 'whole.wav', audio));
const truncated = join(dir.path, 'truncated.wav');
writeFileSync(truncated, whole.subarray(0, 44 + 4.5 * 32000 + 1));
const prefix = writeWav16k(dir.path, 'prefix.wav', audio.subarray(0, 4.5 * 16000));
test.after(() => dir.cleanup());

const WARNING = `emostream: warning: ${truncated}: truncated WAV: the data chunk declares 8.00 s (256000 bytes) but the file holds 4.50 s (144001 bytes); using the audio that is there`;

for (const command of ['extract', 'analyse'] as const) {
  test(`${command}: exit 0, one warning line naming the shortfall, output = that of the audio present`, async () => {
    const args = command === 'extract' ? ['--lld', '-', '--name', 'x'] : ['--model', 'speech'];
    const cut = await runCli([command, truncated, ...args]);
    const ref = await runCli([command, prefix, ...args]);
    assert.is(cut.code, 0, cut.stderr);
    assert.is(ref.code, 0, ref.stderr);
    assert.ok(cut.stderr.split('\n').includes(WARNING), cut.stderr);
    assert.not.match(ref.stderr, /truncated/, 'a complete file gives no warning');
    assert.ok(cut.stdout.length > 0);
    assert.is(cut.stdout, ref.stdout);
  });
}

test.run();
