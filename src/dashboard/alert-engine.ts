/**
 * Evaluates the alert rules (alert-rules.ts) on every result, server-side in the dashboard process. Per rule and
 * subject — a track, or a call for `scope: "call"` — a run counts the consecutive seconds the condition holds (a
 * missing second restarts it):
 *
 *   t:          10   11   12   13   14   15   16          rule: arousal > 0.5 for 3 s
 *   arousal:    .6   .7   .4   .6   .6   .7   .2
 *   run:        1    2    0    1    2    3    0
 *   event:                               raised(since 13)  cleared(t 16)
 *
 * A call's value of second s is the mean over its tracks' values of s; s is evaluated once every live track of the
 * call reported it, or once some track is CALL_SECOND_WAIT_S seconds further (a stalled track does not hold the
 * call's alerts up). A stream that ends clears its alerts; when a call's last track ends, its seconds not yet
 * evaluated are evaluated, then its alerts are cleared.
 */
import type { AlertRule, TrackRole } from './alert-rules.ts';
import { callOf } from './call-grouping.ts';

/** Seconds a call waits for a lagging track before it evaluates a second without it. */
export const CALL_SECOND_WAIT_S = 3;

/** An alert transition. */
export interface AlertEvent {
  readonly type: 'alert';
  readonly state: 'raised' | 'cleared';
  readonly rule: string;
  readonly severity: AlertRule['severity'];
  readonly label: string;
  readonly metric: AlertRule['metric'];
  readonly direction: AlertRule['direction'];
  readonly threshold: number;
  readonly forS: number;
  readonly scope: AlertRule['scope'];
  readonly call: string;
  /** The track (scope 'track'); undefined for a call alert. */
  readonly stream?: string;
  readonly role?: TrackRole;
  /** First second of the run that raised it. */
  readonly sinceT: number;
  /** Second of this transition. */
  readonly t: number;
  /** The metric's value at `t` (a call: the mean of its tracks). */
  readonly value: number;
  /** 'ended': cleared because the stream (or call) ended. */
  readonly reason?: 'ended';
}

/** The engine. */
export interface AlertEngine {
  /** One result (per stream in time order); returns the transitions it caused. */
  onResult(stream: string, t: number, arousal: number, valence: number): AlertEvent[];
  /** The stream ended; returns the alerts that closed with it. */
  onStreamEnded(stream: string): AlertEvent[];
  /** The alerts raised and not cleared. */
  active(): AlertEvent[];
}

interface Run { lastT: number; start: number; count: number; open?: AlertEvent }
interface CallState {
  readonly tracks: Map<string, number>; // live stream → its last t
  readonly seconds: Map<number, Array<{ arousal: number; valence: number }>>;
  evaluatedThrough: number;
}

const holds = (rule: AlertRule, value: number): boolean => (rule.direction === 'above' ? value > rule.threshold : value < rule.threshold);

type Base = Omit<AlertEvent, 'state' | 'sinceT' | 't' | 'value'>;

/** Advances the run of `rule` on `subject` by second t; returns the transition, if any. */
function step(runs: Map<string, Run>, rule: AlertRule, subject: string, base: Base, t: number, value: number): AlertEvent | undefined {
  const key = `${rule.id}\u0000${subject}`;
  const run = runs.get(key) ?? { lastT: -Infinity, start: t, count: 0 };
  runs.set(key, run);
  if (t !== run.lastT + 1) run.count = 0; // a gap restarts the run
  run.lastT = t;
  if (holds(rule, value)) {
    if (run.count === 0) run.start = t;
    run.count++;
    if (run.count >= rule.forS && !run.open) {
      run.open = { ...base, state: 'raised', sinceT: run.start, t, value };
      return run.open;
    }
    return undefined;
  }
  run.count = 0;
  if (!run.open) return undefined;
  const cleared: AlertEvent = { ...run.open, state: 'cleared', t, value };
  run.open = undefined;
  return cleared;
}

const baseOf = (rule: AlertRule, call: string, stream?: string, role?: TrackRole): Base => ({
  type: 'alert', rule: rule.id, severity: rule.severity, label: rule.label, metric: rule.metric, direction: rule.direction,
  threshold: rule.threshold, forS: rule.forS, scope: rule.scope, call, ...(stream ? { stream, role } : {}),
});

/** Closes every open run of `subject` (it ended). */
function closeAll(runs: Map<string, Run>, subject: string): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const [key, run] of runs) {
    if (key.slice(key.indexOf('\u0000') + 1) !== subject) continue;
    if (run.open) out.push({ ...run.open, state: 'cleared', t: run.lastT, reason: 'ended' });
    runs.delete(key);
  }
  return out;
}

/** Evaluates the call's seconds that are ready (`all`: every second kept, the call has ended). */
function evaluateCall(runs: Map<string, Run>, callRules: readonly AlertRule[], call: string, state: CallState, out: AlertEvent[], all = false): void {
  const lasts = [...state.tracks.values()];
  if (lasts.length === 0 && !all) return;
  const ready = all ? Infinity : Math.max(Math.min(...lasts), Math.max(...lasts) - CALL_SECOND_WAIT_S);
  const due = [...state.seconds.keys()].filter((s) => s <= ready && s > state.evaluatedThrough).sort((a, b) => a - b);
  for (const s of due) {
    const values = state.seconds.get(s)!;
    const mean = { arousal: values.reduce((n, v) => n + v.arousal, 0) / values.length, valence: values.reduce((n, v) => n + v.valence, 0) / values.length };
    for (const rule of callRules) {
      const e = step(runs, rule, call, baseOf(rule, call), s, mean[rule.metric]);
      if (e) out.push(e);
    }
    state.evaluatedThrough = s;
  }
  for (const s of state.seconds.keys()) if (s <= state.evaluatedThrough) state.seconds.delete(s);
}

/** Creates an engine for `rules` (an empty list: no alerts, nothing kept). */
export function createAlertEngine(rules: readonly AlertRule[]): AlertEngine {
  const trackRules = rules.filter((r) => r.scope === 'track');
  const callRules = rules.filter((r) => r.scope === 'call');
  const runs = new Map<string, Run>(); // `${rule}\u0000${subject}`
  const calls = new Map<string, CallState>();
  return {
    onResult(stream, t, arousal, valence) {
      const out: AlertEvent[] = [];
      const { call, role } = callOf(stream);
      for (const rule of trackRules) {
        if (rule.track !== 'any' && rule.track !== role && role !== 'mixed') continue;
        const e = step(runs, rule, stream, baseOf(rule, call, stream, role), t, rule.metric === 'arousal' ? arousal : valence);
        if (e) out.push(e);
      }
      if (callRules.length > 0) {
        const state = calls.get(call) ?? { tracks: new Map(), seconds: new Map(), evaluatedThrough: -Infinity };
        calls.set(call, state);
        state.tracks.set(stream, t);
        if (t > state.evaluatedThrough) {
          const list = state.seconds.get(t) ?? [];
          list.push({ arousal, valence });
          state.seconds.set(t, list);
        }
        evaluateCall(runs, callRules, call, state, out);
      }
      return out;
    },
    onStreamEnded(stream) {
      const out = closeAll(runs, stream);
      const { call } = callOf(stream);
      const state = calls.get(call);
      if (state) {
        state.tracks.delete(stream);
        evaluateCall(runs, callRules, call, state, out, state.tracks.size === 0);
        if (state.tracks.size === 0) {
          calls.delete(call);
          out.push(...closeAll(runs, call));
        }
      }
      return out;
    },
    active() {
      return [...runs.values()].flatMap((r) => (r.open ? [r.open] : []));
    },
  };
}
