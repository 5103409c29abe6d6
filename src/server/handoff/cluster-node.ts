/**
 * A server's membership of an emostream cluster (`serve --nats URL`): connects (one clear error when NATS cannot be
 * reached), creates the JetStream objects if missing (src/cluster), publishes every result and event
 * (result-publisher.ts), keeps the instance heartbeat and the stream registry in KV, and runs the state hand-off
 * (handoff-manager.ts). NATS going away while serving never stops the server: local WebSocket clients keep their
 * results, publishing resumes on reconnect, and what was missed is counted (`emostream_nats_gap_total`).
 */
import { hostname } from 'node:os';
import { EmostreamError } from '../../errors.ts';
import type { EmotionModel } from '../../model/types.ts';
import type { SerializedEvent } from '../../pipeline/serialize.ts';
import { openClusterStore, type ClusterStore, type InstanceEntry, type StreamEntry } from '../../cluster/cluster-store.ts';
import { HEARTBEAT_MS, NATS_STREAM_ID_PATTERN, pingSubject, REGISTRY_REFRESH_MS } from '../../cluster/names.ts';
import { connectNats, type NatsLink } from '../../cluster/nats-connection.ts';
import { createResultPublisher, type ResultPublisher } from '../../cluster/result-publisher.ts';
import type { ServerMetrics } from '../metrics.ts';
import { createHandoffManager, type HandoffManager } from './handoff-manager.ts';

/** Options of a cluster node (ServerOptions.nats). */
export interface ClusterOptions {
  /** NATS server URL(s), e.g. nats://127.0.0.1:4222. */
  readonly url: string;
  /** This instance's id (KV key: letters, digits, `-`, `_`). Default `<hostname>-<pid>`. */
  readonly instance?: string;
  /** Period of the periodic state saves, s. Default 5. */
  readonly snapshotIntervalS?: number;
}

/** A running cluster node. */
export interface ClusterNode {
  readonly instance: string;
  readonly handoff: HandoffManager;
  readonly publisher: ResultPublisher;
  readonly store: ClusterStore;
  /** Stream ids the cluster cannot carry (subject tokens): EMO_ERR_BAD_CONFIG. */
  checkStreamId(id: string): void;
  onEvent(event: SerializedEvent): void;
  /** Drain: hand every telephony stream over, then flush the publishes. */
  drain(timeoutMs: number): Promise<void>;
  /** Sends a heartbeat now (the server calls it once it listens, so the URL is known). */
  heartbeat(): void;
  /** Stops heartbeats, removes this instance's heartbeat and closes the connection. */
  close(): Promise<void>;
}

interface LiveStream { entry: StreamEntry }

/**
 * Whether `other` still answers its ping: "no responders" means its NATS connection is gone (killed); a timeout
 * (slow, or NATS itself in trouble) counts as reachable, so a live instance is never written off by mistake.
 */
async function reachable(link: NatsLink, other: string): Promise<boolean> {
  try {
    await link.nc.request(pingSubject(other), undefined, { timeout: 1000 });
    return true;
  } catch (err) {
    const e = err as { name?: string; cause?: { name?: string }; isNoResponders?: () => boolean };
    return !(e.isNoResponders?.() || e.name === 'NoResponders' || e.cause?.name === 'NoResponders');
  }
}

/** What the stream registry of one instance needs: the store, this instance, the hand-off and its live streams. */
interface RegistryState {
  readonly store: ClusterStore;
  readonly instance: string;
  readonly handoff: HandoffManager;
  readonly live: Map<string, LiveStream>;
}

/** Writes a stream's registry entry (failures ignored). */
function putEntry(store: ClusterStore, id: string, entry: StreamEntry): void {
  void store.streams.put(id, JSON.stringify(entry)).catch(() => undefined);
}

/**
 * The registry side of `ClusterNode.onEvent`: a started stream gets a live entry, results move its `lastT`, and its
 * end deletes the entry (a detached stream's entry says 'handoff' instead, for the instance that resumes it).
 */
