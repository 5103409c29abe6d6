/** Audio augmentation on 16 kHz Float32Array signals: one transform per file, concrete recipes (recipe.ts). */
export { applyGain, CLIP_LEVEL } from './gain.ts';
export { activePower, meanPower, ACTIVE_FRAME, ACTIVE_GATE_DB } from './active-level.ts';
export { coloredNoise, createGaussian, NOISE_COLORS, type NoiseColor } from './noise-color.ts';
export { addNoise, mixScaled, noiseScaleForSnr } from './noise.ts';
export { addBabble, mixTalkers } from './babble.ts';
export { telephoneChannel, TELEPHONE_BAND, TELEPHONE_CODECS, TELEPHONE_RATE_HZ, type TelephoneCodec } from './telephone.ts';
export { bilinear, butterworthHighpass, chebyshev1Lowpass, biquadCascade, cascadeMagnitude, type Biquad, type AnalogSection } from './biquad.ts';
export { createFft, nextPow2, type ComplexFft } from './fft.ts';
export { fftConvolve } from './convolve.ts';
export { addReverb, syntheticRir, type RirParams } from './reverb.ts';
export { speedPerturb, speedSourceRate } from './speed.ts';
export {
  applyRecipe, validateRecipe, AUGMENT_VERSION, AUGMENT_KINDS, STEP_LIMITS,
  type AugmentRecipe, type AugmentStep, type AugmentKind, type ApplyRecipeContext,
  type SpeedStep, type ReverbStep, type NoiseStep, type BabbleStep, type GainStep, type TelephoneStep,
} from './recipe.ts';
