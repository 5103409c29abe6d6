/**
 * Streaming post-processing of raw LLD rows: 3-frame smoothing (smoothing.ts) then delta regression (deltas.ts),
 * frame by frame, giving exactly the batch definitions' values.
 *
 * Latency: raw row n is final as smoothed row n once raw row n+1 arrived, and its delta once smoothed row n+2 exists,
 * so output row n is emitted when raw row n+3 is pushed (3 frames = 30 ms), or at `finish()` with edges replicated.
 */
import { EmostreamError } from '../errors.ts';
import { LLD_COLUMNS, LLD_COUNT, VOICING_COLUMNS } from './registry.ts';
import { smoothValue } from './smoothing.ts';
import { DELTA_NORMALISER, plainDelta, segmentDeltaTerms } from './deltas.ts';

/** How the six voicing-group deltas are normalised (recipe 5.2 and the streaming note). */
export type VoicingDeltaMode = 'correct' | 'opensmile-compat';

/** Receives output row `index`: 65 smoothed LLDs then 65 deltas. The array is reused: copy what you keep. */
export type FrameRowHandler = (row: Float32Array, index: number) => void;

export interface LldPostProcessor {
  /** Adds the next raw (unsmoothed) 65-value row; emits every output row that became final. */
  push(raw: Float32Array): void;
  /** End of input: emits the remaining rows with edge replication. */
  finish(): void;
  /** Rows pushed but not yet emitted (≤ 3). */
  readonly pending: number;
  /** A copy of the state (raw and smoothed row rings, counters, the compat normaliser). */
  snapshot(): LldPostSnapshot;
  /** Replaces the state with `s` (from a processor with the same voicing-delta mode). */
  restore(s: LldPostSnapshot): void;
}

/** The state of an LldPostProcessor: its two rings (RING rows of 65, row-major) and counters. */
export interface LldPostSnapshot {
  readonly voicingDeltas: VoicingDeltaMode;
  readonly raw: Float32Array;
  readonly smooth: Float32Array;
  readonly rawCount: number;
  readonly smoothCount: number;
  readonly emitted: number;
  readonly compatNorm: number;
}

const RING = 8; // ≥ 5 smoothed rows in flight

/** A ring of RING rows as one row-major copy. */
function flatRows(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(RING * LLD_COUNT);
  rows.forEach((r, k) => out.set(r, k * LLD_COUNT));
  return out;
}

/** Sets a ring of RING rows from its row-major copy. */
function setRows(rows: Float32Array[], flat: Float32Array): void {
  for (let k = 0; k < RING; k++) rows[k].set(flat.subarray(k * LLD_COUNT, (k + 1) * LLD_COUNT));
}

export function createLldPostProcessor(voicingDeltas: VoicingDeltaMode, onRow: FrameRowHandler): LldPostProcessor {
  const smoothing = LLD_COLUMNS.map((c) => c.smoothing);
  const raw = Array.from({ length: RING }, () => new Float32Array(LLD_COUNT));
  const smooth = Array.from({ length: RING }, () => new Float32Array(LLD_COUNT));
  const out = new Float32Array(2 * LLD_COUNT);
  const terms = { numerator: 0, weight: 0 };
  let compatNorm = Math.fround(DELTA_NORMALISER);
  let rawCount = 0; // raw rows received
  let smoothCount = 0; // smoothed rows computed
  let emitted = 0; // output rows emitted

  const smoothRow = (n: number, last: number): void => {
    const prev = raw[Math.max(0, n - 1) % RING];
    const cur = raw[n % RING];
    const next = raw[Math.min(last, n + 1) % RING];
    const dst = smooth[n % RING];
    for (let c = 0; c < LLD_COUNT; c++) dst[c] = smoothValue(smoothing[c], prev[c], cur[c], next[c]);
    smoothCount = n + 1;
  };

  const emitRow = (n: number, last: number): void => {
    const s = (k: number): Float32Array => smooth[Math.min(last, Math.max(0, k)) % RING];
    const m2 = s(n - 2), m1 = s(n - 1), cur = s(n), p1 = s(n + 1), p2 = s(n + 2);
    out.set(cur, 0);
    const f = Math.fround;
    for (let c = 0; c < VOICING_COLUMNS; c++) {
      if (voicingDeltas === 'correct') {
        segmentDeltaTerms(m2[c], m1[c], p1[c], p2[c], terms);
        out[LLD_COUNT + c] = terms.numerator / DELTA_NORMALISER;
      } else {
        // The reference's running normaliser, in float32, accumulated term by term (see deltas.ts).
        let num = f(0);
        if (p1[c] !== 0 && m1[c] !== 0 && p1[c] === p1[c] && m1[c] === m1[c]) { num = f(num + f(p1[c] - m1[c])); compatNorm = f(compatNorm + 1); }
        if (p2[c] !== 0 && m2[c] !== 0 && p2[c] === p2[c] && m2[c] === m2[c]) { num = f(num + f(2 * f(p2[c] - m2[c]))); compatNorm = f(compatNorm + 4); }
        out[LLD_COUNT + c] = num / compatNorm;
      }
    }
    for (let c = VOICING_COLUMNS; c < LLD_COUNT; c++) out[LLD_COUNT + c] = plainDelta(m2[c], m1[c], p1[c], p2[c]);
    emitted = n + 1;
    onRow(out, n);
  };

  return {
    push(row) {
      raw[rawCount % RING].set(row);
      rawCount++;
      // Smoothed row n needs raw n+1; delta row n needs smoothed n+2.
      while (smoothCount < rawCount - 1) smoothRow(smoothCount, Infinity);
      while (emitted < smoothCount - 2) emitRow(emitted, Infinity);
    },
    finish() {
      if (rawCount === 0) return;
      const last = rawCount - 1;
      while (smoothCount < rawCount) smoothRow(smoothCount, last);
      while (emitted < rawCount) emitRow(emitted, last);
    },
    get pending() {
      return rawCount - emitted;
    },
    snapshot: () => ({ voicingDeltas, raw: flatRows(raw), smooth: flatRows(smooth), rawCount, smoothCount, emitted, compatNorm }),
    restore(s) {
      if (s.voicingDeltas !== voicingDeltas || s.raw.length !== RING * LLD_COUNT || s.smooth.length !== RING * LLD_COUNT) {
        throw new EmostreamError('EMO_ERR_BAD_CONFIG', `LLD post-processing state (${s.voicingDeltas}) does not fit this extractor (${voicingDeltas})`);
      }
      setRows(raw, s.raw);
      setRows(smooth, s.smooth);
      rawCount = s.rawCount;
      smoothCount = s.smoothCount;
      emitted = s.emitted;
      compatNorm = s.compatNorm;
    },
  };
}
