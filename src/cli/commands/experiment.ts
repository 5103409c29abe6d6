/**
 * `emostream experiment <plan.json> [--quick]`: runs the paper's protocol (ID / CD / CDTL conditions, hyper-parameter
 * search, trials, best-K, baselines, significance) on the plan's corpora and writes the results folder
 * (results.json, report.md, plots/) plus one run folder per condition (`<out>/runs/<condition>`, exportable).
 * Plan format: docs/trainer.md.
 */
import { EmostreamError } from '../../errors.ts';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parsePlan } from '../../train/protocol/plan.ts';
import { defaultEvidence } from '../../train/output/model-card.ts';
import { publishRun } from '../../train/output/publish.ts';
import { createConsoleReporter } from '../progress.ts';
import { writeResultsFolder } from '../../train/output/report.ts';
import { runProtocol } from '../../train/protocol/protocol.ts';
import { configBaseDir } from '../../train/protocol/train-run.ts';
import { parseCommandArgs } from '../args.ts';
import { readJsonFile, withDataDir } from './train.ts';

export const EXPERIMENT_HELP = `Usage: emostream experiment <plan.json> [--quick] [--write-models]

Runs the protocol of Coutinho & Schuller 2017 (M2M, S2S, S2M, M2S and the transfer conditions S2M-TL, M2S-TL)
on the plan's corpora: hyper-parameter search (layer 1 → layer 2 → learning rate → noise), N trials per
condition, mean of the best K, baselines and paired t-tests. Writes results.json, report.md, plots/ and
runs/<condition>/ (export with 'emostream export'). With "outside" corpora in the plan, the selected models are
also scored on them; with "finalModels", one model per domain is retrained on all its groups and exported to
<out>/models/<domain>.onnx with a model card, and <out>/results.md is written. Format: docs/trainer.md.

Options:
  --data <dir>     folder of the built-in corpora: replaces the "dataDir" of every { "corpus", "dataDir" } source
  --quick          apply the plan's "quick" overrides (reduced grids and trials)
  --write-models   also copy the final models, their cards, results.md and a few plots to the plan's
                   finalModels.publish paths (the shipped models/ and docs/results.md)

Examples:
  emostream experiment experiments/quick.json
  emostream experiment experiments/paper-protocol.json --quick
  emostream experiment experiments/default-models.json --write-models   (npm run experiments)`;

export async function runExperiment(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { quick: { type: 'boolean', default: false }, 'write-models': { type: 'boolean', default: false }, data: { type: 'string' } }, 'experiment');
  if (positionals.length !== 1) throw new EmostreamError('EMO_ERR_USAGE', 'experiment: give exactly one plan JSON file (see --help)');
  const plan = parsePlan(withDataDir(await readJsonFile(positionals[0]!), values.data as string | undefined), values.quick as boolean);
  const writeModels = values['write-models'] as boolean;
  const publish = plan.finalModels?.publish;
  if (writeModels && !publish) throw new EmostreamError('EMO_ERR_USAGE', 'experiment: --write-models needs "finalModels": { "publish": {...} } in the plan');
  const baseDir = configBaseDir(positionals[0]!);
  const loadAtStart = loadavg()[0]!;
  const r = await runProtocol(plan, { baseDir, progress: createConsoleReporter() });
  await writeResultsFolder(r.outDir, r.results);
  for (const c of r.results.conditions) {
    process.stdout.write(`${c.condition.padEnd(7)} arousal CCC ${c.mean.arousal.ccc.toFixed(3)} (pooled ${c.pooled?.arousal.ccc.toFixed(3)})  valence CCC ${c.mean.valence.ccc.toFixed(3)} (pooled ${c.pooled?.valence.ccc.toFixed(3)})\n`);
  }
  for (const f of r.finalModels) process.stdout.write(`final ${f.domain} model: ${f.isDefault ? 'beats' : 'does NOT beat'} both baselines: ${defaultEvidence(r.conditions.find((c) => c.condition === f.condition)!.generalisation)} (${f.bytes} bytes)\n`);
  if (r.finalModels.length) {
    const command = `emostream experiment ${positionals[0]}${values.quick ? ' --quick' : ''}${writeModels ? ' --write-models' : ''}`;
    const at = (p: string) => resolve(baseDir, p);
    const written = await publishRun(r, plan, { command, quick: values.quick as boolean, loadAtStart, extractionSeconds: r.loadSeconds }, writeModels && publish ? { models: at(publish.models), doc: at(publish.doc), plots: at(publish.plots) } : undefined);
    for (const w of written) process.stdout.write(`wrote ${w}\n`);
  }
  process.stdout.write(`${r.outDir}: results in ${r.seconds.toFixed(0)} s\n`);
}
