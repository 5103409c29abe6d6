/**
 * The dashboard's picture of every live call, built from the cluster feed (cluster-feed.ts): one row per stream
 * (its call and party, instance, since, kind, last result and the last DASHBOARD_HISTORY_S seconds for the
 * sparkline), the instances' heartbeats, and the alerts the engine raised. Every change is passed on as one page
 * update (`BoardUpdate`, the page's protocol: dashboard-page.ts); `snapshot()` is what a page gets when it connects.
 *
 * A row appears with the stream's registry entry, its `started` event or its first result; it goes with its `ended`
 * event (not a hand-off), or when it has had neither a registry entry nor a result for STALE_ROW_MS (a stream whose
 * instance was killed and that nobody resumed). Results of a stream that just ended are ignored for STALE_ROW_MS
 * (a late publish must not bring a finished call back).
 */
import type { InstanceEntry, StreamEntry } from '../cluster/cluster-store.ts';
import { INSTANCE_ALIVE_MS } from '../cluster/names.ts';
import { DASHBOARD_HISTORY_S, MAX_DASHBOARD_STREAMS } from '../server/limits.ts';
import type { AlertEngine, AlertEvent } from './alert-engine.ts';
import type { TrackRole } from './alert-rules.ts';
import { callOf } from './call-grouping.ts';
import type { FeedMessage } from './cluster-feed.ts';

/** A row without a registry entry and without results for this long is dropped, ms. */
export const STALE_ROW_MS = 30_000;

/** One stream as the page shows it. */
export interface StreamRow {
  readonly stream: string;
  readonly call: string;
  readonly role: TrackRole;
  readonly channel: string;
  readonly instance: string | undefined;
  readonly kind: string | undefined;
  /** Unix ms the call started (kept across hand-offs), or undefined. */
  readonly since: number | undefined;
  /** 'live', 'handoff' (waiting for its next instance), or 'unknown' (no registry entry). */
  readonly state: 'live' | 'handoff' | 'unknown';
  /** The last result: [t, arousal, valence], or undefined. */
  readonly last: readonly [number, number, number] | undefined;
}

/** An instance as the page shows it. */
export interface InstanceRow {
  readonly instance: string;
  readonly alive: boolean;
  readonly draining: boolean;
  readonly streams: number;
}

/** Page updates (JSON over the page's WebSocket). */
export type BoardUpdate =
  | { readonly type: 'row'; readonly row: StreamRow }
  | { readonly type: 'gone'; readonly stream: string }
  | { readonly type: 'point'; readonly stream: string; readonly t: number; readonly a: number; readonly v: number; readonly at: number }
  | { readonly type: 'alert'; readonly alert: AlertEvent }
  | { readonly type: 'instances'; readonly instances: readonly InstanceRow[] };

/** What a page gets first. */
export interface BoardSnapshot {
  readonly type: 'snapshot';
  readonly now: number;
  readonly historyS: number;
  readonly streams: ReadonlyArray<StreamRow & { readonly history: ReadonlyArray<readonly [number, number, number]> }>;
  readonly instances: readonly InstanceRow[];
  readonly alerts: readonly AlertEvent[];
}

/** The board. */
export interface CallBoard {
  onMessage(m: FeedMessage): void;
  onStreamEntry(stream: string, entry: StreamEntry | undefined): void;
  onInstanceEntry(instance: string, entry: InstanceEntry | undefined): void;
  /** Drops stale rows and refreshes instance liveness (call about once a second). */
  sweep(nowMs: number): void;
  snapshot(): BoardSnapshot;
  /** Rows tracked, and results not tracked because MAX_DASHBOARD_STREAMS rows exist. */
  readonly stats: { readonly streams: number; readonly untracked: number; readonly results: number };
}

interface Row {
  stream: string;
  entry: StreamEntry | undefined;
  history: Array<[number, number, number]>;
  lastSeenMs: number;
}

/** Everything a board keeps. */
interface BoardState {
  readonly engine: AlertEngine;
  readonly emit: (u: BoardUpdate) => void;
  readonly onAlert: (a: AlertEvent, storedAtMs: number) => void;
  readonly rows: Map<string, Row>;
  /** stream → ms it ended (its late results are ignored). */
  readonly ended: Map<string, number>;
  readonly instances: Map<string, InstanceEntry>;
  readonly stats: { streams: number; untracked: number; results: number };
}

function view(r: Row): StreamRow {
  const { call, role, channel } = callOf(r.stream);
  return {
    stream: r.stream, call, role, channel, instance: r.entry?.instance, kind: r.entry?.kind, since: r.entry?.since,
    state: r.entry?.state ?? 'unknown', last: r.history.at(-1),
  };
}

