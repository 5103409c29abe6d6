import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWav, encodeWav, isWav, wavTruncation, type WavSampleFormat } from '../../src/audio/wav.ts';
import { expectError, fmtBody, int16Bytes, lcgBytes, riff, sine } from './helpers.ts';

const test = suite('audio/wav');

const FULL_SCALE: Readonly<Record<WavSampleFormat, number>> = {
  u8: 127, s16: 32767, s24: 8388607, s32: 2147483647, f32: Infinity, f64: Infinity,
};

for (const format of ['u8', 's16', 's24', 's32', 'f32', 'f64'] as const) {
  test(`round trip ${format}: error within half a quantisation step`, () => {
    const x = sine(1000, 441, 8000, 0.9);
    const decoded = decodeWav(encodeWav([x], 8000, format), 'rt.wav');
    assert.is(decoded.sampleRateHz, 8000);
    assert.is(decoded.sampleFormat, format);
    assert.is(decoded.channels.length, 1);
    assert.is(decoded.channels[0]!.length, 1000);
    const step = Number.isFinite(FULL_SCALE[format]) ? 1 / FULL_SCALE[format] : 0;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(decoded.channels[0]![i]! - x[i]!));
    assert.ok(worst <= step / 2 + 1e-7, `${format}: max error ${worst} > ${step / 2}`);
  });
}

test('integer scaling follows openSMILE: int16 / 32767, uint8 (v-128)/127, int24 / (2^23-1)', () => {
  const s16 = decodeWav(riff([['fmt ', fmtBody(1, 1, 16000, 16)], ['data', int16Bytes([32767, -32768, 0, 1])]]));
  assert.equal(Array.from(s16.channels[0]!), [1, Math.fround(-32768 / 32767), 0, Math.fround(1 / 32767)]);
  const u8 = decodeWav(riff([['fmt ', fmtBody(1, 1, 16000, 8)], ['data', Uint8Array.from([255, 128, 0, 1])]]));
  assert.equal(Array.from(u8.channels[0]!), [1, 0, Math.fround(-128 / 127), Math.fround(-127 / 127)]);
  const s24 = decodeWav(riff([['fmt ', fmtBody(1, 1, 16000, 24)], ['data', Uint8Array.from([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80])]]));
  assert.equal(Array.from(s24.channels[0]!), [1, Math.fround(-8388608 / 8388607)]);
});

test('WAVE_FORMAT_EXTENSIBLE with 6 channels de-interleaves in order', () => {
  const chans = [0, 1, 2, 3, 4, 5].map((c) => sine(400, 100 * (c + 1), 16000, 0.1 + 0.1 * c));
  for (const format of ['s16', 's24', 'f32'] as const) {
    const bytes = encodeWav(chans, 48000, format, { extensible: true });
    assert.is(new DataView(bytes.buffer).getUint16(20, true), 0xfffe);
    const d = decodeWav(bytes);
    assert.is(d.channels.length, 6);
    assert.is(d.sampleRateHz, 48000);
    for (let c = 0; c < 6; c++) {
      for (let i = 0; i < 400; i += 37) assert.ok(Math.abs(d.channels[c]![i]! - chans[c]![i]!) < 1e-4, `${format} ch${c}[${i}]`);
    }
  }
});

test('skips unknown chunks, honours odd-size padding, finds fmt after data', () => {
  const data = int16Bytes([1000, -1000, 2000]);
  const odd = Uint8Array.from([1, 2, 3]); // 3 bytes + pad byte
  const d = decodeWav(riff([['JUNK', odd], ['LIST', new Uint8Array(10)], ['fmt ', fmtBody(1, 1, 22050, 16)], ['bext', Uint8Array.from([9])], ['data', data]]));
  assert.equal(Array.from(d.channels[0]!), [1000, -1000, 2000].map((v) => Math.fround(v / 32767)));
  assert.is(d.sampleRateHz, 22050);
  const late = decodeWav(riff([['data', data], ['fmt ', fmtBody(1, 1, 8000, 16)]]));
  assert.is(late.channels[0]!.length, 3);
  assert.is(late.sampleRateHz, 8000);
});