function registryEvent(st: RegistryState, event: SerializedEvent): void {
  const { store, instance, handoff, live } = st;
  const e = event.event;
  const id = event.streamId;
  if (e.type === 'stream' && e.state === 'started') {
    const entry: StreamEntry = { stream: id, instance, since: handoff.previousSince(id) ?? Date.now(), lastT: e.resume?.skipThroughT ?? 0, kind: e.kind, state: 'live', metadata: handoff.metadataOf(id) ?? {}, at: Date.now() };
    live.set(id, { entry });
    putEntry(store, id, entry);
  } else if (e.type === 'av') {
    const s = live.get(id);
    if (s) s.entry = { ...s.entry, lastT: e.t };
  } else if (e.type === 'error' || (e.type === 'stream' && e.state === 'ended')) {
    const s = live.get(id);
    live.delete(id);
    if (e.type === 'stream' && e.detached && s) putEntry(store, id, { ...s.entry, lastT: e.lastT ?? s.entry.lastT, state: 'handoff', at: Date.now() });
    else void store.streams.delete(id).catch(() => undefined);
  }
}

/** Joins the cluster at `options.url`. */
export async function startClusterNode(options: ClusterOptions, model: EmotionModel, metrics: ServerMetrics, serverUrl: () => string): Promise<ClusterNode> {
  const instance = options.instance ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(instance)) throw new EmostreamError('EMO_ERR_USAGE', `instance id '${instance}' must be 1–64 characters of [A-Za-z0-9_-]`);
  const snapshotIntervalS = options.snapshotIntervalS ?? 5;
  if (!(snapshotIntervalS > 0)) throw new EmostreamError('EMO_ERR_USAGE', `the snapshot interval must be > 0 s, got ${snapshotIntervalS}`);
  const link: NatsLink = await connectNats({ url: options.url, name: `emostream ${instance}` });
  let store: ClusterStore;
  try {
    store = await openClusterStore(link);
  } catch (err) {
    await link.close();
    throw err;
  }
  const publisher = createResultPublisher(link);
  const pings = link.nc.subscribe(pingSubject(instance), { callback: (_err, msg) => { msg.respond(); } });
  const handoff = createHandoffManager({ store, model, instance, snapshotIntervalS, reachable: (other) => reachable(link, other) });
  const started = new Date().toISOString();
  const live = new Map<string, LiveStream>();
  const registry: RegistryState = { store, instance, handoff, live };
  let draining = false;
  const heartbeat = (): void => {
    if (!link.connected) return;
    const hb: InstanceEntry = { instance, url: serverUrl(), pid: process.pid, started, at: Date.now(), streams: live.size, draining };
    void store.instances.put(instance, JSON.stringify(hb)).catch(() => undefined);
  };
  heartbeat();
  const beat = setInterval(heartbeat, HEARTBEAT_MS);
  const refresh = setInterval(() => {
    if (!link.connected) return;
    for (const [id, s] of live) putEntry(store, id, (s.entry = { ...s.entry, at: Date.now() }));
  }, REGISTRY_REFRESH_MS);
  beat.unref();
  refresh.unref();
  metrics.nats = {
    get published() { return publisher.published; },
    get gap() { return publisher.gap; },
    get connected() { return link.connected; },
    get handoffSaved() { return handoff.stats.finalSaved + handoff.stats.periodicSaved; },
    get resumed() { return handoff.stats.resumedFinal + handoff.stats.resumedPeriodic; },
  };

  return {
    instance, handoff, publisher, store, heartbeat,
    checkStreamId(id) {
      if (!NATS_STREAM_ID_PATTERN.test(id)) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `stream id '${id}' cannot be a NATS subject token (no leading, trailing or doubled '.')`);
    },
    onEvent(event) {
      publisher.publish(event);
      handoff.onEvent(event);
      registryEvent(registry, event);
    },
    async drain(timeoutMs) {
      draining = true;
      heartbeat();
      await handoff.drain(timeoutMs);
      await Promise.race([publisher.flush(), new Promise((r) => setTimeout(r, 3000))]);
    },
    async close() {
      clearInterval(beat);
      clearInterval(refresh);
      pings.unsubscribe();
      handoff.release();
      await Promise.race([publisher.flush(), new Promise((r) => setTimeout(r, 2000))]);
      if (link.connected) await store.instances.delete(instance).catch(() => undefined);
      await link.close();
    },
  };
}
