import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initialRouterState, resolveRouterOptions, routeStep, type RouterState } from '../../src/model/content-router.ts';
import type { ContentEstimate, ContentLabel } from '../../src/model/content-classifier.ts';

const test = suite('model/content-router');
const o = resolveRouterOptions();
const c = (label: ContentLabel, probability = 0.9): ContentEstimate => ({ label, probability, probabilities: { speech: 0, music: 0, silence: 0, mixed: 0, [label]: probability } });
/** Routes a sequence of seconds; returns the route of each and where it switched. */
function run(seq: ContentEstimate[], state: RouterState = initialRouterState(o)): { routes: string; switches: number[] } {
  let s = state;
  const routes: string[] = [];
  const switches: number[] = [];
  seq.forEach((x, k) => {
    const d = routeStep(s, x, o);
    s = d.state;
    routes.push(s.route[0]!);
    if (d.switched) switches.push(k);
  });
  return { routes: routes.join(''), switches };
}

test('a new stream starts on speech; its first evidence decides at once', () => {
  assert.equal(run([c('silence'), c('music'), c('music')]), { routes: 'smm', switches: [1] });
  assert.equal(run([c('speech'), c('music')]), { routes: 'ss', switches: [] });
});

test('then it switches after 3 consecutive seconds of the other content, not before', () => {
  const r = run([c('music'), c('speech'), c('speech'), c('music'), c('speech'), c('speech'), c('speech'), c('speech')]);
  assert.equal(r, { routes: 'mmmmmmss', switches: [0, 6] });
});

test('silence, mixed and unsure seconds neither count nor reset the streak', () => {
  const r = run([c('speech'), c('music'), c('silence'), c('music'), c('mixed'), c('speech', 0.5), c('music')]);
  assert.equal(r, { routes: 'ssssssm', switches: [6] });
});

test('options are validated', () => {
  assert.throws(() => resolveRouterOptions({ switchAfterS: 0 }), /switchAfterS/);
  assert.throws(() => resolveRouterOptions({ minProbability: 2 }), /minProbability/);
  assert.throws(() => resolveRouterOptions({ initial: 'radio' as never }), /initial/);
});

test.run();
