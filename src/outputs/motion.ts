/**
 * Motion between the 1 Hz results, for outputs that run at frame rate (OSC, MIDI): each new result starts a linear
 * ramp from where the output is now to the new value, over `rampMs` (default 1000 ms, one hop), optionally after
 * exponential smoothing of the results themselves:
 *
 *   target ← target + α · (result − target),  α = 1 − exp(−1 s / smoothingS)     (smoothingS = 0: α = 1, no smoothing)
 *   value(now) = from + (target − from) · min(1, (now − t₀) / rampMs)            (t₀: arrival of the result)
 *
 * So the output is continuous and reaches each (smoothed) result one ramp after it arrived: the lag is `rampMs`
 * (1 s) plus, with smoothing, about `smoothingS` (the smoother's time constant). Pure: times are passed in (ms).
 */
import { EmostreamError } from '../errors.ts';

/** Options of `createMotion`. */
export interface MotionOptions {
  /** Ramp length, ms (≥ 0; 0: jump). Default 1000 (one result interval). */
  readonly rampMs?: number;
  /** Time constant of the result smoother, s (≥ 0; 0: none). Default 0. */
  readonly smoothingS?: number;
}

/** Defaults of `createMotion`. */
export const DEFAULT_MOTION_OPTIONS: Readonly<Required<MotionOptions>> = Object.freeze({ rampMs: 1000, smoothingS: 0 });

/** One value in motion. */
export interface Motion {
  /** A new result arrived at `nowMs`. */
  push(value: number, nowMs: number): void;
  /** The output at `nowMs` (NaN before the first result). */
  sample(nowMs: number): number;
}

/** Validates motion options (EMO_ERR_USAGE naming the option). */
export function resolveMotionOptions(options: MotionOptions = {}): Readonly<Required<MotionOptions>> {
  const o = { ...DEFAULT_MOTION_OPTIONS, ...options };
  if (!(o.rampMs >= 0 && Number.isFinite(o.rampMs))) throw new EmostreamError('EMO_ERR_USAGE', `motion rampMs must be a finite number ≥ 0, got ${o.rampMs}`);
  if (!(o.smoothingS >= 0 && Number.isFinite(o.smoothingS))) throw new EmostreamError('EMO_ERR_USAGE', `motion smoothing must be a finite number of seconds ≥ 0, got ${o.smoothingS}`);
  return o;
}

/** Creates one value's motion (see the module header). */
export function createMotion(options: MotionOptions = {}): Motion {
  const { rampMs, smoothingS } = resolveMotionOptions(options);
  const alpha = smoothingS === 0 ? 1 : 1 - Math.exp(-1 / smoothingS);
  let from = NaN, target = NaN, startMs = 0;
  const sample = (nowMs: number): number => {
    if (Number.isNaN(target)) return NaN;
    const f = rampMs === 0 ? 1 : Math.min(1, Math.max(0, (nowMs - startMs) / rampMs));
    return from + (target - from) * f;
  };
  return {
    push(value, nowMs) {
      if (Number.isNaN(target)) {
        from = target = value;
      } else {
        from = sample(nowMs);
        target += alpha * (value - target);
      }
      startMs = nowMs;
    },
    sample,
  };
}
