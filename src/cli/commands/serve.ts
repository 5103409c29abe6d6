/**
 * `emostream serve [--mic [DEVICE]] [--file F]… [--stdin --format s16le --rate N] [--url U]… [--ingest] [--model music|speech|auto|<path>]
 * [--port 8080] [--host 127.0.0.1] [--token <secret, ≥ 8 characters>] [--workers N] [--osc HOST:PORT]… [--midi-cc PORT]`: the live server
 * (src/server), with the performer outputs of serve-outputs.ts. Runs until SIGINT/SIGTERM
 * (exit 0). Without --ingest, a server whose every source failed has nothing left to serve: it stops and exits with
 * the exit code of the first source's error (README "Exit codes"); with --ingest it keeps running for new streams.
 */
import { basename, extname } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import type { EmostreamServer } from '../../server/server-types.ts';
import { fileSource } from '../../audio/sources/file-source.ts';
import { urlSource } from '../../audio/sources/url-source.ts';
import { listInputDevices, micSource, selectInputDevice } from '../../audio/sources/mic-source.ts';
import { readableSource } from '../../audio/sources/stdin-source.ts';
import type { StreamSource } from '../../audio/sources/types.ts';
import { startServer } from '../../server/create-server.ts';
import { parseCommandArgs } from '../args.ts';
import { loadCliModel } from './model-loading.ts';
import { openServeOutputs, OUTPUT_HELP, OUTPUT_OPTIONS } from './serve-outputs.ts';

export const SERVE_HELP = `Usage: emostream serve [--model music|speech|auto|<model.onnx>] [sources] [--ingest] [--port 8080] [--host 127.0.0.1] [--token <secret>]

Live arousal/valence once per second for every source, each its own stream id, over WebSocket.

Sources (any number, combined):
  --mic [DEVICE]        microphone (naudiodon); DEVICE = index or name from 'emostream devices' (default device)
  --file <path>         audio file, played in real time (stream id: file name); repeatable
  --fast                play --file sources as fast as possible instead of in real time
  --stdin               raw mono PCM on stdin (stream id 'stdin'), with --format s16le|f32le and --rate <Hz>
  --url <http(s)://…>   Icecast/HTTP MP3 or Ogg Vorbis stream (stream id 'url', 'url-2', …); repeatable
  --ingest              accept PCM over ws://host:port/ingest?stream=<id>&rate=16000&format=s16le

Server:
  --model <m>           music | speech (the shipped models/<m>.onnx, see models/<m>.md) or a path to an
                        emostream ONNX model; auto: each second through the speech or the music model by its
                        content (switching after 3 s of the other content, the new model starting afresh;
                        docs/protocol.md). Default: the shipped model that beats both baselines on held-out
                        arousal CCC, speech first (docs/results.md); if none does, speech with a printed note
  --port <n>            TCP port (default 8080; 0 = any free port)
  --host <addr>         interface (default 127.0.0.1); any other host requires --token
  --token <secret>      at least 8 characters; required on every endpoint but /health (Authorization: Bearer,
                        or ?token=)
  --allow-test-model    accept a test-fixture model (random weights) and print a warning
  --workers <n>         feature-extraction worker threads (default: CPU count; 0 = extract in the main thread)

Call centres (with --ingest: ws /twilio, /fork (jambonz listen, mod_audio_fork), /audiohook (Genesys)):
  --audiosocket <port>  Asterisk AudioSocket TCP listener (loopback unless --audiosocket-insecure)
  --audiohook-api-key <key>   expected X-API-KEY (default: --token)
  --audiohook-secret <base64> AudioHook client secret: verify the request signature
  --nats <url>          publish results to NATS JetStream, KV stream registry, state hand-off (docs/deploy.md)
  --instance <id>       this instance's id in the cluster (default: <hostname>-<pid>)
  --snapshot-interval <s>  periodic state saves for the hand-off (default 5); SIGTERM drains

${OUTPUT_HELP}

Endpoints: ws /results[?stream=id], ws /ingest, GET /overlay?stream=id (OBS browser source), GET /stage?stream=id
(performer visualiser), /health, /metrics.

Runs until Ctrl-C. Without --ingest, when every source has failed the server stops and exits with the first
source's exit code (e.g. 3: file missing, 8: no input device, 9: network source failure).

Examples:
  emostream serve --mic
  emostream serve --mic --model auto --osc 127.0.0.1:7000 --osc-flat --osc-range unit   # TouchDesigner
  emostream serve --model music --url http://radio.example/stream.mp3 --ingest --port 9000
  emostream serve --model speech --ingest --host 0.0.0.0 --token s3cret-token
  emostream serve --ingest --audiosocket 9092 --nats nats://127.0.0.1:4222 --token s3cret-token
  arecord -f S16_LE -r 16000 -c 1 -t raw | emostream serve --model speech --stdin --format s16le --rate 16000`;

