import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { validateRecipe } from '../../../src/audio/augment/recipe.ts';
import { babblePool, drawRecipe, DEFAULT_AUGMENTATION, parseAugmentationConfig } from '../../../src/train/data/augment-config.ts';
import { parsePlan } from '../../../src/train/protocol/plan.ts';
import { expectError } from '../../audio/helpers.ts';

const test = suite('train/data/augment-config');

const speech = (group: string, files: string[]) => ({ id: `s-${group}`, group, domain: 'speech' as const, parts: files.map((audio) => ({ audio })) });
const pool = babblePool([
  speech('a', ['/a1', '/a2']), speech('b', ['/b1', '/b2', '/b3']), speech('c', ['/c1']),
  { group: 'm', domain: 'music', audio: '/m.mp3' },
]);
const ALL_ON = parseAugmentationConfig({
  copies: 4, seed: 3,
  transforms: Object.fromEntries(['speed', 'reverb', 'noise', 'babble', 'gain', 'telephone'].map((k) => [k, { probability: 1 }])),
});

test('defaults fill in field by field; the result is frozen', () => {
  const c = parseAugmentationConfig({ copies: 3, transforms: { noise: { snrDb: [10, 20] } } });
  assert.is(c.copies, 3);
  assert.is(c.seed, DEFAULT_AUGMENTATION.seed);
  assert.equal(c.transforms.noise, { probability: 0.4, colors: ['white', 'pink', 'brown'], snrDb: [10, 20] });
  assert.equal(c.transforms.gain, DEFAULT_AUGMENTATION.transforms.gain);
  assert.equal(parseAugmentationConfig({}), DEFAULT_AUGMENTATION);
  assert.ok(Object.isFrozen(c.transforms.noise.snrDb) && Object.isFrozen(DEFAULT_AUGMENTATION.transforms));
  assert.equal(DEFAULT_AUGMENTATION.transforms.gain.db, [-20, 6]);
  assert.equal(DEFAULT_AUGMENTATION.transforms.speed.factor, [0.9, 1.1]);
  assert.equal(DEFAULT_AUGMENTATION.transforms.reverb.rt60S, [0.2, 0.9]);
});

test('bad configs are EMO_ERR_BAD_CONFIG naming the field', async () => {
  const cases: [unknown, RegExp][] = [
    [{ copies: -1 }, /augmentation\.copies: must be a number in \[0, 32\]/],
    [{ cpies: 1 }, /augmentation: unknown field "cpies"/],
    [{ transforms: { echo: {} } }, /augmentation\.transforms: unknown field "echo"/],
    [{ transforms: { gain: { db: [6, -20] } } }, /augmentation\.transforms\.gain\.db: max -20 is below min 6/],
    [{ transforms: { noise: { snrDb: [5, 99] } } }, /augmentation\.transforms\.noise\.snrDb\[1\]/],
    [{ transforms: { noise: { colors: ['blue'] } } }, /augmentation\.transforms\.noise\.colors\[0\]: must be one of white, pink, brown/],
    [{ transforms: { telephone: { probability: 2 } } }, /augmentation\.transforms\.telephone\.probability/],
    [{ transforms: { babble: { talkers: [1.5, 3] } } }, /augmentation\.transforms\.babble\.talkers\[0\]: must be an integer/],
    [{ domains: ['film'] }, /augmentation\.domains\[0\]/],
    [{ transforms: Object.fromEntries(['speed', 'reverb', 'noise', 'babble', 'gain', 'telephone'].map((k) => [k, { probability: 0 }])) }, /every probability is 0/],
  ];
  for (const [json, re] of cases) {
    const e = await expectError(() => parseAugmentationConfig(json), 'EMO_ERR_BAD_CONFIG');
    assert.match(e.message, re);
  }
});

