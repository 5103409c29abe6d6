import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeAudio, sniffContainer } from '../../src/audio/decode.ts';
import { decodeWav, encodeWav } from '../../src/audio/wav.ts';
import { fixtureToneWav, TONE_RATE_HZ, TONE_SAMPLES } from '../fixtures/audio/tone.ts';
import { expectError, lcgBytes, maxAbsDiff, sine, toneAmplitude } from './helpers.ts';

const test = suite('audio/decode');
const fixture = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url));

/** Best normalised cross-correlation of `x` against `ref` over lags 0..maxLag (codec delays). */
function bestCorrelation(x: Float32Array, ref: Float32Array, maxLag: number): number {
  let best = -1;
  for (let lag = 0; lag <= maxLag; lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i + lag < x.length && i < ref.length; i++) {
      xy += x[i + lag]! * ref[i]!;
      xx += x[i + lag]! ** 2;
      yy += ref[i]! ** 2;
    }
    best = Math.max(best, xy / Math.sqrt(xx * yy));
  }
  return best;
}

test('containers are detected by magic bytes', () => {
  assert.is(sniffContainer(fixtureToneWav()), 'wav');
  assert.is(sniffContainer(fixture('tone440.flac')), 'flac');
  assert.is(sniffContainer(fixture('tone440.mp3')), 'mp3');
  assert.is(sniffContainer(fixture('tone440.ogg')), 'ogg');
  assert.is(sniffContainer(Uint8Array.from([0x49, 0x44, 0x33, 4, 0])), 'mp3');
  assert.is(sniffContainer(Uint8Array.from([1, 2, 3, 4, 5])), 'other');
  assert.is(sniffContainer(new Uint8Array(0)), 'other');
});

test('WAV goes through the own reader', async () => {
  const wav = fixtureToneWav();
  const d = await decodeAudio(wav, { name: 'tone.wav' });
  assert.is(d.format, 'wav');
  assert.is(d.sampleRateHz, TONE_RATE_HZ);
  assert.equal(d.channels[0], decodeWav(wav).channels[0]);
  assert.is(d.nonFiniteSamples, 0);
});

test('FLAC decodes to the WAV source within 1 LSB', async () => {
  const d = await decodeAudio(fixture('tone440.flac'), { name: 'tone440.flac' });
  const ref = decodeWav(fixtureToneWav()).channels[0]!;
  assert.is(d.format, 'flac');
  assert.is(d.sampleRateHz, TONE_RATE_HZ);
  assert.is(d.channels.length, 1);
  assert.is(d.channels[0]!.length, TONE_SAMPLES);
  // audio-decode scales FLAC by 1/32768, our WAV reader by 1/32767: both within one LSB.
  const diff = maxAbsDiff(d.channels[0]!, ref);
  assert.ok(diff <= 1 / 32767, `max diff ${diff * 32767} LSB`);
});

for (const name of ['tone440.mp3', 'tone440.ogg']) {
  test(`${name} keeps the 440 Hz + 1000 Hz tone`, async () => {
    const d = await decodeAudio(fixture(name), { name });
    assert.is(d.sampleRateHz, TONE_RATE_HZ);
    const x = d.channels[0]!;
    assert.ok(x.length >= TONE_SAMPLES && x.length < TONE_SAMPLES + 2400, `length ${x.length}`);
    const mid = x.subarray(2000, 6000); // 0.25 s away from codec delay and padding
    const a440 = toneAmplitude(mid, 440, TONE_RATE_HZ);
    const a1000 = toneAmplitude(mid, 1000, TONE_RATE_HZ);
    const a700 = toneAmplitude(mid, 700, TONE_RATE_HZ);
    assert.ok(Math.abs(a440 - 0.5) < 0.05, `440 Hz amplitude ${a440}`);
    assert.ok(Math.abs(a1000 - 0.2) < 0.02, `1000 Hz amplitude ${a1000}`);
    assert.ok(a700 < 0.01, `700 Hz (absent) amplitude ${a700}`);
    const ref = decodeWav(fixtureToneWav()).channels[0]!;
    const corr = bestCorrelation(x, ref.subarray(0, 4000), 1200);
    assert.ok(corr > 0.98, `correlation with the source ${corr}`);
  });
}

