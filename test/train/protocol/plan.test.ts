import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePlan } from '../../../src/train/protocol/plan.ts';

const test = suite('train/plan: outside tests and final models');
const base = {
  music: [{ corpus: 'emomusic', dataDir: 'd' }], speech: [{ corpus: 'ravdess', dataDir: 'd' }],
  grids: { layer1: [50], layer2: [4], learningRate: [0.2], noiseSigma: [0] }, out: 'o',
};

test('outside corpora per domain and finalModels (trials default 3, publish paths) are parsed', () => {
  const p = parsePlan({
    ...base, outside: { music: [{ corpus: 'pmemo', dataDir: 'd' }], speech: ['emodb/manifest.json'] },
    finalModels: { publish: { models: '../models', doc: '../docs/results.md', plots: '../docs/results' } },
  });
  assert.equal(p.outside.music, [{ corpus: 'pmemo', dataDir: 'd' }]);
  assert.equal(p.outside.speech, ['emodb/manifest.json']);
  assert.is(p.finalModels?.trials, 3);
  assert.is(p.finalModels?.publish?.doc, '../docs/results.md');
});

test('without them: no outside corpora and no final models', () => {
  const p = parsePlan(base);
  assert.equal(p.outside, { music: [], speech: [] });
  assert.is(p.finalModels, undefined);
});

test('--quick overrides finalModels; bad keys and paths are config errors', () => {
  const q = parsePlan({ ...base, finalModels: { trials: 5 }, quick: { finalModels: { trials: 1 } } }, true);
  assert.is(q.finalModels?.trials, 1);
  const bad = (o: object) => {
    try {
      parsePlan({ ...base, ...o });
      assert.unreachable(`accepted ${JSON.stringify(o)}`);
    } catch (e) {
      assert.is((e as { code?: string }).code, 'EMO_ERR_BAD_CONFIG');
    }
  };
  bad({ outside: { film: [] } });
  bad({ finalModels: { trials: 0 } });
  bad({ finalModels: { publish: { models: 'm', doc: '' , plots: 'p' } } });
  bad({ finalModels: { seeds: 2 } });
});

test.run();
