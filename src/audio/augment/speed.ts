/**
 * Speed perturbation (Ko, Peddinti, Povey & Khudanpur 2015, "Audio augmentation for speech recognition",
 * Interspeech; Kaldi's `sox speed`): tempo and pitch change together by resampling. The 16 kHz input is
 * read as if sampled at round(16000·factor) Hz and resampled to 16 kHz (Speex, src/audio/resample.ts), so
 * the output lasts 1/factor as long (ceil(N·16000 / round(16000·factor)) samples) and every frequency is
 * multiplied by factor. The effective factor is round(16000·factor)/16000. Recipes: 0.9 … 1.1.
 */
import { ANALYSIS_RATE_HZ, resample } from '../resample.ts';

/** Source rate (Hz) that realises `factor`: round(16000·factor). */
export function speedSourceRate(factor: number): number {
  return Math.round(ANALYSIS_RATE_HZ * factor);
}

/**
 * Speeds 16 kHz audio up (factor > 1) or down (< 1), tempo and pitch together.
 * @param x 16 kHz samples (not modified)
 * @param factor speed factor (> 0; recipes 0.9 … 1.1); 1 returns a copy
 */
export async function speedPerturb(x: Float32Array, factor: number): Promise<Float32Array> {
  return resample(x, speedSourceRate(factor), ANALYSIS_RATE_HZ);
}