test('the plan takes an augmentation section (validated; --quick may override it)', async () => {
  const base = { music: [{ corpus: 'emomusic', dataDir: 'd' }], grids: { layer1: [50], layer2: [4], learningRate: [0.2], noiseSigma: [0] }, out: 'o' };
  assert.is(parsePlan(base).augmentation, undefined);
  const p = parsePlan({ ...base, augmentation: { copies: 1, domains: ['speech'] }, quick: { augmentation: { copies: 0 } } });
  assert.is(p.augmentation?.copies, 1);
  assert.equal(p.augmentation?.domains, ['speech']);
  assert.is(parsePlan({ ...base, augmentation: { copies: 1 }, quick: { augmentation: { copies: 0 } } }, true).augmentation?.copies, 0);
  const e = await expectError(() => parsePlan({ ...base, augmentation: { transforms: { gain: { db: [-99, 0] } } } }), 'EMO_ERR_BAD_CONFIG');
  assert.match(e.message, /^plan augmentation\.transforms\.gain\.db\[0\]/);
});

test('draws: same (config, sequence, copy) → same recipe; copies and sequences differ; recipes are valid JSON', () => {
  const seq = { id: 's-a', group: 'a' };
  const r0 = drawRecipe(ALL_ON, seq, 0, pool);
  assert.equal(drawRecipe(ALL_ON, seq, 0, pool), r0);
  assert.equal(r0.map((s) => s.kind), ['speed', 'reverb', 'noise', 'babble', 'gain', 'telephone']);
  assert.equal(validateRecipe(JSON.parse(JSON.stringify(r0))), r0);
  assert.not.equal(drawRecipe(ALL_ON, seq, 1, pool), r0);
  assert.not.equal(drawRecipe(ALL_ON, { id: 's-b', group: 'b' }, 0, pool), r0);
  assert.not.equal(drawRecipe({ ...ALL_ON, seed: 4 }, seq, 0, pool), r0);
});

test('parameters stay in their ranges, rounded; babble never uses the own group or music', () => {
  const cfg = parseAugmentationConfig({ ...ALL_ON, copies: 1, transforms: { ...ALL_ON.transforms, babble: { probability: 1, talkers: [1, 8], filesPerTalker: 2 } } });
  let sawTwoTalkers = false;
  for (let copy = 0; copy < 60; copy++) {
    for (const step of drawRecipe(cfg, { id: 's-a', group: 'a' }, copy, pool)) {
      if (step.kind === 'gain') assert.ok(step.db >= -20 && step.db <= 6 && Math.abs(step.db * 10 - Math.round(step.db * 10)) < 1e-9);
      if (step.kind === 'speed') assert.ok(step.factor >= 0.9 && step.factor <= 1.1);
      if (step.kind === 'reverb') assert.ok(step.rt60S >= 0.2 && step.rt60S <= 0.9 && Number.isInteger(step.seed));
      if (step.kind === 'noise') assert.ok(step.snrDb >= 5 && step.snrDb <= 30);
      if (step.kind === 'babble') {
        assert.ok(step.talkers.length >= 1 && step.talkers.length <= 2, 'at most the 2 other speech groups');
        const files = step.talkers.flat();
        assert.ok(files.every((f) => /^\/[bc]\d$/.test(f)), files.join());
        assert.ok(step.talkers.every((t) => t.length <= 2));
        if (step.talkers.length === 2) sawTwoTalkers = true;
      }
    }
  }
  assert.ok(sawTwoTalkers);
  assert.not.ok(drawRecipe(cfg, { id: 'x', group: 'x' }, 0, babblePool([speech('x', ['/x'])])).some((s) => s.kind === 'babble'), 'no other group → no babble');
});

test('one transform\'s settings never change another\'s draws; an empty draw falls back to one transform', () => {
  const seq = { id: 's-c', group: 'c' };
  const a = drawRecipe(ALL_ON, seq, 2, pool);
  const b = drawRecipe(parseAugmentationConfig({ ...ALL_ON, transforms: { ...ALL_ON.transforms, noise: { probability: 0 } } }), seq, 2, pool);
  assert.equal(b, a.filter((s) => s.kind !== 'noise'));
  const rare = parseAugmentationConfig({ copies: 1, transforms: { speed: { probability: 0 }, reverb: { probability: 0 }, noise: { probability: 0 }, babble: { probability: 0 }, gain: { probability: 0.001 }, telephone: { probability: 0 } } });
  for (let copy = 0; copy < 20; copy++) {
    const r = drawRecipe(rare, seq, copy, pool);
    assert.is(r.length, 1);
    assert.is(r[0]!.kind, 'gain');
  }
});

test.run();
