import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyRecipe, validateRecipe, type AugmentRecipe } from '../../../src/audio/augment/recipe.ts';
import { applyGain } from '../../../src/audio/augment/gain.ts';
import { telephoneChannel } from '../../../src/audio/augment/telephone.ts';
import { expectError } from '../helpers.ts';
import { bursts, sameSamples } from './signals.ts';

const test = suite('audio/augment/recipe');

const FULL: AugmentRecipe = [
  { kind: 'speed', factor: 1.05 },
  { kind: 'reverb', rt60S: 0.4, drrDb: 2, preDelayMs: 8, seed: 3 },
  { kind: 'noise', color: 'pink', snrDb: 14.2, seed: 99 },
  { kind: 'babble', snrDb: 12, talkers: [['a1', 'a2'], ['b1']], seed: 4 },
  { kind: 'gain', db: -12.3 },
  { kind: 'telephone', codec: 'mulaw' },
];
const x = bursts(3, 440, 0.3);
const babble = [bursts(2, 210, 0.1), bursts(1, 350, 0.2)];

test('a recipe is plain JSON: validate(parse(stringify(r))) equals r', () => {
  assert.equal(validateRecipe(JSON.parse(JSON.stringify(FULL))), FULL);
  assert.ok(Object.isFrozen(validateRecipe(FULL)));
});

test('bad recipes are EMO_ERR_BAD_CONFIG naming the field', async () => {
  const cases: [unknown, RegExp][] = [
    [{}, /^recipe: must be an array/],
    [[{ kind: 'echo' }], /recipe\[0\]\.kind: must be one of/],
    [[{ kind: 'gain', db: 99 }], /recipe\[0\]\.db: must be a number in \[-60, 40\]/],
    [[{ kind: 'gain', db: 1 }, { kind: 'noise', color: 'blue', snrDb: 5, seed: 1 }], /recipe\[1\]\.color/],
    [[{ kind: 'noise', color: 'white', snrDb: 5, seed: 1.5 }], /recipe\[0\]\.seed: must be an integer/],
    [[{ kind: 'telephone', codec: 'mulaw', extra: 1 }], /recipe\[0\]: unknown field "extra"/],
    [[{ kind: 'babble', snrDb: 5, talkers: [[]], seed: 1 }], /recipe\[0\]\.talkers\[0\]/],
    [[{ kind: 'gain', db: 1 }, { kind: 'gain', db: 2 }], /recipe\[1\]\.kind: gain appears twice/],
  ];
  for (const [json, re] of cases) {
    const e = await expectError(() => validateRecipe(json), 'EMO_ERR_BAD_CONFIG');
    assert.match(e.message, re);
  }
});

test('the full chain is deterministic and changes with any parameter', async () => {
  const a = await applyRecipe(x, FULL, { babble });
  const b = await applyRecipe(x, FULL, { babble });
  assert.ok(sameSamples(a, b), 'same recipe → bit-identical');
  assert.ok(Math.abs(a.length - x.length / 1.05) <= 1, `speed changes the length (${a.length})`);
  const other = FULL.map((s) => (s.kind === 'noise' ? { ...s, seed: 100 } : s));
  assert.not.ok(sameSamples(a, await applyRecipe(x, other, { babble })));
  assert.equal(Array.from(x), Array.from(bursts(3, 440, 0.3)), 'input untouched');
});

test('single steps equal their transform; the empty recipe is a copy; babble needs its talkers', async () => {
  assert.ok(sameSamples(await applyRecipe(x, [{ kind: 'gain', db: 6 }]), applyGain(x, 6).samples));
  assert.ok(sameSamples(await applyRecipe(x, [{ kind: 'telephone', codec: 'alaw' }]), await telephoneChannel(x, 'alaw')));
  const copy = await applyRecipe(x, []);
  assert.ok(sameSamples(copy, x) && copy !== x);
  await expectError(() => applyRecipe(x, [FULL[3]!]), 'EMO_ERR_BAD_CONFIG');
  await expectError(() => applyRecipe(x, [FULL[3]!], { babble: babble.slice(0, 1) }), 'EMO_ERR_BAD_CONFIG');
});

test.run();
