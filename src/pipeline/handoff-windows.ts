/**
 * `handoffWindows(source)`: the clock of a stream resumed from another process (HandoffSource.resume). Every
 * window's end is shifted by `offsetS` (its index with it), and windows ending at or before `skipThroughT` are
 * dropped: they only warm the extractor up on audio the saved state has already seen.
 *
 *       in (offset 4, skip through 6):  --w0(2)--w1(3)--w2(4)--|
 *       out:                            ---------w1(7)--w2(8)--|      (w0 → 6 is dropped)
 *
 * `lag` notices pass unchanged; a source without `resume` passes through untouched.
 * @see bracketStream (after: it handles `detach`), inferBatched (restores `resume.state`).
 */
import { filter, map, takeUntil, tap, type Observable } from 'rxjs';
import type { AudioChunk } from '../audio/sources/types.ts';
import type { ExtractorStateItem, HandoffSource, LagEvent, PooledWindow } from './types.ts';

/** What flows from the extraction stage to bracketStream. */
type Extracted = PooledWindow | LagEvent | ExtractorStateItem;

/**
 * The chunks of a HandoffSource as its extraction stage sees them: they complete when `source.detach` emits, and
 * `detached()` then says so (the stage emits its extractor state instead of flushing, see HandoffExtractOptions).
 */
export function handoffChunks(source: HandoffSource): { readonly chunks: Observable<AudioChunk>; readonly detached: () => boolean } {
  let detached = false;
  const chunks = source.detach ? source.chunks.pipe(takeUntil(source.detach.pipe(tap(() => { detached = true; })))) : source.chunks;
  return { chunks, detached: () => detached };
}

/** Applies `source.resume` (clock shift, warm-up windows dropped). */
export function handoffWindows(source: HandoffSource): <T extends Extracted>(windows: Observable<T>) => Observable<T> {
  return (windows) => {
    let out = windows;
    const resume = source.resume;
    if (resume) {
      const { offsetS, skipThroughT } = resume;
      out = out.pipe(
        map((w) => (w.type === 'window' && offsetS !== 0 ? { ...w, index: w.index + offsetS, endTimeS: w.endTimeS + offsetS } : w) as typeof w),
        filter((w) => w.type !== 'window' || w.endTimeS > skipThroughT + 1e-9),
      );
    }
    return out;
  };
}
