import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { withDataDir } from '../../src/cli/commands/train.ts';

const test = suite('cli/--data');

test('--data replaces the dataDir of every built-in corpus source, wherever it sits; other fields untouched', () => {
  const plan = {
    speech: [{ corpus: 'ravdess', dataDir: '../../shared/data' }, 'manifests/own.json'],
    outside: { speech: [{ corpus: 'emodb', dataDir: 'x', pause: 'silence' }] },
    out: 'r', note: { dataDir: 'not a corpus source' },
  };
  const r = withDataDir(plan, '/data/emotion') as typeof plan;
  assert.equal(r.speech[0], { corpus: 'ravdess', dataDir: resolve('/data/emotion') });
  assert.is(r.speech[1], 'manifests/own.json');
  assert.equal(r.outside.speech[0], { corpus: 'emodb', dataDir: resolve('/data/emotion'), pause: 'silence' });
  assert.equal(r.note, { dataDir: 'not a corpus source' });
  assert.is(withDataDir(plan, undefined), plan);
});

test.run();
