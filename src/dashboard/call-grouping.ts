/**
 * Which call a stream belongs to and which party it carries, from the stream ids the telephony endpoints give
 * (docs/protocol.md): `<callSid>.inbound|outbound` (Twilio), `<conversationId>.external|internal` (AudioHook),
 * `<callSid or uuid>.caller|callee|mixed` (jambonz / mod_audio_fork); an /ingest client may follow the same
 * convention (`<call>.caller`, `<call>.agent`, …). Any other id (an AudioSocket call UUID, a plain /ingest id) is a
 * call of one track.
 *
 *   CA12.inbound  → call CA12, caller        9f…e1.internal → call 9f…e1, agent        2b6c…  → call 2b6c…, caller
 */
import type { TrackRole } from './alert-rules.ts';

/** The last id token → party. */
const CHANNEL_ROLES: Readonly<Record<string, TrackRole>> = Object.freeze({
  inbound: 'caller', external: 'caller', caller: 'caller', customer: 'caller',
  outbound: 'agent', internal: 'agent', callee: 'agent', agent: 'agent',
  mixed: 'mixed',
});

/** The call of a stream. */
export interface CallTrack {
  /** Call id: the stream id without its channel token. */
  readonly call: string;
  readonly role: TrackRole;
  /** The channel token ('' for a one-track call). */
  readonly channel: string;
}

/** Groups stream `id` into its call (see the module comment). */
export function callOf(id: string): CallTrack {
  const dot = id.lastIndexOf('.');
  if (dot > 0) {
    const channel = id.slice(dot + 1);
    const role = CHANNEL_ROLES[channel.toLowerCase()];
    if (role) return { call: id.slice(0, dot), role, channel };
  }
  return { call: id, role: 'caller', channel: '' };
}
