/**
 * The `emostream` command line: one entry per command, each in `commands/`. User mistakes end with one line on
 * stderr and the exit status of their error code (README "Exit codes"); only internal bugs print a stack trace.
 */
import { EmostreamError, exitCodeOf } from '../errors.ts';
import { VERSION } from '../version.ts';

/** What a command module exports: its help text and its runner. */
interface CommandModule {
  readonly help: string;
  readonly run: (argv: readonly string[]) => Promise<void>;
}

interface Command {
  readonly summary: string;
  /** Imports the command's module only when it runs (start-up stays fast: `--help` loads none of them). */
  readonly load: () => Promise<CommandModule>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  extract: {
    summary: 'ComParE 2013 LLDs (+ deltas) and 1 Hz pooled features to openSMILE-style CSV',
    load: async () => { const m = await import('./commands/extract.ts'); return { help: m.EXTRACT_HELP, run: m.runExtract }; },
  },
  analyse: {
    summary: 'arousal/valence per second of a file or stream URL (JSONL or CSV), offline',
    load: async () => { const m = await import('./commands/analyse.ts'); return { help: m.ANALYSE_HELP, run: m.runAnalyse }; },
  },
  serve: {
    summary: 'live arousal/valence over WebSocket (mic, files, stdin, URLs, ingest) + OBS overlay',
    load: async () => { const m = await import('./commands/serve.ts'); return { help: m.SERVE_HELP, run: m.runServe }; },
  },
  streams: {
    summary: 'live streams of an emostream cluster (NATS KV registry), or --replay one from JetStream',
    load: async () => { const m = await import('./commands/streams.ts'); return { help: m.STREAMS_HELP, run: m.runStreams }; },
  },
  dashboard: {
    summary: 'supervisor page: every live call of a cluster, alert rules, webhook (NATS JetStream + KV)',
    load: async () => { const m = await import('./commands/dashboard.ts'); return { help: m.DASHBOARD_HELP, run: m.runDashboard }; },
  },
  devices: {
    summary: 'list audio input devices for serve --mic',
    load: async () => { const m = await import('./commands/devices.ts'); return { help: m.DEVICES_HELP, run: m.runDevices }; },
  },
  manifest: {
    summary: 'dataset manifest of a built-in corpus (see emostream manifest --help) for training',
    load: async () => { const m = await import('./commands/manifest.ts'); return { help: m.MANIFEST_HELP, run: m.runManifest }; },
  },
  train: {
    summary: 'train one LSTM configuration from an experiment JSON (run folder + metrics)',
    load: async () => { const m = await import('./commands/train.ts'); return { help: m.TRAIN_HELP, run: m.runTrain }; },
  },
  experiment: {
    summary: 'run the paper protocol (ID / CD / CDTL, grids, trials) from a plan JSON',
    load: async () => { const m = await import('./commands/experiment.ts'); return { help: m.EXPERIMENT_HELP, run: m.runExperiment }; },
  },
  'train-content': {
    summary: 'train and evaluate the speech / music / silence / mixed content classifier (models/content.json)',
    load: async () => { const m = await import('./commands/train-content.ts'); return { help: m.TRAIN_CONTENT_HELP, run: m.runTrainContent }; },
  },
  export: {
    summary: 'trained run folder → ONNX model with standardisation and metadata',
    load: async () => { const m = await import('./commands/export.ts'); return { help: m.EXPORT_HELP, run: m.runExportCommand }; },
  },
};

export const MAIN_HELP = `emostream — real-time arousal/valence analysis of audio

Usage: emostream <command> [options]      (emostream <command> --help for details)

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`).join('\n')}

Examples:
  emostream analyse call.wav --model speech
  emostream serve --mic                       # then open http://127.0.0.1:8080/overlay?stream=mic
  emostream extract speech.wav --lld speech.lld.csv --functionals speech.func.csv
  emostream extract clip.wav --rate native --opensmile-compat --lld -
  emostream manifest ravdess ../shared/data --out ravdess.json
  emostream experiment experiments/default-models.json --quick`;

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(MAIN_HELP + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(`emostream ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`emostream: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    const loaded = await command.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(loaded.help + '\n');
      return 0;
    }
    await loaded.run(rest);
    return 0;
  } catch (err) {
    if (err instanceof EmostreamError && err.code !== 'EMO_ERR_INTERNAL') {
      process.stderr.write(`emostream: ${err.message}\n`);
    } else {
      process.stderr.write(`emostream: internal error (please report): ${(err as Error)?.stack ?? String(err)}\n`);
    }
    return exitCodeOf(err);
  }
}
