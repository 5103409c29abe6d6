/**
 * The `emostream` command line: one entry per command, each in `commands/`. User mistakes end with one line on
 * stderr and the exit status of their error code (README "Exit codes"); only internal bugs print a stack trace.
 */
import { EmostreamError, exitCodeOf } from '../errors.ts';
import { EXTRACT_HELP, runExtract } from './commands/extract.ts';
import { ANALYSE_HELP, runAnalyse } from './commands/analyse.ts';
import { SERVE_HELP, runServe } from './commands/serve.ts';
import { DEVICES_HELP, runDevices } from './commands/devices.ts';
import { TRAIN_HELP, runTrain } from './commands/train.ts';
import { EXPERIMENT_HELP, runExperiment } from './commands/experiment.ts';
import { EXPORT_HELP, runExportCommand } from './commands/export.ts';
import { MANIFEST_HELP, runManifest } from './commands/manifest.ts';

interface Command {
  readonly summary: string;
  readonly help: string;
  readonly run: (argv: readonly string[]) => Promise<void>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  extract: { summary: 'ComParE 2013 LLDs (+ deltas) and 1 Hz pooled features to openSMILE-style CSV', help: EXTRACT_HELP, run: runExtract },
  analyse: { summary: 'arousal/valence per second of a file or stream URL (JSONL or CSV), offline', help: ANALYSE_HELP, run: runAnalyse },
  serve: { summary: 'live arousal/valence over WebSocket (mic, files, stdin, URLs, ingest) + OBS overlay', help: SERVE_HELP, run: runServe },
  devices: { summary: 'list audio input devices for serve --mic', help: DEVICES_HELP, run: runDevices },
  manifest: { summary: 'dataset manifest of a built-in corpus (emomusic, pmemo, ravdess, emodb) for training', help: MANIFEST_HELP, run: runManifest },
  train: { summary: 'train one LSTM configuration from an experiment JSON (run folder + metrics)', help: TRAIN_HELP, run: runTrain },
  experiment: { summary: 'run the paper protocol (ID / CD / CDTL, grids, trials) from a plan JSON', help: EXPERIMENT_HELP, run: runExperiment },
  export: { summary: 'trained run folder → ONNX model with standardisation and metadata', help: EXPORT_HELP, run: runExportCommand },
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
    process.stdout.write('emostream 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`emostream: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  try {
    await command.run(rest);
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
