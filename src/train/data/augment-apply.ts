/**
 * One concrete augmentation recipe on arbitrary 16 kHz audio, for evaluations (e.g. the telephone channel
 * or ±12 dB gain on an outside corpus): validates the recipe JSON, loads babble talkers by decoding the
 * files a babble step names (or takes the caller's signals), and runs src/audio/augment's `applyRecipe`.
 */
import { applyRecipe, validateRecipe, type BabbleStep } from '../../audio/augment/index.ts';
import { EmostreamError } from '../../errors.ts';
import { createTalkerLoader } from './augment-sources.ts';
import type { DecodeFn } from './render.ts';

/** Options of `augmentAudio`: where babble talkers come from (one of the two, with a babble step). */
export interface AugmentAudioOptions {
  /** Decoder of the babble step's files (e.g. `decode16k` of sequences.ts). */
  readonly decode?: DecodeFn;
  /** Talker signals (16 kHz) in the order of the babble step's `talkers`. */
  readonly babble?: readonly Float32Array[];
}

/**
 * Applies a concrete recipe (plain JSON, e.g. `[{"kind":"telephone","codec":"mulaw"}]`) to 16 kHz samples.
 * Throws EMO_ERR_BAD_CONFIG for an invalid recipe or a babble step without talkers.
 */
export async function augmentAudio(samples16k: Float32Array, recipeJson: unknown, options: AugmentAudioOptions = {}): Promise<Float32Array> {
  const recipe = validateRecipe(recipeJson);
  const step = recipe.find((s): s is BabbleStep => s.kind === 'babble');
  let babble = options.babble;
  if (step && !babble) {
    if (!options.decode) throw new EmostreamError('EMO_ERR_BAD_CONFIG', 'recipe has a babble step: pass its talker signals (babble) or a decoder for its files (decode)');
    babble = await createTalkerLoader(options.decode)(step);
  }
  return applyRecipe(samples16k, recipe, { babble });
}
