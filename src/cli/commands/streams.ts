/**
 * `emostream streams --nats URL [--json] [--replay STREAM]`: the cluster's live streams from the KV registry (which
 * instance serves each, since when, last t, whether that instance's heartbeat is fresh), or, with --replay, one
 * stream's av results from JetStream from its start (one JSON line each). NATS unreachable: exit 9.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import { EmostreamError } from '../../errors.ts';
import { openClusterStore, type InstanceEntry, type StreamEntry } from '../../cluster/cluster-store.ts';
import { avSubject, INSTANCE_ALIVE_MS, RESULTS_STREAM } from '../../cluster/names.ts';
import { connectNats } from '../../cluster/nats-connection.ts';
import { parseCommandArgs } from '../args.ts';

export const STREAMS_HELP = `Usage: emostream streams --nats <url> [--json] [--replay <stream>]

Lists the live streams of an emostream cluster (serve --nats): stream, instance, since, last t, instance alive.
  --json             one JSON object per stream instead of the table
  --replay <stream>  print the stream's av results from JetStream, from its start (JSON lines)

Example:
  emostream streams --nats nats://127.0.0.1:4222`;

export async function runStreams(argv: readonly string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { nats: { type: 'string' }, json: { type: 'boolean', default: false }, replay: { type: 'string' } }, 'streams');
  if (!values.nats) throw new EmostreamError('EMO_ERR_USAGE', 'streams: --nats <url> is required');
  const link = await connectNats({ url: values.nats as string, name: 'emostream streams' });
  try {
    if (values.replay) {
      const consumer = await link.js.consumers.get(RESULTS_STREAM, { filter_subjects: avSubject(values.replay as string), deliver_policy: DeliverPolicy.All });
      const info = await link.jsm.streams.info(RESULTS_STREAM, { subjects_filter: avSubject(values.replay as string) } as never);
      const total = Number((info.state as { subjects?: Record<string, number> }).subjects?.[avSubject(values.replay as string)] ?? 0);
      if (total > 0) {
        const messages = await consumer.fetch({ max_messages: total, expires: 5000 });
        let n = 0;
        for await (const m of messages) {
          process.stdout.write(m.string() + '\n');
          if (++n >= total) break;
        }
      }
      return;
    }
    const store = await openClusterStore(link);
    const [streams, instances] = await Promise.all([store.list<StreamEntry>(store.streams), store.list<InstanceEntry>(store.instances)]);
    const alive = new Map(instances.map((i) => [i.instance, Date.now() - i.at < INSTANCE_ALIVE_MS]));
    const rows = streams.sort((a, b) => a.stream.localeCompare(b.stream)).map((s) => ({ ...s, instanceAlive: alive.get(s.instance) ?? false }));
    if (values.json) {
      for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
      return;
    }
    process.stdout.write(`${'stream'.padEnd(48)} ${'instance'.padEnd(24)} ${'since'.padEnd(20)} ${'last t'.padStart(7)}  state\n`);
    for (const r of rows) {
      const since = new Date(r.since).toISOString().slice(0, 19).replace('T', ' ');
      process.stdout.write(`${r.stream.padEnd(48)} ${r.instance.padEnd(24)} ${since.padEnd(20)} ${String(r.lastT).padStart(7)}  ${r.state}${r.instanceAlive ? '' : ' (instance gone)'}\n`);
    }
    process.stdout.write(`${rows.length} stream(s), ${instances.length} instance(s)\n`);
  } finally {
    await link.close();
  }
}
