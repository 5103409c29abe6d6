// Ogg Opus (the format of the shared corpora) through the project's own audio path: decodeAudio
// (audio-decode) and loadAudioFile (mono, resampled to 16 kHz). Fixture: tone440.opus, made from the
// tone in test/fixtures/audio/tone.ts by make-fixtures.sh (opusenc, 24 kbit/s).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeAudio, sniffContainer } from '../../src/audio/decode.ts';
import { loadAudioFile } from '../../src/audio/load-file.ts';
import { fixtureTone, TONE_RATE_HZ, TONE_SAMPLES } from '../fixtures/audio/tone.ts';
import { toneAmplitude } from './helpers.ts';

const test = suite('audio/opus');
const url = new URL('../fixtures/audio/tone440.opus', import.meta.url);
const bytes = readFileSync(url);

/** Normalised correlation of `x` delayed by `lag` samples against `ref`. */
function correlationAt(x: Float32Array, ref: Float32Array, lag: number): number {
  let xy = 0, xx = 0, yy = 0;
  for (let i = Math.max(0, -lag); i + lag < x.length && i < ref.length; i++) {
    xy += x[i + lag]! * ref[i]!;
    xx += x[i + lag]! ** 2;
    yy += ref[i]! ** 2;
  }
  return xy / Math.sqrt(xx * yy);
}

test('the Ogg container is sniffed and Opus decodes at 48 kHz to exactly the encoded length', async () => {
  assert.is(sniffContainer(bytes), 'ogg');
  const d = await decodeAudio(bytes, { name: 'tone440.opus' });
  assert.is(d.sampleRateHz, 48000, 'Opus always decodes at 48 kHz');
  assert.is(d.channels.length, 1);
  // Pre-skip and end trimming applied: 0.5 s at 16 kHz in → 0.5 s at 48 kHz out, to the sample.
  assert.is(d.channels[0]!.length, (TONE_SAMPLES * 48000) / TONE_RATE_HZ);
  assert.is(d.nonFiniteSamples, 0);
});

test('loadAudioFile gives the 16 kHz mono tone back: length, rate, 440 + 1000 Hz content', async () => {
  const a = await loadAudioFile(fileURLToPath(url), { rate: 16000 });
  assert.is(a.format, 'ogg');
  assert.is(a.sourceRateHz, 48000);
  assert.is(a.sampleRateHz, 16000);
  assert.is(a.samples.length, TONE_SAMPLES);
  assert.is(a.durationS, 0.5);
  const mid = a.samples.subarray(2000, 6000); // away from the codec's onset and end
  const a440 = toneAmplitude(mid, 440, 16000), a1000 = toneAmplitude(mid, 1000, 16000), a700 = toneAmplitude(mid, 700, 16000);
  assert.ok(Math.abs(a440 - 0.5) < 0.05, `440 Hz amplitude ${a440}`);
  assert.ok(Math.abs(a1000 - 0.2) < 0.03, `1000 Hz amplitude ${a1000}`);
  assert.ok(a700 < 0.01, `700 Hz (absent) amplitude ${a700}`);
  // Time-aligned with the source (pre-skip removed): the correlation peaks at lag 0, not at a codec delay.
  const ref = fixtureTone().subarray(0, 6000);
  const atZero = correlationAt(a.samples, ref, 0);
  assert.ok(atZero > 0.98, `correlation with the source at lag 0: ${atZero}`);
  for (const lag of [-8, -3, 3, 8]) assert.ok(correlationAt(a.samples, ref, lag) < atZero, `lag ${lag} correlates less than lag 0`);
});

test('a cut Opus file fails with a coded error, not a crash', async () => {
  try {
    await decodeAudio(bytes.subarray(0, 40), { name: 'cut.opus' });
    assert.unreachable('a 40-byte Ogg Opus head has no audio');
  } catch (e) {
    assert.match((e as { code: string }).code, /^EMO_ERR_(DECODE|EMPTY_AUDIO)$/);
  }
});

test.run();
