import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { bonferroni, meanConfidenceInterval, pairedTTest } from '../../../src/train/eval/stats.ts';
import { logGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile, studentTTwoSided } from '../../../src/train/eval/special.ts';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/stats-fixtures.json', import.meta.url), 'utf8'));
const test = suite('train/eval/stats');

const close = (got: number, want: number, tol: number, what: string): void =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: got ${got}, want ${want}`);

test('logGamma matches factorials and Γ(1/2) = √π', () => {
  for (let n = 1; n <= 20; n++) {
    let f = 1;
    for (let k = 2; k < n; k++) f *= k;
    close(logGamma(n), Math.log(f), 1e-13, `lnΓ(${n})`);
  }
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14, 'lnΓ(1/2)');
});

test('regularised incomplete beta matches scipy.special.betainc', () => {
  for (const c of fx.incbeta) close(regularizedIncompleteBeta(c.x, c.a, c.b), c.value, 1e-12, `I_${c.x}(${c.a}, ${c.b})`);
  assert.is(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.is(regularizedIncompleteBeta(1, 2, 3), 1);
  assert.throws(() => regularizedIncompleteBeta(0.5, 0, 1), /a, b > 0/);
});

test('t distribution cdf and quantiles match scipy.stats.t', () => {
  for (const c of fx.tcdf) close(studentTCdf(c.t, c.df), c.cdf, 1e-12, `cdf(${c.t}; ${c.df})`);
  for (const c of fx.tppf) close(studentTQuantile(c.p, c.df), c.t, 1e-9, `ppf(${c.p}; ${c.df})`);
  close(studentTTwoSided(2.776445105, 4), 0.05, 1e-8, 'two-sided p at t_0.975,4');
});

test('paired t-test matches scipy.stats.ttest_rel (t, df, two-sided p)', () => {
  for (const c of fx.ttest) {
    const r = pairedTTest(c.a, c.b);
    close(r.t, c.t, 1e-10, 't');
    assert.is(r.df, c.df);
    close(r.p, c.p, 1e-10, `p (n=${c.a.length})`);
  }
});

test('paired t-test degenerate and invalid inputs', () => {
  assert.equal(pairedTTest([1, 2, 3], [1, 2, 3]).p, 1);
  const shifted = pairedTTest([1, 2, 3], [0, 1, 2]);
  assert.is(shifted.p, 0);
  assert.is(shifted.t, Infinity);
  try {
    pairedTTest([1], [2]);
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code: string }).code, 'EMO_ERR_BAD_CONFIG');
  }
});

test('Bonferroni multiplies by the number of comparisons and caps at 1', () => {
  assert.is(bonferroni(0.01, 3), 0.03);
  assert.is(bonferroni(0.5, 3), 1);
  assert.throws(() => bonferroni(0.1, 0), /positive integer/);
});

test('95 % t confidence interval matches scipy.stats.t.interval', () => {
  for (const c of fx.ci) {
    const r = meanConfidenceInterval(c.xs);
    close(r.mean, c.mean, 1e-12, 'mean');
    close(r.lo, c.lo, 1e-9, 'lo');
    close(r.hi, c.hi, 1e-9, 'hi');
  }
});

test.run();
