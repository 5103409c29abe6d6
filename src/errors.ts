/**
 * The one error class of emostream. Every user-facing failure carries a stable string code
 * (`EMO_ERR_*`), so callers and tests match on `code`, never on message text.
 * The CLI maps each code to one line on stderr and an exit status (see `exitCodeOf`).
 */
export type EmostreamErrorCode =
  | 'EMO_ERR_USAGE' // bad command line or option value
  | 'EMO_ERR_INPUT_NOT_FOUND' // file missing or unreadable
  | 'EMO_ERR_DECODE' // corrupt, truncated or unsupported audio
  | 'EMO_ERR_EMPTY_AUDIO' // no samples, or fewer than one analysis frame
  | 'EMO_ERR_BAD_AUDIO' // NaN/Inf samples, bad sample rate or channel count
  | 'EMO_ERR_BAD_CONFIG' // invalid options object
  | 'EMO_ERR_MODEL' // missing, truncated, foreign or invalid ONNX model
  | 'EMO_ERR_BAD_FEATURES' // feature vector of the wrong length or with NaN/Inf given to the model
  | 'EMO_ERR_DEVICE' // no audio input device / naudiodon not installed
  | 'EMO_ERR_NETWORK' // stream URL or socket failure
  | 'EMO_ERR_DATASET' // bad manifest or training data
  | 'EMO_ERR_INTERRUPTED' // stopped by Ctrl-C (after saving what can be resumed)
  | 'EMO_ERR_OVERLOAD' // a stream's audio arrives faster than the server can analyse it (protocol code server_full)
  | 'EMO_ERR_INTERNAL'; // a bug: please report

export class EmostreamError extends Error {
  readonly code: EmostreamErrorCode;
  constructor(code: EmostreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmostreamError';
    this.code = code;
  }
}

/** Process exit status per error code, documented in the README ("Exit codes"). */
export const EXIT_CODES: Readonly<Record<EmostreamErrorCode, number>> = Object.freeze({
  EMO_ERR_USAGE: 2,
  EMO_ERR_INPUT_NOT_FOUND: 3,
  EMO_ERR_DECODE: 4,
  EMO_ERR_EMPTY_AUDIO: 5,
  EMO_ERR_BAD_AUDIO: 6,
  EMO_ERR_BAD_CONFIG: 2,
  EMO_ERR_MODEL: 7,
  EMO_ERR_BAD_FEATURES: 6,
  EMO_ERR_DEVICE: 8,
  EMO_ERR_NETWORK: 9,
  EMO_ERR_DATASET: 10,
  EMO_ERR_INTERRUPTED: 130,
  EMO_ERR_OVERLOAD: 11,
  EMO_ERR_INTERNAL: 70,
});

export function exitCodeOf(err: unknown): number {
  return err instanceof EmostreamError ? EXIT_CODES[err.code] : EXIT_CODES.EMO_ERR_INTERNAL;
}