test('empty input is EMO_ERR_EMPTY_AUDIO; a WAV with zero samples too', async () => {
  let e = await expectError(() => decodeAudio(new Uint8Array(0), { name: 'empty.wav' }), 'EMO_ERR_EMPTY_AUDIO');
  assert.match(e.message, /^empty\.wav: /);
  e = await expectError(() => decodeAudio(encodeWav([new Float32Array(0)], 16000, 's16'), { name: 'zero.wav' }), 'EMO_ERR_EMPTY_AUDIO');
  assert.match(e.message, /zero\.wav/);
  // data chunk with less than one frame
  const one = encodeWav([new Float32Array(1), new Float32Array(1)], 16000, 's16');
  await expectError(() => decodeAudio(one.subarray(0, one.length - 1), { name: 'partial.wav' }), 'EMO_ERR_EMPTY_AUDIO');
});

test('random bytes are EMO_ERR_DECODE naming the file', async () => {
  const e = await expectError(() => decodeAudio(lcgBytes(4096, 3).fill(0, 0, 4), { name: 'noise.bin' }), 'EMO_ERR_DECODE');
  assert.match(e.message, /^noise\.bin: unrecognised/);
});

test('corrupt FLAC and Ogg (valid magic, garbage body) are EMO_ERR_DECODE', async () => {
  for (const [name, magic] of [['bad.flac', [0x66, 0x4c, 0x61, 0x43]], ['bad.ogg', [0x4f, 0x67, 0x67, 0x53]]] as const) {
    const b = lcgBytes(4096, 11);
    b.set(magic);
    const e = await expectError(() => decodeAudio(b, { name }), 'EMO_ERR_DECODE');
    assert.match(e.message, new RegExp(`^${name.replace('.', '\\.')}: `));
  }
});

test('truncated FLAC keeps its complete frames; with none left it is EMO_ERR_DECODE', async () => {
  const flac = fixture('tone440.flac');
  const d = await decodeAudio(flac.subarray(0, Math.floor(flac.length * 0.9)), { name: 'cut.flac' });
  const x = d.channels[0]!;
  assert.ok(x.length > 0 && x.length < TONE_SAMPLES, `decoded ${x.length} samples`);
  assert.ok(maxAbsDiff(x, decodeWav(fixtureToneWav()).channels[0]!) <= 1 / 32767);
  await expectError(() => decodeAudio(flac.subarray(0, 2000), { name: 'cut.flac' }), 'EMO_ERR_DECODE');
});

test('truncated MP3 decodes the frames that are there', async () => {
  const mp3 = fixture('tone440.mp3');
  const d = await decodeAudio(mp3.subarray(0, mp3.length >> 1), { name: 'cut.mp3' });
  assert.ok(d.channels[0]!.length > 1000 && d.channels[0]!.length < TONE_SAMPLES);
  assert.ok(d.channels[0]!.every(Number.isFinite));
});

test('NaN/Inf float WAV: finite output and a count', async () => {
  const x = sine(1000, 300, 16000);
  x[10] = NaN;
  x[20] = Infinity;
  const d = await decodeAudio(encodeWav([x, x], 16000, 'f32'), { name: 'nan.wav' });
  assert.is(d.nonFiniteSamples, 4);
  for (const ch of d.channels) {
    assert.ok(ch.every(Number.isFinite));
    assert.is(ch[10], 0);
  }
});

test('8 kHz, 96 kHz and 6-channel WAV keep their rate and channels', async () => {
  for (const [rate, chans] of [[8000, 1], [96000, 2], [44100, 6]] as const) {
    const channels = Array.from({ length: chans }, (_, c) => sine(rate / 10, 200 * (c + 1), rate));
    const d = await decodeAudio(encodeWav(channels, rate, 's16'));
    assert.is(d.sampleRateHz, rate);
    assert.is(d.channels.length, chans);
    assert.is(d.channels[0]!.length, rate / 10);
  }
});

test.run();
