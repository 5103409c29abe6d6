// The whole path with a missing target dimension: a generated manifest (pooled-feature CSVs, no audio)
// in which some speech sequences and every music sequence have no valence (categories whose valence is
// null, as BAVED's levels) → `emostream experiment` (S2S, S2M) → finite training losses, finite S2S
// valence learned from the sequences that have it, and "—" for the valence of S2M (no test sequence has it).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../src/train/fit/engine/rng.ts';
import { quietly } from './quiet-cli.ts';

const test = suite('train/missing targets end to end');
let dir = '';

const FEATURES = 260;
const WINDOWS = 28;
const BLOCK_S = 4;
const CATEGORY_MAP = {
  'high-av': { arousal: 0.6, valence: 0.4 }, 'low-av': { arousal: -0.6, valence: -0.4 },
  'high-a': { arousal: 0.6, valence: null }, 'low-a': { arousal: -0.6, valence: null },
};

/**
 * One sequence: 4 s blocks of high/low arousal (valence follows arousal when labelled), as segments; the
 * pooled-feature row of window w (target second w + 2) carries the block's level in features 0–63 plus noise.
 */
async function writeSequence(k: number, domain: 'music' | 'speech', labelled: boolean, rng: ReturnType<typeof createRng>) {
  const levels = Array.from({ length: Math.ceil((WINDOWS + 2) / BLOCK_S) }, (_, b) => (b + k) % 2 === 0);
  const segments = levels.map((high, b) => ({ start: b * BLOCK_S, end: (b + 1) * BLOCK_S, category: `${high ? 'high' : 'low'}-${labelled ? 'av' : 'a'}` }));
  const rows: string[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const high = levels[Math.floor((w + 2 - 0.5) / BLOCK_S)]!;
    const row = Array.from({ length: FEATURES }, (_, j) => (j < 64 ? (high ? 1 : -1) : 0) + 0.3 * rng.gaussian());
    rows.push(row.map((x) => x.toFixed(4)).join(','));
  }
  const file = `${domain}-${k}.csv`;
  await writeFile(join(dir, file), rows.join('\n') + '\n');
  return { id: `${domain}-${k}`, domain, group: `${domain}:${k}`, features: file, targets: { segments }, meta: { valence: labelled ? 'labelled' : 'missing' } };
}

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-missing-'));
  const rng = createRng(11);
  const sequences = [];
  for (let k = 0; k < 6; k++) sequences.push(await writeSequence(k, 'speech', k % 2 === 0, rng));
  for (let k = 0; k < 3; k++) sequences.push(await writeSequence(k, 'music', false, rng));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: 1, name: 'missing-valence', categoryMap: CATEGORY_MAP, sequences }));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('experiment: finite losses with masked valence; S2S valence from the labelled sequences, S2M valence "—"', async () => {
  const plan = {
    title: 'missing valence', music: ['manifest.json'], speech: ['manifest.json'], conditions: ['S2S', 'S2M'],
    testGroupsPerFold: { music: 1, speech: 2 },
    grids: { layer1: [8], layer2: [3], learningRate: [0.2], noiseSigma: [0] }, searchTrials: 1, trials: 1, bestK: 1,
    maxEpochs: 60, patience: 15, batchSize: 1, workers: 0, out: 'results',
  };
  await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
  const run = await quietly(['experiment', join(dir, 'plan.json')]);
  assert.is(run.code, 0, run.text.slice(-2000));
  const res = JSON.parse(await readFile(join(dir, 'results', 'results.json'), 'utf8'));
  const byName = Object.fromEntries(res.conditions.map((c: { condition: string }) => [c.condition, c]));
  for (const c of res.conditions) {
    for (const curve of c.curves ?? []) {
      assert.ok([...curve.train, ...curve.validation].every((x: unknown) => typeof x === 'number' && Number.isFinite(x)), `${c.condition}: finite losses`);
    }
  }
  // Valence is learned from the labelled half of the training speakers only, arousal from all of them.
  assert.ok(byName.S2S.mean.valence.ccc > 0.8, `S2S valence CCC ${byName.S2S.mean.valence.ccc} (labelled test speakers)`);
  assert.ok(byName.S2S.mean.arousal.ccc > 0.8, `S2S arousal CCC ${byName.S2S.mean.arousal.ccc}`);
  assert.ok(byName.S2M.mean.arousal.ccc > 0.8, `S2M arousal CCC ${byName.S2M.mean.arousal.ccc}`);
  assert.is(byName.S2M.mean.valence.ccc, null, 'S2M: no music sequence has valence (NaN → null in JSON)');
  assert.is(byName.S2M.pooled.valence.rmse, null);
  const md = await readFile(join(dir, 'results', 'report.md'), 'utf8');
  const s2m = md.split('\n').find((l) => l.startsWith('| music | S2M (ours)'))!;
  assert.match(s2m, /\| — \| — \| — \|$/, s2m);
  assert.not.match(md, /NaN/);
});

test.run();
