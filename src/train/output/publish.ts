/**
 * The human-readable record of a protocol run with final models: `results.md` (Table 6 beside the paper's, pooled
 * scores, baselines, 95 % CIs, model-vs-ridge t-tests, outside tests, condition t-tests, final models, hardware and
 * wall time, how the data differ from the paper's) and one model card per final model (`models/<domain>.md`).
 * Every number is taken from the run's outcome. `publishRun` writes them into the results folder and, when asked,
 * copies them with the models and a few plots to the plan's `finalModels.publish` paths.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fmt3, fmtLr, table6Markdown } from './report.ts';
import type { ScorePair } from '../protocol/results.ts';
import type { FinalModel } from '../protocol/final-model.ts';
import type { ConditionDetail, HeldOutScores } from '../protocol/held-out.ts';
import type { Plan } from '../protocol/plan.ts';
import type { ProtocolOutcome } from '../protocol/protocol.ts';

/** Facts about the run that the outcome does not hold. */
export interface RunFacts {
  /** The command line that produced the run. */
  readonly command: string;
  readonly quick: boolean;
  /** 1-minute load average when the run started (other users of the machine). */
  readonly loadAtStart: number;
}

const cells = (s: ScorePair) => [s.arousal.rmse, s.arousal.r, s.arousal.ccc, s.valence.rmse, s.valence.r, s.valence.ccc].map(fmt3).join(' | ');
const ci = (c: HeldOutScores['cccCi']['arousal']) => (c ? `${fmt3(c.mean)} [${fmt3(c.lo)}, ${fmt3(c.hi)}]` : '—');
const p3 = (x: { t: number; p: number } | null) => (x ? `t ${x.t.toFixed(2)}, p ${x.p.toPrecision(2)}` : '—');
const HEAD = '| | arousal rmse | r | CCC | valence rmse | r | CCC |\n|---|---|---|---|---|---|---|';

/** How the public data differ from the paper's (a plain statement printed on the page and the cards). */
export const DATA_DIFFERENCES = `The paper used 20 music-psychology pieces with continuous ratings (music) and 23 RECOLA speakers with
continuous ratings of spontaneous speech (speech), tested nested leave-one-out, and pre-trained its DAE on separate
unlabelled pools (MediaEval 2014: 1000 songs ≈ 30k s; SEMAINE: 95 recordings ≈ 27k s); those data are not all public.
Here: **music** = the 10 emoMusic songs whose audio is available (30 annotated seconds each, 300 s in total; 2 Hz
continuous ratings averaged to 1 Hz), tested leave-one-song-out and on 4 PMEmo choruses as an outside test;
**speech** = RAVDESS acted speech (24 actors, one ~4 min sequence per actor of concatenated utterances), whose
arousal/valence targets are **categorical labels mapped through the NRC VAD lexicon** (piecewise-constant weak labels,
not ratings), tested leave-actors-out and on EmoDB (10 speakers, clips cut to 2.00 s) as an outside test. The DAE pool
is all of this audio (including test sequences' audio, never their labels) plus the outside corpora's audio. Within a
30 s music excerpt the ratings barely move, so per-song r and CCC are mostly noise and the pooled scores matter more.
None of our numbers is comparable in level to the paper's.`;

function gridText(plan: Plan): string {
  const g = plan.grids;
  return `layer 1 {${g.layer1.join(', ')}}, layer 2 {${g.layer2.join(', ')}}, learning rate {${g.learningRate.join(', ')}} (engine scale), noise σ {${g.noiseSigma.join(', ')}}; ` +
    `${plan.searchTrials} seed(s) per search candidate, ${plan.trials} trials, mean of the best ${plan.bestK}; at most ${plan.maxEpochs} epochs, patience ${plan.patience}; ` +
    `${plan.testGroupsPerFold.music} song(s) / ${plan.testGroupsPerFold.speech} actor(s) per fold chunk${Number.isFinite(plan.maxFolds) ? `, at most ${plan.maxFolds} folds per condition` : ''}; DAE ${plan.dae.maxEpochs} epochs max`;
}

