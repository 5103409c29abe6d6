/**
 * State hand-off between instances over NATS KV (docs/deploy.md, "State hand-off"). For every telephony stream
 * (a member: it joined through its call channel) the manager
 *
 * - saves a periodic state every `snapshotIntervalS` (model state after its last result, and that `t`);
 * - on drain, asks its platform to leave and detaches it; the stream's `ended` (detached) event carries its final
 *   model state and its window extractor's state after the last audio received, saved as the 'final' state;
 * - when a stream id arrives, finds where it resumes (`resumeFor`):
 *     final state   → restore both (same input rate): the extractor continues where the old one stopped and the
 *                     next result is T + 1; every number equals an uninterrupted run's;
 *     periodic only → restore the model state (what a SIGKILL loses: the model's memory of the seconds since that
 *                     save) and continue the clock after the last `t` on JetStream with a new extractor: offset
 *                     T_last − 1, skip ≤ T_last;
 *     neither, but a registry entry → the clock only (zero state); nothing → a new stream.
 *   While another live instance still serves the id (draining, not yet saved), or its registry entry says it was
 *   just handed off, it waits for the final state, at most HANDOFF_WAIT_MS; an instance whose heartbeat is stale or
 *   that no longer answers its NATS ping (killed) is not waited for.
 * A normal end (hang-up) or an error deletes the saved state.
 */
import { HANDOFF_WAIT_MS, MAX_RESUME_BUFFER_S } from '../limits.ts';
import type { EmotionModel } from '../../model/types.ts';
import type { SerializedEvent } from '../../pipeline/serialize.ts';
import type { ClusterStore, InstanceEntry, StreamEntry } from '../../cluster/cluster-store.ts';
import { INSTANCE_ALIVE_MS } from '../../cluster/names.ts';
import { decodeSavedState, encodeSavedState, type SavedState } from '../../cluster/state-codec.ts';
import type { HandoffHooks, HandoffJoin, HandoffMember, ResumePlan } from './handoff-types.ts';

/** Options of `createHandoffManager`. */
export interface HandoffManagerOptions {
  readonly store: ClusterStore;
  readonly model: EmotionModel;
  /** This instance's id. */
  readonly instance: string;
  /** Period of the periodic state saves, s (> 0). Default 5. */
  readonly snapshotIntervalS?: number;
  /**
   * Whether another instance's process is still connected (besides its fresh heartbeat), e.g. a NATS ping that a
   * killed instance cannot answer. Default: the heartbeat alone.
   */
  readonly reachable?: (instance: string) => Promise<boolean>;
}

/** Counters of the hand-off. */
export interface HandoffStats {
  readonly finalSaved: number;
  readonly periodicSaved: number;
  /** Streams resumed here from a final state / from a periodic state or the clock only. */
  readonly resumedFinal: number;
  readonly resumedPeriodic: number;
}

/** The manager: the endpoints' HandoffHooks plus the server's side. */
export interface HandoffManager extends HandoffHooks {
  /** Every serialised pipeline event of the server. */
  onEvent(event: SerializedEvent): void;
  /** When `streamId` resumed here: the `since` of the registry entry it found (the call's start), else undefined. */
  previousSince(streamId: string): number | undefined;
  /** The platform metadata of a telephony stream (undefined for other streams). */
  metadataOf(streamId: string): Readonly<Record<string, unknown>> | undefined;
  /** Drain: every member leaves; resolves once their final states are saved, forcing detach after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  readonly stats: HandoffStats;
  /** Stops the periodic saves. */
  release(): void;
}

