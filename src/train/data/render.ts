/**
 * Rendering of a manifest sequence to 16 kHz mono samples. A plain sequence is its decoded file.
 * A concatenated sequence (`parts`) is, for each part in order: round(gapBeforeS·16000) samples of gap
 * noise, then the decoded part (cut or padded with gap noise to round(durationS·16000) samples when
 * `durationS` is given). Gap noise is white Gaussian noise of RMS 10^(gapNoiseDb/20) from a
 * mulberry32 generator seeded with `gapNoiseSeed` (Box–Muller), drawn in sample order — low-level
 * noise rather than digital silence, so gaps are no trivial boundary cue (data README).
 */
import { EmostreamError } from '../../errors.ts';
import { RENDER_RATE_HZ, type ManifestSequence } from './manifest-types.ts';
import { mulberry32 } from '../../random.ts';

/** Version of the rendering rules; part of feature-cache keys (bump when output samples change). */
export const RENDER_VERSION = 1;

/** Decoder injected by the caller: absolute path → 16 kHz mono samples. */
export type DecodeFn = (path: string) => Promise<Float32Array>;

/** Sample range of one part inside the rendered sequence. */
export interface PartSpan {
  /** First sample of the part's audio (after its gap). */
  readonly startSample: number;
  /** One past its last sample. */
  readonly endSample: number;
}


/** Gaussian noise filler: writes N(0, rms²) samples into a range of `out`, continuing one seeded stream. */
export function createGapNoise(rmsDb: number, seed: number): (out: Float32Array, from: number, to: number) => void {
  const uniform = mulberry32(seed);
  const rms = 10 ** (rmsDb / 20);
  if (rms === 0) return (out, from, to) => void out.fill(0, from, to); // −Infinity dB: digital silence (+0, never −0)
  return (out, from, to) => {
    for (let i = from; i < to; i++) {
      const u1 = 1 - uniform(); // (0, 1]
      const u2 = uniform();
      out[i] = rms * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
  };
}

/** Seconds → samples at 16 kHz, rounded to the nearest sample. */
export function toSamples(seconds: number): number {
  return Math.round(seconds * RENDER_RATE_HZ);
}

/** Sample spans of the parts given each part's decoded (or declared) length in samples. */
export function partSpans(seq: Pick<ManifestSequence, 'parts'>, lengths: readonly number[]): PartSpan[] {
  const parts = seq.parts ?? [];
  let at = 0;
  return parts.map((p, i) => {
    at += toSamples(p.gapBeforeS ?? 0);
    const len = p.durationS !== undefined ? toSamples(p.durationS) : lengths[i];
    if (len === undefined) throw new EmostreamError('EMO_ERR_DATASET', `sequence part ${i}: length unknown (no durationS, not decoded)`);
    const span = { startSample: at, endSample: at + len };
    at += len;
    return span;
  });
}

/** Renders a sequence's audio (single file or noise-gapped concatenation) as 16 kHz mono samples. */
export async function renderSequenceAudio(seq: ManifestSequence, decode: DecodeFn): Promise<Float32Array> {
  if (seq.audio !== undefined) return decode(seq.audio);
  const parts = seq.parts;
  if (!parts || parts.length === 0) throw new EmostreamError('EMO_ERR_DATASET', `sequence ${seq.id}: no audio or parts to render`);
  if (seq.gapNoiseDb === undefined || seq.gapNoiseSeed === undefined) {
    throw new EmostreamError('EMO_ERR_DATASET', `sequence ${seq.id}: parts need gapNoiseDb and gapNoiseSeed`);
  }
  const decoded: Float32Array[] = [];
  for (const p of parts) decoded.push(await decode(p.audio));
  const spans = partSpans(seq, decoded.map((d) => d.length));
  const out = new Float32Array(spans[spans.length - 1]!.endSample);
  const noise = createGapNoise(seq.gapNoiseDb === 'silence' ? -Infinity : seq.gapNoiseDb, seq.gapNoiseSeed);
  let prevEnd = 0;
  spans.forEach((s, i) => {
    noise(out, prevEnd, s.startSample);
    const src = decoded[i]!;
    const n = Math.min(src.length, s.endSample - s.startSample);
    out.set(src.subarray(0, n), s.startSample);
    noise(out, s.startSample + n, s.endSample);
    prevEnd = s.endSample;
  });
  return out;
}
