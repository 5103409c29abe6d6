/**
 * Results folder writer: `results.json` (the full result object), `report.md` (tables in the layout
 * of the paper's Table 6 with the paper's figures beside ours, pooled scores, baselines, significance)
 * and `plots/*.svg` (prediction vs gold per test sequence, train/validation loss per epoch).
 * A score or statistic that is not finite (e.g. valence of test data without valence labels) is
 * printed as '—' in every table and stored as `null` in results.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONDITIONS, TEST_DOMAIN, type Condition, type ConditionResult, type ExperimentResults, type ScorePair } from '../protocol/results.ts';
import { lineChartSvg } from './svg.ts';

type PaperRow = Omit<ConditionResult, 'condition' | 'pooled' | 'sequences' | 'curves' | 'notes'>;
const row = (l1: number, l2: number, lr: number, n: number, a: number[], v: number[]): PaperRow => ({
  layer1: l1, layer2: l2, lr, noiseSigma: n,
  mean: { arousal: { rmse: a[0]!, r: a[1]!, ccc: a[2]! }, valence: { rmse: v[0]!, r: v[1]!, ccc: v[2]! } },
});

/** The paper's Table 6 (Coutinho & Schuller 2017; mean of the 5 best trials, test sets), from method.md. */
export const PAPER_TABLE6: Readonly<Record<Condition, PaperRow>> = Object.freeze({
  M2M: row(150, 10, 5e-6, 0.5, [0.194, 0.517, 0.317], [0.265, 0.175, 0.09]),
  S2M: row(200, 10, 5e-6, 0.5, [0.223, 0.524, 0.276], [0.26, 0.256, 0.133]),
  'S2M-TL': row(200, 10, 5e-6, 0.4, [0.223, 0.542, 0.269], [0.265, 0.218, 0.117]),
  S2S: row(150, 10, 5e-6, 0.4, [0.105, 0.821, 0.749], [0.109, 0.448, 0.332]),
  M2S: row(200, 8, 5e-6, 0.1, [0.142, 0.693, 0.545], [0.143, 0.228, 0.164]),
  'M2S-TL': row(150, 10, 5e-6, 0.1, [0.141, 0.719, 0.567], [0.151, 0.246, 0.181]),
});

/** Formats a score like the paper: three decimals, no leading zero (.517, −.090); '—' when not finite. */
export function fmt3(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const s = Math.abs(x).toFixed(3);
  return `${x < 0 && s !== '0.000' ? '−' : ''}${s.startsWith('0.') ? s.slice(1) : s}`;
}

/** Formats a test statistic or p-value with `digits` (toFixed, or toPrecision with `precision`); '—' when not finite. */
export function fmtStat(x: number, digits: number, style: 'fixed' | 'precision' = 'fixed'): string {
  if (!Number.isFinite(x)) return '—';
  return style === 'fixed' ? x.toFixed(digits) : x.toPrecision(digits);
}

/** Formats a learning rate compactly (5e-6). */
export function fmtLr(x: number): string {
  return Number.isFinite(x) ? x.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e') : '—';
}

function scoreCells(s: ScorePair): string[] {
  return [s.arousal.rmse, s.arousal.r, s.arousal.ccc, s.valence.rmse, s.valence.r, s.valence.ccc].map(fmt3);
}

const HEAD = '| domain | condition | layer1 | layer2 | lr | noise σ | arousal rmse | r | CCC | valence rmse | r | CCC |\n|---|---|---|---|---|---|---|---|---|---|---|---|';

/** Table 6 layout: per condition our row, then the paper's row beneath it. */
export function table6Markdown(conditions: readonly ConditionResult[]): string {
  const lines = [HEAD];
  for (const c of CONDITIONS) {
    const ours = conditions.find((x) => x.condition === c);
    const paper = PAPER_TABLE6[c];
    const domain = TEST_DOMAIN[c];
    if (ours) lines.push(`| ${domain} | ${c} (ours) | ${ours.layer1} | ${ours.layer2} | ${fmtLr(ours.lr)} | ${ours.noiseSigma} | ${scoreCells(ours.mean).join(' | ')} |`);
    lines.push(`| ${domain} | ${c} (paper) | ${paper.layer1} | ${paper.layer2} | ${fmtLr(paper.lr)} | ${paper.noiseSigma} | ${scoreCells(paper.mean).join(' | ')} |`);
  }
  return lines.join('\n');
}

