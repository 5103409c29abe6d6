/**
 * Where the dashboard's alerts go: JetStream subject `emostream.alert.<stream>` (a call alert: `<call>`), message id
 * `<subject>:<rule>:<sinceT>:<state>` so that two dashboards on the same cluster store each alert once, and, with
 * a `webhook` in the rules file, an HTTP POST of the same JSON (one attempt, WEBHOOK_TIMEOUT_MS; failures are
 * counted and the first of each minute is logged). Alerts of results older than ALERT_REPLAY_QUIET_S (the history
 * replayed at start) are neither published nor posted: they were, when they happened.
 *
 *   {"type":"alert","state":"raised","rule":"agitated-caller","severity":"critical","label":"…","metric":"arousal",
 *    "direction":"above","threshold":0.5,"forS":10,"scope":"track","call":"CA12","stream":"CA12.inbound",
 *    "role":"caller","sinceT":31,"t":40,"value":0.63,"at":"2025-01-01T12:00:00.000Z"}
 */
import { alertSubject } from '../cluster/names.ts';
import type { NatsLink } from '../cluster/nats-connection.ts';
import { ALERT_REPLAY_QUIET_S, WEBHOOK_TIMEOUT_MS } from '../server/limits.ts';
import type { AlertEvent } from './alert-engine.ts';

/** Counters of the sink. */
export interface AlertSinkStats {
  readonly published: number;
  readonly posted: number;
  readonly webhookFailures: number;
  /** Replayed (old) alerts not sent. */
  readonly quiet: number;
}

/** The sink. */
export interface AlertSink {
  send(alert: AlertEvent, storedAtMs: number): void;
  /** Resolves when the publishes and POSTs in flight are done. */
  flush(): Promise<void>;
  readonly stats: AlertSinkStats;
}

/** The JSON text of an alert (`at`: ISO time it was sent). */
export function alertMessage(alert: AlertEvent, atMs: number): string {
  return JSON.stringify({ ...alert, at: new Date(atMs).toISOString() });
}

/** Creates the sink on `link`, posting to `webhook` if given; `log` gets one line per problem. */
export function createAlertSink(link: NatsLink, webhook: string | undefined, log: (line: string) => void): AlertSink {
  const stats = { published: 0, posted: 0, webhookFailures: 0, quiet: 0 };
  const inFlight = new Set<Promise<unknown>>();
  let lastLogMinute = -1;
  const track = (p: Promise<unknown>): void => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const failed = (why: string): void => {
    stats.webhookFailures++;
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== lastLogMinute) {
      lastLogMinute = minute;
      log(`alert webhook ${webhook}: ${why} (${stats.webhookFailures} failure(s) so far)`);
    }
  };
  return {
    stats,
    send(alert, storedAtMs) {
      const now = Date.now();
      if (now - storedAtMs > ALERT_REPLAY_QUIET_S * 1000) {
        stats.quiet++;
        return;
      }
      const subjectId = alert.stream ?? alert.call;
      const text = alertMessage(alert, now);
      if (link.connected) {
        track(link.js.publish(alertSubject(subjectId), text, { msgID: `${subjectId}:${alert.rule}:${alert.sinceT}:${alert.state}` })
          .then(() => { stats.published++; }, () => undefined));
      }
      if (!webhook) return;
      track(fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) })
        .then((res) => {
          if (res.ok) stats.posted++;
          else failed(`HTTP ${res.status}`);
          return res.body?.cancel();
        }, (err: unknown) => failed((err as Error)?.message ?? String(err))));
    },
    async flush() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
