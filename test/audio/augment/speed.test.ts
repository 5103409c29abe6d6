import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { speedPerturb, speedSourceRate } from '../../../src/audio/augment/speed.ts';
import { sine, toneAmplitude } from '../helpers.ts';

const test = suite('audio/augment/speed');

test('speed 1.1 shortens by 1/1.1 and scales a tone by 1.1; 0.9 lengthens and lowers it', async () => {
  const x = sine(32000, 500, 16000, 0.5);
  for (const factor of [1.1, 0.9, 1.037]) {
    const y = await speedPerturb(x, factor);
    assert.is(y.length, Math.ceil((x.length * 16000) / speedSourceRate(factor)));
    assert.ok(Math.abs(y.length - x.length / factor) <= 1, `length ${y.length}`);
    const mid = y.subarray(1600, y.length - 1600);
    const moved = toneAmplitude(mid, 500 * factor, 16000), old = toneAmplitude(mid, 500, 16000);
    assert.ok(Math.abs(moved - 0.5) < 0.01, `${factor}: tone at ${500 * factor} Hz has amplitude ${moved}`);
    assert.ok(old < 0.02, `${factor}: nothing left at 500 Hz (${old})`);
  }
});

test('factor 1 is a copy; the effective factor is round(16000·f)/16000', async () => {
  const x = sine(1000, 300, 16000);
  const y = await speedPerturb(x, 1);
  assert.equal(Array.from(y), Array.from(x));
  assert.is.not(y, x);
  assert.is(speedSourceRate(1.1), 17600);
  assert.is(speedSourceRate(0.90004), 14401);
});

test.run();
