/**
 * Protocol building blocks: the folds of each condition over the combined dataset [music…, speech…]
 * (method.md "Experiments") and the DAE layer of the transfer conditions.
 * - ID (M2M, S2S): nested leave-k-groups-out within the domain: test chunk c, validation chunk c + 1, train the rest;
 *   or a plan fold scheme: leave one corpus out, or k chunks of groups, with every n-th remaining group validating.
 * - CD (S2M, M2S) and CDTL: the source domain's group chunks (with a scheme: every n-th group, rotating) take turns
 *   as the validation set (LOO model selection), the rest trains, and every fold is tested on all of the target.
 * Augmented copies (`augmentation` set) only ever train, with their source's group.
 * - DAE: one autoencoder per layer-1 size, trained on the unlabelled pool (every plan sequence plus `extraPool`),
 *   standardised with the pool's own statistics, 10 % of the pool's sequences (≥ 1) held out for early stopping.
 */
import { EmostreamError } from '../../errors.ts';
import { createRng, type OnnxLstmParameters } from '../fit/engine/index.ts';
import { distinctGroups, groupFolds, type Fold } from '../eval/index.ts';
import type { Condition } from './results.ts';
import { fitAutoencoder } from '../fit/fit.ts';
import type { FoldScheme, PlanDae } from './plan.ts';
import type { Domain } from '../data/manifest-types.ts';
import { NO_STREAM_NORM, type StreamNormConfig } from '../../model/stream-norm.ts';
import type { LabelledSequence } from '../data/sequences.ts';
import { fitStandardisation, unlabelledPieces } from '../fit/standardise.ts';

/** How `conditionFolds` splits the data (plan fields). */
export interface FoldOptions {
  /** Paper scheme: groups per test fold (ID) / per validation chunk (CD). */
  readonly testGroupsPerFold: { readonly music: number; readonly speech: number };
  readonly maxFolds: number;
  /** Fold schemes per domain (plan.folds); undefined: the paper's scheme. */
  readonly schemes?: { readonly music?: FoldScheme; readonly speech?: FoldScheme };
  /** With a scheme: every n-th remaining group validates. Default 8. */
  readonly validationEvery?: number;
  /** Cross-domain conditions with a scheme: at most this many validation rotations. Default validationEvery. */
  readonly crossDomainFolds?: number;
}

const testDomainOf = (c: Condition): Domain => (c === 'M2M' || c.startsWith('S2M') ? 'music' : 'speech');
const sourceDomainOf = (c: Condition): Domain => (c === 'M2M' || c.startsWith('M2S') ? 'music' : 'speech');

/** Indices of `data` by group (clean sequences, and clean + augmented copies) for one domain. */
function byGroup(data: readonly LabelledSequence[], domain: Domain): { clean: Map<string, number[]>; all: Map<string, number[]> } {
  const clean = new Map<string, number[]>(), all = new Map<string, number[]>();
  data.forEach((s, i) => {
    if (s.domain !== domain) return;
    const push = (m: Map<string, number[]>) => { const l = m.get(s.group) ?? []; l.push(i); m.set(s.group, l); };
    push(all);
    if (!s.augmentation) push(clean);
  });
  return { clean, all };
}

/** Splits `remaining` groups into validation (every n-th, from `offset`) and training groups. */
function validationSplit(remaining: readonly string[], every: number, offset: number): { validation: string[]; train: string[] } {
  const validation = remaining.filter((_, i) => i % every === offset % every);
  return { validation, train: remaining.filter((g) => !validation.includes(g)) };
}

/** Folds of a fold scheme (plan.folds) for the in-domain condition over `domain`. */
function schemeFolds(data: readonly LabelledSequence[], domain: Domain, scheme: FoldScheme, every: number): Fold[] {
  const { clean, all } = byGroup(data, domain);
  const groups = distinctGroups([...clean.keys()]);
  const testSets: { name: string; groups: string[] }[] = [];
  if (scheme === 'corpus') {
    const corpusOf = new Map(groups.map((g) => [g, data[clean.get(g)![0]!]!.corpus ?? '?']));
    const corpora = [...new Set(corpusOf.values())].sort();
    if (corpora.length < 2) throw new EmostreamError('EMO_ERR_DATASET', `leave-one-corpus-out needs at least 2 ${domain} corpora, got ${corpora.join(', ') || 'none'}`);
    for (const c of corpora) testSets.push({ name: `test corpus ${c}`, groups: groups.filter((g) => corpusOf.get(g) === c) });
  } else {
    const k = Math.min(scheme.chunks, groups.length);
    for (let i = 0; i < k; i++) {
      const chunk = groups.slice(Math.floor((i * groups.length) / k), Math.floor(((i + 1) * groups.length) / k));
      testSets.push({ name: `test chunk ${i + 1}/${k} (${chunk.length} groups)`, groups: chunk });
    }
  }
  return testSets.map((t, index) => {
    const { validation, train } = validationSplit(groups.filter((g) => !t.groups.includes(g)), every, index);
    const cleanOf = (gs: readonly string[]) => gs.flatMap((g) => clean.get(g) ?? []);
    return { index, name: `${t.name} / val ${validation.length} groups`, train: train.flatMap((g) => all.get(g) ?? []), validation: cleanOf(validation), test: cleanOf(t.groups) };
  });
}

