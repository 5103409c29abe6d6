import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt3, fmtLr, table6Markdown, writeResultsFolder } from '../../../src/train/output/report.ts';
import type { ExperimentResults } from '../../../src/train/protocol/results.ts';
import { lineChartSvg, niceTicks } from '../../../src/train/output/svg.ts';

const test = suite('train/output/report');

/** Checks XML well-formedness at tag level: every element closes in order, attributes are quoted. */
function assertWellFormed(svg: string): void {
  assert.ok(svg.trimStart().startsWith('<svg'), 'starts with <svg');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    assert.not.match(between, /[<>]/, `stray angle bracket before ${m[0]}`);
    assert.not.match(between, /&(?!amp;|lt;|gt;|quot;)/, 'unescaped &');
    last = tag.lastIndex;
    if (m[1]) assert.is(stack.pop(), m[2], `closing ${m[2]}`);
    else if (!m[4]) stack.push(m[2]!);
  }
  assert.is(svg.slice(last).trim(), '', 'nothing after the root element');
  assert.equal(stack, [], 'all elements closed');
}

const gold = Array.from({ length: 30 }, (_, i) => 0.5 * Math.sin(i / 4));
const pred = gold.map((x, i) => 0.8 * x + (i % 3) * 0.01);
const results: ExperimentResults = {
  title: 'Synthetic <check> & test',
  description: 'Tiny synthetic result object.',
  conditions: [
    {
      condition: 'M2M', layer1: 100, layer2: 6, lr: 1e-5, noiseSigma: 0.3,
      mean: { arousal: { rmse: 0.412, r: 0.377, ccc: 0.201 }, valence: { rmse: 0.305, r: -0.044, ccc: -0.012 } },
      pooled: { arousal: { rmse: 0.4, r: 0.61, ccc: 0.533 }, valence: { rmse: 0.3, r: 0.5, ccc: 0.431 } },
      sequences: [{ id: 'song:2', gold: { arousal: gold, valence: [NaN, ...gold.slice(1)] }, pred: { arousal: pred, valence: pred } }],
      curves: [{ label: 'trial 1', train: [0.9, 0.7, 0.6, 0.55], validation: [0.95, 0.8, 0.78, 0.79] }],
    },
    {
      condition: 'S2S', layer1: 150, layer2: 10, lr: 5e-6, noiseSigma: 0.4,
      mean: { arousal: { rmse: 0.123, r: 0.812, ccc: 0.702 }, valence: { rmse: 0.222, r: 0.333, ccc: 0.256 } },
    },
  ],
  baselines: [{ name: 'ridge', mean: { arousal: { rmse: 0.18, r: -0.09, ccc: 0.01 }, valence: { rmse: 0.191, r: 0.05, ccc: 0.044 } } }],
  significance: [{ a: 'M2M', b: 'ridge', target: 'arousal CCC', t: 2.5, p: 0.02, pBonferroni: 0.06 }],
};

test('number formats follow the paper (.517, −.090, 5e-6)', () => {
  assert.is(fmt3(0.517), '.517');
  assert.is(fmt3(-0.09), '−.090');
  assert.is(fmt3(1.369), '1.369');
  assert.is(fmt3(NaN), '—');
  assert.is(fmtLr(5e-6), '5e-6');
  assert.is(fmtLr(1e-7), '1e-7');
});

test('Table 6 layout: our rows and the paper rows side by side with the given numbers', () => {
  const md = table6Markdown(results.conditions);
  const lines = md.split('\n');
  assert.is(lines.length, 2 + 6 + 2, 'header + 6 paper rows + 2 of ours');
  const m2m = lines.find((l) => l.includes('M2M (ours)'))!;
  assert.is(m2m, '| music | M2M (ours) | 100 | 6 | 1e-5 | 0.3 | .412 | .377 | .201 | .305 | −.044 | −.012 |');
  assert.ok(lines.includes('| music | M2M (paper) | 150 | 10 | 5e-6 | 0.5 | .194 | .517 | .317 | .265 | .175 | .090 |'));
  assert.ok(lines.includes('| speech | S2S (ours) | 150 | 10 | 5e-6 | 0.4 | .123 | .812 | .702 | .222 | .333 | .256 |'));
  assert.ok(lines.includes('| speech | M2S-TL (paper) | 150 | 10 | 5e-6 | 0.1 | .141 | .719 | .567 | .151 | .246 | .181 |'));
});

