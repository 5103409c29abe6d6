import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coverage, fitVarianceCalibration, NORMAL_Z, type SpreadSample } from '../../../src/train/eval/calibration.ts';
import { createRng } from '../../../src/train/fit/engine/rng.ts';

const test = suite('train/eval/calibration');

/** Errors drawn from N(0, floor + scale · v) with v uniform on [0, 0.2]. */
function draw(n: number, floor: number, scale: number, seed: number): SpreadSample[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const variance = 0.2 * rng.uniform();
    return { variance, error: rng.gaussian() * Math.sqrt(floor + scale * variance) };
  });
}

test('recovers the floor and scale of heteroscedastic normal errors; nominal coverage on fresh draws', () => {
  const fit = fitVarianceCalibration(draw(20000, 0.02, 3, 1));
  assert.ok(Math.abs(fit.floor - 0.02) < 0.004, `floor ${fit.floor}`);
  assert.ok(Math.abs(fit.scale - 3) < 0.3, `scale ${fit.scale}`);
  const fresh = draw(20000, 0.02, 3, 2);
  assert.ok(Math.abs(coverage(fresh, fit, NORMAL_Z['50']) - 0.5) < 0.02);
  assert.ok(Math.abs(coverage(fresh, fit, NORMAL_Z['90']) - 0.9) < 0.01);
});

test('errors unrelated to the spread give scale ≈ 0 (the floor carries the error)', () => {
  const rng = createRng(5);
  const s = Array.from({ length: 5000 }, () => ({ variance: rng.uniform(), error: 0.3 * rng.gaussian() }));
  const fit = fitVarianceCalibration(s);
  assert.ok(fit.scale < 0.02, `scale ${fit.scale}`);
  assert.ok(Math.abs(Math.sqrt(fit.floor) - 0.3) < 0.02);
});

test('too few samples is a dataset error', () => {
  assert.throws(() => fitVarianceCalibration([{ variance: 0, error: 0 }]), /needs ≥ 10/);
});

test.run();
