import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCheckpoint, writeCheckpoint } from '../../../src/train/fit/checkpoint.ts';
import { fitRegressor } from '../../../src/train/fit/fit.ts';
import { fitStandardisation, trainingPieces } from '../../../src/train/fit/standardise.ts';
import { syntheticSequences } from '../synthetic-task.ts';

const test = suite('checkpoint');
const seqs = syntheticSequences(12, 30, 10, 5);
const st = fitStandardisation(seqs.slice(0, 8));
const tr = trainingPieces(seqs.slice(0, 8), st), va = trainingPieces(seqs.slice(8), st);

test('interrupted fit → checkpoint files → resumed fit reaches the same epoch count with identical parameters restored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-ckpt-'));
  try {
    let n = 0;
    const o = { hidden: [6, 3] as [number, number], learningRate: 0.1, maxEpochs: 10, seed: 4 };
    const part = await fitRegressor(tr, va, { ...o, shouldStop: () => ++n > 4 });
    assert.is(part.stoppedBy, 'interrupted');
    await writeCheckpoint(join(dir, 'ck'), part.state, { config: 'x.json' });
    const { state, context } = await readCheckpoint(join(dir, 'ck.json'));
    assert.is(context['config'], 'x.json');
    assert.equal(Array.from(state.parameters), Array.from(part.state.parameters));
    assert.equal(Array.from(state.velocity), Array.from(part.state.velocity));
    assert.is(state.epoch, 4);
    const rest = await fitRegressor(tr, va, { ...o, resume: state });
    assert.is(rest.epochs, 10);
    assert.is(rest.curves.validation.length, 10);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with input noise, interrupt + checkpoint + resume gives bit-identical parameters to an uninterrupted fit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-ckpt-'));
  try {
    const o = { hidden: [6, 3] as [number, number], learningRate: 0.1, maxEpochs: 8, patience: 100, noiseSigma: 0.3, seed: 9 };
    const whole = await fitRegressor(tr, va, o);
    let n = 0;
    const part = await fitRegressor(tr, va, { ...o, shouldStop: () => ++n > 3 });
    await writeCheckpoint(join(dir, 'ck'), part.state);
    const { state } = await readCheckpoint(join(dir, 'ck'));
    const rest = await fitRegressor(tr, va, { ...o, resume: state });
    assert.equal(Array.from(rest.state.parameters), Array.from(whole.state.parameters));
    assert.equal(rest.curves.validation, whole.curves.validation);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a truncated checkpoint is rejected with EMO_ERR_BAD_CONFIG', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emo-ckpt-'));
  try {
    const r = await fitRegressor(tr, va, { hidden: [4, 2], learningRate: 0.1, maxEpochs: 1, seed: 1 });
    await writeCheckpoint(join(dir, 'ck'), r.state);
    await writeFile(join(dir, 'ck.bin'), new Uint8Array(10));
    const err = await readCheckpoint(join(dir, 'ck')).then(() => undefined, (e: { code: string }) => e);
    assert.is(err?.code, 'EMO_ERR_BAD_CONFIG');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
