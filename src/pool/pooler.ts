/**
 * 1 Hz pooling of frame rows (recipe section 6): window w covers rows [100·w, 100·w + 200) — 2 s at 100 frames/s,
 * hop 1 s — and yields the arithmetic mean of each of the 130 series, then their population standard deviation
 * (divide by n): 260 values, `<col>_amean` ×130 then `<col>_stddev` ×130. The window is stamped with its end time
 * (w + 2 s) and is emitted as soon as its last row arrives. Batch pooling is this object fed once, so live and file
 * results are identical. Mean and deviation are computed in two passes over a ring of the last 200 rows (float64),
 * which stays exact where a running sum of squares would cancel.
 */
import { EmostreamError } from '../errors.ts';
import { FRAME_COLUMN_NAMES, FRAME_WIDTH } from '../features/registry.ts';

export interface PoolingOptions {
  /** Rows per window (default 200 = 2 s at a 10 ms hop). */
  readonly windowRows?: number;
  /** Rows between window starts (default 100 = 1 s). */
  readonly hopRows?: number;
  /** Seconds per row (default 0.01), for the window time stamps. */
  readonly rowPeriodS?: number;
}

export const DEFAULT_POOLING: Readonly<Required<PoolingOptions>> = Object.freeze({ windowRows: 200, hopRows: 100, rowPeriodS: 0.01 });

/** The 260 pooled feature names in model-input order. */
export const POOLED_FEATURE_NAMES: readonly string[] = Object.freeze([
  ...FRAME_COLUMN_NAMES.map((n) => `${n}_amean`),
  ...FRAME_COLUMN_NAMES.map((n) => `${n}_stddev`),
]);
export const POOLED_WIDTH = 2 * FRAME_WIDTH;

/** Receives window `index` (its 260 features, reused array: copy what you keep) and its end time in seconds. */
export type WindowHandler = (features: Float32Array, index: number, endTimeS: number) => void;

export interface Pooler {
  /** Adds the next 130-value frame row. */
  push(row: Float32Array): void;
  /** Rows received so far. */
  readonly rows: number;
  /** Windows emitted so far. */
  readonly windows: number;
  /** A copy of the state (the row ring and the counters), e.g. to hand a stream over. */
  snapshot(): PoolerSnapshot;
  /** Replaces the state with `s` (from a pooler with the same window and hop). */
  restore(s: PoolerSnapshot): void;
}

/** The state of a Pooler: its ring of the last `windowRows` rows (row-major, rotated) and counters. */
export interface PoolerSnapshot {
  readonly windowRows: number;
  readonly hopRows: number;
  readonly ring: Float32Array;
  readonly rows: number;
  readonly windows: number;
}

export function createPooler(onWindow: WindowHandler, options: PoolingOptions = {}): Pooler {
  const { windowRows, hopRows, rowPeriodS } = { ...DEFAULT_POOLING, ...options };
  if (!Number.isInteger(windowRows) || !Number.isInteger(hopRows) || windowRows < 1 || hopRows < 1 || hopRows > windowRows) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `pooling needs integers 1 ≤ hopRows ≤ windowRows, got ${hopRows}/${windowRows}`);
  }
  const ring = new Float32Array(windowRows * FRAME_WIDTH);
  const mean = new Float64Array(FRAME_WIDTH);
  const out = new Float32Array(POOLED_WIDTH);
  let rows = 0;
  let windows = 0;

  const emit = (): void => {
    // The ring holds exactly the window's rows (in rotated order, which sums do not care about).
    mean.fill(0);
    for (let r = 0; r < windowRows; r++) {
      const base = r * FRAME_WIDTH;
      for (let c = 0; c < FRAME_WIDTH; c++) mean[c] += ring[base + c];
    }
    for (let c = 0; c < FRAME_WIDTH; c++) mean[c] /= windowRows;
    for (let c = 0; c < FRAME_WIDTH; c++) {
      let ss = 0;
      for (let r = 0; r < windowRows; r++) {
        const d = ring[r * FRAME_WIDTH + c] - mean[c];
        ss += d * d;
      }
      out[c] = mean[c];
      out[FRAME_WIDTH + c] = Math.sqrt(ss / windowRows);
    }
    const index = windows++;
    onWindow(out, index, (index * hopRows + windowRows) * rowPeriodS);
  };

  return {
    push(row) {
      if (row.length !== FRAME_WIDTH) throw new EmostreamError('EMO_ERR_INTERNAL', `pooler expects ${FRAME_WIDTH}-value rows, got ${row.length}`);
      ring.set(row, (rows % windowRows) * FRAME_WIDTH);
      rows++;
      if (rows >= windowRows && (rows - windowRows) % hopRows === 0) emit();
    },
    get rows() {
      return rows;
    },
    get windows() {
      return windows;
    },
    snapshot: () => ({ windowRows, hopRows, ring: ring.slice(), rows, windows }),
    restore(snap) {
      if (snap.windowRows !== windowRows || snap.hopRows !== hopRows || snap.ring.length !== ring.length) {
        throw new EmostreamError('EMO_ERR_BAD_CONFIG', `pooler state ${snap.hopRows}/${snap.windowRows} rows does not fit ${hopRows}/${windowRows}`);
      }
      ring.set(snap.ring);
      rows = snap.rows;
      windows = snap.windows;
    },
  };
}

/** Pools a whole row matrix (count × 130) into windows × 260. */
export function poolRows(rows: Float32Array, count: number, options: PoolingOptions = {}): { features: Float32Array; count: number; endTimesS: number[] } {
  const windows: Float32Array[] = [];
  const endTimesS: number[] = [];
  const pooler = createPooler((f, _i, t) => { windows.push(f.slice()); endTimesS.push(t); }, options);
  for (let r = 0; r < count; r++) pooler.push(rows.subarray(r * FRAME_WIDTH, (r + 1) * FRAME_WIDTH));
  const features = new Float32Array(windows.length * POOLED_WIDTH);
  windows.forEach((w, i) => features.set(w, i * POOLED_WIDTH));
  return { features, count: windows.length, endTimesS };
}