/** `--mic` takes an optional value: a bare `--mic` becomes `--mic default`. */
function normaliseMicFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, k) => {
    out.push(arg);
    if (arg === '--mic' && (k + 1 >= argv.length || argv[k + 1].startsWith('--'))) out.push('default');
  });
  return out;
}

function uniqueId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 56) || 'stream';
  let id = clean;
  for (let n = 2; taken.has(id); n++) id = `${clean}-${n}`;
  taken.add(id);
  return id;
}

export async function runServe(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(normaliseMicFlag(argv), {
    model: { type: 'string' },
    mic: { type: 'string' },
    file: { type: 'string', multiple: true },
    fast: { type: 'boolean', default: false },
    stdin: { type: 'boolean', default: false },
    format: { type: 'string', default: 's16le' },
    rate: { type: 'string', default: '16000' },
    url: { type: 'string', multiple: true },
    ingest: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string' },
    workers: { type: 'string' },
    'allow-test-model': { type: 'boolean', default: false },
    nats: { type: 'string' },
    instance: { type: 'string' },
    'snapshot-interval': { type: 'string', default: '5' },
    audiosocket: { type: 'string' },
    'audiosocket-insecure': { type: 'boolean', default: false },
    'audiohook-api-key': { type: 'string' },
    'audiohook-secret': { type: 'string' },
    ...OUTPUT_OPTIONS,
  }, 'serve');
  if (positionals.length > 0) throw new EmostreamError('EMO_ERR_USAGE', `serve: unexpected argument '${positionals[0]}' (sources are --file, --url, --mic, --stdin)`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmostreamError('EMO_ERR_USAGE', `serve: --port must be 0..65535, got '${values.port}'`);

  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new EmostreamError('EMO_ERR_USAGE', `serve: --workers must be an integer ≥ 0, got '${values.workers}'`);
  }

  const taken = new Set<string>();
  const sources: StreamSource[] = [];
  for (const path of (values.file as string[] | undefined) ?? []) {
    sources.push(fileSource(path, { streamId: uniqueId(basename(path, extname(path)), taken), realtime: !values.fast }));
  }
  for (const url of (values.url as string[] | undefined) ?? []) sources.push(urlSource(url, { streamId: uniqueId('url', taken) }));
  if (values.mic !== undefined) {
    const device = values.mic as string;
    // Fail before serving when the microphone cannot work (no naudiodon, no device, no such device): exit 8.
    selectInputDevice(await listInputDevices(), device === 'default' ? undefined : device);
    sources.push(micSource({ streamId: uniqueId('mic', taken), device: device === 'default' ? undefined : device }));
  }
  if (values.stdin) {
    const format = values.format as string;
    if (format !== 's16le' && format !== 'f32le') throw new EmostreamError('EMO_ERR_USAGE', `serve: --format must be s16le or f32le, got '${format}'`);
    sources.push(readableSource({ streamId: uniqueId('stdin', taken), format, sampleRateHz: Number(values.rate) }));
  }
  if (sources.length === 0 && !values.ingest) throw new EmostreamError('EMO_ERR_USAGE', 'serve: give at least one source (--mic, --file, --stdin, --url) or --ingest');

  const audiosocketPort = values.audiosocket === undefined ? undefined : Number(values.audiosocket);
  if (audiosocketPort !== undefined && (!Number.isInteger(audiosocketPort) || audiosocketPort < 0 || audiosocketPort > 65535)) {
    throw new EmostreamError('EMO_ERR_USAGE', `serve: --audiosocket must be a port 0..65535, got '${values.audiosocket}'`);
  }
  const snapshotIntervalS = Number(values['snapshot-interval']);
  if (!(snapshotIntervalS > 0)) throw new EmostreamError('EMO_ERR_USAGE', `serve: --snapshot-interval must be > 0 s, got '${values['snapshot-interval']}'`);
  const secret = values['audiohook-secret'] as string | undefined;
  const outputs = await openServeOutputs(values);
  let model;
  try {
    model = await loadCliModel(values.model as string | undefined, values['allow-test-model'] as boolean, 'serve');
  } catch (err) {
    await outputs.close();
    throw err;
  }
  let server;
  try {
    server = await startServer({
      model, port, host: values.host as string, token: values.token as string | undefined, ingest: values.ingest as boolean, sources, workers,
      ...(audiosocketPort !== undefined ? { audiosocket: { port: audiosocketPort, insecure: values['audiosocket-insecure'] as boolean } } : {}),
      audiohook: { apiKey: values['audiohook-api-key'] as string | undefined, clientSecret: secret === undefined ? undefined : Buffer.from(secret, 'base64') },
      ...(values.nats ? { nats: { url: values.nats as string, instance: values.instance as string | undefined, snapshotIntervalS } } : {}),
    });
  } catch (err) {
    await outputs.close();
    await model.release();
    throw err;
  }
  outputs.attach(server.events);
  const ws = server.url.replace(/^http/, 'ws');
  process.stderr.write(`emostream: serving ${sources.map((s) => s.streamId).join(', ') || '(ingest only)'} on ${server.url}\n`
    + `  results  ${ws}/results[?stream=<id>]\n`
    + (values.ingest ? `  ingest   ${ws}/ingest?stream=<id>&rate=16000&format=s16le   telephony ${ws}/twilio ${ws}/fork ${ws}/audiohook\n` : '')
    + (server.audiosocketPort !== undefined ? `  audiosocket tcp ${values.host}:${server.audiosocketPort}\n` : '')
    + (server.cluster ? `  nats     ${values.nats} (instance ${server.cluster.instance})\n` : '')
    + `  overlay  ${server.url}/overlay?stream=<id>   stage ${server.url}/stage?stream=<id>\n`
    + `  health   ${server.url}/health   metrics ${server.url}/metrics\n` + outputs.banner);
  server.events.subscribe((event) => {
    if (event.type === 'error') process.stderr.write(`emostream: stream error: ${event.text}\n`);
  });
  const failure = await untilStopped(server, sources.length > 0 && !values.ingest);
  if (failure === 'drain') {
    process.stderr.write('emostream: SIGTERM: draining (handing streams over to other instances)\n');
    await server.drain();
  } else await server.close();
  await outputs.close();
  await model.release();
  if (failure && failure !== 'drain') throw failure;
}

