import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quietly } from '../quiet-cli.ts';
import { readModelInfo } from '../../../src/model/index.ts';
import { POOLED_FEATURE_NAMES } from '../../../src/pool/pooler.ts';
import { writeSyntheticCorpus } from '../synthetic-corpus.ts';

const test = suite('train/final models, outside tests and publication (experiment --write-models)');
let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-final-'));
  await writeSyntheticCorpus(join(dir, 'corpus'), 4, 24, 1);
  await writeSyntheticCorpus(join(dir, 'outside'), 2, 16, 9);
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('S2S + M2M with outside corpora: final models exported with metadata, cards and results page agree', async () => {
  const plan = {
    title: 'synthetic default models', music: ['corpus/manifest.json'], speech: ['corpus/manifest.json'], conditions: ['M2M', 'S2S'],
    outside: { music: ['outside/manifest.json'], speech: ['outside/manifest.json'] },
    grids: { layer1: [8], layer2: [3], learningRate: [0.2], noiseSigma: [0] }, searchTrials: 1, trials: 2, bestK: 2,
    maxEpochs: 25, patience: 8, workers: 2, finalModels: { trials: 2, publish: { models: 'pub/models', doc: 'pub/docs/results.md', plots: 'pub/docs/results' } }, out: 'results',
  };
  await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
  const r = await quietly(['experiment', join(dir, 'plan.json'), '--write-models']);
  assert.is(r.code, 0, r.text);
  const page = await readFile(join(dir, 'pub', 'docs', 'results.md'), 'utf8');
  assert.match(page, /## Outside tests/);
  assert.match(page, /\| S2S → speech \(2 seq\./); // outside corpus named by its sequence-id prefix
  assert.match(page, /Wall time [\d.]+ min/);
  for (const domain of ['music', 'speech'] as const) {
    const info = readModelInfo(new Uint8Array(await readFile(join(dir, 'pub', 'models', `${domain}.onnx`))));
    assert.is(info.metadata.purpose, 'trained');
    assert.is(info.metadata.domain, domain);
    assert.equal([...info.metadata.featureNames], [...POOLED_FEATURE_NAMES]);
    const m = info.metadata.metrics as { default: boolean; heldOut: { mean: { arousal: { ccc: number } }; pooled: { arousal: { ccc: number } } }; baselines: { ridge: { mean: { arousal: { ccc: number } }; pooled: { arousal: { ccc: number } } } }; outside: { corpora: string } | null };
    // The qualification flag follows the documented rule (beats the ridge and mean baselines, per sequence and pooled; mean CCC is 0).
    const beats = m.heldOut.mean.arousal.ccc > Math.max(0, m.baselines.ridge.mean.arousal.ccc) && m.heldOut.pooled.arousal.ccc > Math.max(0, m.baselines.ridge.pooled.arousal.ccc);
    assert.is(m.default, beats);
    assert.is(m.outside?.corpora, domain);
    const card = await readFile(join(dir, 'pub', 'models', `${domain}.md`), 'utf8');
    assert.match(card, new RegExp(`Default model: ${m.default ? 'YES' : 'NO'}`));
    const stats = JSON.parse(info.metadata.extra['emostream.feature_stats']!) as { mean: number[]; std: number[] };
    assert.is(stats.mean.length, 260);
    assert.ok(stats.std.every((x) => x > 0));
  }
});

test.run();
