/**
 * Readable-stream source: raw mono PCM from a Node Readable (stdin by default), `--format s16le|f32le --rate N`.
 * Byte blocks of any length are accepted (a partial sample is carried over); the stream's end completes the source.
 */
import { Observable } from 'rxjs';
import type { Readable } from 'node:stream';
import { createPcmParser } from '../pcm.ts';
import { EmostreamError } from '../../errors.ts';
import { validatePcmStreamFormat, type PcmStreamFormat } from './pcm-format.ts';
import type { AudioChunk, StreamSource } from './types.ts';

/** Options of `readableSource`. */
export interface ReadableSourceOptions extends PcmStreamFormat {
  /** Stream id. Default 'stdin'. */
  readonly streamId?: string;
}

/** A source reading raw PCM from `input` (default `process.stdin`); one subscription at a time. */
export function readableSource(options: ReadableSourceOptions, input: Readable = process.stdin): StreamSource {
  validatePcmStreamFormat(options);
  const streamId = options.streamId ?? 'stdin';
  const chunks = new Observable<AudioChunk>((subscriber) => {
    const parser = createPcmParser(options.format);
    const onData = (data: Buffer): void => {
      const samples = parser.push(data);
      if (samples.length > 0) subscriber.next({ streamId, samples, sampleRateHz: options.sampleRateHz, arrivedAtMs: performance.now() });
    };
    const onEnd = (): void => subscriber.complete();
    const onError = (err: Error): void => {
      subscriber.error(new EmostreamError('EMO_ERR_NETWORK', `${streamId}: read failed (${err.message})`, { cause: err }));
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
    return () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
    };
  });
  return { streamId, kind: 'stdin', chunks };
}
