import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toMono } from '../../src/audio/mixdown.ts';
import { expectError, sine } from './helpers.ts';

const test = suite('audio/mixdown');

test('mono input is returned unchanged', () => {
  const x = sine(100, 300, 8000);
  assert.is(toMono([x]), x);
});

test('identical channels keep their exact values (6 channels)', () => {
  const x = sine(1000, 440, 16000, 0.7);
  const mono = toMono([x, x, x, x, x, x]);
  assert.equal(mono, x);
});

test('averages channels: L/R opposite cancel, DC offsets average', () => {
  const x = sine(500, 300, 8000);
  const neg = x.map((v) => -v);
  assert.ok(toMono([x, neg]).every((v) => v === 0));
  const out = toMono([new Float32Array(4).fill(1), new Float32Array(4).fill(0), new Float32Array(4).fill(-0.5)]);
  assert.ok(out.every((v) => Math.abs(v - 1 / 6) < 1e-7));
});

test('full-scale and silent channels stay finite and bounded', () => {
  const clip = new Float32Array(64).fill(1);
  const out = toMono([clip, clip.map(() => -1), new Float32Array(64)]);
  assert.ok(out.every((v) => v === 0));
  assert.ok(toMono([clip, clip]).every((v) => v === 1));
});

test('bad input: no channels or unequal lengths', async () => {
  await expectError(() => toMono([]), 'EMO_ERR_BAD_AUDIO');
  await expectError(() => toMono([new Float32Array(3), new Float32Array(4)]), 'EMO_ERR_BAD_AUDIO');
});

test.run();
