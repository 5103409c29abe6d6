/**
 * The contract between live audio sources and the pipeline. A source only delivers samples; it never computes
 * features. Every source is a cold RxJS Observable: subscribing opens the file/socket/device, unsubscribing closes it.
 */
import type { Observable } from 'rxjs';

/** One block of mono PCM as it arrived. */
export interface AudioChunk {
  /** Stream the chunk belongs to (unique among running streams). */
  readonly streamId: string;
  /** Mono samples, nominally in [-1, 1], finite. Owned by the receiver (sources never reuse it). */
  readonly samples: Float32Array;
  /** Sample rate of `samples` in Hz (constant over a stream). */
  readonly sampleRateHz: number;
  /** `performance.now()` (ms, monotonic, this process) when the chunk's last sample arrived. */
  readonly arrivedAtMs: number;
}

/** A named stream of audio chunks: what the pipeline consumes, one per stream id. */
export interface StreamSource {
  readonly streamId: string;
  /** What kind of source this is, for logs and `/health` (e.g. 'file', 'url', 'stdin', 'mic', 'ingest'). */
  readonly kind: SourceKind;
  readonly chunks: Observable<AudioChunk>;
}

/** Source kinds. */
export type SourceKind = 'file' | 'url' | 'stdin' | 'mic' | 'ingest' | 'api'
  /** Telephony ingest (src/server/telephony): Twilio Media Streams, Asterisk AudioSocket, jambonz/mod_audio_fork, Genesys AudioHook. */
  | 'twilio' | 'audiosocket' | 'fork' | 'audiohook';

/** Stream ids: 1–64 characters from [A-Za-z0-9._-] (safe in URLs, metric labels and file names). */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
