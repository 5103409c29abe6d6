import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cascadeMagnitude } from '../../../src/audio/augment/biquad.ts';
import { TELEPHONE_BAND, telephoneChannel } from '../../../src/audio/augment/telephone.ts';
import { sine, toneAmplitude } from '../helpers.ts';

const test = suite('audio/augment/telephone');
const db = (v: number) => 20 * Math.log10(v);

/** Gain (dB) of a 0.5-amplitude tone through the channel, measured away from the edges. */
async function toneGainDb(freqHz: number, codec: 'none' | 'mulaw' | 'alaw'): Promise<number> {
  const y = await telephoneChannel(sine(16000, freqHz, 16000, 0.5), codec);
  return db(toneAmplitude(y.subarray(3200, 12800), freqHz, 16000) / 0.5);
}

test('designed band: high-pass −3 dB at 300 Hz, low-pass −0.5 dB at 3400 Hz and ripple ≤ 0.5 dB between, steep outside', () => {
  const at = (f: number) => db(cascadeMagnitude(TELEPHONE_BAND, f, 16000));
  assert.ok(Math.abs(db(cascadeMagnitude(TELEPHONE_BAND.slice(0, 2), 300, 16000)) + 3.01) < 0.01, 'Butterworth −3 dB point');
  assert.ok(Math.abs(db(cascadeMagnitude(TELEPHONE_BAND.slice(2), 3400, 16000)) + 0.5) < 0.01, 'Chebyshev ripple edge');
  assert.ok(at(300) < -3 && at(300) > -3.6, `300 Hz ${at(300)}`);
  for (let f = 500; f <= 3400; f += 100) assert.ok(at(f) <= 0.001 && at(f) >= -0.6, `${f} Hz ${at(f)}`);
  assert.ok(at(100) < -30 && at(3900) < -25 && at(5000) < -50, `${at(100)} ${at(3900)} ${at(5000)}`);
});

test('100 Hz and 3.9 kHz tones lose ≥ 20 dB; 1 kHz passes within 1 dB (no codec)', async () => {
  assert.ok((await toneGainDb(100, 'none')) <= -20);
  assert.ok((await toneGainDb(3900, 'none')) <= -20);
  assert.ok(Math.abs(await toneGainDb(1000, 'none')) < 1);
  assert.ok(Math.abs(await toneGainDb(2500, 'none')) < 1);
});

test('with μ-law and A-law at 8 kHz: 1 kHz within 1 dB, codec noise ≥ 30 dB down, length kept', async () => {
  const x = sine(16001, 1000, 16000, 0.3);
  const clean = await telephoneChannel(x, 'none');
  assert.is(clean.length, x.length);
  for (const codec of ['mulaw', 'alaw'] as const) {
    const y = await telephoneChannel(x, codec);
    assert.is(y.length, x.length);
    assert.ok(Math.abs(db(toneAmplitude(y.subarray(3200, 12800), 1000, 16000) / 0.3)) < 1);
    let s = 0, e = 0, differs = false;
    for (let i = 1600; i < 14400; i++) {
      s += clean[i]! ** 2;
      e += (y[i]! - clean[i]!) ** 2;
      if (y[i] !== clean[i]) differs = true;
    }
    const snr = 10 * Math.log10(s / e);
    assert.ok(differs && snr > 30 && snr < 50, `${codec}: codec SNR ${snr.toFixed(1)} dB`);
  }
});

test.run();
