/**
 * Babble noise: the sum of K other talkers' speech, added at a target SNR. Each talker signal t_k
 * (supplied by the caller, e.g. concatenated utterances of another speaker group) is scaled to unit
 * active power (active-level.ts), read cyclically from a seeded start offset o_k so it covers the whole
 * output (b[n] = Σ_k t_k[(o_k + n) mod len_k] / √P_active(t_k)); the sum is scaled to unit active power,
 * then added like noise: y = x + σ·b, σ² = P_active(x) / 10^(SNR/10) (noise.ts). Talkers that are silent
 * or empty are skipped; with none left, or a silent x, x is returned unchanged.
 * Offsets: o_k = ⌊u_k·len_k⌋ with u_k the k-th draw of mulberry32(seed). Recipes: SNR 5 … 30 dB, 1 … 8 talkers.
 */
import { mulberry32 } from '../../random.ts';
import { activePower } from './active-level.ts';
import { mixScaled, noiseScaleForSnr } from './noise.ts';

/**
 * Sums talker signals at equal active level from seeded cyclic offsets into `length` samples (unit
 * active power); undefined when no talker has any signal.
 */
export function mixTalkers(talkers: readonly Float32Array[], length: number, seed: number): Float32Array | undefined {
  const uniform = mulberry32(seed);
  const b = new Float32Array(length);
  let used = 0;
  for (const t of talkers) {
    const offset = Math.floor(uniform() * t.length);
    const p = t.length ? activePower(t) : 0;
    if (p === 0) continue;
    const gain = 1 / Math.sqrt(p);
    let j = offset;
    for (let i = 0; i < length; i++) {
      b[i] += gain * t[j]!;
      if (++j === t.length) j = 0;
    }
    used++;
  }
  if (used === 0) return undefined;
  const pb = activePower(b);
  if (pb === 0) return undefined;
  const g = 1 / Math.sqrt(pb);
  for (let i = 0; i < length; i++) b[i] *= g;
  return b;
}

/**
 * Adds babble made of `talkers` at `snrDb` relative to the active level of `x`.
 * @param x 16 kHz samples (not modified)
 * @param talkers 16 kHz talker signals (any lengths; each is cycled)
 * @param snrDb target SNR in dB
 * @param seed seed of the start offsets
 */
export function addBabble(x: Float32Array, talkers: readonly Float32Array[], snrDb: number, seed: number): Float32Array {
  const p = activePower(x);
  if (p === 0) return x.slice();
  const b = mixTalkers(talkers, x.length, seed);
  if (!b) return x.slice();
  return mixScaled(x, b, noiseScaleForSnr(p, snrDb), b);
}