const instanceRows = (st: BoardState, now: number): InstanceRow[] => [...st.instances.values()].map((i) => ({
  instance: i.instance, alive: now - i.at < INSTANCE_ALIVE_MS, draining: i.draining, streams: i.streams,
}));

/** The row of `stream`, created if there is room (else undefined, counted). */
function rowOf(st: BoardState, stream: string, nowMs: number): Row | undefined {
  let r = st.rows.get(stream);
  if (r) return r;
  if (st.rows.size >= MAX_DASHBOARD_STREAMS) {
    st.stats.untracked++;
    return undefined;
  }
  r = { stream, entry: undefined, history: [], lastSeenMs: nowMs };
  st.rows.set(stream, r);
  st.stats.streams = st.rows.size;
  return r;
}

function drop(st: BoardState, stream: string): void {
  if (!st.rows.delete(stream)) return;
  st.stats.streams = st.rows.size;
  st.emit({ type: 'gone', stream });
}

function passAlerts(st: BoardState, list: AlertEvent[], storedAtMs: number): void {
  for (const a of list) {
    st.emit({ type: 'alert', alert: a });
    st.onAlert(a, storedAtMs);
  }
}

function onAv(st: BoardState, m: FeedMessage): void {
  const { t, arousal, valence } = m.body as { t?: unknown; arousal?: unknown; valence?: unknown };
  if (typeof t !== 'number' || typeof arousal !== 'number' || typeof valence !== 'number' || st.ended.has(m.stream)) return;
  const r = rowOf(st, m.stream, Date.now());
  if (!r) return;
  const fresh = r.history.length === 0;
  const last = r.history.at(-1);
  if (last && t <= last[0]) return; // replayed twice (a reconnect of the consumer)
  st.stats.results++;
  r.history.push([t, arousal, valence]);
  while (r.history.length > 0 && r.history[0][0] <= t - DASHBOARD_HISTORY_S) r.history.shift();
  r.lastSeenMs = Date.now();
  if (fresh) st.emit({ type: 'row', row: view(r) });
  st.emit({ type: 'point', stream: m.stream, t, a: arousal, v: valence, at: m.storedAtMs });
  passAlerts(st, st.engine.onResult(m.stream, t, arousal, valence), m.storedAtMs);
}

function onEvent(st: BoardState, m: FeedMessage): void {
  const b = m.body as { type?: unknown; state?: unknown; handoff?: unknown };
  const isEnd = b.type === 'error' || (b.type === 'stream' && b.state === 'ended' && b.handoff !== true);
  if (b.type === 'stream' && b.state === 'started') {
    st.ended.delete(m.stream);
    const r = rowOf(st, m.stream, Date.now());
    if (r) st.emit({ type: 'row', row: view(r) });
  } else if (isEnd) {
    st.ended.set(m.stream, Date.now());
    drop(st, m.stream);
    passAlerts(st, st.engine.onStreamEnded(m.stream), m.storedAtMs);
  }
}

/** Creates a board; `emit` gets every page update, `onAlert` every alert transition (with the result's store time). */
export function createCallBoard(engine: AlertEngine, emit: (u: BoardUpdate) => void, onAlert: (a: AlertEvent, storedAtMs: number) => void): CallBoard {
  const st: BoardState = { engine, emit, onAlert, rows: new Map(), ended: new Map(), instances: new Map(), stats: { streams: 0, untracked: 0, results: 0 } };
  return {
    stats: st.stats,
    onMessage: (m) => (m.kind === 'av' ? onAv(st, m) : onEvent(st, m)),
    onStreamEntry(stream, entry) {
      const r = entry ? rowOf(st, stream, Date.now()) : st.rows.get(stream);
      if (!r) return;
      r.entry = entry;
      if (entry) r.lastSeenMs = Date.now();
      emit({ type: 'row', row: view(r) });
    },
    onInstanceEntry(instance, entry) {
      if (entry) st.instances.set(instance, entry);
      else st.instances.delete(instance);
      emit({ type: 'instances', instances: instanceRows(st, Date.now()) });
    },
    sweep(nowMs) {
      for (const [stream, r] of st.rows) if (!r.entry && nowMs - r.lastSeenMs > STALE_ROW_MS) drop(st, stream);
      for (const [stream, at] of st.ended) if (nowMs - at > STALE_ROW_MS) st.ended.delete(stream);
      emit({ type: 'instances', instances: instanceRows(st, nowMs) });
    },
    snapshot() {
      const now = Date.now();
      return {
        type: 'snapshot', now, historyS: DASHBOARD_HISTORY_S,
        streams: [...st.rows.values()].map((r) => ({ ...view(r), history: r.history })),
        instances: instanceRows(st, now), alerts: engine.active(),
      };
    },
  };
}
