import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvHeader, csvLine, csvRowMaxBytes, csvRowPrefix, formatExp, writeCsvRow } from '../../src/features/opensmile-csv.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('opensmile-csv');

test('formats numbers like C printf %e', () => {
  assert.is(formatExp(439.6679), '4.396679e+02');
  assert.is(formatExp(-5.185721e-6), '-5.185721e-06');
  assert.is(formatExp(0), '0.000000e+00');
  assert.is(formatExp(1e-100), '1.000000e-100');
  assert.is(formatExp(1), '1.000000e+00');
});

test('header and line layout match the golden files', () => {
  assert.is(csvHeader(['a', 'b']), 'name;frameTime;a;b');
  assert.is(csvLine('clip', 0.01, [1, -2]), "'clip';0.010000;1.000000e+00;-2.000000e+00");
});

test('writeCsvRow writes csvLine + newline as UTF-8 bytes, within csvRowMaxBytes', () => {
  const rnd = seededRandom(5);
  const buffer = new Uint8Array(1 << 16);
  const view = new DataView(buffer.buffer);
  const decoder = new TextDecoder();
  for (const name of ['clip', 'späť — 音声', '']) {
    const prefix = csvRowPrefix(name);
    for (let r = 0; r < 200; r++) {
      const width = 1 + Math.floor(rnd() * 260);
      const values = Float32Array.from({ length: width + 3 }, () => (rnd() - 0.5) * 10 ** (rnd() * 80 - 40));
      if (r % 7 === 0) values[1] = -0;
      const timeS = r % 3 === 0 ? r * 0.01 : r * 1e4 + rnd();
      const start = 1 + (r % 5);
      const end = writeCsvRow(view, buffer, start, prefix, timeS, values, 2, width);
      assert.ok(end - start <= csvRowMaxBytes(prefix, width));
      assert.is(decoder.decode(buffer.subarray(start, end)), csvLine(name, timeS, values, 2, width) + '\n');
    }
  }
});

test.run();