test('writeResultsFolder writes results.json, report.md and well-formed SVG plots', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-report-'));
  try {
    const files = await writeResultsFolder(dir, results);
    assert.equal(files, ['results.json', 'report.md', 'plots/pred-M2M-song_2.svg', 'plots/curves-M2M.svg']);
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    assert.is(json.conditions[0].mean.arousal.ccc, 0.201);
    assert.is(json.conditions[0].sequences[0].gold.valence[0], null, 'NaN stored as null');
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    assert.match(md, '| M2M | .400 | .610 | .533 | .300 | .500 | .431 |');
    assert.match(md, '| ridge | .180 | −.090 | .010 | .191 | .050 | .044 |');
    assert.match(md, '| M2M | ridge | arousal CCC | 2.500 | 0.0200 | 0.0600 |');
    assert.match(md, '![plots/curves-M2M.svg](plots/curves-M2M.svg)');
    for (const f of files.filter((x) => x.endsWith('.svg'))) {
      const svg = await readFile(join(dir, f), 'utf8');
      assertWellFormed(svg);
      const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(paths.length >= 2, `${f}: has data paths`);
      for (const d of paths) assert.match(d, /^M[\d.]+ [\d.]+( [ML][\d.]+ [\d.]+)+$/);
    }
    const pred = await readFile(join(dir, 'plots/pred-M2M-song_2.svg'), 'utf8');
    const ds = [...pred.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    assert.is(ds[0]!.split(/[ML]/).length - 1, 30, 'arousal gold: one point per second');
    assert.is(ds[2]!.split(/[ML]/).length - 1, 29, 'valence gold: the NaN second is skipped');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('missing scores print as — in Table 6, pooled, baseline and significance rows', async () => {
  const nan = { rmse: NaN, r: NaN, ccc: NaN };
  const res: ExperimentResults = {
    title: 'missing valence',
    conditions: [{ condition: 'S2M', layer1: 8, layer2: 3, lr: 0.2, noiseSigma: 0, mean: { arousal: { rmse: 0.5, r: 0.25, ccc: 0.125 }, valence: nan }, pooled: { arousal: { rmse: 0.5, r: 0.5, ccc: 0.25 }, valence: nan } }],
    baselines: [{ name: 'ridge S2M', mean: { arousal: { rmse: 0.4, r: 0.1, ccc: 0.05 }, valence: nan } }],
    significance: [{ a: 'S2M', b: 'S2M-TL', target: 'valence CCC', t: NaN, p: NaN, pBonferroni: NaN }],
  };
  const dir = await mkdtemp(join(tmpdir(), 'emo-report-nan-'));
  try {
    await writeResultsFolder(dir, res);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    assert.match(md, '| music | S2M (ours) | 8 | 3 | 2e-1 | 0 | .500 | .250 | .125 | — | — | — |');
    assert.match(md, '| S2M | .500 | .500 | .250 | — | — | — |');
    assert.match(md, '| ridge S2M | .400 | .100 | .050 | — | — | — |');
    assert.match(md, '| S2M | S2M-TL | valence CCC | — | — | — |');
    assert.not.match(md, /NaN/);
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    assert.is(json.conditions[0].mean.valence.ccc, null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('chart escapes text, maps values inside the plot area, nice ticks', () => {
  const svg = lineChartSvg([{ label: 'a<b', values: [0, 1, NaN, 0.5], color: 'red' }], { title: 'x & y', xLabel: 't', yLabel: 'v', yRange: [0, 1] });
  assertWellFormed(svg);
  assert.match(svg, 'a&lt;b');
  const d = /<path d="([^"]+)"/.exec(svg)![1]!;
  assert.is(d.split('M').length - 1, 2, 'NaN splits the line');
  const ys = [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.ok(ys[0]! > ys[1]!, 'larger value is drawn higher (smaller y)');
  assert.equal(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.equal(niceTicks(-1, 1, 4), [-1, -0.5, 0, 0.5, 1]);
});

test.run();
