/**
 * The human-readable record of a protocol run with final models: `results.md` (summary and targets, data, setup,
 * Table 6 beside the paper's, held-out evidence per condition and corpus with the baselines, single-emotion
 * streams, the stream-normaliser study, outside tests, condition t-tests, how the data differ from the paper's,
 * hardware and wall time) and one model card per final model (model-card.ts). Every number is taken from the run's
 * outcome. `publishRun` writes them into the results folder and, when asked, copies them with the models and a few
 * plots to the plan's `finalModels.publish` paths.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Plan } from '../protocol/plan.ts';
import type { ProtocolOutcome } from '../protocol/protocol.ts';
import { defaultEvidence, modelCardMarkdown } from './model-card.ts';
import { table6Markdown } from './report.ts';
import { clipTable, comparisonTable, normStudyTable, outsideTable, singleEmotionTable } from './tables.ts';
import { checkTargets, targetsTable } from './targets.ts';

/** Facts about the run that the outcome does not hold. */
export interface RunFacts {
  /** The command line that produced the run. */
  readonly command: string;
  readonly quick: boolean;
  /** 1-minute load average when the run started (other users of the machine). */
  readonly loadAtStart: number;
  /** Seconds spent extracting features not yet in the cache (the first run), when measured. */
  readonly extractionSeconds?: number;
}

/** How the public data differ from the paper's (a plain statement printed on the page). */
export const DATA_DIFFERENCES = `The paper used 20 music-psychology pieces and 23 RECOLA speakers, both with continuous ratings, tested nested
leave-one-out, and pre-trained its DAE on separate unlabelled pools (MediaEval 2014, SEMAINE); those data are not all
public. Here the speech corpora are **acted** emotional speech in four languages whose arousal/valence targets are
**categorical labels mapped through the NRC VAD lexicon** (piecewise-constant weak labels, not ratings; BAVED labels
arousal only, so its valence is missing and masked), joined per speaker into minutes-long sequences with low-level
noise pauses; the music corpus labels only the **quadrant** of each 20 s excerpt (the signs of arousal and valence), so
per-clip r and CCC are undefined and clip-level AUC, sign accuracy and pooled scores are reported instead. None of our
numbers is comparable in level to the paper's.`;

function setupText(plan: Plan): string {
  const g = plan.grids;
  const n = plan.streamNorm;
  const folds = (d: 'music' | 'speech') => { const f = plan.folds[d]; return f === 'corpus' ? 'leave one corpus out' : f ? `${f.chunks} chunks of groups` : `the paper's nested leave-${plan.testGroupsPerFold[d]}-groups-out`; };
  return [
    `- Folds: speech ${folds('speech')}, music ${folds('music')}; early stopping on every ${plan.validationEvery}th remaining group; cross-domain conditions test on all of the other domain.`,
    `- Stream normaliser: ${n.kind === 'none' ? 'none' : `${n.kind}, prior weight ${n.priorWeight} s, maximum weight ${Number.isFinite(n.maxWeight) ? `${n.maxWeight} s` : '∞'}, ε ${n.epsilon}`} (src/model/stream-norm.ts; the same computation in training and in the ONNX graph).`,
    `- Augmentation: ${plan.augmentation ? `${plan.augmentation.copies} seeded copies of every training sequence (${Object.entries(plan.augmentation.transforms).map(([k, v]) => `${k} p ${(v as { probability: number }).probability}`).join(', ')}; domains ${plan.augmentation.domains.join(', ')})` : 'none'}; augmented copies only ever train.`,
    `- Loss: speech ${plan.loss.speech}, music ${plan.loss.music}; L2 weight decay speech ${plan.weightDecay.speech}, music ${plan.weightDecay.music} (not in the paper); training pieces at most ${Number.isFinite(plan.chunkSeconds) ? `${plan.chunkSeconds} s` : 'whole sequences'}.`,
    `- Search: layer 1 {${g.layer1.join(', ')}}, layer 2 {${g.layer2.join(', ')}}, learning rate {${g.learningRate.join(', ')}} (engine scale), noise σ {${g.noiseSigma.join(', ')}}; ${plan.searchTrials} seed(s) per candidate; ${plan.trials} trials, best ${plan.bestK} reported (their mean scores in Table 6; their mean prediction — an ensemble — in the held-out tables); at most ${plan.maxEpochs} epochs, patience ${plan.patience}${Number.isFinite(plan.maxFolds) ? `, at most ${plan.maxFolds} folds per condition` : ''}.`,
    `- Final models: ensembles of ${plan.finalModels?.trials ?? 0} members (seeds and validation groups differ), calibrated uncertainty from the in-domain held-out spread.`,
    '- Baselines: the mean predictor and ridge regression (λ by inner CV over groups) on the same folds and the same network inputs (standardised and stream-normalised features).',
  ].join('\n');
}

