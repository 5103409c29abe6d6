/**
 * The dashboard test's call centre: 3 instances, 28 calls, 50 streams — 8 Twilio calls (inbound / outbound),
 * 8 AudioHook conversations (external / internal), 6 jambonz calls (caller / callee), 6 AudioSocket calls (one
 * track) — with normal, calm values, except where the rules below must fire:
 *
 *   agitated-caller (critical): caller arousal > 0.5 for 8 s   → Twilio calls 0, 1 and AudioHook call 0
 *   negative-call (warning):    call valence < −0.35 for 10 s  → Twilio call 0 and jambonz call 2
 *   withdrawn-agent (warning):  agent arousal < −0.5 for 12 s  → AudioHook call 3
 */
import { createHash } from 'node:crypto';
import type { AlertRules } from '../../src/dashboard/alert-rules.ts';
import { parseAlertRules } from '../../src/dashboard/alert-rules.ts';
import { wave, type ClusterPublisher, type PublishedTrack } from './cluster-publisher.ts';

export const INSTANCES = ['cc-east-1', 'cc-east-2', 'cc-west-1'] as const;

/** The rules document (as a rules file holds it), with the webhook URL filled in. */
export function scenarioRules(webhook?: string): AlertRules {
  return parseAlertRules({
    ...(webhook ? { webhook } : {}),
    rules: [
      { id: 'agitated-caller', metric: 'arousal', above: 0.5, forS: 8, track: 'caller', severity: 'critical', label: 'Caller agitated' },
      { id: 'negative-call', metric: 'valence', below: -0.35, forS: 10, scope: 'call', label: 'Negative call' },
      { id: 'withdrawn-agent', metric: 'arousal', below: -0.5, forS: 12, track: 'agent', label: 'Agent withdrawn' },
    ],
  });
}

/** Deterministic ids that look like the platforms' own. */
const hex = (seed: string, n: number): string => createHash('sha256').update(seed).digest('hex').slice(0, n);
const uuid = (seed: string): string => { const h = hex(seed, 32); return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`; };

const calm = (seed: number) => ({ arousal: wave(seed, -0.05, 0.8), valence: wave(seed + 50, 0.1, 0.6) });
/** From t = `from` on, `level` (± a little); before, the calm curve. */
const after = (from: number, level: number, before: (t: number) => number) => (t: number) => (t >= from ? level + 0.06 * Math.sin(t / 3) : before(t));

/** Expected alerts: call id → rule ids. */
export interface ScenarioCalls {
  readonly expected: ReadonlyMap<string, readonly string[]>;
  readonly streams: number;
  readonly calls: number;
}

/** Adds the 28 calls to `cluster` (started 1.5 to 6.5 minutes ago, spread over the instances). */
export async function addScenarioCalls(cluster: ClusterPublisher): Promise<ScenarioCalls> {
  const expected = new Map<string, string[]>();
  const expect = (call: string, rule: string) => expected.set(call, [...(expected.get(call) ?? []), rule]);
  let seed = 1;
  let k = 0;
  const since = () => Date.now() - (90 + 37 * (k++ % 9)) * 1000;
  const instance = () => INSTANCES[k % INSTANCES.length];
  const two = async (kind: string, call: string, channels: [string, string], tweak?: (tracks: [PublishedTrack, PublishedTrack]) => [PublishedTrack, PublishedTrack]) => {
    const c = calm(seed++), d = calm(seed++);
    let tracks: [PublishedTrack, PublishedTrack] = [{ stream: `${call}.${channels[0]}`, ...c }, { stream: `${call}.${channels[1]}`, ...d }];
    if (tweak) tracks = tweak(tracks);
    await cluster.addCall({ kind, instance: instance(), tracks, since: since() });
  };
  for (let n = 0; n < 8; n++) {
    const call = `CA${hex(`twilio${n}`, 32)}`;
    await two('twilio', call, ['inbound', 'outbound'], ([a, b]) => {
      if (n <= 1) { a = { ...a, arousal: after(14 + 6 * n, 0.66, a.arousal) }; expect(call, 'agitated-caller'); }
      if (n === 0) { a = { ...a, valence: after(12, -0.5, a.valence) }; b = { ...b, valence: after(12, -0.45, b.valence) }; expect(call, 'negative-call'); }
      return [a, b];
    });
  }
  for (let n = 0; n < 8; n++) {
    const call = uuid(`audiohook${n}`);
    await two('audiohook', call, ['external', 'internal'], ([a, b]) => {
      if (n === 0) { a = { ...a, arousal: after(18, 0.72, a.arousal) }; expect(call, 'agitated-caller'); }
      if (n === 3) { b = { ...b, arousal: after(10, -0.64, b.arousal) }; expect(call, 'withdrawn-agent'); }
      return [a, b];
    });
  }
  for (let n = 0; n < 6; n++) {
    const call = `jambonz-${hex(`fork${n}`, 12)}`;
    await two('fork', call, ['caller', 'callee'], ([a, b]) => {
      if (n === 2) { a = { ...a, valence: after(16, -0.55, a.valence) }; b = { ...b, valence: after(16, -0.4, b.valence) }; expect(call, 'negative-call'); }
      return [a, b];
    });
  }
  for (let n = 0; n < 6; n++) {
    const c = calm(seed++);
    await cluster.addCall({ kind: 'audiosocket', instance: instance(), tracks: [{ stream: uuid(`audiosocket${n}`), ...c }], since: since() });
  }
  return { expected, streams: 8 * 2 + 8 * 2 + 6 * 2 + 6, calls: 28 };
}
