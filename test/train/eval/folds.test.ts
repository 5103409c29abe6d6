import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { crossDomainFolds, groupFolds, leaveOneGroupOut } from '../../../src/train/eval/folds.ts';

const test = suite('train/eval/folds');
const groups = ['song:10', 'song:2', 'song:3', 'song:2', 'song:4'];

function disjoint(f: { train: readonly number[]; validation: readonly number[]; test: readonly number[] }): void {
  const gs = (ix: readonly number[]) => new Set(ix.map((i) => groups[i]));
  const [a, b, c] = [gs(f.train), gs(f.validation), gs(f.test)];
  for (const g of a) assert.ok(!b.has(g) && !c.has(g), `group ${g} in two roles`);
  for (const g of b) assert.ok(!c.has(g), `group ${g} in validation and test`);
}

test('leave-one-group-out: one fold per group, every sequence tested once', () => {
  const folds = leaveOneGroupOut(groups);
  assert.is(folds.length, 4);
  assert.equal(folds.map((f) => f.test), [[1, 3], [2], [4], [0]]); // numeric-aware order: 2, 3, 4, 10
  folds.forEach(disjoint);
  assert.equal(folds.flatMap((f) => f.test).sort(), [0, 1, 2, 3, 4]);
  folds.forEach((f) => assert.is(f.train.length + f.test.length, groups.length));
});

test('nested (next): N folds, N-2 train groups, validation is the next group', () => {
  const folds = groupFolds(groups);
  assert.is(folds.length, 4);
  folds.forEach(disjoint);
  assert.equal(folds[0]!.validation, [2]);
  assert.equal(folds[3]!.validation, [1, 3]);
  folds.forEach((f) => assert.is(new Set(f.train.map((i) => groups[i])).size, 2));
});

test('nested (all): N·(N-1) folds', () => {
  const folds = groupFolds(groups, { validation: 'all' });
  assert.is(folds.length, 12);
  folds.forEach(disjoint);
});

test('leave-k-groups-out chunks sorted groups', () => {
  const actors = Array.from({ length: 24 }, (_, i) => `actor${String(i + 1).padStart(2, '0')}`);
  const folds = groupFolds(actors, { testGroupsPerFold: 4, validation: 'next' });
  assert.is(folds.length, 6);
  assert.equal(folds[0]!.test, [0, 1, 2, 3]);
  assert.equal(folds[0]!.validation, [4, 5, 6, 7]);
  assert.is(folds[0]!.train.length, 16);
});

test('cross-domain: every target sequence tested in each fold', () => {
  const folds = crossDomainFolds(['a', 'a', 'b', 'c'], 3);
  assert.is(folds.length, 3);
  for (const f of folds) assert.equal(f.test, [4, 5, 6]);
  assert.equal(folds[0]!.validation, [0, 1]);
  const single = crossDomainFolds(['a', 'b'], 2, 'none');
  assert.equal(single[0]!.train, [0, 1]);
});

test('too few groups: coded error', () => {
  try {
    groupFolds(['a', 'b']);
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code: string }).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test.run();
