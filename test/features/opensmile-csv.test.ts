import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvHeader, csvLine, formatExp } from '../../src/features/opensmile-csv.ts';

const test = suite('opensmile-csv');

test('formats numbers like C printf %e', () => {
  assert.is(formatExp(439.6679), '4.396679e+02');
  assert.is(formatExp(-5.185721e-6), '-5.185721e-06');
  assert.is(formatExp(0), '0.000000e+00');
  assert.is(formatExp(1e-100), '1.000000e-100');
  assert.is(formatExp(1), '1.000000e+00');
});

test('header and line layout match the golden files', () => {
  assert.is(csvHeader(['a', 'b']), 'name;frameTime;a;b');
  assert.is(csvLine('clip', 0.01, [1, -2]), "'clip';0.010000;1.000000e+00;-2.000000e+00");
});

test.run();
