import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { activePower } from '../../../src/audio/augment/active-level.ts';
import { addBabble, mixTalkers } from '../../../src/audio/augment/babble.ts';
import { bursts, power, sameSamples } from './signals.ts';
import { toneAmplitude } from '../helpers.ts';

const test = suite('audio/augment/babble');

// "Talkers": tone bursts of different pitch, length and level, each with pauses.
const talkers = [bursts(2, 200, 0.05), bursts(3, 330, 0.5), bursts(1, 470, 0.01)];

test('babble is added at the target SNR (active level of the signal, ±0.5 dB)', () => {
  const x = bursts(5, 1000, 0.3);
  for (const snr of [5, 12.5, 30]) {
    const y = addBabble(x, talkers, snr, 11);
    const b = Float32Array.from(y, (v, i) => v - x[i]!);
    const measured = 10 * Math.log10(0.045 / activePower(b));
    assert.ok(Math.abs(measured - snr) < 0.5, `${snr} → ${measured.toFixed(3)}`);
  }
});

test('each talker is level-normalised: all pitches are present at comparable amplitude', () => {
  const b = mixTalkers(talkers, 48000, 4)!;
  const amps = [200, 330, 470].map((f) => toneAmplitude(b, f, 16000));
  const ratio = Math.max(...amps) / Math.min(...amps);
  assert.ok(ratio < 1.5, `amplitudes ${amps.map((a) => a.toFixed(3)).join(', ')}`);
  assert.ok(Math.abs(activePower(b) - 1) < 1e-3);
});

test('seeded offsets: same seed → identical, other seed → different; silent talkers are skipped', () => {
  const x = bursts(2, 800, 0.2);
  assert.ok(sameSamples(addBabble(x, talkers, 10, 1), addBabble(x, talkers, 10, 1)));
  assert.not.ok(sameSamples(addBabble(x, talkers, 10, 1), addBabble(x, talkers, 10, 2)));
  assert.is(mixTalkers([new Float32Array(100), new Float32Array(0)], 10, 1), undefined);
  assert.ok(sameSamples(addBabble(x, [new Float32Array(50)], 10, 1), x), 'no usable talker: unchanged');
  const only = mixTalkers([new Float32Array(50), talkers[0]!], 32000, 3)!;
  assert.ok(power(only) > 0);
});

test.run();
