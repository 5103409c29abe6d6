import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lastValueFrom, toArray } from 'rxjs';
import { fileSource } from '../../../src/audio/sources/file-source.ts';
import { loadAudioFile } from '../../../src/audio/load-file.ts';
import { EmostreamError } from '../../../src/errors.ts';

const test = suite('audio/sources/file-source');
const flac = new URL('../../fixtures/audio/tone440.flac', import.meta.url).pathname;

test('emits the decoded mono samples at the file rate in chunkMs blocks, then completes', async () => {
  const whole = await loadAudioFile(flac, { rate: 'native' });
  const source = fileSource(flac, { streamId: 'tone', chunkMs: 100 });
  assert.is(source.kind, 'file');
  const chunks = await lastValueFrom(source.chunks.pipe(toArray()));
  const size = Math.round(0.1 * whole.sampleRateHz);
  assert.ok(chunks.length === Math.ceil(whole.samples.length / size));
  assert.ok(chunks.every((c) => c.streamId === 'tone' && c.sampleRateHz === whole.sampleRateHz));
  assert.ok(chunks.slice(0, -1).every((c) => c.samples.length === size));
  const joined = new Float32Array(whole.samples.length);
  let at = 0;
  for (const c of chunks) { joined.set(c.samples, at); at += c.samples.length; }
  assert.is(at, whole.samples.length);
  assert.equal(Array.from(joined), Array.from(whole.samples));
  for (let k = 1; k < chunks.length; k++) assert.ok(chunks[k].arrivedAtMs >= chunks[k - 1].arrivedAtMs);
});

test('a missing file errors with EMO_ERR_INPUT_NOT_FOUND; bad options throw EMO_ERR_BAD_CONFIG', async () => {
  const err = await lastValueFrom(fileSource('/nonexistent/x.wav').chunks).catch((e: unknown) => e);
  assert.instance(err, EmostreamError);
  assert.is((err as EmostreamError).code, 'EMO_ERR_INPUT_NOT_FOUND');
  try {
    fileSource(flac, { chunkMs: 0 });
    assert.unreachable();
  } catch (e) {
    assert.is((e as EmostreamError).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test('unsubscribing stops the emission', async () => {
  const source = fileSource(flac, { chunkMs: 10 });
  let n = 0;
  const sub = source.chunks.subscribe(() => { n++; if (n === 3) sub.unsubscribe(); });
  await new Promise((r) => setTimeout(r, 100));
  assert.is(n, 3);
});

test.run();
