import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPitchViterbi, pitchRangeCost, type PitchViterbi } from '../../src/features/pitch-viterbi.ts';

const test = suite('pitch-viterbi');

interface Out {
  index: number[];
  f0: number[];
  voicing: number[];
}

const collector = (): { out: Out; sink: (k: number, f: number, v: number) => void } => {
  const out: Out = { index: [], f0: [], voicing: [] };
  return {
    out,
    sink: (k, f, v) => {
      out.index.push(k);
      out.f0.push(f);
      out.voicing.push(v);
    },
  };
};

/** Pads a candidate list to 6 slots with zeros. */
const six = (values: number[]): Float64Array => Float64Array.from({ length: 6 }, (_, i) => values[i] ?? 0);

function run(v: PitchViterbi, frames: Array<[number[], number[]]>, drainEach = true): Out {
  const { out, sink } = collector();
  for (const [f, vo] of frames) {
    v.push(six(f), six(vo));
    if (drainEach) v.drain(sink);
  }
  v.flush();
  v.drain(sink);
  return out;
}

test('pitch-range cost g(f)', () => {
  assert.is(pitchRangeCost(0), 2);
  assert.is(pitchRangeCost(50), 0.5);
  assert.is(pitchRangeCost(200), 0);
  assert.is(pitchRangeCost(475), 0.5);
  assert.is(pitchRangeCost(700), 1.2);
});

test('a steady voiced candidate is followed, decided with a short lag, in order, each frame once', () => {
  const v = createPitchViterbi();
  const { out, sink } = collector();
  let maxLag = 0;
  for (let t = 0; t < 60; t++) {
    v.push(six([200, 400]), six([0.9, 0.5]));
    v.drain(sink);
    maxLag = Math.max(maxLag, v.pushedFrames - v.decidedFrames);
  }
  assert.ok(maxLag < 30, `lag ${maxLag}`);
  v.flush();
  v.drain(sink);
  assert.equal(out.index, Array.from({ length: 60 }, (_, i) => i));
  assert.ok(out.f0.every((f) => f === 200));
  assert.ok(out.voicing.every((x) => x === 0.9));
});

test('weakly voiced frames are unvoiced: F0 0, voicing of candidate 0', () => {
  const out = run(createPitchViterbi(), Array.from({ length: 20 }, () => [[180, 360], [0.3, 0.2]]));
  assert.ok(out.f0.every((f) => f === 0));
  assert.ok(out.voicing.every((x) => x === 0.3));
});

test('voiced / unvoiced / voiced segments are decoded as such', () => {
  const frames: Array<[number[], number[]]> = [];
  for (let t = 0; t < 40; t++) frames.push([[200], [0.9]]);
  for (let t = 0; t < 40; t++) frames.push([[310, 120], [0.2, 0.1]]);
  for (let t = 0; t < 40; t++) frames.push([[250, 125], [0.85, 0.6]]);
  const out = run(createPitchViterbi(), frames);
  const expected = frames.map(([f, vo], t) => (t >= 40 && t < 80 ? 0 : f[0]));
  assert.equal(out.f0, expected);
});

// Two never-merging pitch tracks: 150 Hz and 300 Hz (slightly stronger). With the slope weight wTvvd = 0, staying on
// a track costs 0 and jumping costs 10·ln 2, so the survivor paths keep disagreeing over 100 frames and frames are only
// decided by the forced emission (lag > bufferLength), from the best path: the 300 Hz track.
const ambiguous = (n: number): Array<[number[], number[]]> => Array.from({ length: n }, () => [[150, 300], [0.89, 0.9]]);

test('forced emission: lag is capped at bufferLength, and the best path decides', () => {
  for (const bufferLength of [30, 7]) {
    const v = createPitchViterbi({ bufferLength, voicedDeltaWeight: 0 });
    const { out, sink } = collector();
    for (const [t, [f, vo]] of ambiguous(100).entries()) {
      v.push(six(f), six(vo));
      v.drain(sink);
      assert.is(v.pushedFrames - v.decidedFrames, Math.min(t + 1, bufferLength));
    }
    assert.is(out.index.length, 100 - bufferLength);
    v.flush();
    v.drain(sink);
    assert.equal(out.index, Array.from({ length: 100 }, (_, i) => i));
    assert.ok(out.f0.every((f) => f === 300));
  }
});

test('frames left undrained are kept (ring growth) and come out identical', () => {
  const frames: Array<[number[], number[]]> = [];
  for (let t = 0; t < 500; t++) {
    const voiced = Math.floor(t / 37) % 2 === 0;
    frames.push([[150 + (t % 50), 300], voiced ? [0.9, 0.5] : [0.3, 0.2]]);
  }
  const each = run(createPitchViterbi(), frames, true);
  const atEnd = run(createPitchViterbi(), frames, false);
  assert.equal(atEnd, each);
  assert.is(atEnd.index.length, 500);
});

test('flush ends a trellis; the next push starts a new one', () => {
  const v = createPitchViterbi();
  const { out, sink } = collector();
  for (let t = 0; t < 5; t++) v.push(six([200]), six([0.9]));
  v.flush();
  for (let t = 0; t < 5; t++) v.push(six([120]), six([0.95]));
  v.flush();
  v.drain(sink);
  assert.equal(out.f0, [200, 200, 200, 200, 200, 120, 120, 120, 120, 120]);
});

test('rejects invalid options', () => {
  assert.throws(() => createPitchViterbi({ bufferLength: 0 }), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
  assert.throws(() => createPitchViterbi({ candidates: 2.5 }), (e: { code?: string }) => e.code === 'EMO_ERR_BAD_CONFIG');
});

test.run();
