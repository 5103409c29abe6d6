import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveModelArgument } from '../../src/cli/commands/model-loading.ts';
import { DEFAULT_MODEL_ORDER, isQualifiedDefault, shippedModelPath, type ShippedModelName } from '../../src/model/shipped-models.ts';
import { createTestModel, loadModel, readModelInfo } from '../../src/model/index.ts';
import { POOLED_FEATURE_NAMES } from '../../src/pool/pooler.ts';

const test = suite('cli/model-loading');
const repoModels = fileURLToPath(new URL('../../models/', import.meta.url));

test('--model music|speech resolve to the package models/ folder, whatever the working directory', async () => {
  const cwd = process.cwd();
  const dir = await mkdtemp(join(tmpdir(), 'emo-model-arg-'));
  try {
    process.chdir(dir);
    assert.is((await resolveModelArgument('speech')).path, join(repoModels, 'speech.onnx'));
    assert.is((await resolveModelArgument('music')).path, join(repoModels, 'music.onnx'));
    assert.is(shippedModelPath('speech'), join(repoModels, 'speech.onnx'));
  } finally {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  }
});

test('any other --model value is a path, passed through; an empty one is a usage error', async () => {
  assert.equal(await resolveModelArgument('runs/x.onnx'), { path: 'runs/x.onnx' });
  try {
    await resolveModelArgument('');
    assert.unreachable('empty --model accepted');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'EMO_ERR_USAGE');
  }
});

for (const name of ['music', 'speech'] as const) {
  test(`shipped models/${name}.onnx is a trained ${name} model on the 260 pooled features, a few MB at most, and loads`, async () => {
    const path = shippedModelPath(name);
    assert.ok((await stat(path)).size < 5 * 2 ** 20, 'model larger than 5 MiB');
    const info = readModelInfo(new Uint8Array(await readFile(path)));
    assert.is(info.metadata.purpose, 'trained');
    assert.is(info.metadata.domain, name);
    assert.equal([...info.metadata.featureNames], [...POOLED_FEATURE_NAMES]);
    assert.is(info.metadata.featureNames.length, 260);
    assert.is(typeof info.metadata.metrics['default'], 'boolean', 'metrics.default (qualification) missing');
    type Dim = { r: number; ccc: number; pooledR: number; pooledCcc: number };
    const m = info.metadata.metrics as { heldOut: { arousal: Dim; valence: Dim }; baselines: { ridge: { arousal: Dim } }; outside: { name: string; arousal: Dim }[] };
    const inRange = (x: number) => Number.isFinite(x) && x >= -1 && x <= 1;
    assert.ok(inRange(m.heldOut.arousal.pooledCcc) && m.heldOut.arousal.pooledCcc > 0.2, `held-out pooled arousal CCC ${m.heldOut.arousal.pooledCcc}`);
    assert.ok(inRange(m.baselines.ridge.arousal.pooledCcc), 'the ridge baseline of the same folds is in the metadata');
    assert.ok(m.outside.length > 0 && m.outside.every((o) => o.name && inRange(o.arousal.pooledCcc)), 'outside tests in the metadata');
    const model = await loadModel(path);
    try {
      assert.is(model.metadata.domain, name);
    } finally {
      await model.release();
    }
  });
}

test('the default (no --model) is the first qualified shipped model, or speech with a note', async () => {
  const qualified: ShippedModelName[] = [];
  for (const n of DEFAULT_MODEL_ORDER) if (await isQualifiedDefault(shippedModelPath(n))) qualified.push(n);
  const r = await resolveModelArgument(undefined);
  if (qualified.length) {
    assert.is(r.path, shippedModelPath(qualified[0]!));
    assert.is(r.note, undefined);
  } else {
    assert.is(r.path, shippedModelPath('speech'));
    assert.match(r.note ?? '', /no shipped model beats both baselines/);
  }
});

test('isQualifiedDefault is false for a test-fixture model and for a missing file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-model-q-'));
  try {
    const p = join(dir, 'fixture.onnx');
    await writeFile(p, createTestModel({ seed: 1 }));
    assert.is(await isQualifiedDefault(p), false);
    assert.is(await isQualifiedDefault(join(dir, 'missing.onnx')), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