test('lying data sizes (too large, 0, 0xFFFFFFFF) are clamped to the bytes present', () => {
  const values = [5, -5, 300, -300, 32767];
  for (const declared of [1_000_000, 0, 0xffffffff]) {
    const d = decodeWav(riff([['fmt ', fmtBody(1, 1, 16000, 16)], ['data', int16Bytes(values), declared]]));
    assert.equal(Array.from(d.channels[0]!), values.map((v) => Math.fround(v / 32767)), `declared ${declared}`);
  }
});

test('a truncated file (declared size beyond the end) decodes what is there and reports the shortfall', () => {
  const full = encodeWav([sine(8000, 440, 8000, 0.5)], 8000, 's16'); // 1 s, 16000 data bytes
  const cut = full.subarray(0, 44 + 6001); // 3000.5 frames present: the partial one is dropped
  const d = decodeWav(cut);
  assert.is(d.channels[0]!.length, 3000);
  assert.equal(Array.from(d.channels[0]!), Array.from(decodeWav(full).channels[0]!.subarray(0, 3000)));
  assert.is(d.missingDataBytes, 16000 - 6001);
  assert.equal(wavTruncation(cut), { declaredBytes: 16000, presentBytes: 6001, declaredS: 1, presentS: 0.375 });
  assert.is(decodeWav(full).missingDataBytes, 0);
  assert.is(wavTruncation(full), undefined);
  for (const placeholder of [0, 0xffffffff]) {
    const streamed = riff([['fmt ', fmtBody(1, 1, 16000, 16)], ['data', int16Bytes([1, 2, 3]), placeholder]]);
    assert.is(decodeWav(streamed).missingDataBytes, 0, `size ${placeholder} is a streaming placeholder, not truncation`);
    assert.is(wavTruncation(streamed), undefined);
  }
});

test('size 0 followed by a real chunk is an honestly empty data chunk', () => {
  const d = decodeWav(riff([['fmt ', fmtBody(1, 1, 16000, 16)], ['data', new Uint8Array(0)], ['LIST', new Uint8Array(12)]]));
  assert.is(d.channels[0]!.length, 0);
});

test('RF64 (ds64 chunk, data size 0xFFFFFFFF) decodes to the end of the file', () => {
  const values = [100, -200, 300];
  const b = riff([['ds64', new Uint8Array(28)], ['fmt ', fmtBody(1, 1, 16000, 16)], ['data', int16Bytes(values), 0xffffffff]]);
  b.set([0x52, 0x46, 0x36, 0x34], 0); // "RF64"
  new DataView(b.buffer).setUint32(4, 0xffffffff, true);
  assert.equal(Array.from(decodeWav(b).channels[0]!), values.map((v) => Math.fround(v / 32767)));
});

test('a file truncated mid-sample drops only the partial frame', () => {
  const stereo = encodeWav([sine(100, 300, 8000), sine(100, 500, 8000)], 8000, 's24');
  const whole = decodeWav(stereo);
  for (const cut of [1, 2, 3, 4, 5]) {
    const d = decodeWav(stereo.subarray(0, stereo.length - cut));
    assert.is(d.channels[0]!.length, 99, `cut ${cut}`);
    assert.equal(d.channels[1]!.subarray(0, 99), whole.channels[1]!.subarray(0, 99));
  }
});

test('NaN and ±Inf in float WAV become 0 and are counted', () => {
  const x = Float32Array.from([0.5, NaN, -Infinity, 0.25, Infinity]);
  for (const format of ['f32', 'f64'] as const) {
    const d = decodeWav(encodeWav([x], 16000, format));
    assert.equal(Array.from(d.channels[0]!), [0.5, 0, 0, 0.25, 0]);
    assert.is(d.nonFiniteSamples, 3);
  }
});

