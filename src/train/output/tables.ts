/**
 * Markdown tables of the generalisation evidence (protocol/generalisation.ts, final-model.ts, norm-study.ts), shared
 * by the results page and the model cards. Scores print like the paper's (fmt3: .517, −.090; "—" when undefined).
 */
import type { FinalModel, OutsideResult } from '../protocol/final-model.ts';
import type { SetComparison } from '../protocol/generalisation.ts';
import type { NormStudyRow } from '../protocol/norm-study.ts';
import { isClipLabelled, type SetScores } from '../protocol/set-scores.ts';
import { fmt3 } from './report.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '—');
const test = (x: { t: number; p: number } | null) => (x ? `t ${x.t.toFixed(2)}, p ${x.p < 1e-4 ? x.p.toExponential(1) : x.p.toFixed(4)}` : '—');
const rank = (s: SetScores) => (s.ranking.of ? `${s.ranking.ok}/${s.ranking.of}` : '—');

/** Columns of one predictor on one set: arousal r, CCC, pooled CCC, ranking; valence r, CCC, pooled CCC. */
function scoreCells(s: SetScores): string {
  return [fmt3(s.arousal.r), fmt3(s.arousal.ccc), fmt3(s.arousal.pooledCcc), rank(s), fmt3(s.valence.r), fmt3(s.valence.ccc), fmt3(s.valence.pooledCcc)].join(' | ');
}

const SCORE_HEAD = '| set | predictor | sequences | arousal r | arousal CCC | pooled arousal CCC | high > low arousal | valence r | valence CCC | pooled valence CCC |\n|---|---|---|---|---|---|---|---|---|---|';

/** LSTM / ridge / mean rows per set, with the paired tests under each set. */
export function comparisonTable(sets: readonly SetComparison[]): string {
  const rows = sets.flatMap((c) => [
    `| ${c.name} | **LSTM** | ${c.lstm.sequences} | ${scoreCells(c.lstm)} |`,
    `| | ridge | | ${scoreCells(c.ridge)} |`,
    `| | mean | | ${scoreCells(c.mean)} |`,
    `| | LSTM − ridge, paired over sequences | | r: ${test(c.vsRidge.r)} | CCC: ${test(c.vsRidge.ccc)} | | | | | |`,
  ]);
  return [SCORE_HEAD, ...rows].join('\n');
}

/** Clip-level measures (music): arousal / valence AUC and sign accuracy of each clip's mean prediction. */
export function clipTable(sets: readonly SetComparison[]): string {
  const cells = (s: SetScores) => [fmt3(s.clips.arousalAuc), pct(s.clips.arousalSign), fmt3(s.clips.valenceAuc), pct(s.clips.valenceSign)].join(' | ');
  return ['| set | predictor | clips | arousal AUC | arousal sign accuracy | valence AUC | valence sign accuracy |', '|---|---|---|---|---|---|---|',
    ...sets.flatMap((c) => [`| ${c.name} | **LSTM** | ${c.lstm.sequences} | ${cells(c.lstm)} |`, `| | ridge | | ${cells(c.ridge)} |`, `| | mean | | ${cells(c.mean)} |`])].join('\n');
}

