/**
 * Mono mixdown: y[n] = (1/C) · Σ_c x_c[n], the plain channel average (no pan law, no
 * normalisation), so a signal present identically on every channel keeps its amplitude.
 */
import { EmostreamError } from '../errors.ts';

/**
 * Averages C equal-length channels into one. A single channel is returned as is (not copied),
 * so callers must not mutate the result expecting the input to stay untouched.
 * @param channels C ≥ 1 Float32Arrays of the same length
 */
export function toMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new EmostreamError('EMO_ERR_BAD_AUDIO', 'toMono: no channels given');
  const first = channels[0]!;
  if (channels.length === 1) return first;
  const n = first.length;
  for (const ch of channels) {
    if (ch.length !== n) throw new EmostreamError('EMO_ERR_BAD_AUDIO', 'toMono: channels differ in length');
  }
  // Accumulate in float64 so that the average of C equal values is exactly that value.
  const sum = new Float64Array(n);
  for (const ch of channels) {
    for (let i = 0; i < n; i++) sum[i]! += ch[i]!;
  }
  const out = new Float32Array(n);
  const scale = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] = sum[i]! * scale;
  return out;
}