test('digital silence and full-scale clipping decode to exact values', () => {
  const silence = decodeWav(encodeWav([new Float32Array(500)], 16000, 's16'));
  assert.ok(silence.channels[0]!.every((v) => v === 0));
  const clipped = Float32Array.from({ length: 200 }, (_, i) => (i % 2 ? 3 : -3));
  const d = decodeWav(encodeWav([clipped], 16000, 's16'));
  assert.ok(d.channels[0]!.every((v, i) => v === (i % 2 ? 1 : -1)), 'writer clamps to ±1, reader maps ±32767 to ±1');
});

test('corrupt headers give EMO_ERR_DECODE / EMO_ERR_BAD_AUDIO naming the file', async () => {
  const good = encodeWav([sine(100, 300, 8000)], 8000, 's16');
  let e = await expectError(() => decodeWav(good.subarray(0, 30), 'cut.wav'), 'EMO_ERR_DECODE');
  assert.match(e.message, /^cut\.wav: .*fmt/);
  e = await expectError(() => decodeWav(good.subarray(0, 40), 'nodata.wav'), 'EMO_ERR_DECODE');
  assert.match(e.message, /nodata\.wav: .*no data chunk/);
  await expectError(() => decodeWav(riff([['data', int16Bytes([1, 2])]]), 'x.wav'), 'EMO_ERR_DECODE');
  e = await expectError(() => decodeWav(riff([['fmt ', fmtBody(6, 1, 8000, 8)], ['data', new Uint8Array(4)]]), 'alaw.wav'), 'EMO_ERR_DECODE');
  assert.match(e.message, /0x0006/);
  await expectError(() => decodeWav(riff([['fmt ', fmtBody(1, 1, 8000, 12)], ['data', new Uint8Array(4)]])), 'EMO_ERR_DECODE');
  await expectError(() => decodeWav(riff([['fmt ', fmtBody(3, 1, 8000, 16)], ['data', new Uint8Array(4)]])), 'EMO_ERR_DECODE');
  await expectError(() => decodeWav(riff([['fmt ', fmtBody(1, 0, 8000, 16)], ['data', new Uint8Array(4)]])), 'EMO_ERR_BAD_AUDIO');
  await expectError(() => decodeWav(riff([['fmt ', fmtBody(1, 1, 0, 16)], ['data', new Uint8Array(4)]])), 'EMO_ERR_BAD_AUDIO');
  await expectError(() => decodeWav(riff([['fmt ', new Uint8Array(10)], ['data', new Uint8Array(4)]])), 'EMO_ERR_DECODE');
  await expectError(() => decodeWav(lcgBytes(200, 7), 'noise.bin'), 'EMO_ERR_DECODE');
});

test('random bytes after a valid RIFF/WAVE header never crash', async () => {
  for (let seed = 1; seed <= 50; seed++) {
    const b = lcgBytes(300, seed);
    b.set([0x52, 0x49, 0x46, 0x46], 0);
    b.set([0x57, 0x41, 0x56, 0x45], 8);
    try {
      const d = decodeWav(b);
      for (const ch of d.channels) assert.ok(ch.every(Number.isFinite));
    } catch (err) {
      assert.ok((err as { code?: string }).code?.startsWith('EMO_ERR_'), String(err));
    }
  }
});

test('isWav and encodeWav validation', async () => {
  assert.ok(isWav(encodeWav([new Float32Array(1)], 8000, 'u8')));
  assert.not.ok(isWav(new Uint8Array(8)));
  await expectError(() => encodeWav([], 8000, 's16'), 'EMO_ERR_BAD_CONFIG');
  await expectError(() => encodeWav([new Float32Array(2), new Float32Array(3)], 8000, 's16'), 'EMO_ERR_BAD_CONFIG');
  await expectError(() => encodeWav([new Float32Array(2)], 0, 's16'), 'EMO_ERR_BAD_CONFIG');
  await expectError(() => encodeWav([new Float32Array(2)], 44100.5, 's16'), 'EMO_ERR_BAD_CONFIG');
  const odd = encodeWav([new Float32Array(3)], 8000, 'u8');
  assert.is(odd.length, 44 + 3 + 1, 'odd data gets its pad byte');
});

test.run();
