/**
 * `bracketStream(source)`: frames one stream's windows with lifecycle events and confines its failure to it.
 *
 *   in:   --w0--w1--|          --w0--#(err)         (windows, and `lag` notices of the extraction stage)
 *   out:  S-w0--w1--E|         S-w0--X|        (S started, E ended, X error event; the merged pipeline goes on)
 *
 * Errors become a `StreamErrorEvent` with a stable protocol code derived from the EmostreamError code. For a
 * HandoffSource the `started` event carries its `resume` and the windows stop at once when its `detach` emits (the
 * extractor is torn down without its end-of-stream flush, so every window sent is what an uninterrupted run
 * computes); the `ended` event is then marked `detached`.
 */
import { catchError, concat, defer, of, takeUntil, tap, type Observable } from 'rxjs';
import { EmostreamError } from '../errors.ts';
import type { StreamSource } from '../audio/sources/types.ts';
import type { HandoffSource, LagEvent, PooledWindow, StreamErrorEvent, StreamItem, StreamStateEvent } from './types.ts';

/** Protocol error code of a stream failure (`error` messages, see docs/protocol.md). */
export function streamErrorCode(err: unknown): string {
  // A source may name the protocol code itself (e.g. ingest 'invalid_frame').
  const own = (err as { protocolCode?: unknown } | null)?.protocolCode;
  if (typeof own === 'string') return own;
  if (!(err instanceof EmostreamError)) return 'internal';
  switch (err.code) {
    case 'EMO_ERR_DECODE': return 'decode_failed';
    case 'EMO_ERR_INPUT_NOT_FOUND': return 'input_not_found';
    case 'EMO_ERR_EMPTY_AUDIO': return 'empty_audio';
    case 'EMO_ERR_BAD_AUDIO': return 'bad_audio';
    case 'EMO_ERR_BAD_FEATURES': return 'bad_features';
    case 'EMO_ERR_BAD_CONFIG': case 'EMO_ERR_USAGE': return 'bad_config';
    case 'EMO_ERR_DEVICE': return 'device';
    case 'EMO_ERR_NETWORK': return 'network';
    case 'EMO_ERR_MODEL': return 'model';
    case 'EMO_ERR_OVERLOAD': return 'server_full';
    default: return 'internal';
  }
}

/** Wraps a stream's windows in started/ended events; an error ends this stream only, as an error event. */
export function bracketStream(source: StreamSource, windows: Observable<PooledWindow | LagEvent>): Observable<StreamItem> {
  const { streamId, kind } = source;
  const { resume, detach } = source as HandoffSource;
  let detached = false;
  const started: StreamStateEvent = resume ? { type: 'stream', streamId, state: 'started', kind, resume } : { type: 'stream', streamId, state: 'started', kind };
  return concat(
    of<StreamItem>(started),
    // Detach stops the windows at once: the extractor is torn down without its end-of-stream flush.
    detach ? windows.pipe(takeUntil(detach.pipe(tap(() => { detached = true; })))) : windows,
    defer(() => of<StreamItem>(detached ? { type: 'stream', streamId, state: 'ended', kind, detached: true } : { type: 'stream', streamId, state: 'ended', kind })),
  ).pipe(
    catchError((err: unknown) => of<StreamErrorEvent>({
      type: 'error',
      streamId,
      code: streamErrorCode(err),
      message: err instanceof Error ? err.message.split('\n')[0] : String(err),
      error: err,
    })),
  );
}
