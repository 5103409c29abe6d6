import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { augmentedSecondTargets, labelAugmentedCopy, recipeSpeedFactor, speedScaledSeconds } from '../../../src/train/data/augment-labels.ts';
import type { ManifestSequence } from '../../../src/train/data/manifest-types.ts';

const test = suite('train/data/augment-labels');
const manifest = { categoryMap: { calm: { arousal: -0.5, valence: 0.5 }, angry: { arousal: 0.8, valence: -0.6 } } };

test('speed factor of a recipe is the effective one (round(16000·f)/16000); 1 without a speed step', () => {
  assert.is(recipeSpeedFactor([{ kind: 'gain', db: 1 }]), 1);
  assert.is(recipeSpeedFactor([{ kind: 'speed', factor: 1.1 }]), 1.1);
  assert.is(recipeSpeedFactor([{ kind: 'speed', factor: 0.90004 }]), 14401 / 16000);
});

test('segment targets are rescaled exactly: faster audio reaches each category sooner', async () => {
  const seq: ManifestSequence = {
    id: 's', domain: 'speech', group: 'g', audio: '/x',
    targets: { segments: [{ start: 0, end: 11, category: 'calm' }, { start: 11, end: 22, category: 'angry' }] },
  };
  const same = await augmentedSecondTargets(seq, manifest, 1);
  assert.equal(Array.from(same.secondS), Array.from({ length: 22 }, (_, i) => i + 1));
  const fast = await augmentedSecondTargets(seq, manifest, 1.1); // the switch moves from 11 s to 10 s
  assert.is(fast.secondS.length, 20);
  assert.is(fast.arousal[9], -0.5); // second 10 = (9, 10] → calm
  assert.is(fast.arousal[10], Math.fround(0.8)); // second 11 = (10, 11] → angry
});

test('continuous targets are interpolated at T·factor on the source 1 Hz track', () => {
  const src = { secondS: Int32Array.of(1, 2, 3, 4, 5, 6), arousal: Float32Array.of(0, 0.1, 0.2, 0.3, 0.4, 0.5), valence: Float32Array.of(1, 1, 1, 1, 1, 1) };
  const slow = speedScaledSeconds(src, 0.9);
  assert.equal(Array.from(slow.secondS), [2, 3, 4, 5, 6]); // T·0.9 = 1.8 … 5.4 (0.9 has no left neighbour)
  assert.ok(Math.abs(slow.arousal[0]! - 0.08) < 1e-6); // 1.8 s → 0.08
  const fast = speedScaledSeconds(src, 1.2);
  assert.equal(Array.from(fast.secondS), [1, 2, 3, 4, 5]); // 1.2 … 6.0
  assert.ok(Math.abs(fast.arousal[4]! - 0.5) < 1e-6);
  const gap = speedScaledSeconds({ secondS: Int32Array.of(1, 2, 4), arousal: Float32Array.of(0, 1, 2), valence: Float32Array.of(0, 0, 0) }, 1.5);
  assert.equal(Array.from(gap.secondS), [1]); // T=1 → 1.5 s ∈ [1, 2]; T=2 → 3.0 s has no target; past 4 s nothing
  assert.ok(Math.abs(gap.arousal[0]! - 0.5) < 1e-6);
});

test('an augmented copy keeps group, domain and targets, marks its source, and aligns to its own windows', async () => {
  const seq: ManifestSequence = {
    id: 'spk', domain: 'speech', group: 'g', audio: '/x',
    targets: { segments: [{ start: 0, end: 6, category: 'calm' }] },
  };
  const windows = Float32Array.from({ length: 5 * 260 }, (_, i) => i);
  const copy = await labelAugmentedCopy(seq, manifest, { copy: 1, recipe: [{ kind: 'gain', db: -3 }], features: { windows, count: 5 } });
  assert.ok(copy);
  assert.is(copy!.id, 'spk~aug1');
  assert.is(copy!.group, 'g');
  assert.is(copy!.domain, 'speech');
  assert.equal(copy!.augmentation, { sourceId: 'spk', copy: 1, recipe: [{ kind: 'gain', db: -3 }] });
  assert.is(copy!.T, 5); // windows end at 2 … 6 s
  assert.equal(Array.from(copy!.targets.subarray(0, 2)), [-0.5, 0.5]);
  assert.is(copy!.features.length, 5 * 260);
  const none = await labelAugmentedCopy({ ...seq, targets: { segments: [{ start: 50, end: 60, category: 'calm' }] } }, manifest, { copy: 0, recipe: [], features: { windows, count: 5 } });
  assert.is(none, undefined);
});

test.run();
