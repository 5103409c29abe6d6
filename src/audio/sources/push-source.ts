/**
 * Push source: a stream fed by its owner one byte block at a time (WebSocket ingest, tests). Bytes are parsed as raw
 * mono PCM (`createPcmParser`, a partial sample carried over) and emitted as chunks. Hot: chunks pushed while nobody
 * is subscribed are lost, so subscribe (start the pipeline) before pushing.
 */
import { Subject } from 'rxjs';
import { createPcmParser } from '../pcm.ts';
import { EmostreamError } from '../../errors.ts';
import { validatePcmStreamFormat, type PcmStreamFormat } from './pcm-format.ts';
import type { AudioChunk, SourceKind, StreamSource } from './types.ts';

/** A push-fed raw PCM stream. */
export interface PushSource extends StreamSource {
  /** Parses `bytes` and emits the completed samples (if any) as one chunk stamped now. */
  push(bytes: Uint8Array): void;
  /** Ends the stream normally (the pipeline flushes its last seconds). Idempotent. */
  end(): void;
  /** Ends the stream with an error (that stream only). Idempotent. */
  fail(error: unknown): void;
  /** Whether end() or fail() was called. */
  readonly ended: boolean;
  /** Samples emitted so far. */
  readonly samplesIn: number;
}

/** Creates a push-fed source for `streamId` with the given raw PCM format. */
export function createPushSource(streamId: string, pcm: PcmStreamFormat, kind: SourceKind = 'ingest'): PushSource {
  validatePcmStreamFormat(pcm);
  const parser = createPcmParser(pcm.format);
  const subject = new Subject<AudioChunk>();
  let ended = false;
  let samplesIn = 0;
  return {
    streamId,
    kind,
    chunks: subject.asObservable(),
    push(bytes) {
      if (ended) throw new EmostreamError('EMO_ERR_INTERNAL', `push() after end of stream "${streamId}"`);
      const samples = parser.push(bytes);
      if (samples.length === 0) return;
      samplesIn += samples.length;
      subject.next({ streamId, samples, sampleRateHz: pcm.sampleRateHz, arrivedAtMs: performance.now() });
    },
    end() {
      if (ended) return;
      ended = true;
      subject.complete();
    },
    fail(error) {
      if (ended) return;
      ended = true;
      subject.error(error);
    },
    get ended() { return ended; },
    get samplesIn() { return samplesIn; },
  };
}
