/**
 * Server-side protocol messages (docs/protocol.md, docs/protocol.schema.json): connection errors with stable codes
 * and close codes, and the `hello` / `ready` / `dropped` notices. Per-stream messages (`av`, `stream`, `lag`,
 * stream `error`) are serialised by the pipeline (src/pipeline/serialize.ts).
 */

/**
 * Protocol version announced in `hello` and `ready`. 2 adds, to `av` only, `confidence`, `interval`, `content` and
 * `content_p` (docs/protocol.md); every version-1 field is unchanged, so version-1 clients keep working.
 */
export const PROTOCOL_VERSION = 2;

/** Connection-level error codes and what they do: close code (undefined: the connection stays open). */
export const CONNECTION_ERRORS = Object.freeze({
  /** Binary frame with a byte count that is not a whole number of samples. */
  invalid_frame: { closeCode: 1007 },
  /** Message larger than MAX_PAYLOAD_BYTES (binary) or MAX_TEXT_MESSAGE_BYTES (text). */
  message_too_large: { closeCode: 1009 },
  /** Token missing or wrong. */
  unauthorized: { closeCode: 1008 },
  /** Bad query parameter or config message (stream id, rate, format). */
  bad_config: { closeCode: 1008 },
  /** Stream id already in use by a running stream. */
  stream_busy: { closeCode: 1008 },
  /** Too many clients or streams. */
  server_full: { closeCode: 1013 },
  /** Unparseable or unknown text message (ignored, connection stays open). */
  bad_message: { closeCode: undefined },
  /** Ingest endpoint disabled (server started without --ingest). */
  ingest_disabled: { closeCode: 1008 },
} as const);

/** A connection-level error code. */
export type ConnectionErrorCode = keyof typeof CONNECTION_ERRORS;

/** JSON text of a connection error message. */
export function connectionError(code: ConnectionErrorCode, message: string, stream?: string): string {
  return JSON.stringify(stream === undefined ? { type: 'error', code, message } : { type: 'error', stream, code, message });
}

/** JSON text of the greeting sent to a results client. */
export function helloMessage(model: string, testModel: boolean, streams: readonly string[], subscribed: string | undefined): string {
  return JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, model, test_model: testModel, streams, subscribed: subscribed ?? null });
}

/** JSON text telling an ingest client its stream parameters (after connect and after a config message). */
export function readyMessage(stream: string, rate: number, format: string, maxFrameBytes: number): string {
  return JSON.stringify({ type: 'ready', protocol: PROTOCOL_VERSION, stream, rate, format, max_frame_bytes: maxFrameBytes });
}

/** JSON text telling a slow results client how many messages were dropped for it. */
export function droppedMessage(count: number, total: number): string {
  return JSON.stringify({ type: 'dropped', count, total });
}