/** Single-emotion streams of each left-out corpus. */
export function singleEmotionTable(rows: readonly { corpus: string; lstm: { speakers: number; ok: number; meanMargin: number }; ridge: { speakers: number; ok: number; meanMargin: number } }[]): string {
  return ['| left-out corpus | speakers | LSTM: high > low streams | LSTM mean margin | ridge: high > low | ridge mean margin |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.corpus} | ${r.lstm.speakers} | ${r.lstm.ok}/${r.lstm.speakers} | ${fmt3(r.lstm.meanMargin)} | ${r.ridge.ok}/${r.ridge.speakers} | ${fmt3(r.ridge.meanMargin)} |`)].join('\n');
}

/** The ridge study of stream normalisers: one table per domain (clip-labelled domains by clip AUC and pooled CCC). */
export function normStudyTable(rows: readonly NormStudyRow[]): string {
  const domains = [...new Set(rows.map((r) => r.domain))];
  return domains.map((d) => {
    const of = rows.filter((r) => r.domain === d);
    return of.every((r) => isClipLabelled(r.overall)) ? clipNormTable(of) : sequenceNormTable(of);
  }).join('\n\n');
}

const normDesc = (r: NormStudyRow) => (r.streamNorm.kind === 'none' ? 'none' : `${r.streamNorm.kind}, prior ${r.streamNorm.priorWeight} s, max ${Number.isFinite(r.streamNorm.maxWeight) ? `${r.streamNorm.maxWeight} s` : '∞'}`);

function sequenceNormTable(rows: readonly NormStudyRow[]): string {
  const corpora = [...new Set(rows.flatMap((r) => r.perCorpus.map((c) => c.corpus)))];
  const head = `| domain | normaliser | arousal r | arousal CCC | valence CCC | ${corpora.map((c) => `${c} arousal r / CCC`).join(' | ')} | single-emotion margin (mean over corpora) |`;
  return [head, `|${'---|'.repeat(5 + corpora.length + 1)}`,
    ...rows.map((r) => {
      const per = corpora.map((c) => { const x = r.perCorpus.find((p) => p.corpus === c); return x ? `${fmt3(x.ridge.arousal.r)} / ${fmt3(x.ridge.arousal.ccc)}` : '—'; });
      const margins = r.singleEmotion.map((s) => s.ridge.meanMargin).filter(Number.isFinite);
      return `| ${r.domain} | ${normDesc(r)} | ${fmt3(r.overall.arousal.r)} | ${fmt3(r.overall.arousal.ccc)} | ${fmt3(r.overall.valence.ccc)} | ${per.join(' | ')} | ${margins.length ? fmt3(margins.reduce((a, b) => a + b, 0) / margins.length) : '—'} |`;
    })].join('\n');
}

function clipNormTable(rows: readonly NormStudyRow[]): string {
  return ['| domain | normaliser | clip arousal AUC | clip valence AUC | arousal sign accuracy | valence sign accuracy | pooled arousal CCC | pooled valence CCC |', '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => { const o = r.overall; return `| ${r.domain} | ${normDesc(r)} | ${fmt3(o.clips.arousalAuc)} | ${fmt3(o.clips.valenceAuc)} | ${pct(o.clips.arousalSign)} | ${pct(o.clips.valenceSign)} | ${fmt3(o.arousal.pooledCcc)} | ${fmt3(o.valence.pooledCcc)} |`; }),
  ].join('\n');
}

/** Outside tests of a final model, with coverage, level change and output range. */
export function outsideTable(f: FinalModel): string {
  const extra = (o: OutsideResult) => [
    o.coverage ? `${pct(o.coverage.arousal['50'])} / ${pct(o.coverage.arousal['90'])}` : '—',
    o.levelChange ? `${fmt3(o.levelChange.lstm)} (ridge ${fmt3(o.levelChange.ridge)})` : '—',
    `[${fmt3(o.lstm.range[0])}, ${fmt3(o.lstm.range[1])}]`,
  ].join(' | ');
  return ['| outside set | predictor | sequences | arousal r | arousal CCC | pooled arousal CCC | high > low arousal | valence r | valence CCC | pooled valence CCC | arousal 50 % / 90 % interval coverage | mean abs. arousal change vs clean | output range |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...f.outside.flatMap((o) => [
      `| ${o.name} | **LSTM** | ${o.lstm.sequences} | ${scoreCells(o.lstm)} | ${extra(o)} |`,
      `| | ridge | | ${scoreCells(o.ridge)} | | | |`,
      `| | mean | | ${scoreCells(o.mean)} | | | |`,
    ])].join('\n');
}
