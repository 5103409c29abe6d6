/**
 * File source: decodes a whole audio file (any container `loadAudioFile` reads) at its own rate, mixed to mono, and
 * emits it in chunks — as fast as the consumer runs (yielding to the event loop between chunks), or paced in real
 * time (`realtime: true`, chunk k is released at start + its end time). Resampling is the pipeline's job, so a file
 * and a live stream of the same audio go through identical code.
 */
import { Observable } from 'rxjs';
import { loadAudioFile } from '../load-file.ts';
import { EmostreamError } from '../../errors.ts';
import type { AudioChunk, StreamSource } from './types.ts';

/** Options of `fileSource`. */
export interface FileSourceOptions {
  /** Stream id of the chunks. Default: 'file'. */
  readonly streamId?: string;
  /** Pace chunks at real time (true) or emit as fast as possible (false). Default false. */
  readonly realtime?: boolean;
  /** Chunk length in milliseconds, 1..10000. Default 100. */
  readonly chunkMs?: number;
}

/** Defaults of `fileSource`. */
export const DEFAULT_FILE_SOURCE_OPTIONS: Readonly<Required<FileSourceOptions>> = Object.freeze({
  streamId: 'file',
  realtime: false,
  chunkMs: 100,
});

/** A source emitting the decoded mono samples of `path` in `chunkMs` blocks (fast or real-time paced). */
export function fileSource(path: string, options: FileSourceOptions = {}): StreamSource {
  const { streamId, realtime, chunkMs } = { ...DEFAULT_FILE_SOURCE_OPTIONS, ...options };
  if (!Number.isFinite(chunkMs) || chunkMs < 1 || chunkMs > 10000) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `chunkMs must be in 1..10000 ms, got ${chunkMs}`);
  }
  const chunks = new Observable<AudioChunk>((subscriber) => {
    let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
    let closed = false;
    loadAudioFile(path, { rate: 'native' }).then((audio) => {
      if (closed) return;
      const rate = audio.sampleRateHz;
      const size = Math.max(1, Math.round((chunkMs * rate) / 1000));
      const startMs = performance.now();
      let offset = 0;
      const emitNext = (): void => {
        if (closed) return;
        if (offset >= audio.samples.length) {
          subscriber.complete();
          return;
        }
        const end = Math.min(audio.samples.length, offset + size);
        subscriber.next({ streamId, samples: audio.samples.slice(offset, end), sampleRateHz: rate, arrivedAtMs: performance.now() });
        offset = end;
        if (!realtime) {
          timer = setImmediate(emitNext);
        } else {
          const dueMs = startMs + (Math.min(audio.samples.length, offset + size) * 1000) / rate;
          timer = setTimeout(emitNext, Math.max(0, dueMs - performance.now()));
        }
      };
      if (realtime) timer = setTimeout(emitNext, (Math.min(audio.samples.length, size) * 1000) / rate);
      else emitNext();
    }, (err: unknown) => subscriber.error(err));
    return () => {
      closed = true;
      if (timer !== undefined) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
    };
  });
  return { streamId, kind: 'file', chunks };
}
