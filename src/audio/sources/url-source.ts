/**
 * HTTP(S) stream source: fetches an Icecast/HTTP MP3 or Ogg Vorbis stream and decodes it progressively as bytes
 * arrive (`progressive-decoder.ts`); each decoded block is one chunk. The response end completes the source;
 * unsubscribing aborts the request.
 */
import { Observable } from 'rxjs';
import { EmostreamError } from '../../errors.ts';
import { createProgressiveDecoder, type ProgressiveDecoder } from './progressive-decoder.ts';
import type { AudioChunk, StreamSource } from './types.ts';

/** Options of `urlSource`. */
export interface UrlSourceOptions {
  /** Stream id. Default 'url'. */
  readonly streamId?: string;
  /** Bytes to collect before choosing the decoder (container sniffing), 4..65536. Default 4. */
  readonly sniffBytes?: number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A source decoding the HTTP(S) audio stream at `url` progressively (MP3 or Ogg Vorbis). */
export function urlSource(url: string, options: UrlSourceOptions = {}): StreamSource {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmostreamError('EMO_ERR_USAGE', `not a URL: '${url}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new EmostreamError('EMO_ERR_USAGE', `stream URL must be http:// or https://, got '${url}'`);
  }
  const streamId = options.streamId ?? 'url';
  const sniffBytes = options.sniffBytes ?? 4;
  const chunks = new Observable<AudioChunk>((subscriber) => {
    const abort = new AbortController();
    let decoder: ProgressiveDecoder | undefined;
    const emit = (samples: Float32Array, sampleRateHz: number): void => {
      if (samples.length > 0) subscriber.next({ streamId, samples, sampleRateHz, arrivedAtMs: performance.now() });
    };
    const run = async (): Promise<void> => {
      let response: Response;
      try {
        response = await fetch(parsed, { signal: abort.signal, headers: { 'icy-metadata': '0' } });
      } catch (err) {
        throw new EmostreamError('EMO_ERR_NETWORK', `${url}: ${(err as Error).message}`, { cause: err });
      }
      if (!response.ok || !response.body) throw new EmostreamError('EMO_ERR_NETWORK', `${url}: HTTP ${response.status}`);
      let head: Uint8Array = new Uint8Array(0);
      for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (abort.signal.aborted) return;
        if (!decoder) {
          head = concat(head, part);
          if (head.length < sniffBytes) continue;
          decoder = await createProgressiveDecoder(head, url);
          const block = await decoder.decode(head);
          emit(block.samples, block.sampleRateHz);
          continue;
        }
        const block = await decoder.decode(part);
        emit(block.samples, block.sampleRateHz);
      }
      if (!decoder) throw new EmostreamError('EMO_ERR_EMPTY_AUDIO', `${url}: stream ended before any audio`);
      const tail = await decoder.flush();
      emit(tail.samples, tail.sampleRateHz);
    };
    run().then(() => subscriber.complete(), (err: unknown) => {
      if (abort.signal.aborted) return;
      subscriber.error(err instanceof EmostreamError ? err : new EmostreamError('EMO_ERR_NETWORK', `${url}: ${(err as Error).message}`, { cause: err }));
    }).finally(() => decoder?.release());
    return () => abort.abort();
  });
  return { streamId, kind: 'url', chunks };
}
