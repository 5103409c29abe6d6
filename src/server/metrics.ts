/**
 * Server metrics in the Prometheus text exposition format (version 0.0.4): counters, gauges and one latency
 * histogram (processing latency of av results, ms). Updated by the server; rendered by `GET /metrics`.
 */
import { LATENCY_BUCKETS_MS } from './limits.ts';

/** Counters and gauges of the server. */
export interface ServerMetrics {
  /** Streams currently running. */
  streamsActive: number;
  /** Results WebSocket clients connected. */
  resultsClients: number;
  /** Ingest WebSocket clients connected. */
  ingestClients: number;
  /** Streams started since the server started. */
  streamsStarted: number;
  /** Streams ended with an error. */
  streamErrors: number;
  /** av results produced. */
  results: number;
  /** Messages written to results clients. */
  messagesSent: number;
  /** Messages dropped for slow results clients (drop-oldest). */
  messagesDropped: number;
  /** `lag` events (a stream fell behind). */
  lagEvents: number;
  /** Connection-level protocol errors sent. */
  protocolErrors: number;
  /** Ingest bytes received. */
  ingestBytes: number;
  /**
   * Results on NATS (`--nats`; undefined without): messages acknowledged by JetStream, messages not published (NATS
   * down, too many pending, failed: the gap), whether the connection is up.
   */
  nats?: { readonly published: number; readonly gap: number; readonly connected: boolean; readonly handoffSaved: number; readonly resumed: number };
  /** Observes one processing latency in ms. */
  observeLatency(ms: number): void;
  /** Renders everything as Prometheus text. */
  render(): string;
}

/** Creates a zeroed metrics set. */
export function createServerMetrics(): ServerMetrics {
  const buckets = new Float64Array(LATENCY_BUCKETS_MS.length);
  let latencyCount = 0;
  let latencySum = 0;
  const metrics: ServerMetrics = {
    streamsActive: 0, resultsClients: 0, ingestClients: 0, streamsStarted: 0, streamErrors: 0, results: 0,
    messagesSent: 0, messagesDropped: 0, lagEvents: 0, protocolErrors: 0, ingestBytes: 0,
    observeLatency(ms) {
      latencyCount++;
      latencySum += ms;
      for (let k = 0; k < LATENCY_BUCKETS_MS.length; k++) if (ms <= LATENCY_BUCKETS_MS[k]) buckets[k]++;
    },
    render() {
      const lines: string[] = [];
      const one = (name: string, type: 'counter' | 'gauge', help: string, value: number): void => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
      };
      one('emostream_streams_active', 'gauge', 'Streams currently running.', metrics.streamsActive);
      one('emostream_results_clients', 'gauge', 'Results WebSocket clients connected.', metrics.resultsClients);
      one('emostream_ingest_clients', 'gauge', 'Ingest WebSocket clients connected.', metrics.ingestClients);
      one('emostream_streams_started_total', 'counter', 'Streams started.', metrics.streamsStarted);
      one('emostream_stream_errors_total', 'counter', 'Streams ended by an error.', metrics.streamErrors);
      one('emostream_results_total', 'counter', 'Arousal/valence results produced.', metrics.results);
      one('emostream_messages_sent_total', 'counter', 'Messages written to results clients.', metrics.messagesSent);
      one('emostream_messages_dropped_total', 'counter', 'Messages dropped for slow results clients (oldest first).', metrics.messagesDropped);
      one('emostream_lag_events_total', 'counter', 'Times a stream fell behind (windows waiting for the model).', metrics.lagEvents);
      one('emostream_protocol_errors_total', 'counter', 'Connection-level protocol errors sent to clients.', metrics.protocolErrors);
      one('emostream_ingest_bytes_total', 'counter', 'PCM bytes received on ingest sockets.', metrics.ingestBytes);
      if (metrics.nats) {
        const n = metrics.nats;
        one('emostream_nats_connected', 'gauge', 'Whether the NATS connection is up (1) or not (0).', n.connected ? 1 : 0);
        one('emostream_nats_published_total', 'counter', 'Messages acknowledged by JetStream.', n.published);
        one('emostream_nats_gap_total', 'counter', 'Results and events not published to JetStream (NATS down, too many pending, or failed).', n.gap);
        one('emostream_handoff_states_saved_total', 'counter', 'Stream states saved to NATS KV (periodic and final).', n.handoffSaved);
        one('emostream_handoff_resumed_total', 'counter', 'Streams resumed here from another instance.', n.resumed);
      }
      lines.push('# HELP emostream_latency_ms Processing latency of results: arrival of the completing chunk to send, ms.');
      lines.push('# TYPE emostream_latency_ms histogram');
      LATENCY_BUCKETS_MS.forEach((le, k) => lines.push(`emostream_latency_ms_bucket{le="${le}"} ${buckets[k]}`));
      lines.push(`emostream_latency_ms_bucket{le="+Inf"} ${latencyCount}`);
      lines.push(`emostream_latency_ms_sum ${latencySum}`, `emostream_latency_ms_count ${latencyCount}`);
      return lines.join('\n') + '\n';
    },
  };
  return metrics;
}
