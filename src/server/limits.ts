/**
 * Server limits: every bound on memory, clients and message sizes in one place (docs/protocol.md lists them).
 * "Unlimited" would be written `Infinity`, never 0.
 */

/** Largest ingest message (binary PCM frame) accepted, bytes: 256 KiB ≈ 8 s of 16 kHz s16le. Larger → `message_too_large`, close 1009. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** ws `maxPayload`: above this the ws library itself closes with 1009 before the frame is buffered (no JSON error). */
export const HARD_MAX_PAYLOAD_BYTES = 4 * MAX_PAYLOAD_BYTES;

/** Largest text (JSON control) message on either endpoint, bytes. */
export const MAX_TEXT_MESSAGE_BYTES = 4096;

/** Results (and overlay) WebSocket clients at once; more → `server_full`, close 1013. */
export const MAX_CLIENTS = 1024;

/** Ingest WebSocket streams at once; more → `server_full`, close 1013. */
export const MAX_INGEST_STREAMS = 1024;

/** Messages queued per results client while its socket is congested; beyond, the oldest is dropped and counted. */
export const MAX_QUEUED_MESSAGES = 256;

/** Bytes a results socket may hold unsent (ws `bufferedAmount`) before messages go to the client's queue. */
export const MAX_CLIENT_BUFFERED_BYTES = 64 * 1024;

/** Windows of one stream waiting for the model before a `lag` event is raised. */
export const MAX_PENDING_WINDOWS = 5;

/**
 * Seconds of one live stream's audio waiting for feature extraction (feature workers) before the stream fails with
 * `server_full`; above MAX_PENDING_WINDOWS seconds a `lag` event is raised first.
 */
export const MAX_QUEUED_AUDIO_S = 60;

/** Shortest accepted `--token`, characters. */
export const MIN_TOKEN_LENGTH = 8;

/** Results per stream kept for the overlay trail (and replayed to a new overlay page). */
export const TRAIL_LENGTH = 12;

/** Bounds of the Prometheus latency histogram, ms. */
export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([1, 2, 5, 10, 20, 50, 100, 250, 500, 1000]);

/** Largest text message on the telephony WebSockets (/twilio, /fork, /audiohook), bytes (AudioHook's own limit is 64 KiB). */
export const MAX_TELEPHONY_TEXT_BYTES = 64 * 1024;

/** AudioSocket: time allowed for the first frame (the call UUID) after a TCP connection opens, ms. */
export const AUDIOSOCKET_UUID_TIMEOUT_MS = 5000;

/** AudioSocket TCP connections at once (more are closed with a hangup frame). */
export const MAX_AUDIOSOCKET_CONNECTIONS = 1024;

/** Audio of one call held while its hand-off state is looked up (NATS KV), seconds; beyond, it starts afresh. */
export const MAX_RESUME_BUFFER_S = 10;

/** How long a stream that reconnected waits for the final state of the instance still serving it (draining), ms. */
export const HANDOFF_WAIT_MS = 5000;

/** Drain (SIGTERM): longest wait for AudioHook clients to reconnect elsewhere and for the final states to be saved, ms. */
export const DRAIN_TIMEOUT_MS = 10000;

/** JetStream publishes awaiting their acknowledgement at once; beyond, results are not published (counted as a gap). */
export const MAX_NATS_PENDING_PUBLISHES = 8192;

/** Dashboard: alert rules per rules file. */
export const MAX_ALERT_RULES = 100;

/** Dashboard: longest `forS` of an alert rule, seconds (1 h). */
export const MAX_ALERT_RULE_SECONDS = 3600;

/** Dashboard: largest rules file, bytes. */
export const MAX_RULES_FILE_BYTES = 256 * 1024;

/** Dashboard: seconds of results kept per stream for the sparklines (and replayed from JetStream at start): 5 min. */
export const DASHBOARD_HISTORY_S = 300;

/** Dashboard: streams tracked at once (more are not shown; counted in /health). */
export const MAX_DASHBOARD_STREAMS = 5000;

/** Dashboard: page WebSocket clients at once; more → close 1013. */
export const MAX_DASHBOARD_CLIENTS = 64;

/** Dashboard: unsent bytes per page socket above which points are skipped (the page then gets a fresh snapshot). */
export const MAX_DASHBOARD_BUFFERED_BYTES = 1024 * 1024;

/** Dashboard: time allowed for one alert webhook POST, ms. */
export const WEBHOOK_TIMEOUT_MS = 5000;

/** Dashboard: alerts of results older than this (replayed at start) update the state but are not published, s. */
export const ALERT_REPLAY_QUIET_S = 30;