/**
 * Resolves on SIGINT/SIGTERM (undefined) or, with `stopWhenSourcesFail`, once every source given at start failed:
 * then with an error carrying the first source's EMO_ERR_* code (so its exit code).
 */
function untilStopped(server: EmostreamServer, stopWhenSourcesFail: boolean): Promise<EmostreamError | 'drain' | undefined> {
  return new Promise((resolve) => {
    // The handlers stay installed: a signal can arrive twice (the terminal and the launcher's forwarding,
    // bin/emostream.js), and a second one must not kill the process while it closes.
    const stop = (result: EmostreamError | 'drain' | undefined): void => resolve(result);
    const onSignal = (): void => stop(undefined);
    process.on('SIGINT', onSignal);
    // With --nats, SIGTERM drains (streams handed over to other instances); without, it stops like Ctrl-C.
    process.on('SIGTERM', () => stop(server.cluster ? 'drain' : undefined));
    if (!stopWhenSourcesFail) return;
    void server.sourcesSettled.then((outcomes) => {
      if (outcomes.length === 0 || !outcomes.every((o) => o.state === 'error')) return;
      const first = outcomes[0].error;
      const code = first instanceof EmostreamError ? first.code : 'EMO_ERR_INTERNAL';
      const why = first instanceof Error ? first.message.split('\n')[0] : String(first);
      const ids = outcomes.map((o) => o.streamId).join(', ');
      stop(new EmostreamError(code, `serve: every source failed (${ids}), nothing left to serve; first error: ${why}`, { cause: first }));
    });
  });
}
