/**
 * `bracketStream(source)`: frames one stream's windows with lifecycle events and confines its failure to it.
 *
 *   in:   --w0--w1--|          --w0--#(err)         (windows, and `lag` notices of the extraction stage)
 *   out:  S-w0--w1--E|         S-w0--X|        (S started, E ended, X error event; the merged pipeline goes on)
 *
 * Errors become a `StreamErrorEvent` with a stable protocol code derived from the EmostreamError code. For a
 * HandoffSource the `started` event carries its `resume`; when its `detach` emits, the extraction stage (fed by
 * handoffChunks) extracts the audio it has, skips its end-of-stream flush (so every window sent is what an
 * uninterrupted run computes) and emits its extractor state last: the `ended` event is then marked `detached` and
 * carries that state.
 *
 *   detach:  ------x
 *   in:      --w0--w1-(X|)     (X: extractor-state item)
 *   out:     S-w0--w1-(E|)     (E: ended, detached, extractorState = X.state)
 */
import { catchError, concat, defer, filter, of, tap, type Observable } from 'rxjs';
import { EmostreamError } from '../errors.ts';
import type { StreamSource } from '../audio/sources/types.ts';
import type { ExtractorStateItem, HandoffSource, LagEvent, PooledWindow, StreamErrorEvent, StreamItem, StreamStateEvent } from './types.ts';

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
export function bracketStream(source: StreamSource, windows: Observable<PooledWindow | LagEvent | ExtractorStateItem>): Observable<StreamItem> {
  const { streamId, kind } = source;
  const { resume } = source as HandoffSource;
  let extractorState: ExtractorStateItem | undefined;
  const started: StreamStateEvent = resume ? { type: 'stream', streamId, state: 'started', kind, resume } : { type: 'stream', streamId, state: 'started', kind };
  const ended = (): StreamStateEvent => (extractorState
    ? { type: 'stream', streamId, state: 'ended', kind, detached: true, extractorState: extractorState.state }
    : { type: 'stream', streamId, state: 'ended', kind });
  return concat(
    of<StreamItem>(started),
    windows.pipe(
      tap((w) => { if (w.type === 'extractor-state') extractorState = w; }),
      filter((w): w is PooledWindow | LagEvent => w.type !== 'extractor-state'),
    ),
    defer(() => of<StreamItem>(ended())),
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
