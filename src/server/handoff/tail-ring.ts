/**
 * The audio one handed-over stream fed to its extractor, kept from HANDOFF_CONTEXT_S before its last result on:
 * what a drained instance saves so that the next instance's extractor sees the same context (docs/deploy.md).
 * Positions are extractor samples (sample 0 is at stream time `baseS`).
 */

/** A tail ring of one stream. */
export interface TailRing {
  readonly rateHz: number;
  /** Stream time of the extractor's sample 0, s. */
  baseS: number;
  /** Adds fed samples (copied: the pipeline may transfer the original buffer to a feature worker). */
  push(samples: Float32Array): void;
  /** Drops whole chunks that end before stream time `fromS`. */
  trimBefore(fromS: number): void;
  /** The samples from stream time `fromS` (≥ what was kept) to the end, or undefined if that part was dropped. */
  from(fromS: number): Float32Array | undefined;
}

/** Creates an empty ring for a stream at `rateHz`. */
export function createTailRing(rateHz: number): TailRing {
  let chunks: Float32Array[] = [];
  let start = 0; // extractor sample index of chunks[0][0]
  let total = 0; // samples pushed
  const index = (s: number, base: number): number => Math.round((s - base) * rateHz);
  const ring: TailRing = {
    rateHz,
    baseS: 0,
    push(samples) {
      chunks.push(samples.slice());
      total += samples.length;
    },
    trimBefore(fromS) {
      const keep = index(fromS, ring.baseS);
      let k = 0;
      while (k < chunks.length && start + chunks[k].length <= keep) start += chunks[k++].length;
      if (k > 0) chunks = chunks.slice(k);
    },
    from(fromS) {
      const at = index(fromS, ring.baseS);
      if (at < start) return undefined;
      const out = new Float32Array(Math.max(0, total - at));
      let pos = start;
      let written = 0;
      for (const c of chunks) {
        const skip = Math.max(0, at - pos);
        if (skip < c.length) {
          out.set(c.subarray(skip), written);
          written += c.length - skip;
        }
        pos += c.length;
      }
      return out;
    },
  };
  return ring;
}
