import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAudioFile } from '../../src/audio/load-file.ts';
import { encodeWav } from '../../src/audio/wav.ts';
import { expectError, lcgBytes, sine, toneAmplitude } from './helpers.ts';

const test = suite('audio/load-file');
const dir = mkdtempSync(join(tmpdir(), 'emostream-audio-'));
const write = (name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('44.1 kHz stereo → 16 kHz mono by default', async () => {
  const left = sine(44100, 440, 44100, 0.6);
  const right = sine(44100, 440, 44100, 0.2);
  const a = await loadAudioFile(write('stereo.wav', encodeWav([left, right], 44100, 's16')));
  assert.is(a.sampleRateHz, 16000);
  assert.is(a.sourceRateHz, 44100);
  assert.is(a.sourceChannels, 2);
  assert.is(a.samples.length, 16000);
  assert.is(a.durationS, 1);
  assert.is(a.format, 'wav');
  const amp = toneAmplitude(a.samples.subarray(1600, 14400), 440, 16000);
  assert.ok(Math.abs(amp - 0.4) < 1e-3, `mono amplitude ${amp} (average of 0.6 and 0.2)`);
});

test("rate 'native' keeps the file's rate; explicit rates resample", async () => {
  const path = write('r8k.wav', encodeWav([sine(8000, 500, 8000)], 8000, 's16'));
  const native = await loadAudioFile(path, { rate: 'native' });
  assert.is(native.sampleRateHz, 8000);
  assert.is(native.samples.length, 8000);
  const up = await loadAudioFile(path);
  assert.is(up.sampleRateHz, 16000);
  assert.is(up.samples.length, 16000);
  assert.ok(Math.abs(toneAmplitude(up.samples.subarray(1600, 14400), 500, 16000) - 0.5) < 1e-3);
  const to22 = await loadAudioFile(path, { rate: 22050 });
  assert.is(to22.samples.length, 22050);
});

test('96 kHz 6-channel 24-bit extensible WAV loads', async () => {
  const chans = Array.from({ length: 6 }, () => sine(9600, 1000, 96000, 0.3));
  const a = await loadAudioFile(write('six.wav', encodeWav(chans, 96000, 's24', { extensible: true })));
  assert.is(a.sourceChannels, 6);
  assert.is(a.sourceRateHz, 96000);
  assert.is(a.samples.length, 1600);
  assert.ok(Math.abs(toneAmplitude(a.samples.subarray(200, 1400), 1000, 16000) - 0.3) < 1e-3);
});

test('compressed fixture loads through the same call (FLAC at 16 kHz)', async () => {
  const path = fileURLToPath(new URL('../fixtures/audio/tone440.flac', import.meta.url));
  const a = await loadAudioFile(path);
  assert.is(a.format, 'flac');
  assert.is(a.samples.length, 8000);
  assert.is(a.durationS, 0.5);
});

test('the container comes from magic bytes, not the extension', async () => {
  const flac = new Uint8Array(readFileSync(new URL('../fixtures/audio/tone440.flac', import.meta.url)));
  assert.is((await loadAudioFile(write('really-flac.wav', flac))).format, 'flac');
  const wav = encodeWav([sine(800, 300, 8000)], 8000, 's16');
  assert.is((await loadAudioFile(write('really-wav.mp3', wav))).format, 'wav');
});

test('NaN samples are zeroed and counted through the whole chain', async () => {
  const x = sine(4410, 300, 44100);
  x[100] = NaN;
  const a = await loadAudioFile(write('nan.wav', encodeWav([x], 44100, 'f32')));
  assert.is(a.nonFiniteSamples, 1);
  assert.ok(a.samples.every(Number.isFinite));
});

test('missing file, directory, empty file, random bytes: coded one-line errors naming the path', async () => {
  const missing = join(dir, 'nope.wav');
  let e = await expectError(() => loadAudioFile(missing), 'EMO_ERR_INPUT_NOT_FOUND');
  assert.is(e.message, `${missing}: file not found`);
  e = await expectError(() => loadAudioFile(dir), 'EMO_ERR_INPUT_NOT_FOUND');
  assert.match(e.message, /is a directory/);
  const empty = write('empty.wav', new Uint8Array(0));
  e = await expectError(() => loadAudioFile(empty), 'EMO_ERR_EMPTY_AUDIO');
  assert.ok(e.message.startsWith(empty));
  const junk = write('junk.mp3', lcgBytes(2000, 4).fill(0, 0, 3));
  e = await expectError(() => loadAudioFile(junk), 'EMO_ERR_DECODE');
  assert.ok(e.message.startsWith(junk));
  if (process.getuid?.() !== 0) {
    const locked = write('locked.wav', encodeWav([new Float32Array(4)], 8000, 's16'));
    chmodSync(locked, 0);
    await expectError(() => loadAudioFile(locked), 'EMO_ERR_INPUT_NOT_FOUND');
  }
});

test('bad options are EMO_ERR_BAD_CONFIG before any I/O', async () => {
  await expectError(() => loadAudioFile(join(dir, 'nope.wav'), { rate: 0 }), 'EMO_ERR_BAD_CONFIG');
  await expectError(() => loadAudioFile(join(dir, 'nope.wav'), { rate: 16000.5 }), 'EMO_ERR_BAD_CONFIG');
  await expectError(() => loadAudioFile(join(dir, 'nope.wav'), { quality: -1 }), 'EMO_ERR_BAD_CONFIG');
});

test.run();
