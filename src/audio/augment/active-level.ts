/**
 * Active level of a signal: the mean power of its active frames, a frame-gated simplification of
 * ITU-T P.56's active speech level (which gates by an envelope threshold with hangover).
 *
 * The signal is cut into frames of 20 ms (320 samples at 16 kHz; the last partial frame counts with its
 * own length); frame power p_f = mean(x²) over the frame. The reference is the 95th percentile of the
 * frame powers; frames with p_f ≥ reference · 10^(−30/10) are active, and the active power is
 * Σ(active frames' x²) / Σ(their lengths). So pauses, gap noise and the silence around utterances
 * (more than 30 dB below the loud parts) do not dilute the level; continuous music is almost all active.
 * A digitally silent signal has active power 0.
 */

/** Frame length of the gate, samples at 16 kHz (20 ms). */
export const ACTIVE_FRAME = 320;
/** Frames at least this far below the 95th-percentile frame power (dB) are inactive. */
export const ACTIVE_GATE_DB = 30;

/** Active power (mean square of the active frames; see the module header). 0 for silence or no samples. */
export function activePower(x: Float32Array, frame = ACTIVE_FRAME): number {
  const frames = Math.ceil(x.length / frame);
  if (frames === 0) return 0;
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    const from = f * frame, to = Math.min(x.length, from + frame);
    let s = 0;
    for (let i = from; i < to; i++) s += x[i]! * x[i]!;
    energy[f] = s;
  }
  const power = new Float64Array(frames);
  for (let f = 0; f < frames; f++) power[f] = energy[f]! / (Math.min(x.length, (f + 1) * frame) - f * frame);
  const sorted = power.slice().sort();
  const reference = sorted[Math.min(frames - 1, Math.floor(0.95 * frames))]!;
  if (!(reference > 0)) return 0;
  const gate = reference * 10 ** (-ACTIVE_GATE_DB / 10);
  let e = 0, n = 0;
  for (let f = 0; f < frames; f++) {
    if (power[f]! < gate) continue;
    e += energy[f]!;
    n += Math.min(x.length, (f + 1) * frame) - f * frame;
  }
  return e / n;
}

/** Mean square over all samples (0 for an empty signal). */
export function meanPower(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? s / x.length : 0;
}
