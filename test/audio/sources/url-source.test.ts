import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { urlSource } from '../../../src/audio/sources/url-source.ts';
import { decodeAudio } from '../../../src/audio/decode.ts';
import { EmostreamError } from '../../../src/errors.ts';

const test = suite('audio/sources/url-source');
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/audio/${name}`, import.meta.url));
let server: Server;
let base = '';

test.before(async () => {
  // Serves each fixture in 300-byte pieces with a pause between them, as a live Icecast stream arrives.
  server = createServer(async (req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (name === 'garbage') {
      res.end(Buffer.from('this is not audio at all'));
      return;
    }
    let bytes: Buffer;
    try { bytes = fixture(name); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': name.endsWith('mp3') ? 'audio/mpeg' : 'audio/ogg' });
    for (let at = 0; at < bytes.length; at += 300) {
      res.write(bytes.subarray(at, at + 300));
      await new Promise((r) => setTimeout(r, 2));
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.after(() => new Promise<void>((r) => server.close(() => r())));

for (const name of ['tone440.mp3', 'tone440.ogg']) {
  test(`${name} over HTTP decodes progressively (several chunks) to the same audio as the whole file`, async () => {
    const chunks = await lastValueFrom(urlSource(`${base}/${name}`, { streamId: 'radio' }).chunks.pipe(toArray()));
    const whole = await decodeAudio(fixture(name));
    // MP3 frames decode one by one; this short Ogg file has all its audio in one page.
    assert.ok(chunks.length >= (name.endsWith('mp3') ? 2 : 1), `got ${chunks.length} chunks`);
    assert.ok(chunks.every((c) => c.streamId === 'radio' && c.sampleRateHz === whole.sampleRateHz));
    const n = chunks.reduce((s, c) => s + c.samples.length, 0);
    const ref = whole.channels[0];
    // Progressive decoders may keep the encoder delay/padding that the whole-file decoder trims: lengths agree
    // within two MPEG frames, and the 440 Hz tone has the same RMS.
    assert.ok(Math.abs(n - ref.length) <= 2 * 1152, `${n} vs ${ref.length}`);
    const rms = (xs: Float32Array[]) => Math.sqrt(xs.reduce((s, x) => s + x.reduce((a, v) => a + v * v, 0), 0) / xs.reduce((s, x) => s + x.length, 0));
    assert.ok(Math.abs(rms(chunks.map((c) => c.samples)) - rms([ref])) < 0.02 * rms([ref]) + 1e-3);
  });
}

test('HTTP 404, non-audio bodies and bad URLs fail with stable codes', async () => {
  const e404 = await lastValueFrom(urlSource(`${base}/missing.mp3`).chunks).catch((e: unknown) => e);
  assert.is((e404 as EmostreamError).code, 'EMO_ERR_NETWORK');
  const garbage = await lastValueFrom(urlSource(`${base}/garbage`).chunks).catch((e: unknown) => e);
  assert.is((garbage as EmostreamError).code, 'EMO_ERR_DECODE');
  for (const bad of ['ftp://x/y', 'not a url']) {
    try { urlSource(bad); assert.unreachable(); } catch (e) { assert.is((e as EmostreamError).code, 'EMO_ERR_USAGE'); }
  }
});

test.run();
