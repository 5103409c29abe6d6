/**
 * How the trainer reports progress: the caller passes a `ProgressReporter` (the CLI's TTY-aware bars,
 * src/cli/progress.ts; a test's recorder; a library user's own), the trainer never writes to a stream itself.
 * Omitted, the trainer is silent.
 */

/** One running task of known size. */
export interface ProgressTask {
  /** Marks `n` more units done (default 1), with an optional note (e.g. the item's name). */
  tick(n?: number, note?: string): void;
  /** Ends the task with an optional final note. */
  done(note?: string): void;
}

/** Receives the trainer's log lines and progress tasks. */
export interface ProgressReporter {
  /** One line of log text (no trailing newline). */
  log(line: string): void;
  /** Starts a task of `total` units (integer > 0) named `label`. */
  start(label: string, total: number): ProgressTask;
}

const NO_TASK: ProgressTask = Object.freeze({ tick() {}, done() {} });

/** The reporter used when none is given: prints nothing. */
export const SILENT_PROGRESS: ProgressReporter = Object.freeze({ log() {}, start: () => NO_TASK });
