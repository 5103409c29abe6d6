/**
 * Golden parity of the whole extractor (openSMILE-compat mode, file's native rate) on every available clip:
 * thresholds of the foundation issue §5 (floors; the measured figures are in docs/parity.md).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { extractLlds } from '../../src/features/extractor.ts';
import { availableClips, loadGoldenClip } from '../fixtures/golden.ts';
import { compareColumns, compareVoicing, isStrictColumn, strictCheck } from '../fixtures/parity.ts';

const test = suite('extractor parity');

for (const name of availableClips()) {
  test(`${name}: all 130 columns within the issue's bounds`, async () => {
    const clip = loadGoldenClip(name);
    const { rows, count } = await extractLlds(clip.samples, { sampleRateHz: clip.sampleRateHz, voicingDeltas: 'opensmile-compat' });
    assert.is(count, clip.rows - 1, 'one row per complete 60 ms frame (openSMILE adds one extra final row)');
    const columns = compareColumns(clip, rows, count);
    const failures = columns.map((_, i) => (isStrictColumn(i) ? strictCheck(columns, i) : { ok: true, what: '' })).filter((c) => !c.ok);
    assert.equal(failures.map((f) => f.what), [], 'columns over the bound');
    const by = new Map(columns.map((p) => [p.column, p]));
    const voicing = compareVoicing(clip, rows, count);
    assert.ok(voicing.vuvAgreement >= 0.97, `V/UV agreement ${voicing.vuvAgreement}`);
    assert.ok(voicing.f0Within1Pct >= 0.95, `F0 within 1 % on ${voicing.f0Within1Pct}`);
    const r = (c: string) => by.get(c)!.r;
    if (voicing.framesVoicedInBoth > 10) {
      assert.ok(r('voicingFinalUnclipped_sma') >= 0.98, `voicing r ${r('voicingFinalUnclipped_sma')}`);
      for (const c of ['jitterLocal_sma', 'jitterDDP_sma', 'shimmerLocal_sma', 'logHNR_sma']) {
        assert.ok(r(c) >= 0.9 || by.get(c)!.maxRelError <= 1e-3, `${c}: r ${r(c)}, max rel error ${by.get(c)!.maxRelError}`);
      }
    }
  });
}

test.run();
