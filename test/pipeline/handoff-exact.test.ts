import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { from, Subject } from 'rxjs';
import type { AudioChunk } from '../../src/audio/sources/types.ts';
import { resample } from '../../src/audio/resample.ts';
import { loadModel } from '../../src/model/index.ts';
import type { EmotionModel } from '../../src/model/types.ts';
import { createFeaturePool, createPipeline, type FeaturePool } from '../../src/pipeline/index.ts';
import type { HandoffSource, PipelineEvent, StreamStateEvent } from '../../src/pipeline/types.ts';
import { loadGoldenClip } from '../fixtures/golden.ts';
import { tempDir, writeTestModel } from './helpers.ts';

const test = suite('pipeline/hand-off exactness: detach (extract what came, no flush) + resume from both states = one uninterrupted run');
const dir = tempDir('handoff-exact');
let model: EmotionModel;
let pool: FeaturePool;
let speech8k: Float32Array;

test.before(async () => {
  model = await loadModel(await writeTestModel(dir.path, 5));
  pool = createFeaturePool({ workers: 2 });
  const s = (name: string) => loadGoldenClip(name).samples;
  const joined = new Float32Array(s('speech1_16k').length + s('speech2_16k').length);
  joined.set(s('speech1_16k'));
  joined.set(s('speech2_16k'), s('speech1_16k').length);
  speech8k = await resample(joined, 16000, 8000);
});
test.after(async () => { await pool.release(); await model.release(); dir.cleanup(); });

const chunk = (samples: Float32Array): AudioChunk => ({ streamId: 'call', samples, sampleRateHz: 8000, arrivedAtMs: 0 });
type Av = { t: number; arousal: number; valence: number };
const avOf = (events: PipelineEvent[]): Av[] => events.flatMap((e) => (e.type === 'av' ? [{ t: e.t, arousal: e.arousal, valence: e.valence }] : []));

function run(source: HandoffSource, featurePool?: FeaturePool): Promise<PipelineEvent[]> {
  const events: PipelineEvent[] = [];
  return new Promise((resolve, reject) => {
    createPipeline(from([source]), { model, featurePool }).subscribe({ next: (e) => events.push(e), error: reject, complete: () => resolve(events) });
  });
}

for (const where of ['in this thread', 'in feature workers'] as const) {
  test(`${where}: cut at 3.37 s and 7.9 s; resumed twice, every second equals the uninterrupted run bit for bit`, async () => {
    const featurePool = where === 'in feature workers' ? pool : undefined;
    const whole = avOf(await run({ streamId: 'call', kind: 'twilio', chunks: from([chunk(speech8k.slice())]) }, featurePool)); // a copy: the pool transfers whole buffers
    const got: Av[] = [];
    let resume: HandoffSource['resume'];
    const cuts = [0, Math.round(3.37 * 8000), Math.round(7.9 * 8000), speech8k.length];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const chunks = new Subject<AudioChunk>();
      const detach = new Subject<void>();
      const last = k + 2 === cuts.length;
      const events = run({ streamId: 'call', kind: 'twilio', chunks, ...(last ? {} : { detach }), ...(resume ? { resume } : {}) }, featurePool);
      for (let at = cuts[k]; at < cuts[k + 1]; at += 813) chunks.next(chunk(speech8k.slice(at, Math.min(cuts[k + 1], at + 813))));
      if (!last) detach.next();
      chunks.complete();
      const out = await events;
      got.push(...avOf(out));
      if (last) break;
      const ended = out.find((e): e is StreamStateEvent => e.type === 'stream' && e.state === 'ended')!;
      assert.ok(ended.detached && ended.extractorState && ended.finalState, 'the detached end carries both states');
      assert.is(ended.lastT, got.at(-1)!.t, 'lastT is the last result');
      resume = { state: ended.finalState, stateT: ended.lastT!, offsetS: 0, skipThroughT: ended.lastT!, extractorState: ended.extractorState };
    }
    assert.ok(whole.length >= 9, `${whole.length} seconds`);
    assert.equal(got, whole);
  });
}

test('a detached stream that got no audio ends normally (nothing to hand over)', async () => {
  const detach = new Subject<void>();
  const events = run({ streamId: 'call', kind: 'twilio', chunks: new Subject<AudioChunk>(), detach });
  detach.next();
  const ended = (await events).find((e): e is StreamStateEvent => e.type === 'stream' && e.state === 'ended');
  assert.ok(ended && !ended.detached && !ended.extractorState);
});

test.run();
