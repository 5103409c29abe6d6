/**
 * Labels of augmented copies: the source sequence's targets on the copy's timeline. Without a speed step
 * the timeline is the source's. With speed factor f (effective round(16000·f)/16000, speed.ts), copy time
 * τ is source time τ·f: segment targets are rescaled exactly (start/f, end/f, then the usual 1 Hz
 * reduction); continuous targets (CSV or samples) are reduced to 1 Hz first and the copy's second T takes
 * the source's 1 Hz track linearly interpolated at T·f (both neighbouring seconds needed; an exact hit
 * needs one). Then the usual window alignment (align.ts).
 */
import { speedSourceRate, type AugmentRecipe } from '../../audio/augment/index.ts';
import { alignToWindows, type SecondTargets } from './align.ts';
import type { PooledFeatures } from './feature-cache.ts';
import type { Manifest, ManifestSequence } from './manifest-types.ts';
import type { LabelledSequence } from './sequences.ts';
import { sequenceSecondTargets } from './targets.ts';

/** One augmented copy's features, as `extractDataset` returns them. */
export interface AugmentedFeatures {
  /** Copy number 0 … copies−1. */
  readonly copy: number;
  readonly recipe: AugmentRecipe;
  readonly features: PooledFeatures;
}

/** Marks an augmented LabelledSequence: its source sequence, copy number and concrete recipe. */
export interface AugmentationInfo {
  readonly sourceId: string;
  readonly copy: number;
  readonly recipe: AugmentRecipe;
}

/** Id of an augmented copy: `<source id>~aug<copy>`. */
export function augmentedId(sourceId: string, copy: number): string {
  return `${sourceId}~aug${copy}`;
}

/** Effective speed factor of a recipe (1 without a speed step). */
export function recipeSpeedFactor(recipe: AugmentRecipe): number {
  const s = recipe.find((x) => x.kind === 'speed');
  return s && s.kind === 'speed' ? speedSourceRate(s.factor) / 16000 : 1;
}

/** Source 1 Hz targets resampled to a timeline sped up by `factor` (see the module header). */
export function speedScaledSeconds(src: SecondTargets, factor: number): SecondTargets {
  const index = new Map<number, number>();
  src.secondS.forEach((T, i) => index.set(T, i));
  const secs: number[] = [], a: number[] = [], v: number[] = [];
  const last = src.secondS.length ? src.secondS[src.secondS.length - 1]! : 0;
  for (let T = 1; T * factor <= last + 1e-9; T++) {
    const s = T * factor;
    const lo = Math.floor(s + 1e-9), frac = s - lo;
    const i = index.get(lo), j = index.get(lo + 1);
    if (i !== undefined && frac < 1e-9) {
      secs.push(T); a.push(src.arousal[i]!); v.push(src.valence[i]!);
    } else if (i !== undefined && j !== undefined) {
      secs.push(T);
      a.push(src.arousal[i]! + frac * (src.arousal[j]! - src.arousal[i]!));
      v.push(src.valence[i]! + frac * (src.valence[j]! - src.valence[i]!));
    }
  }
  return { secondS: Int32Array.from(secs), arousal: Float32Array.from(a), valence: Float32Array.from(v) };
}

/** 1 Hz targets of `seq` on the timeline of a copy sped up by `factor`. */
export async function augmentedSecondTargets(seq: ManifestSequence, manifest: Pick<Manifest, 'categoryMap' | 'neutralCategory'>, factor: number): Promise<SecondTargets> {
  if (factor === 1) return sequenceSecondTargets(seq, manifest);
  const t = seq.targets;
  if ('segments' in t) {
    const segments = t.segments.map((s) => ({ ...s, start: s.start / factor, end: s.end / factor }));
    return sequenceSecondTargets({ ...seq, targets: { segments } }, manifest);
  }
  return speedScaledSeconds(await sequenceSecondTargets(seq, manifest), factor);
}

/** The LabelledSequence of one augmented copy (undefined when no window gets a target). */
export async function labelAugmentedCopy(
  seq: ManifestSequence,
  manifest: Pick<Manifest, 'categoryMap' | 'neutralCategory'>,
  aug: AugmentedFeatures,
): Promise<LabelledSequence | undefined> {
  const f = aug.features;
  const a = alignToWindows(await augmentedSecondTargets(seq, manifest, recipeSpeedFactor(aug.recipe)), f.count);
  if (a.count === 0) return undefined;
  const dims = f.windows.length / Math.max(1, f.count);
  const targets = new Float32Array(a.count * 2);
  for (let t = 0; t < a.count; t++) {
    targets[2 * t] = a.arousal[t]!;
    targets[2 * t + 1] = a.valence[t]!;
  }
  return {
    id: augmentedId(seq.id, aug.copy), group: seq.group, domain: seq.domain, T: a.count, targets,
    features: f.windows.slice(a.firstWindow * dims, (a.firstWindow + a.count) * dims),
    augmentation: { sourceId: seq.id, copy: aug.copy, recipe: aug.recipe },
  };
}

/** True for an augmented copy (training only: never validate or test on one). */
export function isAugmented(seq: Pick<LabelledSequence, 'augmentation'>): boolean {
  return seq.augmentation !== undefined;
}