const PAPER_GRID = 'layer 1 {50, 75, 100, 150, 200}, layer 2 {2, 4, 6, 8, 10}, learning rate {1e-7, 1e-6, 5e-6} (CURRENNT scale), noise σ {0.1 … 0.6}; 10 trials, mean of the best 5; DAE pre-trained on separate unlabelled corpora';

function heldOutTable(details: readonly ConditionDetail[]): string {
  const rows = details.flatMap((d) => [
    `| ${d.condition} LSTM | ${d.folds} | ${d.testSequences} | ${ci(d.model.cccCi.arousal)} | ${ci(d.model.cccCi.valence)} | ${fmt3(d.model.pooled.arousal.ccc)} | ${fmt3(d.model.pooled.valence.ccc)} |`,
    `| ${d.condition} ridge | | | ${ci(d.baselines.ridge.cccCi.arousal)} | ${ci(d.baselines.ridge.cccCi.valence)} | ${fmt3(d.baselines.ridge.pooled.arousal.ccc)} | ${fmt3(d.baselines.ridge.pooled.valence.ccc)} |`,
    `| ${d.condition} LSTM − ridge (paired t) | | | ${p3(d.vsRidge.arousal)} | ${p3(d.vsRidge.valence)} | | |`,
  ]);
  return ['| | folds | test sequences | arousal CCC, 95 % CI | valence CCC, 95 % CI | pooled arousal CCC | pooled valence CCC |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

function outsideTable(details: readonly ConditionDetail[], finals: readonly FinalModel[]): string {
  const rows = details.filter((d) => d.outside).flatMap((d) => {
    const o = d.outside!;
    return [
      `| ${d.condition} → ${o.corpora} (${o.sequences} seq., all fold models) | ${cells(o.model.mean)} | ${fmt3(o.model.pooled.arousal.ccc)} | ${fmt3(o.model.pooled.valence.ccc)} |`,
      `| ${d.condition} → ${o.corpora} ridge | ${cells(o.baselines.ridge.mean)} | ${fmt3(o.baselines.ridge.pooled.arousal.ccc)} | ${fmt3(o.baselines.ridge.pooled.valence.ccc)} |`,
      `| ${d.condition} → ${o.corpora} mean | ${cells(o.baselines.mean.mean)} | ${fmt3(o.baselines.mean.pooled.arousal.ccc)} | ${fmt3(o.baselines.mean.pooled.valence.ccc)} |`,
    ];
  });
  for (const f of finals) if (f.outside) rows.push(`| final ${f.domain} model → ${f.outside.corpora} | ${cells(f.outside.mean)} | ${fmt3(f.outside.pooled.arousal.ccc)} | ${fmt3(f.outside.pooled.valence.ccc)} |`);
  return ['| | arousal rmse | r | CCC | valence rmse | r | CCC | pooled arousal CCC | pooled valence CCC |', '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

function summaryLine(f: FinalModel, d: ConditionDetail): string {
  const o = d.outside;
  return `- **${f.domain}** (\`models/${f.domain}.onnx\`, ${d.condition} selection): held-out arousal CCC ${ci(d.model.cccCi.arousal)} vs ridge ${ci(d.baselines.ridge.cccCi.arousal)} ` +
    `(pooled ${fmt3(d.model.pooled.arousal.ccc)} vs ${fmt3(d.baselines.ridge.pooled.arousal.ccc)}) → **${f.isDefault ? 'qualifies as a default' : 'does not qualify as a default'}**` +
    (o && f.outside ? `; outside test ${f.outside.corpora}: final model ${fmt3(f.outside.mean.arousal.ccc)}, fold models ${fmt3(o.model.mean.arousal.ccc)}, ridge ${fmt3(o.baselines.ridge.mean.arousal.ccc)} arousal CCC.` : '.');
}

/** The results page (see the module header); `plots` are paths relative to the page. */
export function resultsMarkdown(o: ProtocolOutcome, plan: Plan, facts: RunFacts, plots: readonly string[]): string {
  const r = o.results;
  const cpu = cpus();
  const out = [
    `# Results: ${r.title}`, '',
    `Generated by \`${facts.command}\` on ${r.createdAt}. **Wall time ${(o.seconds / 60).toFixed(1)} min** on ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; the machine was shared (1-min load average ${facts.loadAtStart.toFixed(2)} at the start, ` +
    `${loadavg()[0]!.toFixed(2)} at the end). Features were cached in \`.cache/features\` (first extraction ≈ 1–2 min more).${facts.quick ? ' **Quick variant** (reduced grid).' : ''}`, '',
    `**Grid and trials used:** ${gridText(plan)}.`, '', `**The paper's:** ${PAPER_GRID}.`, '',
    '## Summary', '', ...o.finalModels.map((f) => summaryLine(f, o.details.find((x) => x.condition === f.condition)!)), '',
    '## How our data differ from the paper\'s', '', DATA_DIFFERENCES, '',
    '## Table 6: test results (mean over test sequences), ours beside the paper\'s', '', table6Markdown(r.conditions), '',
    'Ours: mean over the held-out test sequences (songs / actors; for cross-domain conditions over fold × sequence), averaged over the best trials. Learning rates are engine-scale (docs/trainer.md: ×4·10⁴ the paper\'s).', '',
    '## Pooled over all test seconds', '', HEAD, ...r.conditions.filter((c) => c.pooled).map((c) => `| ${c.condition} | ${cells(c.pooled!)} |`), '',
    '## Baselines on the same folds', '', HEAD, ...(r.baselines ?? []).map((b) => `| ${b.name} | ${cells(b.mean)} |`), '',
    HEAD, ...(r.baselines ?? []).filter((b) => b.pooled).map((b) => `| ${b.name} (pooled) | ${cells(b.pooled!)} |`), '',
    '## Held-out CCC with 95 % confidence intervals (t over test sequences) and LSTM vs ridge', '', heldOutTable(o.details), '',
    '## Outside tests (corpora never trained on)', '', outsideTable(o.details, o.finalModels), '',
    '## Paired t-tests between conditions (per-sequence CCC, Bonferroni × 3)', '',
    '| a | b | target | t | p | p × 3 |', '|---|---|---|---|---|---|',
    ...(r.significance ?? []).map((s) => `| ${s.a} | ${s.b} | ${s.target} | ${s.t.toFixed(3)} | ${s.p.toPrecision(3)} | ${s.pBonferroni.toPrecision(3)} |`), '',
    '## Final models', '',
    '| model | configuration (H1/H2/lr/σ) | trained on | early stopping on | best epoch | beats mean and ridge on held-out arousal CCC (mean and pooled)? | size |', '|---|---|---|---|---|---|---|',
    ...o.finalModels.map((f) => `| \`models/${f.domain}.onnx\` (${f.condition} selection, seed ${f.seed}) | ${f.config.layer1}/${f.config.layer2}/${fmtLr(f.config.learningRate)}/${f.config.noiseSigma} | ${f.trainGroups.length} groups, ${f.trainSeconds} s | ${f.holdOutGroups.join(', ')} | ${f.bestEpoch} of ${f.epochs} | ${f.isDefault ? '**yes**' : '**no**'} | ${(f.bytes / 1024).toFixed(0)} KiB |`), '',
    '## Notes per condition', '', ...r.conditions.map((c) => `- **${c.condition}**: ${c.notes ?? ''}`), '',
  ];
  if (plots.length) out.push('## Plots', '', ...plots.map((p) => `![${basename(p)}](${p})`), '');
  return out.join('\n');
}

/** The model card of one final model. */
export function modelCardMarkdown(f: FinalModel, d: ConditionDetail, plan: Plan, o: ProtocolOutcome): string {
  const title = f.domain === 'music' ? 'music (emoMusic)' : 'speech (RAVDESS)';
  const cmp = (x: number, y: number) => (x > y ? '>' : '≤');
  return [
    `# Model card: \`models/${f.domain}.onnx\` — ${title}`, '',
    `**Default model: ${f.isDefault ? 'YES' : 'NO'}.** ${f.isDefault ? 'It beats' : 'It does not beat'} both baselines on held-out arousal CCC ` +
    `(LSTM ${fmt3(d.model.mean.arousal.ccc)} vs ridge ${fmt3(d.baselines.ridge.mean.arousal.ccc)} and mean ${fmt3(d.baselines.mean.mean.arousal.ccc)} per sequence; ` +
    `pooled ${fmt3(d.model.pooled.arousal.ccc)} vs ${fmt3(d.baselines.ridge.pooled.arousal.ccc)} and ${fmt3(d.baselines.mean.pooled.arousal.ccc)}). ` +
    `Rule: a model ships as the default only if its ${d.condition} arousal CCC exceeds both baselines' on the same folds, per sequence and pooled.`, '',
    '## Model', '',
    `2-layer peephole LSTM, 260 pooled ComParE-2013 features per second (16 kHz) → ${f.config.layer1} → ${f.config.layer2} → arousal, valence (linear), ` +
    `standardisation inside the ONNX graph; ${(f.bytes / 1024).toFixed(0)} KiB. Learning rate ${f.config.learningRate} (engine scale), input noise σ ${f.config.noiseSigma}, loss 1 − CCC, ` +
    `SGD momentum 0.9, batch ${plan.batchSize}, seed ${f.seed} (best of ${plan.finalModels?.trials} by hold-out loss), best epoch ${f.bestEpoch} of ${f.epochs}.`, '',
    '## Data and protocol', '', DATA_DIFFERENCES, '',
    `Hyper-parameters were chosen by the ${d.condition} search (${gridText(plan)}). The shipped network was then retrained on all ${f.domain} groups ` +
    `except the hold-out ${f.holdOutGroups.join(', ')} used for early stopping (${f.trainGroups.length} groups, ${f.trainSeconds} s). Its generalisation estimate is ` +
    `the ${d.condition} cross-validation below (same configuration, ${d.folds} folds, ${d.testSequences} held-out test sequences) and the outside test.`, '',
    '## Metrics', '',
    `| | arousal CCC (95 % CI) | valence CCC (95 % CI) | pooled arousal CCC | pooled valence CCC |`, '|---|---|---|---|---|',
    `| ${d.condition} LSTM, held-out | ${ci(d.model.cccCi.arousal)} | ${ci(d.model.cccCi.valence)} | ${fmt3(d.model.pooled.arousal.ccc)} | ${fmt3(d.model.pooled.valence.ccc)} |`,
    `| ridge baseline, same folds | ${ci(d.baselines.ridge.cccCi.arousal)} | ${ci(d.baselines.ridge.cccCi.valence)} | ${fmt3(d.baselines.ridge.pooled.arousal.ccc)} | ${fmt3(d.baselines.ridge.pooled.valence.ccc)} |`,
    `| mean baseline | ${ci(d.baselines.mean.cccCi.arousal)} | ${ci(d.baselines.mean.cccCi.valence)} | ${fmt3(d.baselines.mean.pooled.arousal.ccc)} | ${fmt3(d.baselines.mean.pooled.valence.ccc)} |`,
    ...(f.outside ? [`| this model → ${f.outside.corpora} (outside test, ${f.outside.sequences} seq.) | ${ci(f.outside.cccCi.arousal)} | ${ci(f.outside.cccCi.valence)} | ${fmt3(f.outside.pooled.arousal.ccc)} | ${fmt3(f.outside.pooled.valence.ccc)} |`] : []),
    ...(d.outside ? [`| ridge → ${d.outside.corpora} | ${ci(d.outside.baselines.ridge.cccCi.arousal)} | ${ci(d.outside.baselines.ridge.cccCi.valence)} | ${fmt3(d.outside.baselines.ridge.pooled.arousal.ccc)} | ${fmt3(d.outside.baselines.ridge.pooled.valence.ccc)} |`] : []),
    '', `Per-sequence rmse / r / CCC (arousal, valence): LSTM ${cells(d.model.mean)}; ridge ${cells(d.baselines.ridge.mean)}. ` +
    `Paired t-test LSTM − ridge on per-sequence CCC: arousal ${p3(d.vsRidge.arousal)}, valence ${p3(d.vsRidge.valence)}. ` +
    `Arousal CCC LSTM ${cmp(d.model.mean.arousal.ccc, d.baselines.ridge.mean.arousal.ccc)} ridge per sequence. The paper's ${d.condition} row (other data): see docs/results.md.`, '',
    ...(f.outside && d.outside ? [`**Outside test (${f.outside.corpora}, never trained on):** this model's arousal CCC ${fmt3(f.outside.mean.arousal.ccc)} ` +
      `(pooled ${fmt3(f.outside.pooled.arousal.ccc)}) vs ridge ${fmt3(d.outside.baselines.ridge.mean.arousal.ccc)} (pooled ${fmt3(d.outside.baselines.ridge.pooled.arousal.ccc)}) — ` +
      `${f.outside.mean.arousal.ccc > d.outside.baselines.ridge.mean.arousal.ccc ? 'it generalises to this corpus better than ridge' : '**ridge generalises to this corpus better than this model**'}.`, ''] : []),
    '## Intended use', '',
    f.domain === 'speech'
      ? 'Second-by-second arousal/valence trends of a single English speaker\'s voice (talks, streams, voice chat overlays) for visualisation and exploration. Arousal is the more reliable dimension.'
      : 'Demonstration of the music pipeline and a starting point for retraining on more music; not a reliable music emotion estimator.',
    '', '## Limits', '',
    '- Trained on ' + (f.domain === 'speech' ? 'acted North-American English (RAVDESS, 2 sentences) with weak category-mapped labels; spontaneous speech, other languages, noise, music and multiple speakers are out of domain. Level shifts across corpora are large (see the EmoDB row).' : '8–9 songs (≈ 4–5 min of music) — far too little for an LSTM; per-song CCC is near zero, pooled scores reflect between-song level differences only.'),
    '- Outputs are not clipped and may leave [−1, 1]. Not for decisions about people (health, hiring, surveillance).',
    `- Weights licence: ${f.domain === 'speech' ? 'derived from RAVDESS (CC BY-NC-SA 4.0): non-commercial, cite Livingstone & Russo 2018' : 'derived from emoMusic (research use)'}.`, '',
    `Generated by the run in docs/results.md (${o.results.createdAt}).`, '',
  ].join('\n');
}

/** Plots worth copying: each condition's learning curves and its first prediction plot. */
async function pickPlots(outDir: string): Promise<string[]> {
  const files = (await readdir(join(outDir, 'plots'))).sort();
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
  for (const f of o.finalModels) {
    const d = o.details.find((x) => x.condition === f.condition)!;
    await put(join(o.outDir, 'models', `${f.domain}.md`), modelCardMarkdown(f, d, plan, o));
  }
  if (!publish) return written;
  const docPath = resolve(publish.doc), plotDir = resolve(publish.plots), modelDir = resolve(publish.models);
  await mkdir(plotDir, { recursive: true });
  for (const p of plots) await copyFile(join(o.outDir, 'plots', p), join(plotDir, p));
  const rel = relative(dirname(docPath), plotDir);
  await put(docPath, resultsMarkdown(o, plan, facts, plots.map((p) => `${rel}/${p}`)));
  await mkdir(modelDir, { recursive: true });
  for (const f of o.finalModels) {
    const d = o.details.find((x) => x.condition === f.condition)!;
    await copyFile(f.onnxPath, join(modelDir, `${f.domain}.onnx`));
    written.push(join(modelDir, `${f.domain}.onnx`));
    await put(join(modelDir, `${f.domain}.md`), modelCardMarkdown(f, d, plan, o));
  }
  return written;
}
