import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPooler, poolRows, POOLED_FEATURE_NAMES, POOLED_WIDTH } from '../../src/pool/pooler.ts';
import { FRAME_WIDTH } from '../../src/features/registry.ts';
import { seededRandom } from '../fixtures/signals.ts';

const test = suite('pooler');

function randomRows(count: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const rows = new Float32Array(count * FRAME_WIDTH);
  for (let i = 0; i < rows.length; i++) rows[i] = Math.fround(1000 + 5 * rnd()); // large mean, small spread
  return rows;
}

test('260 unique names: amean block then stddev block', () => {
  assert.is(POOLED_FEATURE_NAMES.length, 260);
  assert.is(new Set(POOLED_FEATURE_NAMES).size, 260);
  assert.is(POOLED_FEATURE_NAMES[0], 'F0final_sma_amean');
  assert.is(POOLED_FEATURE_NAMES[130], 'F0final_sma_stddev');
  assert.is(POOLED_FEATURE_NAMES[259], 'mfcc_sma_de[14]_stddev');
});

test('window w = rows [100w, 100w+200): two-pass mean and population std, end-time stamps', () => {
  const count = 450;
  const rows = randomRows(count, 1);
  const { features, count: windows, endTimesS } = poolRows(rows, count);
  assert.is(windows, 3); // windows end at rows 200, 300, 400
  assert.equal(endTimesS, [2, 3, 4]);
  for (let w = 0; w < windows; w++) {
    for (const c of [0, 17, 129]) {
      let m = 0;
      for (let r = 100 * w; r < 100 * w + 200; r++) m += rows[r * FRAME_WIDTH + c];
      m /= 200;
      let v = 0;
      for (let r = 100 * w; r < 100 * w + 200; r++) v += (rows[r * FRAME_WIDTH + c] - m) ** 2;
      const sd = Math.sqrt(v / 200);
      assert.ok(Math.abs(features[w * POOLED_WIDTH + c] - m) < 1e-4, 'mean');
      assert.ok(Math.abs(features[w * POOLED_WIDTH + FRAME_WIDTH + c] - sd) < 1e-5 * sd + 1e-7, `std ${features[w * POOLED_WIDTH + FRAME_WIDTH + c]} vs ${sd}`);
    }
  }
});

test('streaming in any row chunking equals batch', () => {
  const count = 777;
  const rows = randomRows(count, 2);
  const batch = poolRows(rows, count);
  const got: Float32Array[] = [];
  const pooler = createPooler((f) => got.push(f.slice()));
  for (let r = 0; r < count; r++) pooler.push(rows.subarray(r * FRAME_WIDTH, (r + 1) * FRAME_WIDTH));
  assert.is(got.length, batch.count);
  got.forEach((f, i) => assert.equal(Array.from(f), Array.from(batch.features.subarray(i * POOLED_WIDTH, (i + 1) * POOLED_WIDTH))));
});

test('constant input gives zero deviation; fewer than 200 rows give no window', () => {
  const rows = new Float32Array(250 * FRAME_WIDTH).fill(3.5);
  const { features, count } = poolRows(rows, 250);
  assert.is(count, 1);
  assert.is(features[0], 3.5);
  assert.is(features[FRAME_WIDTH], 0);
  assert.is(poolRows(rows, 199).count, 0);
});

test('rejects a bad configuration', () => {
  assert.throws(() => createPooler(() => {}, { windowRows: 100, hopRows: 200 }), /hopRows/);
});

test.run();