interface Member {
  readonly join: HandoffJoin;
  started: boolean;
  /** Shift of the extractor's windows on the stream's clock (its resume offset). */
  offsetS: number;
  closed: boolean;
  lastT: number;
  lastSavedT: number;
  /** KV writes of this stream, in order. */
  writes: Promise<unknown>;
  readonly done: Promise<void>;
  finish(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The manager's store, members and counters. */
interface HandoffState {
  readonly store: ClusterStore;
  readonly model: EmotionModel;
  readonly instance: string;
  /** See `HandoffManagerOptions.reachable`. */
  readonly reachable: ((instance: string) => Promise<boolean>) | undefined;
  readonly members: Map<string, Member>;
  /** `since` of the registry entry each resumed stream found. */
  readonly since: Map<string, number>;
  draining: boolean;
  readonly stats: { finalSaved: number; periodicSaved: number; resumedFinal: number; resumedPeriodic: number };
}

/** Queues a KV write of a stream's saved state behind its earlier writes (failures ignored). */
function writeState(st: HandoffState, m: Member, streamId: string, saved: SavedState): void {
  m.writes = m.writes.then(() => st.store.states.put(streamId, encodeSavedState(saved))).catch(() => undefined);
}

/** The periodic save: every started, open member with a result since its last save. */
function savePeriodicStates(st: HandoffState): void {
  for (const [id, m] of st.members) {
    if (!m.started || m.closed || m.lastT <= m.lastSavedT) continue;
    m.lastSavedT = m.lastT;
    writeState(st, m, id, { kind: 'periodic', t: m.lastT, instance: st.instance, savedAt: Date.now(), state: st.model.snapshot(id) });
    st.stats.periodicSaved++;
  }
}

/** Whether another instance's heartbeat is recent (and, with `reachable`, it still answers). Rejects when the heartbeat cannot be read. */
async function isAlive(st: HandoffState, other: string): Promise<boolean> {
  const hb = await st.store.getJson<InstanceEntry>(st.store.instances, other);
  if (hb === undefined || Date.now() - hb.at >= INSTANCE_ALIVE_MS) return false;
  return st.reachable ? st.reachable(other) : true;
}

/** The saved state of a stream, if any (rejects when the read fails: that is not "nothing saved"). */
async function readState(st: HandoffState, id: string): Promise<SavedState | undefined> {
  const e = await st.store.states.get(id);
  return e && e.operation === 'PUT' ? decodeSavedState(e.value) : undefined;
}

/**
 * `read()`, retried every 100 ms while it fails (a loaded NATS server or instance: request timeouts) until
 * `deadline`, then rejects. A failed read must never count as "nothing saved": the stream would restart at t = 2.
 */
async function retried<T>(read: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await sleep(100);
    }
  }
}

/** Where a stream id resumes (module header), waiting for a final state while another live instance serves it or just handed it off. */
async function lookUp(st: HandoffState, streamId: string, rateHz: number): Promise<ResumePlan | undefined> {
  const { store, stats } = st;
  const deadline = Date.now() + HANDOFF_WAIT_MS;
  // Reads that fail are retried as long as the call's audio is held for this lookup (call-channel.ts).
  const readDeadline = Date.now() + MAX_RESUME_BUFFER_S * 1000;
  const readBoth = () => Promise.all([readState(st, streamId), store.getJson<StreamEntry>(store.streams, streamId)]);
  let saved: SavedState | undefined;
  let entry: StreamEntry | undefined;
  for (;;) {
    [saved, entry] = await retried(readBoth, readDeadline);
    if (saved?.kind === 'final' || Date.now() >= deadline) break;
    const other = entry !== undefined && entry.instance !== st.instance ? entry : undefined;
    // Still served by a live instance, or just handed off by one (its final state may be on its way): wait.
    if (!other || (other.state === 'live' && !(await retried(() => isAlive(st, other.instance), readDeadline)))) {
      saved = (await retried(() => readState(st, streamId), readDeadline)) ?? saved; // it may have saved its final state just before it went
      break;
    }
    await sleep(100);
  }
  if (!saved && !entry) return undefined;
  if (entry) st.since.set(streamId, entry.since);
  const published = await retried(() => store.lastPublishedT(streamId), readDeadline);
  const state = saved?.state;
  if (saved?.kind === 'final' && saved.extractor && saved.extractor.rateHz === rateHz && (published ?? 0) <= saved.t) {
    stats.resumedFinal++;
    void store.states.delete(streamId).catch(() => undefined); // consumed: a later save here replaces it
    return { resume: { state, stateT: saved.t, offsetS: saved.extractor.offsetS, skipThroughT: saved.t, extractorState: saved.extractor.bytes } };
  }
  const lastT = Math.max(saved?.t ?? 0, published ?? 0, entry?.lastT ?? 0);
  if (lastT < 2 && !state) return undefined;
  stats.resumedPeriodic++;
  return { resume: { state, stateT: saved?.t ?? 0, offsetS: Math.max(0, lastT - 1), skipThroughT: lastT } };
}

