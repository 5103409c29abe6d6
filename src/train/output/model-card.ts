/**
 * The model card of one final model (`models/<domain>.md`): what it is, what it was trained on and under which
 * licences, every held-out and outside test with the baselines beside it, whether it qualifies as a default,
 * intended use and limits. Every number comes from the run's outcome.
 */
import type { FinalModel } from '../protocol/final-model.ts';
import type { ConditionGeneralisation } from '../protocol/generalisation.ts';
import { isClipLabelled } from '../protocol/set-scores.ts';
import type { Plan } from '../protocol/plan.ts';
import type { ProtocolOutcome } from '../protocol/protocol.ts';
import { fmt3, fmtLr } from './report.ts';
import { clipTable, comparisonTable, outsideTable, singleEmotionTable } from './tables.ts';
import { checkTargets, targetsTable } from './targets.ts';

const LICENCES: Readonly<Record<string, string>> = {
  ravdess: 'RAVDESS (Livingstone & Russo 2018): CC BY-NC-SA 4.0 — non-commercial, attribution, share-alike',
  nemo: 'nEMO (Christop 2024): CC BY-NC-SA 4.0 — non-commercial, attribution, share-alike',
  ased: 'ASED v1 (Retta et al. 2023): published for research, no licence file',
  baved: 'BAVED: published for research, no licence file',
  music4q: '4Q audio emotion dataset (Panda, Malheiro & Paiva 2018): research use, commercial audio, never redistributed',
  emomusic: 'emoMusic / 1000 Songs (Soleymani et al. 2013): research use; audio from the Free Music Archive (CC)',
};

/** The default rule in words (model cards). */
export const DEFAULT_RULE = 'Rule: a model is a default only if its LSTM beats the ridge and the mean baseline on held-out arousal, by CCC per sequence and pooled over all test seconds; for clip-labelled data (one constant target per clip, so per-sequence CCC is 0 for every predictor) by pooled CCC and clip-level AUC.';

/** The numbers `qualifies` decided on, as one line of text (e.g. "held-out arousal CCC .218 vs ridge .184"). */
export function defaultEvidence(g: ConditionGeneralisation): string {
  const { lstm, ridge } = g.overall;
  const pooled = `pooled ${isClipLabelled(lstm) ? 'arousal CCC ' : ''}${fmt3(lstm.arousal.pooledCcc)} vs ${fmt3(ridge.arousal.pooledCcc)}`;
  if (!isClipLabelled(lstm)) return `held-out arousal CCC ${fmt3(lstm.arousal.ccc)} vs ridge ${fmt3(ridge.arousal.ccc)} (${pooled})`;
  const tie = fmt3(lstm.clips.arousalAuc) === fmt3(ridge.clips.arousalAuc) ? ' (equal to three decimals)' : '';
  return `held-out clip arousal AUC ${fmt3(lstm.clips.arousalAuc)} vs ridge ${fmt3(ridge.clips.arousalAuc)}${tie}, ${pooled}`;
}

