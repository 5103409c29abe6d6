/**
 * The CLI's progress display for long trainer jobs (feature extraction, training runs). On a TTY one line is
 * redrawn in place (`\r`): label, bar, done/total, percent, elapsed and ETA. Otherwise (CI, pipes, log
 * files) plain lines are printed at each 10 % step and at most every `plainIntervalS`, so logs stay short.
 * ETA = elapsed · (total − done) / done (constant-rate extrapolation).
 */
import { EmostreamError } from '../errors.ts';
import type { ProgressReporter } from '../train/progress.ts';

/** Where progress goes: anything with `write`, optionally a TTY with `columns`. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Units to do (> 0, integer). Required. */
  readonly total: number;
  /** Text before the bar. Default 'progress'. */
  readonly label?: string;
  /** Output stream. Default process.stderr. */
  readonly stream?: ProgressStream;
  /** Clock in ms (injected for tests). Default Date.now. */
  readonly now?: () => number;
  /** Minimum seconds between plain (non-TTY) lines, besides 10 % steps. Default 30. */
  readonly plainIntervalS?: number;
}

/** A running progress display. */
export interface Progress {
  /** Marks `n` more units done (default 1), with an optional note (e.g. the item's name). */
  tick(n?: number, note?: string): void;
  /** Ends the display with a final line (newline on a TTY). */
  done(note?: string): void;
}

/** Formats seconds as m:ss or h:mm:ss ('--:--' when not finite). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

/** Estimated seconds left at a constant rate: elapsed · (total − done) / done (Infinity before the first unit). */
export function etaSeconds(done: number, total: number, elapsedS: number): number {
  return done > 0 ? (elapsedS * (total - done)) / done : Infinity;
}

/** A text bar of `width` cells filled to `fraction` ∈ [0, 1]. */
export function renderBar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** Starts a progress display (TTY-aware; see the module header). */
export function createProgress(options: ProgressOptions): Progress {
  const { total, label = 'progress', stream = process.stderr, now = Date.now, plainIntervalS = 30 } = options;
  if (!Number.isInteger(total) || total <= 0) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `progress total must be a positive integer (got ${total})`);
  const t0 = now();
  const tty = stream.isTTY === true;
  let done = 0, lastStep = 0, lastPlain = t0, finished = false;
  const line = (note?: string): string => {
    const elapsed = (now() - t0) / 1000;
    const pct = Math.floor((100 * done) / total);
    const eta = etaSeconds(done, total, elapsed);
    const tail = `${done}/${total} ${pct}% elapsed ${formatDuration(elapsed)} eta ${formatDuration(eta)}${note ? ` ${note}` : ''}`;
    if (!tty) return `${label}: ${tail}`;
    const barWidth = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - tail.length - 4));
    return `${label} ${renderBar(done / total, barWidth)} ${tail}`.slice(0, (stream.columns ?? 80) - 1);
  };
  return {
    tick(n = 1, note) {
      if (finished) return;
      done = Math.min(total, done + n);
      if (tty) {
        stream.write(`\r${line(note)}\x1b[K`);
        return;
      }
      const step = Math.floor((10 * done) / total);
      if (step > lastStep || now() - lastPlain >= plainIntervalS * 1000) {
        lastStep = step;
        lastPlain = now();
        stream.write(`${line(note)}\n`);
      }
    },
    done(note) {
      if (finished) return;
      finished = true;
      stream.write(tty ? `\r${line(note)}\x1b[K\n` : `${line(note ?? 'done')}\n`);
    },
  };
}

/** The trainer's `ProgressReporter` on a terminal stream: log lines as they come, each task as a progress bar. */
export function createConsoleReporter(stream: ProgressStream = process.stderr): ProgressReporter {
  return {
    log: (line) => void stream.write(`${line}\n`),
    start: (label, total) => createProgress({ total, label, stream }),
  };
}
