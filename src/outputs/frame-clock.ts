/**
 * The clock of the frame-rate outputs: calls `tick` every 1000 / rateHz ms (an unref'd interval, so it never keeps
 * the process alive). Injectable so tests drive ticks themselves (no timed tests).
 */

/** Starts calling `tick`; returns the function that stops it. */
export type FrameScheduler = (tick: () => void, intervalMs: number) => () => void;

/** setInterval-based scheduler. */
export const intervalScheduler: FrameScheduler = (tick, intervalMs) => {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** Largest output rate, Hz. */
export const MAX_FRAME_RATE_HZ = 240;
