import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COL, FRAME_COLUMN_NAMES, FRAME_WIDTH, LLD_COLUMNS, LLD_COUNT, VOICING_COLUMNS, deltaNameOf } from '../../src/features/registry.ts';

const test = suite('features/registry');

test('65 LLD columns with 65 unique names; 130 unique frame columns (LLDs, then the same 65 as deltas)', () => {
  assert.is(LLD_COUNT, 65);
  assert.is(LLD_COLUMNS.length, 65);
  const names = LLD_COLUMNS.map((c) => c.name);
  assert.is(new Set(names).size, 65, `duplicates: ${names.filter((n, k) => names.indexOf(n) !== k)}`);
  assert.ok(names.every((n) => /_sma(\[\d+\])?$/.test(n)), 'every LLD name ends in _sma (or _sma[i])');
  assert.is(FRAME_WIDTH, 130);
  assert.is(FRAME_COLUMN_NAMES.length, 130);
  assert.is(new Set(FRAME_COLUMN_NAMES).size, 130);
  assert.equal(FRAME_COLUMN_NAMES.slice(0, 65), names);
  assert.equal(FRAME_COLUMN_NAMES.slice(65), names.map(deltaNameOf));
});

test('openSMILE names and order at the family boundaries; delta names insert _de before the index', () => {
  const at = (k: number) => LLD_COLUMNS[k].name;
  assert.equal([at(COL.F0), at(COL.VOICING), at(COL.LOG_HNR), at(COL.RMS), at(COL.ZCR)],
    ['F0final_sma', 'voicingFinalUnclipped_sma', 'logHNR_sma', 'pcm_RMSenergy_sma', 'pcm_zcr_sma']);
  assert.equal([at(COL.RASTA_BANDS), at(COL.RASTA_BANDS + 25)], ['audSpec_Rfilt_sma[0]', 'audSpec_Rfilt_sma[25]']);
  assert.equal([at(COL.MFCC), at(64)], ['mfcc_sma[1]', 'mfcc_sma[14]']);
  assert.is(at(COL.HARMONICITY), 'pcm_fftMag_spectralHarmonicity_sma');
  assert.is(deltaNameOf('mfcc_sma[3]'), 'mfcc_sma_de[3]');
  assert.is(deltaNameOf('pcm_zcr_sma'), 'pcm_zcr_sma_de');
});

test('the voicing group (first 6) is smoothed over non-zero neighbours; every other column plainly', () => {
  LLD_COLUMNS.forEach((c, k) => {
    const voicing = k < VOICING_COLUMNS;
    assert.is(c.smoothing, voicing ? 'nonzero' : 'plain', c.name);
    assert.is(c.delta, voicing ? 'in-segments' : 'plain', c.name);
  });
  assert.ok(Object.isFrozen(LLD_COLUMNS) && LLD_COLUMNS.every((c) => Object.isFrozen(c)), 'the layout cannot be changed at run time');
});

test.run();
