/**
 * Names and retention of everything emostream keeps in NATS (docs/deploy.md lists them):
 *
 *   JetStream stream EMOSTREAM   subjects emostream.av.<stream>, emostream.event.<stream>, emostream.alert.<stream>
 *                                file storage, limits retention: RESULTS_MAX_AGE_S (7 days) and RESULTS_MAX_BYTES,
 *                                duplicate window DUPLICATE_WINDOW_S (message ids `<stream>:<t>` de-duplicate)
 *   KV emostream-instances       instance → heartbeat (every HEARTBEAT_MS; entries expire after INSTANCE_TTL_S)
 *   KV emostream-streams         stream → instance, since, last t, kind, metadata (refreshed every REGISTRY_REFRESH_MS,
 *                                expire after STREAM_ENTRY_TTL_S unless refreshed; deleted when the stream ends)
 *   KV emostream-state           stream → saved model state for the hand-off (STATE_TTL_S; deleted when it ends)
 *   core subject emostream.instance.<id>.ping   answered by a connected instance (request → empty reply); a killed
 *                                instance's subscription disappears with its connection, so a request gets "no responders"
 *
 * Only features of nats-server 2.9 are used (Debian's package: no multi-subject consumer filters, no per-message TTL).
 */

export const RESULTS_STREAM = 'EMOSTREAM';
export const RESULTS_SUBJECTS: readonly string[] = Object.freeze(['emostream.av.>', 'emostream.event.>', 'emostream.alert.>']);
export const INSTANCES_BUCKET = 'emostream-instances';
export const STREAMS_BUCKET = 'emostream-streams';
export const STATE_BUCKET = 'emostream-state';

/** Results kept this long, s (7 days). */
export const RESULTS_MAX_AGE_S = 7 * 24 * 3600;
/** Results kept at most this many bytes (10 GiB; the oldest go first). */
export const RESULTS_MAX_BYTES = 10 * 1024 ** 3;
/** JetStream de-duplicates message ids within this window, s. */
export const DUPLICATE_WINDOW_S = 120;
/** Instance heartbeat period, ms. */
export const HEARTBEAT_MS = 2000;
/** An instance whose heartbeat is older than this is taken as gone, ms. */
export const INSTANCE_ALIVE_MS = 3 * HEARTBEAT_MS;
/** Heartbeat entries expire after, s. */
export const INSTANCE_TTL_S = 30;
/** Stream registry entries are refreshed (with their last t) every, ms. */
export const REGISTRY_REFRESH_MS = 5000;
/** Stream registry entries expire after, s (a killed instance's streams vanish then). */
export const STREAM_ENTRY_TTL_S = 60;
/** Saved states expire after, s (1 h). */
export const STATE_TTL_S = 3600;

/** Subject of a stream's av results. */
export const avSubject = (stream: string): string => `emostream.av.${stream}`;
/** Subject of a stream's lifecycle and error events. */
export const eventSubject = (stream: string): string => `emostream.event.${stream}`;
/** Subject of a stream's alerts (emostream dashboard). */
export const alertSubject = (stream: string): string => `emostream.alert.${stream}`;

/** Core NATS subject an instance answers while it is connected (its liveness; not stored by JetStream). */
export const pingSubject = (instance: string): string => `emostream.instance.${instance}.ping`;

/** Stream ids usable as subject tokens and KV keys: no empty token (no leading, trailing or doubled dot). */
export const NATS_STREAM_ID_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The stream id in a results subject (`emostream.av.<id>` → `<id>`), or undefined. */
export function streamOfSubject(subject: string): string | undefined {
  const m = /^emostream\.(?:av|event|alert)\.(.+)$/.exec(subject);
  return m?.[1];
}
