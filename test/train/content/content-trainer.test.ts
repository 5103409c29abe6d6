import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { heldOutGroups } from '../../../src/train/content/split.ts';
import { labelWindows, renderSynth, windowCoverage, type SynthRecipe } from '../../../src/train/content/synthetic.ts';
import { drawRecipes } from '../../../src/train/content/recipes.ts';
import { scoreContent, confusionTable } from '../../../src/train/content/evaluate.ts';
import { fitNetwork, predictClasses, standardisation, standardise, classWeights } from '../../../src/train/content/fit.ts';
import { createContentClassifier, CONTENT_MODEL_FORMAT } from '../../../src/model/content-classifier.ts';
import { seededRandom } from '../../fixtures/signals.ts';

const test = suite('train/content');

test('group split: whole groups, about 20 %, at least one and never all, the same every time', () => {
  const groups = Array.from({ length: 24 }, (_, k) => `speaker:${k}`);
  const held = heldOutGroups([...groups, ...groups], 0.2, 7);
  assert.is(held.size, 5);
  assert.equal([...heldOutGroups(groups, 0.2, 7)].sort(), [...held].sort(), 'deterministic');
  assert.is(heldOutGroups(['a', 'b'], 0.2, 1).size, 1);
  assert.is(heldOutGroups(['a'], 0.2, 1).size, 0, 'one group cannot be split');
});

test('window labels come from speech coverage: ≥ 50 % speech/mixed, ≤ 10 % silence/music, in between left out', async () => {
  const speech: [number, number][] = [[0, 16000], [40000, 80000]]; // 0–1 s and 2.5–5 s
  assert.is(windowCoverage(speech, 0, 96000), 0.5);
  assert.is(windowCoverage(speech, 3, 96000), 1);
  const rendered = { samples: new Float32Array(96000), speech };
  const sparse = { kind: 'sparse-speech' } as SynthRecipe;
  assert.equal(labelWindows(sparse, rendered, 5), ['speech', undefined, 'speech', 'speech', 'speech']);
  assert.equal(labelWindows({ kind: 'mixture' } as SynthRecipe, { samples: new Float32Array(96000), speech: [[56000, 96000]] }, 5), ['music', 'music', undefined, 'mixed', 'mixed']);
  assert.equal(labelWindows(sparse, { samples: new Float32Array(96000), speech: [[0, 2000]] }, 2), ['silence', 'silence'], '≤ 10 % speech is silence');
  const noise = await renderSynth({ kind: 'noise', noise: 'pink', levelDb: -40, seconds: 3, seed: 2 }, async () => new Float32Array(0));
  const rms = Math.sqrt(noise.samples.reduce((a, x) => a + x * x, 0) / noise.samples.length);
  assert.ok(Math.abs(20 * Math.log10(rms) + 40) < 0.01, `noise at −40 dBFS (${20 * Math.log10(rms)})`);
  assert.ok((await renderSynth({ kind: 'noise', noise: 'silence', levelDb: -40, seconds: 1, seed: 2 }, async () => new Float32Array(0))).samples.every((x) => x === 0));
});

test('a mixture puts speech at the asked level over the music, where its spans say', async () => {
  const tone = Float32Array.from({ length: 16000 * 4 }, (_, i) => 0.1 * Math.sin(i / 5));
  const voice = Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin(i / 3));
  const r = await renderSynth({ kind: 'mixture', music: 'm', utterances: ['u', 'u'], startS: 1, gapsS: [0.5], speechToMusicDb: 10, gainDb: 0 },
    async (path) => (path === 'm' ? tone : voice));
  assert.equal(r.speech, [[16000, 32000], [40000, 56000]]);
  const power = (a: number, b: number) => { let p = 0; for (let i = a; i < b; i++) p += r.samples[i]! ** 2; return p / (b - a); };
  const musicOnly = power(0, 16000);
  assert.ok(Math.abs(10 * Math.log10((power(16000, 32000) - musicOnly) / musicOnly) - 10) < 0.5, 'speech 10 dB above the music');
});

test('recipes use only the pools they are given', () => {
  const recipes = drawRecipes([{ group: 'g1', utterances: ['/a.flac', '/b.flac'] }], ['/m.opus'], { noise: 5, sparseSpeech: 3, mixture: 4 }, 9);
  assert.is(recipes.length, 12);
  for (const r of recipes) {
    if (r.kind === 'noise') continue;
    assert.ok(r.utterances.every((u) => u === '/a.flac' || u === '/b.flac'));
    if (r.kind === 'mixture') assert.is(r.music, '/m.opus');
  }
  assert.is(drawRecipes([], [], { noise: 2, sparseSpeech: 3, mixture: 4 }, 1).length, 2, 'no speakers: noise only');
});

test('scores: confusion rows are the truth, balanced accuracy averages recall', () => {
  const s = scoreContent(['speech', 'music'], [0, 0, 0, 1], [0, 0, 1, 1]);
  assert.equal(s.confusion, [[2, 1], [0, 1]]);
  assert.is(s.accuracy, 0.75);
  assert.is(s.balancedAccuracy, (2 / 3 + 1) / 2);
  assert.is(s.perClass.music!.precision, 0.5);
  assert.match(confusionTable(s), /\| \*\*speech\*\* \| 2 \| 1 \| 66.7 % \|/);
});

test('fit: a logistic regression and a small MLP learn a problem a line cannot split (XOR-like quadrants); the runtime agrees', () => {
  const random = seededRandom(4);
  const n = 2000, dims = 2;
  const x = new Float32Array(n * dims), y = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const a = 2 * random() - 1, b = 2 * random() - 1;
    x[2 * k] = 3 + a; x[2 * k + 1] = 10 * b;
    y[k] = a * b > 0 ? 1 : 0;
  }
  const rows = Array.from({ length: n }, (_, k) => k);
  const { mean, std } = standardisation(x, dims, rows);
  assert.ok(Math.abs(mean[0]! - 3) < 0.1 && Math.abs(std[1]! - 10 / Math.sqrt(3)) < 0.3);
  const z = standardise(x, dims, mean, std);
  assert.equal([...classWeights(y, rows, 2)].map((w) => Math.round(w * 10) / 10), [1, 1]);
  const acc = (layers: ReturnType<typeof fitNetwork>) => predictClasses(layers, z, dims, rows).reduce((a, p, k) => a + (p === y[k] ? 1 : 0), 0) / n;
  const linear = fitNetwork(z, dims, y, rows, 2, { hidden: [], epochs: 20, learningRate: 0.01 });
  const mlp = fitNetwork(z, dims, y, rows, 2, { hidden: [16], epochs: 60, learningRate: 0.01, l2: 0 });
  assert.ok(acc(linear) < 0.7, `a line cannot split quadrants (${acc(linear)})`);
  assert.ok(acc(mlp) > 0.95, `the MLP can (${acc(mlp)})`);
  const runtime = createContentClassifier({ format: CONTENT_MODEL_FORMAT, labels: ['speech', 'music'], features: 't', mean: [...mean], std: [...std], layers: mlp, trainingData: '', metrics: {}, created: '' });
  const predicted = predictClasses(mlp, z, dims, rows);
  for (let k = 0; k < 200; k++) assert.is(runtime.classify(x.subarray(2 * k, 2 * k + 2)).label, predicted[k] === 1 ? 'music' : 'speech');
});

test.run();
