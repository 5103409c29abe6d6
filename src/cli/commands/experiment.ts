/**
 * `emostream experiment <plan.json> [--quick]`: runs the paper's protocol (ID / CD / CDTL conditions, hyper-parameter
 * search, trials, best-K, baselines, significance) on the plan's corpora and writes the results folder
 * (results.json, report.md, plots/) plus one run folder per condition (`<out>/runs/<condition>`, exportable).
 * Plan format: docs/trainer.md.
 */
import { EmostreamError } from '../../errors.ts';
import { parsePlan } from '../../train/plan.ts';
import { runProtocol } from '../../train/protocol.ts';
import { configBaseDir } from '../../train/train-run.ts';
import { parseCommandArgs } from '../args.ts';
import { readJsonFile } from './train.ts';

export const EXPERIMENT_HELP = `Usage: emostream experiment <plan.json> [--quick]

Runs the protocol of Coutinho & Schuller 2017 (M2M, S2S, S2M, M2S and the transfer conditions S2M-TL, M2S-TL)
on the plan's corpora: hyper-parameter search (layer 1 → layer 2 → learning rate → noise), N trials per
condition, mean of the best K, baselines and paired t-tests. Writes results.json, report.md, plots/ and
runs/<condition>/ (export with 'emostream export'). Format: docs/trainer.md.

Options:
  --quick   apply the plan's "quick" overrides (reduced grids and trials)

Examples:
  emostream experiment experiments/quick.json
  emostream experiment experiments/paper-protocol.json --quick`;

export async function runExperiment(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { quick: { type: 'boolean', default: false } }, 'experiment');
  if (positionals.length !== 1) throw new EmostreamError('EMO_ERR_USAGE', 'experiment: give exactly one plan JSON file (see --help)');
  const plan = parsePlan(await readJsonFile(positionals[0]!), values.quick as boolean);
  const r = await runProtocol(plan, { baseDir: configBaseDir(positionals[0]!) });
  for (const c of r.results.conditions) {
    process.stdout.write(`${c.condition.padEnd(7)} arousal CCC ${c.mean.arousal.ccc.toFixed(3)} (pooled ${c.pooled?.arousal.ccc.toFixed(3)})  valence CCC ${c.mean.valence.ccc.toFixed(3)} (pooled ${c.pooled?.valence.ccc.toFixed(3)})\n`);
  }
  process.stdout.write(`${r.outDir}: results in ${r.seconds.toFixed(0)} s\n`);
}