/** Folds of `condition` as indices into `data` (see the module header), at most `maxFolds`. */
export function conditionFolds(condition: Condition, data: readonly LabelledSequence[], o: FoldOptions): Fold[] {
  const testDomain = testDomainOf(condition), sourceDomain = sourceDomainOf(condition);
  const scheme = o.schemes?.[sourceDomain];
  const every = o.validationEvery ?? 8;
  let folds: Fold[];
  if (scheme && testDomain === sourceDomain) {
    folds = schemeFolds(data, sourceDomain, scheme, every);
  } else if (scheme) {
    // Cross-domain with a scheme: validation groups rotate through every n-th source group; test on all of the target.
    const { clean, all } = byGroup(data, sourceDomain);
    const groups = distinctGroups([...clean.keys()]);
    const target = data.map((s, i) => (s.domain === testDomain && !s.augmentation ? i : -1)).filter((i) => i >= 0);
    folds = Array.from({ length: Math.min(every, groups.length, o.crossDomainFolds ?? every) }, (_, index) => {
      const { validation, train } = validationSplit(groups, every, index);
      return { index, name: `val ${validation.length} ${sourceDomain} groups / test all ${testDomain}`, train: train.flatMap((g) => all.get(g)!), validation: validation.flatMap((g) => clean.get(g)!), test: target };
    });
  } else {
    const cleanIdx = (d: Domain) => data.map((s, i) => (s.domain === d && !s.augmentation ? i : -1)).filter((i) => i >= 0);
    const source = cleanIdx(sourceDomain);
    const { all } = byGroup(data, sourceDomain);
    const map = (ix: readonly number[]) => ix.map((i) => source[i]!);
    // Augmented copies train with their group, never validate or test.
    const withCopies = (ix: readonly number[]) => [...new Set(ix.map((i) => source[i]!).flatMap((i) => all.get(data[i]!.group) ?? [i]))];
    if (testDomain === sourceDomain) {
      folds = groupFolds(source.map((i) => data[i]!.group), { testGroupsPerFold: o.testGroupsPerFold[sourceDomain], validation: 'next' })
        .map((f) => ({ ...f, train: withCopies(f.train), validation: map(f.validation), test: map(f.test) }));
    } else {
      const target = cleanIdx(testDomain);
      folds = groupFolds(source.map((i) => data[i]!.group), { testGroupsPerFold: o.testGroupsPerFold[sourceDomain], validation: 'none' })
        .map((f) => ({ index: f.index, name: `val ${f.name.replace(/^test /, '')} / test all ${testDomain}`, train: withCopies(f.train), validation: map(f.test), test: target }));
    }
  }
  if (folds.length === 0) throw new EmostreamError('EMO_ERR_DATASET', `${condition}: no folds`);
  return folds.slice(0, o.maxFolds);
}

/** The trained DAE layer of one size and its reconstruction score. */
export interface DaeLayer {
  readonly hidden: number;
  readonly layer1: OnnxLstmParameters;
  /** Best validation MSE of logistic(z) reconstruction. */
  readonly validationMse: number;
  readonly epochs: number;
}

/** Trains the DAE of `hidden` cells on `pool` (see the module header). */
export async function trainDae(pool: readonly LabelledSequence[], hidden: number, o: PlanDae & { batchSize: number; seed: number; streamNorm?: StreamNormConfig }): Promise<DaeLayer> {
  if (pool.length < 2) throw new EmostreamError('EMO_ERR_DATASET', 'the DAE pool needs at least 2 sequences');
  const order = pool.map((_, i) => i);
  const rng = createRng(o.seed, 77);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const nVal = Math.max(1, Math.round(0.1 * pool.length));
  const val = order.slice(0, nVal).map((i) => pool[i]!), train = order.slice(nVal).map((i) => pool[i]!);
  const st = fitStandardisation(train, o.streamNorm ?? NO_STREAM_NORM);
  const r = await fitAutoencoder(unlabelledPieces(train, st), unlabelledPieces(val, st), {
    hidden, learningRate: o.learningRate, noiseSigma: o.noiseSigma, maxEpochs: o.maxEpochs, patience: o.patience, batchSize: o.batchSize, seed: o.seed,
  });
  return { hidden, layer1: r.network.getParameters().layers[0]!, validationMse: r.bestValidationLoss, epochs: r.epochs };
}
