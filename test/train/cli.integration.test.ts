import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.ts';
import { loadModel } from '../../src/model/index.ts';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';

const test = suite('train/experiment/export CLI');
let dir = '';
let manifest = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emo-cli-train-'));
  manifest = await writeSyntheticCorpus(join(dir, 'corpus'), 4, 24);
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quietly = async (argv: string[]): Promise<number> => {
  const write = process.stdout.write.bind(process.stdout);
  const ewrite = process.stderr.write.bind(process.stderr);
  let text = '';
  void text;
  process.stdout.write = ((c: string) => ((text += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((text += c), true)) as typeof process.stderr.write;
  try {
    return await main(argv);
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
};

test('train: one configuration on the loudness/pitch corpus learns arousal from loudness', async () => {
  const exp = { corpora: ['corpus/manifest.json'], split: { testGroups: ['speech:0', 'music:0'], validationGroups: ['speech:1'] }, hidden: [16, 4], learningRate: 0.2, maxEpochs: 80, patience: 15, seed: 3, out: 'run-a' };
  await writeFile(join(dir, 'exp.json'), JSON.stringify(exp));
  assert.is(await quietly(['train', join(dir, 'exp.json'), '--quiet']), 0);
  const metrics = JSON.parse(await readFile(join(dir, 'run-a', 'metrics.json'), 'utf8'));
  assert.is(metrics.sizes.test, 2);
  assert.ok(metrics.test.mean.arousal.ccc > 0.5, `test arousal CCC ${metrics.test.mean.arousal.ccc}`);
  assert.ok(metrics.curves.validation.length === metrics.epochs);
  assert.ok((await stat(join(dir, 'run-a', 'parameters.bin'))).size > 0);
});

test('train: a bad experiment file fails with a usage/config exit code', async () => {
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ corpora: ['corpus/manifest.json'], hidden: [16], learningRate: 0.1, out: 'x' }));
  assert.is(await quietly(['train', join(dir, 'bad.json')]), 2);
});

test('experiment → results folder; export of a condition run → a model loadModel accepts', async () => {
  const plan = {
    title: 'synthetic', music: ['corpus/manifest.json'], speech: ['corpus/manifest.json'], conditions: ['S2S', 'M2S', 'M2S-TL'],
    grids: { layer1: [8], layer2: [3], learningRate: [0.2], noiseSigma: [0, 0.2] }, searchTrials: 1, trials: 2, bestK: 1,
    maxEpochs: 25, patience: 8, workers: 2, dae: { learningRate: 5, maxEpochs: 10, patience: 5 }, out: 'results',
  };
  await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
  assert.is(await quietly(['experiment', join(dir, 'plan.json')]), 0);
  const res = JSON.parse(await readFile(join(dir, 'results', 'results.json'), 'utf8'));
  assert.equal(res.conditions.map((c: { condition: string }) => c.condition), ['S2S', 'M2S', 'M2S-TL']);
  assert.ok(res.baselines.length === 6, `${res.baselines.length} baseline rows`);
  assert.is(res.significance.length, 3, "one arousal-CCC t-test per pair of speech conditions");
  assert.match(await readFile(join(dir, 'results', 'report.md'), 'utf8'), /S2S/);
  assert.is(await quietly(['export', join(dir, 'results', 'runs', 'S2S'), '--out', join(dir, 'speech.onnx')]), 0);
  const model = await loadModel(join(dir, 'speech.onnx'));
  assert.is(model.metadata.domain, 'speech');
  assert.is(model.inputSize, 260);
  const [p] = await model.step([{ streamId: 'a', features: new Float32Array(260).fill(0.1) }]);
  assert.ok(Number.isFinite(p!.arousal) && Number.isFinite(p!.valence));
  await model.release();
});

test.run();
