/**
 * Time-domain energy descriptors (recipe 5.6).
 *
 *   pcm_RMSenergy = √(Σ x²/N) on the unwindowed 20 ms frame (openSMILE `cEnergy rms=1 log=0`)
 *   pcm_zcr       = (#crossings)/N on the unwindowed 60 ms frame (openSMILE `cMZcr zcr=1`), where for i = 1 … N−2 a
 *                   crossing is x[i−1]·x[i] < 0, or x[i] = 0 with x[i−1]·x[i+1] ≤ 0 (so silence gives (N−2)/N)
 * Both read a window of the caller's buffer by index, so no sub-array is created per frame.
 * @see short-frame-branch.ts
 */

/**
 * Root-mean-square amplitude √(Σ x[i]²/N) of samples[start … start+length) (same unit as the samples, ≥ 0).
 * @param samples the caller's sample buffer
 * @param start index of the first sample of the frame
 * @param length frame length N ≥ 1
 */
export function rmsEnergy(samples: Float32Array, start: number, length: number): number {
  let sum = 0;
  const end = start + length;
  for (let i = start; i < end; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / length);
}

/**
 * Zero-crossing rate of samples[start … start+length): crossings per sample in [0, 1) (openSMILE `cMZcr`); a sine of
 * frequency f gives ≈ 2f/fs.
 * @param samples the caller's sample buffer
 * @param start index of the first sample of the frame
 * @param length frame length N ≥ 3
 */
export function zeroCrossingRate(samples: Float32Array, start: number, length: number): number {
  let count = 0;
  const end = start + length - 1;
  for (let i = start + 1; i < end; i++) {
    const prev = samples[i - 1];
    const cur = samples[i];
    // Branch-free (0/1 arithmetic): sign changes in audio are unpredictable, so a branch per sample mispredicts often.
    count += +(prev * cur < 0) | (+(cur === 0) & +(prev * samples[i + 1] <= 0));
  }
  return count / length;
}
