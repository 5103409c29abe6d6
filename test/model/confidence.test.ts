import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { predictionConfidence, INTERVAL_LEVEL, Z_90 } from '../../src/model/confidence.ts';

const test = suite('model/confidence');
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('90 % interval = value ± 1.645·sd; confidence = 1 − mean half-width', () => {
  const c = predictionConfidence({ arousal: 0.4, valence: -0.2, uncertainty: { arousalSd: 0.1, valenceSd: 0.3 } })!;
  near(Z_90, 1.6448536269514722, 'z');
  assert.is(c.interval.level, INTERVAL_LEVEL);
  near(c.interval.arousal[0], 0.4 - Z_90 * 0.1, 'arousal low');
  near(c.interval.arousal[1], 0.4 + Z_90 * 0.1, 'arousal high');
  near(c.interval.valence[0], -0.2 - Z_90 * 0.3, 'valence low');
  near(c.confidence, 1 - Z_90 * 0.2, 'confidence');
});

test('clamped to [0, 1]: a point estimate is 1, an interval wider than the range is 0; the interval itself is not clamped', () => {
  assert.is(predictionConfidence({ arousal: 0, valence: 0, uncertainty: { arousalSd: 0, valenceSd: 0 } })!.confidence, 1);
  const wide = predictionConfidence({ arousal: 0.9, valence: 0, uncertainty: { arousalSd: 2, valenceSd: 2 } })!;
  assert.is(wide.confidence, 0);
  assert.ok(wide.interval.arousal[1] > 1, 'not clamped');
});

test('no uncertainty, or a broken one, gives no confidence (never a made-up number)', () => {
  assert.is(predictionConfidence({ arousal: 0.1, valence: 0.1 }), undefined);
  for (const u of [{ arousalSd: -0.1, valenceSd: 0.1 }, { arousalSd: NaN, valenceSd: 0.1 }, { arousalSd: 0.1, valenceSd: Infinity }]) {
    assert.is(predictionConfidence({ arousal: 0, valence: 0, uncertainty: u }), undefined, JSON.stringify(u));
  }
});

test.run();
