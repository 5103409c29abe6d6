/**
 * Per-stream recurrent state (h1, c1, h2, c2) of the LSTM, packed per stream as one Float32Array
 * [h1 ‖ c1 ‖ h2 ‖ c2] (2·H1 + 2·H2 values), with gather/scatter to and from the batched
 * `[1, B, H]` tensors of one `session.run`. New streams start from zero state. `reset` replaces a
 * stream's array (never zeroes it in place), so a step already issued keeps computing on the state it saw.
 */

/** Batch buffers `[1, B, H]` (row b = stream b of the batch) for the four state tensors. */
export interface StateBatch {
  readonly h1: Float32Array;
  readonly c1: Float32Array;
  readonly h2: Float32Array;
  readonly c2: Float32Array;
}

/** The state store of one model; see `createStateStore`. */
export interface StateStore {
  /** Number of streams holding state. */
  readonly size: number;
  has(streamId: string): boolean;
  /** Zeroes a stream's state (the stream keeps existing); no-op for unknown ids. */
  reset(streamId: string): void;
  /** Forgets a stream's state; no-op for unknown ids. */
  drop(streamId: string): void;
  /** Forgets every stream. */
  clear(): void;
  /**
   * The streams' current state objects (tokens), creating zero state for new ids. Call synchronously when
   * a step is issued: a later `reset`/`drop` replaces or removes the stream's object, not the token's contents.
   */
  acquire(streamIds: readonly string[]): Float32Array[];
  /** Copies the tokens' states into fresh batch buffers `[1, B, H]`. */
  gather(tokens: readonly Float32Array[]): StateBatch;
  /**
   * Writes the batch outputs into each token, skipping streams reset or dropped since `acquire` (their
   * token is no longer current), so a step issued before a reset never overwrites the fresh state.
   */
  scatter(streamIds: readonly string[], tokens: readonly Float32Array[], out: StateBatch): void;
}

/** A state store for layer sizes H1 = `hidden1`, H2 = `hidden2`. */
export function createStateStore(hidden1: number, hidden2: number): StateStore {
  const states = new Map<string, Float32Array>();
  const width = 2 * hidden1 + 2 * hidden2;
  // Offsets of h1, c1, h2, c2 inside a packed state.
  const offsets = [0, hidden1, 2 * hidden1, 2 * hidden1 + hidden2] as const;
  const sizes = [hidden1, hidden1, hidden2, hidden2] as const;
  const parts = (b: StateBatch) => [b.h1, b.c1, b.h2, b.c2] as const;

  return {
    get size() {
      return states.size;
    },
    has: (id) => states.has(id),
    reset(id) {
      if (states.has(id)) states.set(id, new Float32Array(width));
    },
    drop(id) {
      states.delete(id);
    },
    clear() {
      states.clear();
    },
    acquire(ids) {
      return ids.map((id) => {
        let state = states.get(id);
        if (!state) {
          state = new Float32Array(width);
          states.set(id, state);
        }
        return state;
      });
    },
    gather(tokens) {
      const n = tokens.length;
      const batch: StateBatch = {
        h1: new Float32Array(n * hidden1), c1: new Float32Array(n * hidden1),
        h2: new Float32Array(n * hidden2), c2: new Float32Array(n * hidden2),
      };
      tokens.forEach((state, b) => {
        parts(batch).forEach((dst, k) => dst.set(state.subarray(offsets[k], offsets[k] + sizes[k]), b * sizes[k]));
      });
      return batch;
    },
    scatter(ids, tokens, out) {
      ids.forEach((id, b) => {
        const state = tokens[b];
        if (states.get(id) !== state) return;
        parts(out).forEach((src, k) => state.set(src.subarray(b * sizes[k], (b + 1) * sizes[k]), offsets[k]));
      });
    },
  };
}
