/**
 * Per-stream model state, packed per stream as one Float32Array of the parts' values back to back
 * ([h1 ‖ c1 ‖ h2 ‖ c2], then the stream normaliser's [mean ‖ variance ‖ count] when the model has one), with
 * gather/scatter to and from the batched `[1, B, width]` tensors of one `session.run`. New streams start from
 * zero state (the normaliser stores offsets from its prior, so zero is its prior too). `reset` and `restore`
 * replace a stream's array (never write it in place), so a step already issued keeps computing on the state it saw.
 */

/** The state store of one model; see `createStateStore`. */
export interface StateStore {
  /** Number of streams holding state. */
  readonly size: number;
  /** Values per stream (sum of the part widths). */
  readonly width: number;
  has(streamId: string): boolean;
  /** Zeroes a stream's state (the stream keeps existing); no-op for unknown ids. */
  reset(streamId: string): void;
  /** Forgets a stream's state; no-op for unknown ids. */
  drop(streamId: string): void;
  /** Forgets every stream. */
  clear(): void;
  /** A copy of a stream's packed state, or undefined for unknown ids. */
  read(streamId: string): Float32Array | undefined;
  /** Replaces a stream's packed state with a copy of `values` (length `width`), creating the stream if needed. */
  write(streamId: string, values: Float32Array): void;
  /**
   * The streams' current state objects (tokens), creating zero state for new ids. Call synchronously when
   * a step is issued: a later `reset`/`drop`/`write` replaces or removes the stream's object, not the token's contents.
   */
  acquire(streamIds: readonly string[]): Float32Array[];
  /** Copies the tokens' states into fresh batch buffers, one `[1, B, width_k]` per part. */
  gather(tokens: readonly Float32Array[]): Float32Array[];
  /**
   * Writes the batch outputs (one buffer per part) into each token, skipping streams reset, restored or dropped
   * since `acquire` (their token is no longer current), so a step issued before a reset never overwrites it.
   */
  scatter(streamIds: readonly string[], tokens: readonly Float32Array[], parts: readonly Float32Array[]): void;
}

/** A state store whose per-stream state has parts of the given widths (e.g. [H1, H1, H2, H2]). */
export function createStateStore(partWidths: readonly number[]): StateStore {
  const states = new Map<string, Float32Array>();
  const offsets: number[] = [];
  let width = 0;
  for (const w of partWidths) {
    offsets.push(width);
    width += w;
  }
  return {
    get size() {
      return states.size;
    },
    width,
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
    read: (id) => states.get(id)?.slice(),
    write(id, values) {
      states.set(id, Float32Array.from(values));
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
      return partWidths.map((w, k) => {
        const batch = new Float32Array(n * w);
        tokens.forEach((state, b) => batch.set(state.subarray(offsets[k], offsets[k] + w), b * w));
        return batch;
      });
    },
    scatter(ids, tokens, parts) {
      ids.forEach((id, b) => {
        const state = tokens[b];
        if (states.get(id) !== state) return;
        partWidths.forEach((w, k) => state.set(parts[k].subarray(b * w, (b + 1) * w), offsets[k]));
      });
    },
  };
}
