import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMotion, resolveMotionOptions } from '../../src/outputs/motion.ts';

const test = suite('outputs/motion');
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('NaN before the first result; the first result is taken as it is', () => {
  const m = createMotion();
  assert.ok(Number.isNaN(m.sample(0)));
  m.push(0.3, 100);
  near(m.sample(100), 0.3, 'at once');
  near(m.sample(5000), 0.3, 'later');
});

test('a new result ramps linearly from the current output, reaching it one ramp later; a result mid-ramp continues smoothly', () => {
  const m = createMotion({ rampMs: 1000 });
  m.push(0, 0);
  m.push(1, 1000);
  near(m.sample(1000), 0, 'start of the ramp');
  near(m.sample(1250), 0.25, 'quarter');
  near(m.sample(2000), 1, 'end');
  near(m.sample(2500), 1, 'holds');
  m.push(-1, 2500);
  m.push(1, 3000);                 // half-way to −1: output 0, then towards +1
  near(m.sample(3000), 0, 'no jump when a result interrupts a ramp');
  near(m.sample(3500), 0.5, 'continues towards the new value');
});

test('smoothing: the target moves by α = 1 − e^(−1/τ) of the way to each result', () => {
  const m = createMotion({ rampMs: 0, smoothingS: 2 });
  const a = 1 - Math.exp(-1 / 2);
  m.push(0, 0);
  m.push(1, 1000);
  near(m.sample(1000), a, 'one step');
  m.push(1, 2000);
  near(m.sample(2000), a + a * (1 - a), 'two steps');
});

test('ramp 0 jumps to each result', () => {
  const m = createMotion({ rampMs: 0 });
  m.push(0.1, 0);
  m.push(0.9, 10);
  near(m.sample(10), 0.9, 'jump');
});

test('bad options are refused with the option named', () => {
  assert.throws(() => resolveMotionOptions({ rampMs: -1 }), /rampMs/);
  assert.throws(() => resolveMotionOptions({ smoothingS: Infinity }), /smoothing/);
});

test.run();
