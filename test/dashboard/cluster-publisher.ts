/**
 * A call centre's traffic without the audio, for the dashboard test: what `serve --nats` instances write to a REAL
 * nats-server, written with the project's own code — instance heartbeats and stream registry entries through
 * `openClusterStore` (KV emostream-instances / emostream-streams), `started` / `ended` events and one `av` result per
 * second per stream through `createResultPublisher` with the pipeline's own events serialised by `eventMessage`
 * (so the JSON text, subjects and message ids are exactly what a serve instance publishes). Values follow smooth
 * per-stream curves that a test steers (`arousal(t)`, `valence(t)`), so alerts happen where the test wants them.
 * Only the audio → numbers part is left out: test/dashboard/dashboard-serve.integration.test.ts covers that with a
 * real serve process.
 */
import { connectNats, type NatsLink } from '../../src/cluster/nats-connection.ts';
import { openClusterStore, type ClusterStore, type InstanceEntry, type StreamEntry } from '../../src/cluster/cluster-store.ts';
import { createResultPublisher, type ResultPublisher } from '../../src/cluster/result-publisher.ts';
import { eventMessage } from '../../src/pipeline/serialize.ts';
import type { PipelineEvent } from '../../src/pipeline/types.ts';

/** One track of a call. */
export interface PublishedTrack {
  readonly stream: string;
  readonly arousal: (t: number) => number;
  readonly valence: (t: number) => number;
}

/** A call: its tracks, kind, instance and start. */
export interface PublishedCall {
  readonly kind: string;
  readonly instance: string;
  readonly tracks: readonly PublishedTrack[];
  /** Unix ms the call started. */
  readonly since: number;
  /** Next second to publish (starts at 2, like a real stream). */
  t: number;
  ended: boolean;
}

/** A smooth curve `level` ± 0.56·`amp` that differs per seed. */
export function wave(seed: number, level = 0, amp = 1): (t: number) => number {
  const p1 = 17 + (seed % 11), p2 = 41 + (seed % 23), ph = seed * 1.7;
  return (t) => level + amp * (0.32 * Math.sin(t / p1 + ph) + 0.18 * Math.sin(t / p2 * 2.3 + ph * 0.5) + 0.06 * Math.sin(t * 0.9 + seed));
}

export interface ClusterPublisher {
  readonly link: NatsLink;
  readonly store: ClusterStore;
  readonly results: ResultPublisher;
  readonly calls: PublishedCall[];
  /** Starts heartbeats of `names` (every second until close). */
  instances(names: readonly string[]): Promise<void>;
  /** Registers a call's tracks (registry entries + started events). */
  addCall(call: Omit<PublishedCall, 't' | 'ended'>): Promise<PublishedCall>;
  /** Publishes the next second of every live call; resolves with the Unix ms it published at, once acknowledged. */
  tick(): Promise<number>;
  /**
   * Publishes each call's past as if it had run since `since` (at most the last `seconds`), so that its next
   * second matches its duration; then `tick()` goes on from there.
   */
  prefill(seconds: number): Promise<void>;
  /** Ends a call normally (ended events, registry entries deleted). */
  endCall(call: PublishedCall): Promise<void>;
  close(): Promise<void>;
}

/** Connects to `url` and creates the JetStream objects if missing. */
export async function createClusterPublisher(url: string, model = 'speech@test-1'): Promise<ClusterPublisher> {
  const link = await connectNats({ url, name: 'dashboard test publisher' });
  const store = await openClusterStore(link);
  const results = createResultPublisher(link);
  const calls: PublishedCall[] = [];
  const beats: NodeJS.Timeout[] = [];
  const started = new Date().toISOString();
  const emit = (event: PipelineEvent, latencyMs?: number): void => {
    results.publish({ streamId: event.streamId, type: event.type, event, text: JSON.stringify(eventMessage(event, latencyMs)) });
  };
  const av = (call: PublishedCall, t: number): void => {
    for (const tr of call.tracks) {
      emit({ type: 'av', streamId: tr.stream, t, arousal: tr.arousal(t), valence: tr.valence(t), model, completedAtMs: performance.now() }, 2.1);
    }
  };
  const flush = async (): Promise<void> => {
    const gap = results.gap;
    await results.flush();
    if (results.gap !== gap) throw new Error(`the test publisher lost ${results.gap - gap} message(s)`);
  };
  return {
    link, store, results, calls,
    async instances(names) {
      const beat = () => Promise.all(names.map((n, k) => {
        const hb: InstanceEntry = { instance: n, url: `http://10.0.0.${k + 11}:8080`, pid: 1000 + k, started, at: Date.now(),
          streams: calls.filter((c) => !c.ended && c.instance === n).reduce((s, c) => s + c.tracks.length, 0), draining: false };
        return store.instances.put(n, JSON.stringify(hb));
      }));
      await beat();
      beats.push(setInterval(() => { void beat().catch(() => undefined); }, 1000));
    },
    async addCall(spec) {
      const call: PublishedCall = { ...spec, t: 2, ended: false };
      calls.push(call);
      for (const tr of call.tracks) {
        const entry: StreamEntry = { stream: tr.stream, instance: call.instance, since: call.since, lastT: 0, kind: call.kind, state: 'live', metadata: {}, at: Date.now() };
        await store.streams.put(tr.stream, JSON.stringify(entry));
        emit({ type: 'stream', streamId: tr.stream, state: 'started', kind: call.kind });
      }
      await flush();
      return call;
    },
    async tick() {
      const at = Date.now();
      for (const call of calls) if (!call.ended) av(call, call.t++);
      await flush();
      return at;
    },
    async prefill(seconds) {
      const now = Date.now();
      for (const call of calls) {
        if (call.ended) continue;
        const last = Math.max(2, Math.floor((now - call.since) / 1000));
        for (call.t = Math.max(2, last - seconds + 1); call.t <= last; call.t++) av(call, call.t);
        await flush();
      }
    },
    async endCall(call) {
      call.ended = true;
      for (const tr of call.tracks) {
        emit({ type: 'stream', streamId: tr.stream, state: 'ended', kind: call.kind });
        await store.streams.delete(tr.stream);
      }
      await flush();
    },
    async close() {
      for (const b of beats) clearInterval(b);
      await link.close();
    },
  };
}