function simpleTable(rows: readonly { name: string; s: ScorePair }[]): string {
  const head = '| | arousal rmse | r | CCC | valence rmse | r | CCC |\n|---|---|---|---|---|---|---|';
  return [head, ...rows.map((r) => `| ${r.name} | ${scoreCells(r.s).join(' | ')} |`)].join('\n');
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The Markdown report (links plots by the names `writeResultsFolder` uses). */
export function reportMarkdown(res: ExperimentResults, plots: readonly string[] = []): string {
  const out = [`# ${res.title}`, ''];
  if (res.createdAt) out.push(`Created ${res.createdAt}.`, '');
  if (res.description) out.push(res.description, '');
  out.push('## Test results (mean over test sequences), with the paper\'s Table 6', '', table6Markdown(res.conditions), '');
  const pooled = res.conditions.filter((c) => c.pooled).map((c) => ({ name: c.condition, s: c.pooled! }));
  if (pooled.length) out.push('## Pooled over all test seconds', '', simpleTable(pooled), '');
  if (res.baselines?.length) {
    out.push('## Baselines (mean over test sequences)', '', simpleTable(res.baselines.map((b) => ({ name: b.name, s: b.mean }))), '');
    const bp = res.baselines.filter((b) => b.pooled).map((b) => ({ name: `${b.name} (pooled)`, s: b.pooled! }));
    if (bp.length) out.push(simpleTable(bp), '');
  }
  if (res.significance?.length) {
    out.push('## Paired t-tests (Bonferroni-corrected)', '', '| a | b | target | t | p | p × m |', '|---|---|---|---|---|---|');
    for (const s of res.significance) {
      out.push(`| ${s.a} | ${s.b} | ${s.target} | ${fmtStat(s.t, 3)} | ${fmtStat(s.p, 3, 'precision')} | ${fmtStat(s.pBonferroni, 3, 'precision')} |`);
    }
    out.push('');
  }
  if (plots.length) out.push('## Plots', '', ...plots.map((p) => `![${p}](${p})`), '');
  return out.join('\n');
}

/** SVG of one sequence's predictions against gold, arousal and valence, over seconds. */
export function predictionPlotSvg(condition: string, seq: NonNullable<ConditionResult['sequences']>[number]): string {
  return lineChartSvg(
    [
      { label: 'arousal gold', values: seq.gold.arousal, color: '#c0392b' },
      { label: 'arousal pred', values: seq.pred.arousal, color: '#c0392b', dashed: true },
      { label: 'valence gold', values: seq.gold.valence, color: '#2c6fbb' },
      { label: 'valence pred', values: seq.pred.valence, color: '#2c6fbb', dashed: true },
    ],
    { title: `${condition}: ${seq.id}`, xLabel: 'window (s)', yLabel: 'value', yRange: [-1, 1] },
  );
}

/** SVG of learning curves: training and validation loss per epoch for each trial. */
export function learningCurveSvg(condition: string, curves: NonNullable<ConditionResult['curves']>): string {
  const palette = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];
  const series = curves.flatMap((c, k) => [
    { label: `${c.label} train`, values: c.train, color: palette[k % palette.length]! },
    { label: `${c.label} val`, values: c.validation, color: palette[k % palette.length]!, dashed: true },
  ]);
  return lineChartSvg(series, { title: `${condition}: learning curves`, xLabel: 'epoch', yLabel: 'loss (1 − CCC)', xStart: 1 });
}

/** Writes results.json, report.md and plots/*.svg into `dir`; returns the written paths (relative to dir). */
export async function writeResultsFolder(dir: string, res: ExperimentResults): Promise<string[]> {
  await mkdir(join(dir, 'plots'), { recursive: true });
  const plots: string[] = [];
  for (const c of res.conditions) {
    for (const s of c.sequences ?? []) {
      const name = `plots/pred-${safeName(c.condition)}-${safeName(s.id)}.svg`;
      await writeFile(join(dir, name), predictionPlotSvg(c.condition, s));
      plots.push(name);
    }
    if (c.curves?.length) {
      const name = `plots/curves-${safeName(c.condition)}.svg`;
      await writeFile(join(dir, name), learningCurveSvg(c.condition, c.curves));
      plots.push(name);
    }
  }
  await writeFile(join(dir, 'results.json'), JSON.stringify(res, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
  await writeFile(join(dir, 'report.md'), reportMarkdown(res, plots));
  return ['results.json', 'report.md', ...plots];
}
