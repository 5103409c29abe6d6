/**
 * `emostream train <experiment.json> [--resume <checkpoint>] [--quiet]`: trains one configuration (corpora, split,
 * layer sizes, learning rate, noise, epochs, seed; docs/trainer.md) and writes a run folder (run.json,
 * parameters.bin, metrics.json) that `emostream export` turns into an ONNX model. Ctrl-C stops after the current
 * epoch and writes `<out>/checkpoint.{json,bin}`; `--resume` continues from it.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import { readCheckpoint, writeCheckpoint } from '../../train/fit/checkpoint.ts';
import { createConsoleReporter } from '../progress.ts';
import { configBaseDir, parseTrainConfig, runTraining } from '../../train/protocol/train-run.ts';
import { parseCommandArgs } from '../args.ts';

export const TRAIN_HELP = `Usage: emostream train <experiment.json> [--resume <checkpoint>] [--quiet]

Trains one LSTM regressor configuration (Coutinho & Schuller 2017) and writes a run folder
(run.json, parameters.bin, metrics.json) to the experiment's "out" folder. Format: docs/trainer.md.

Options:
  --data <dir>      folder of the built-in corpora: replaces the "dataDir" of every { "corpus", "dataDir" } source
                    (the corpora and their layout: docs/dataset-manifest.md)
  --resume <path>   continue from a checkpoint (<out>/checkpoint.json, written on Ctrl-C)
  --quiet           no per-epoch lines

Examples (in a clone of the repository, next to the shared data folder ../shared/data):
  emostream train experiments/ravdess-single.json
  emostream train experiments/ravdess-single.json --data /datasets/emotion
  emostream train experiments/ravdess-single.json --resume .cache/runs/ravdess-single/checkpoint.json`;

/** `json` with the "dataDir" of every built-in corpus source (an object with "corpus" and "dataDir") set to `dir`. */
export function withDataDir(json: unknown, dir: string | undefined): unknown {
  if (dir === undefined) return json;
  const abs = resolve(dir);
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out = Object.fromEntries(Object.entries(o).map(([k, x]) => [k, visit(x)]));
    return typeof o['corpus'] === 'string' && 'dataDir' in o ? { ...out, dataDir: abs } : out;
  };
  return visit(json);
}

/** Reads and validates an experiment/plan JSON file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', `${path}: cannot read (${(cause as Error).message})`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}

/** Installs a one-shot SIGINT handler; returns `stopRequested()` and `dispose()`. */
export function interruptFlag(label: string): { stopRequested: () => boolean; dispose: () => void } {
  let stop = false;
  let firstAtMs = 0;
  const onSigint = (): void => {
    // A second Ctrl-C aborts; one arriving within 0.5 s is the same keypress delivered twice (the terminal signals
    // the launcher and the CLI process, and the launcher forwards it: bin/emostream.js).
    if (stop && Date.now() - firstAtMs > 500) process.exit(130);
    if (stop) return;
    stop = true;
    firstAtMs = Date.now();
    process.stderr.write(`\n${label}: stopping after this epoch and writing a checkpoint (Ctrl-C again to abort)\n`);
  };
  process.on('SIGINT', onSigint);
  return { stopRequested: () => stop, dispose: () => process.off('SIGINT', onSigint) };
}

export async function runTrain(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { resume: { type: 'string' }, quiet: { type: 'boolean', default: false }, data: { type: 'string' } }, 'train');
  if (positionals.length !== 1) throw new EmostreamError('EMO_ERR_USAGE', 'train: give exactly one experiment JSON file (see --help)');
  const configPath = positionals[0]!;
  const config = parseTrainConfig(withDataDir(await readJsonFile(configPath), values.data as string | undefined));
  const baseDir = configBaseDir(configPath);
  const resume = values.resume ? (await readCheckpoint(resolve(values.resume as string))).state : undefined;
  const flag = interruptFlag('train');
  try {
    const quiet = values.quiet as boolean;
    const r = await runTraining(config, {
      baseDir, resume, shouldStop: flag.stopRequested, progress: quiet ? undefined : createConsoleReporter(),
      onEpoch: quiet ? undefined : (e) => process.stderr.write(`epoch ${e.epoch}: train ${e.trainLoss.toFixed(4)} val ${e.validationLoss.toFixed(4)} (best ${e.bestValidationLoss.toFixed(4)} @ ${e.bestEpoch})\n`),
    });
    if (r.fit.stoppedBy === 'interrupted') {
      const ckpt = join(r.outDir, 'checkpoint');
      await writeCheckpoint(ckpt, r.fit.state, { config: configPath });
      throw new EmostreamError('EMO_ERR_INTERRUPTED', `train: interrupted; checkpoint written to ${ckpt}.json (resume with --resume ${ckpt}.json)`);
    }
    const s = r.test?.mean;
    const line = s ? ` test arousal CCC ${s.arousal.ccc.toFixed(3)} valence CCC ${s.valence.ccc.toFixed(3)}` : '';
    process.stdout.write(`${r.outDir}: ${r.fit.epochs} epochs (best ${r.fit.bestEpoch}, ${r.fit.stoppedBy})${line}\n`);
  } finally {
    flag.dispose();
  }
}
