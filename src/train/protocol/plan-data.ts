/**
 * The data of a plan, as one array (the trial pool's dataset) and named index sets:
 *   data    = the plan's training corpora per domain (music first), with augmented copies when the plan has
 *             `augmentation` (they only ever train: fold builders keep them out of validation and test);
 *   outside = per domain, each outside corpus clean, then through each of the plan's channel tests
 *             (telephone, gains: the same audio, a fixed recipe, never trained on);
 *   single  = per speech corpus of the plan, its single-emotion streams (`by: 'emotion'`), scored only by the
 *             leave-one-corpus-out fold that leaves that corpus out.
 * Indices into `all` are stable: `data` first, so fold indices (into `data`) are also indices into `all`.
 */
import { EmostreamError } from '../../errors.ts';
import { DEFAULT_AUGMENTATION, type AugmentationConfig } from '../data/augment-config.ts';
import type { Domain } from '../data/manifest-types.ts';
import { loadCorpus, type CorpusSource, type LabelledSequence } from '../data/sequences.ts';
import type { ProgressReporter } from '../progress.ts';
import type { ChannelTest, Plan } from './plan.ts';

/** One named test set. */
export interface TestSet {
  /** e.g. 'emodb', 'emodb (telephone μ-law)'. */
  readonly name: string;
  readonly domain: Domain;
  /** Corpus (manifest) name. */
  readonly corpus: string;
  /** Channel test name (absent for clean audio). */
  readonly channel?: string;
  /** Indices into `all`. */
  readonly indices: readonly number[];
}

/** Everything `loadPlanData` returns. */
export interface PlanData {
  readonly data: readonly LabelledSequence[];
  readonly all: readonly LabelledSequence[];
  readonly outside: readonly TestSet[];
  /** Single-emotion streams by corpus name. */
  readonly single: ReadonlyMap<string, TestSet>;
}

/** Options of `loadPlanData`. */
export interface PlanDataOptions {
  readonly baseDir: string;
  readonly progress: ProgressReporter;
  readonly cacheDir?: string;
}

/** The fixed one-transform augmentation of a channel test: every copy gets exactly that channel. */
export function channelAugmentation(test: ChannelTest, seed: number): AugmentationConfig {
  const off = Object.fromEntries(Object.entries(DEFAULT_AUGMENTATION.transforms).map(([k, v]) => [k, { ...v, probability: 0 }]));
  const transforms = { ...off } as Record<string, unknown>;
  if (test.channel === 'telephone') transforms['telephone'] = { probability: 1, codecs: ['mulaw'] };
  else transforms['gain'] = { probability: 1, db: [test.channel, test.channel] };
  return { copies: 1, seed, domains: ['music', 'speech'], transforms: transforms as unknown as AugmentationConfig['transforms'] };
}

/** Loads the plan's corpora (see the module header). */
export async function loadPlanData(plan: Plan, o: PlanDataOptions): Promise<PlanData> {
  const load = async (src: CorpusSource, augmentation?: AugmentationConfig) =>
    (await loadCorpus(src, { baseDir: o.baseDir, progress: o.progress, cacheDir: o.cacheDir, augmentation })).sequences;
  const domainOnly = async (srcs: readonly CorpusSource[], domain: Domain, augmentation?: AugmentationConfig) => {
    const seqs = (await Promise.all(srcs.map((s) => load(s, augmentation)))).flat().filter((s) => s.domain === domain);
    if (srcs.length && !seqs.length) throw new EmostreamError('EMO_ERR_DATASET', `plan "${domain}" corpora hold no ${domain}-domain sequence`);
    return seqs;
  };
  const data = [...await domainOnly(plan.music, 'music', plan.augmentation), ...await domainOnly(plan.speech, 'speech', plan.augmentation)];
  const all: LabelledSequence[] = [...data];
  const add = (seqs: readonly LabelledSequence[]): number[] => {
    const start = all.length;
    all.push(...seqs);
    return seqs.map((_, i) => start + i);
  };
  const outside: TestSet[] = [];
  for (const domain of ['music', 'speech'] as const) {
    for (const src of plan.outside[domain]) {
      const clean = (await load(src)).filter((s) => s.domain === domain);
      const corpus = clean[0]?.corpus ?? String(typeof src === 'string' ? src : src.corpus);
      const pause = typeof src !== 'string' && src.options?.pause ? `, ${src.options.pause} pauses` : '';
      outside.push({ name: `${corpus}${pause}`, domain, corpus, indices: add(clean) });
      for (const test of plan.channelTests) {
        const copies = (await load(src, channelAugmentation(test, plan.seed))).filter((s) => s.domain === domain && s.augmentation);
        outside.push({ name: `${corpus}${pause} (${test.name})`, domain, corpus, channel: test.name, indices: add(copies) });
      }
    }
  }
  const single = new Map<string, TestSet>();
  if (plan.singleEmotion) {
    for (const src of plan.speech) {
      if (typeof src === 'string') continue; // a manifest file: its corpus builder options are unknown
      const streams = (await load({ ...src, options: { ...src.options, by: 'emotion' } })).filter((s) => s.domain === 'speech');
      const corpus = streams[0]?.corpus ?? src.corpus;
      single.set(corpus, { name: `${corpus} single-emotion streams`, domain: 'speech', corpus, indices: add(streams) });
    }
  }
  return { data, all, outside, single };
}
