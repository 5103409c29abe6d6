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
  assert.match(page, /## Outside tests of models\/speech\.onnx/);
  assert.match(page, /\| synthetic-loudness-pitch \| \*\*LSTM\*\* \| 2 \|/, 'the outside corpus is scored by the final model, 2 sequences');
  assert.match(page, /## Targets \(issue 9 §5\)/);
  assert.match(page, /[\d.]+ min wall/);
  for (const domain of ['music', 'speech'] as const) {
    const info = readModelInfo(new Uint8Array(await readFile(join(dir, 'pub', 'models', `${domain}.onnx`))));
    assert.is(info.metadata.purpose, 'trained');
    assert.is(info.metadata.domain, domain);
    assert.is(info.metadata.ensembleSize, 2, 'a 2-member ensemble');
    assert.ok(info.weights.uncertainty && info.weights.uncertainty.varianceFloor.every((v) => v > 0), 'with a calibrated uncertainty');
    assert.equal([...info.metadata.featureNames], [...POOLED_FEATURE_NAMES]);
    const m = info.metadata.metrics as { default: boolean; heldOut: { arousal: { ccc: number; pooledCcc: number } }; baselines: { ridge: { arousal: { ccc: number; pooledCcc: number } }; mean: { arousal: { ccc: number; pooledCcc: number } } }; outside: { name: string }[] };
    // The qualification flag follows the documented rule (beats the ridge and mean baselines, per sequence and pooled).
    const h = m.heldOut.arousal, r = m.baselines.ridge.arousal, mn = m.baselines.mean.arousal;
    assert.is(m.default, h.ccc > Math.max(r.ccc, mn.ccc) && h.pooledCcc > Math.max(r.pooledCcc, mn.pooledCcc));
    assert.equal(m.outside.map((o) => o.name), ['synthetic-loudness-pitch']);
    const card = await readFile(join(dir, 'pub', 'models', `${domain}.md`), 'utf8');
    assert.match(card, new RegExp(`Default model: ${m.default ? 'yes' : 'NO'}`));
    assert.match(card, /An ensemble of 2 networks/);
  }
});

test.run();