/** `HandoffHooks.join`: a telephony stream becomes a member. */
function joinMember(st: HandoffState, info: HandoffJoin): HandoffMember {
  let finish!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  const m: Member = { join: info, started: false, offsetS: 0, closed: false, lastT: 0, lastSavedT: 0, writes: Promise.resolve(), done, finish };
  st.members.set(info.streamId, m);
  return {
    started(offsetS) {
      m.started = true;
      m.offsetS = offsetS;
      m.lastT = offsetS; // no result yet
    },
    close() {
      m.closed = true;
      if (!m.started) {
        st.members.delete(info.streamId);
        m.finish();
      }
    },
  };
}

/** A member's end: a detached end saves the final state (model and extractor); a normal end or an error deletes the saved state. */
function memberEnded(st: HandoffState, m: Member, streamId: string, e: SerializedEvent['event']): void {
  st.members.delete(streamId);
  if (e.type === 'stream' && e.detached) {
    const t = e.lastT ?? m.lastT;
    writeState(st, m, streamId, {
      kind: 'final', t, instance: st.instance, savedAt: Date.now(), state: e.finalState,
      ...(e.extractorState ? { extractor: { rateHz: m.join.rateHz, offsetS: m.offsetS, bytes: e.extractorState } } : {}),
    });
    st.stats.finalSaved++;
  } else {
    m.writes = m.writes.then(() => st.store.states.delete(streamId)).catch(() => undefined);
  }
  void m.writes.then(() => m.finish());
}

/** `HandoffManager.onEvent`: members follow their results (last `t`) and their end. */
function memberEvent(st: HandoffState, event: SerializedEvent): void {
  const m = st.members.get(event.streamId);
  if (!m) return;
  const e = event.event;
  if (e.type === 'av') {
    m.lastT = e.t;
    return;
  }
  if (e.type === 'stream' && e.state === 'started' && e.resume) m.lastT = e.resume.skipThroughT;
  if (e.type === 'error' || (e.type === 'stream' && e.state === 'ended')) memberEnded(st, m, event.streamId, e);
}

/** `HandoffManager.drain`: every member leaves (or detaches); those that did not within `timeoutMs` are detached. */
async function drainMembers(st: HandoffState, timeoutMs: number): Promise<void> {
  st.draining = true;
  const all = [...st.members.values()];
  for (const m of all) (m.join.leave ?? m.join.detach)();
  const settled = Promise.all(all.map((m) => m.done));
  const timedOut = await Promise.race([settled.then(() => false), sleep(timeoutMs).then(() => true)]);
  if (!timedOut) return;
  for (const m of all) m.join.detach(); // clients that did not leave in time
  await Promise.race([settled, sleep(2000)]);
}

/** Creates the hand-off manager of one instance. */
export function createHandoffManager(options: HandoffManagerOptions): HandoffManager {
  const { store, model, instance } = options;
  const intervalS = options.snapshotIntervalS ?? 5;
  const st: HandoffState = {
    store, model, instance, reachable: options.reachable, members: new Map(), since: new Map(), draining: false,
    stats: { finalSaved: 0, periodicSaved: 0, resumedFinal: 0, resumedPeriodic: 0 },
  };
  const timer = setInterval(() => savePeriodicStates(st), intervalS * 1000);
  timer.unref();
  return {
    get draining() { return st.draining; },
    stats: st.stats,
    resumeFor: (streamId, rateHz) => lookUp(st, streamId, rateHz).catch(() => undefined),
    previousSince: (id) => st.since.get(id),
    metadataOf: (id) => st.members.get(id)?.join.metadata,
    join: (info) => joinMember(st, info),
    onEvent: (event) => memberEvent(st, event),
    drain: (timeoutMs) => drainMembers(st, timeoutMs),
    release() { clearInterval(timer); },
  };
}