/** The results page's Markdown. */
export function resultsMarkdown(o: ProtocolOutcome, plan: Plan, facts: RunFacts, plots: readonly string[]): string {
  const checks = checkTargets(o);
  const singles = o.conditions.flatMap((c) => c.generalisation.singleEmotion);
  return [
    `# ${o.results.title}`, '',
    `Generated by \`${facts.command}\` on ${(o.results.createdAt ?? new Date().toISOString()).slice(0, 10)}${facts.quick ? ' (quick variant: reduced search and trials)' : ''}: ${(o.seconds / 60).toFixed(1)} min wall on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB), 1-minute load average ${facts.loadAtStart.toFixed(1)} at the start${facts.extractionSeconds !== undefined ? `; of which ${(facts.extractionSeconds / 60).toFixed(1)} min loaded the data (decoding, augmentation and feature extraction of what the feature cache lacked)` : ''}.`, '',
    '## Summary', '',
    ...o.finalModels.map((f) => `- \`models/${f.domain}.onnx\`: ${f.isDefault ? '**qualifies as a default**' : '**does not qualify as a default**'} (${defaultEvidence(o.conditions.find((c) => c.condition === f.condition)!.generalisation)}).`),
    '', '## Targets (issue 9 §5)', '', checks.length ? targetsTable(checks) : 'No target applies to this run.', '',
    '## Data', '', '| corpus | domain | sequences | seconds | augmented seconds |', '|---|---|---|---|---|',
    ...o.dataSummary.map((d) => `| ${d.corpus} | ${d.domain} | ${d.sequences} | ${d.seconds} | ${d.augmentedSeconds} |`), '',
    o.results.description, '',
    '## Setup', '', setupText(plan), '',
    '## Table 6: test results (mean over test sequences of the best trials), ours beside the paper\'s', '', table6Markdown(o.results.conditions), '',
    ...o.conditions.flatMap((c) => [
      `## ${c.condition}: held-out evidence (ensemble of the reported trials; folds: ${c.folds.length})`, '',
      comparisonTable([c.generalisation.overall, ...c.generalisation.perCorpus]), '',
      ...(c.condition.startsWith('M2M') || c.condition.startsWith('S2M') ? [clipTable([c.generalisation.overall]), ''] : []),
    ]),
    ...(singles.length ? ['## Single-emotion streams (leave one corpus out: streams of one emotion from the first second)', '', singleEmotionTable(singles), ''] : []),
    ...(o.normStudy.length ? ['## Stream normalisation study (ridge on the in-domain folds)', '', normStudyTable(o.normStudy), ''] : []),
    ...o.finalModels.flatMap((f) => [`## Outside tests of models/${f.domain}.onnx`, '', f.outside.length ? outsideTable(f) : 'None.', '']),
    ...(o.results.significance?.length ? ['## Conditions compared (paired t-tests, Bonferroni ×3)', '', '| a | b | target | t | p | p × 3 |', '|---|---|---|---|---|---|',
      ...o.results.significance.map((s) => `| ${s.a} | ${s.b} | ${s.target} | ${s.t.toFixed(2)} | ${s.p.toPrecision(2)} | ${s.pBonferroni.toPrecision(2)} |`), ''] : []),
    ...(plots.length ? ['## Plots', '', ...plots.map((p) => `![${p}](${p})`), ''] : []),
    '## How these data differ from the paper\'s', '', DATA_DIFFERENCES, '',
  ].join('\n');
}

/** Plots worth copying: each condition's learning curves and its first prediction plot. */
async function pickPlots(outDir: string): Promise<string[]> {
  const files = (await readdir(join(outDir, 'plots')).catch(() => [] as string[])).sort();
  const firstPred = new Map<string, string>();
  for (const f of files) {
    const m = /^pred-(M2M|S2M-TL|S2M|S2S|M2S-TL|M2S)-/.exec(f);
    if (m && !firstPred.has(m[1]!)) firstPred.set(m[1]!, f);
  }
  return [...files.filter((f) => f.startsWith('curves-')), ...firstPred.values()];
}

/** Writes results.md and the model cards into the results folder; with `publish`, copies them, the models and plots out. */
export async function publishRun(o: ProtocolOutcome, plan: Plan, facts: RunFacts, publish?: { models: string; doc: string; plots: string }): Promise<string[]> {
  const written: string[] = [];
  const plots = await pickPlots(o.outDir);
  const put = async (path: string, text: string) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  };
  await put(join(o.outDir, 'results.md'), resultsMarkdown(o, plan, facts, plots.map((p) => `plots/${p}`)));
  for (const f of o.finalModels) await put(join(o.outDir, 'models', `${f.domain}.md`), modelCardMarkdown(f, plan, o));
  if (!publish) return written;
  const docPath = resolve(publish.doc), plotDir = resolve(publish.plots), modelDir = resolve(publish.models);
  await mkdir(plotDir, { recursive: true });
  for (const p of plots) await copyFile(join(o.outDir, 'plots', p), join(plotDir, p));
  const rel = relative(dirname(docPath), plotDir);
  await put(docPath, resultsMarkdown(o, plan, facts, plots.map((p) => `${rel}/${p}`)));
  await mkdir(modelDir, { recursive: true });
  for (const f of o.finalModels) {
    await copyFile(f.onnxPath, join(modelDir, `${f.domain}.onnx`));
    written.push(join(modelDir, `${f.domain}.onnx`));
    await put(join(modelDir, `${f.domain}.md`), modelCardMarkdown(f, plan, o));
  }
  return written;
}