/** The card's Markdown. */
export function modelCardMarkdown(f: FinalModel, plan: Plan, o: ProtocolOutcome): string {
  const c = o.conditions.find((x) => x.condition === f.condition)!;
  const g = c.generalisation;
  const corpora = o.dataSummary.filter((d) => d.domain === f.domain);
  const checks = checkTargets(o).filter((t) => t.target.includes(f.domain) || (f.domain === 'speech' ? /leave|emodb|speaker|telephone/i.test(t.target) : /music/i.test(t.target)));
  const members = f.seeds.length;
  return [
    `# ${f.domain}.onnx — emostream ${f.domain} model`, '',
    `**Default model: ${f.isDefault ? 'yes' : 'NO'}** — ${f.isDefault
      ? 'it beats both the ridge and the mean baseline on the same held-out folds and inputs'
      : 'it does not beat both baselines (ridge, mean) on the same held-out folds; it is shipped for use with `--model ' + f.domain + '`, not as a default'} (${defaultEvidence(g)}). ${DEFAULT_RULE}`, '',
    '## What it is', '',
    `An ensemble of ${members} networks of Coutinho & Schuller (2017) — each 260 pooled ComParE 2013 features per second → peephole LSTM (${f.config.layer1} cells) → peephole LSTM (${f.config.layer2} cells) → arousal, valence — in one ONNX graph: their outputs are averaged (clipped to [−1, 1]) and their spread, calibrated on held-out data, gives a standard deviation per second${f.calibration ? ` (variance = ${f.calibration.arousal.floor.toPrecision(3)} + ${f.calibration.arousal.scale.toPrecision(3)} × member variance for arousal, ${f.calibration.valence.floor.toPrecision(3)} + ${f.calibration.valence.scale.toPrecision(3)} × for valence)` : ''}.`,
    `The features are standardised with the training statistics and then normalised per stream (${plan.streamNorm.kind === 'none' ? 'no stream normalisation' : `${plan.streamNorm.kind}, running statistics seeded with the training statistics at a weight of ${plan.streamNorm.priorWeight} s, at most ${Number.isFinite(plan.streamNorm.maxWeight) ? `${plan.streamNorm.maxWeight} s` : 'unbounded'}`}), inside the graph; the normaliser's state is per-stream state like the LSTM's.`,
    `Training: loss ${plan.loss[f.domain]}, L2 weight decay ${plan.weightDecay[f.domain]}, learning rate ${fmtLr(f.config.learningRate)} (engine scale), input noise σ ${f.config.noiseSigma}, batch ${plan.batchSize}, early stopping (patience ${plan.patience}) on every ${plan.validationEvery}th group, a different offset per member; seeds ${f.seeds.join(', ')}; best epochs ${f.memberEpochs.join(', ')}.`, '',
    '## Training data and licences', '',
    '| corpus | sequences | seconds | augmented seconds | licence |', '|---|---|---|---|---|',
    ...corpora.map((d) => `| ${d.corpus} | ${d.sequences} | ${d.seconds} | ${d.augmentedSeconds} | ${LICENCES[d.corpus] ?? 'see ../shared/data/README.md'} |`), '',
    plan.augmentation ? `Augmentation (before features, seeded): ${plan.augmentation.copies} copies per sequence; ${Object.entries(plan.augmentation.transforms).map(([k, v]) => `${k} p ${(v as { probability: number }).probability}`).join(', ')} (docs/trainer.md).` : 'No augmentation.', '',
    `**Licence of the weights:** derived from the data above; ${f.domain === 'speech' ? 'RAVDESS and nEMO are CC BY-NC-SA 4.0, so these weights are for **non-commercial** use with attribution.' : 'the music data are for research use only.'}`, '',
    '## Held-out results (never-seen speakers / artists; ensemble of the reported trials of each fold)', '',
    comparisonTable([g.overall, ...g.perCorpus]), '',
    ...(f.domain === 'music' ? [clipTable([g.overall]), ''] : []),
    ...(g.singleEmotion.length ? ['Single-emotion streams (one emotion from the first second):', '', singleEmotionTable(g.singleEmotion), ''] : []),
    '## Outside tests (corpora never trained on or used to choose anything)', '',
    f.outside.length ? outsideTable(f) : 'None.', '',
    ...(checks.length ? ['## Targets', '', targetsTable(checks), ''] : []),
    '## Intended use', '',
    f.domain === 'speech'
      ? 'Second-by-second arousal (calm … excited) and valence trends of one speaker\'s voice, for visualisation, monitoring dashboards and exploration; arousal is the more reliable dimension. Use the confidence/interval to decide how much to trust a second.'
      : 'Second-by-second arousal/valence of music for visualisation on stage and in streams; arousal is the more reliable dimension.',
    '', '## Limits', '',
    `- Trained on ${f.domain === 'speech' ? 'acted emotional speech (English, Polish, Amharic, Arabic) with category-mapped (weak) labels; spontaneous conversation, overlapping speakers and music are out of domain' : 'constant quadrant labels of 20 s excerpts (the sign of arousal and valence per clip) and 10 songs with continuous ratings; fine structure within a song is not learnt'}.`,
    '- Per-stream normalisation centres each stream on itself over its first minute or so: an emotion held unchanged from the first second is partly normalised away (see the single-emotion rows).',
    '- Not for decisions about people (health, hiring, surveillance, credit).',
    '', `Generated by the run documented in docs/results.md (${o.results.createdAt}); ${fmt3(o.seconds / 60)} min.`, '',
  ].join('\n');
}
