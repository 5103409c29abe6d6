/**
 * ITU-T G.711 (11/1988) companding: μ-law (Tables 2a/2b) and A-law (Tables 1a/1b) for 8-bit codes,
 * written from the recommendation's definition of segments, intervals and quantised values.
 *
 * Scaling: a float sample x maps to a 16-bit linear value L = round(clamp(x, −1, 1) · 32767) (as `wav.ts`
 * encodes s16 and `pcm.ts` decodes it, s16 / 32767). G.711's uniform PCM is 14 bits for μ-law and 13 bits
 * for A-law; in 16-bit units one step of the 14-bit scale is 4 and of the 13-bit scale 8. Decoding yields
 * the quantised value in 16-bit units divided by 32767 (μ-law peak ±32124/32767, A-law ±32256/32767).
 *
 * μ-law (sign-magnitude, symmetric; magnitudes in 14-bit units): segment e = 0..7 and interval m = 0..15
 * decode to y = (2m + 33)·2^e − 33, i.e. 0, 2, …, 30 | 33, 37, …, 93 | 99, … | … | 4191, …, 8031.
 * An input magnitude a is coded by v = a + 33: e = ⌊log2 v⌋ − 5, m = ⌊v / 2^(e+1)⌋ − 16 (decision values
 * halfway between quantised values; the first interval of segment 0 is half as wide); a > 8158 clips to
 * the top interval. Code byte = NOT(s·0x80 | e·16 | m), s = 1 for negative: +0 → 0xFF, +max → 0x80,
 * −0 → 0x7F, −max → 0x00. Both zeros decode to 0, which encodes back to 0xFF.
 *
 * A-law (mid-riser, no zero; magnitudes in 13-bit units): e = 0 decodes to y = 2m + 1 (1, 3, …, 31),
 * e = 1..7 to y = (2m + 33)·2^(e−1) (33, 35, … | 66, … | … | 2112, …, 4032). Coding: a < 32 → e = 0,
 * m = ⌊a/2⌋; else e = ⌊log2 a⌋ − 4, m = ⌊a / 2^e⌋ − 16 (the 16-bit range ends inside the top interval: no clipping).
 * Code byte = (p·0x80 | e·16 | m) XOR 0x55 (even bits inverted), p = 1 for positive: +min → 0xD5,
 * −min → 0x55, +max → 0xAA, −max → 0x2A.
 *
 * Encoding quantises on the 16-bit integer magnitude |L| (floor division to the 14/13-bit scale), so a
 * value's code is symmetric in sign. `encode(decode(c)) === c` for all 256 A-law codes and all μ-law
 * codes except 0x7F (−0, which becomes 0xFF).
 */

/** 16-bit linear full scale used for the float mapping (as pcm.ts / wav.ts). */
export const G711_FULL_SCALE = 32767;

/** μ-law: quantised magnitude of (segment e, interval m), 16-bit units: 4·((2m + 33)·2^e − 33). */
function muLawMagnitude(e: number, m: number): number {
  return 4 * ((2 * m + 33) * (1 << e) - 33);
}

/** A-law: quantised magnitude of (segment e, interval m), 16-bit units: 8·(2m + 1) or 8·(2m + 33)·2^(e−1). */
function aLawMagnitude(e: number, m: number): number {
  return e === 0 ? 8 * (2 * m + 1) : 8 * (2 * m + 33) * (1 << (e - 1));
}

function buildMuLawTable(): Float32Array {
  const t = new Float32Array(256);
  for (let c = 0; c < 256; c++) {
    const u = ~c & 0xff;
    const mag = muLawMagnitude((u >> 4) & 7, u & 15);
    t[c] = (u & 0x80 ? -mag : mag) / G711_FULL_SCALE;
  }
  return t;
}

function buildALawTable(): Float32Array {
  const t = new Float32Array(256);
  for (let c = 0; c < 256; c++) {
    const u = c ^ 0x55;
    const mag = aLawMagnitude((u >> 4) & 7, u & 15);
    t[c] = (u & 0x80 ? mag : -mag) / G711_FULL_SCALE;
  }
  return t;
}

const MU_LAW_TO_FLOAT = buildMuLawTable();
const A_LAW_TO_FLOAT = buildALawTable();

/** 16-bit integer of a float sample: round(clamp(x, −1, 1)·32767); NaN → 0. */
function toLinear16(x: number): number {
  if (!(x > -1)) return x <= -1 ? -G711_FULL_SCALE : 0;
  if (x >= 1) return G711_FULL_SCALE;
  return Math.round(x * G711_FULL_SCALE);
}

/** μ-law code (without sign and inversion) of a 16-bit magnitude 0..32767: e·16 | m. */
export function muLawSegmentCode(mag16: number): number {
  const a = mag16 >> 2; // 14-bit magnitude
  const v = a > 8158 ? 8191 : a + 33;
  const e = 31 - Math.clz32(v) - 5;
  const m = (v >> (e + 1)) - 16;
  return (e << 4) | m;
}

/** A-law code (without sign and bit inversion) of a 16-bit magnitude 0..32767: e·16 | m. */
export function aLawSegmentCode(mag16: number): number {
  const a = mag16 >> 3; // 13-bit magnitude, ≤ 4095
  if (a < 32) return a >> 1;
  const e = 31 - Math.clz32(a) - 4;
  const m = (a >> e) - 16;
  return (e << 4) | m;
}

function checkOut<T extends Float32Array | Uint8Array>(out: T | undefined, n: number, make: (n: number) => T): T {
  if (out === undefined) return make(n);
  if (out.length < n) throw new RangeError(`output holds ${out.length} values, needs ${n}`);
  return out;
}

/**
 * Encodes float samples (nominal range [−1, 1], clipped) to G.711 μ-law bytes.
 * @param out optional output of at least `samples.length` bytes (written from 0); a new array otherwise
 */
export function muLawEncode(samples: Float32Array, out?: Uint8Array): Uint8Array {
  const y = checkOut(out, samples.length, (n) => new Uint8Array(n));
  for (let i = 0; i < samples.length; i++) {
    const l = toLinear16(samples[i]!);
    const code = muLawSegmentCode(l < 0 ? -l : l) | (l < 0 ? 0x80 : 0);
    y[i] = ~code & 0xff;
  }
  return y;
}

/**
 * Decodes G.711 μ-law bytes to float samples (16-bit quantised value / 32767, in [−0.9804, 0.9804]).
 * @param out optional output of at least `bytes.length` values (written from 0); a new array otherwise
 */
export function muLawDecode(bytes: Uint8Array, out?: Float32Array): Float32Array {
  const y = checkOut(out, bytes.length, (n) => new Float32Array(n));
  for (let i = 0; i < bytes.length; i++) y[i] = MU_LAW_TO_FLOAT[bytes[i]!]!;
  return y;
}

/**
 * Encodes float samples (nominal range [−1, 1], clipped) to G.711 A-law bytes.
 * @param out optional output of at least `samples.length` bytes (written from 0); a new array otherwise
 */
export function aLawEncode(samples: Float32Array, out?: Uint8Array): Uint8Array {
  const y = checkOut(out, samples.length, (n) => new Uint8Array(n));
  for (let i = 0; i < samples.length; i++) {
    const l = toLinear16(samples[i]!);
    const code = aLawSegmentCode(l < 0 ? -l : l) | (l < 0 ? 0 : 0x80);
    y[i] = code ^ 0x55;
  }
  return y;
}

/**
 * Decodes G.711 A-law bytes to float samples (16-bit quantised value / 32767, in [−0.9844, 0.9844]).
 * @param out optional output of at least `bytes.length` values (written from 0); a new array otherwise
 */
export function aLawDecode(bytes: Uint8Array, out?: Float32Array): Float32Array {
  const y = checkOut(out, bytes.length, (n) => new Float32Array(n));
  for (let i = 0; i < bytes.length; i++) y[i] = A_LAW_TO_FLOAT[bytes[i]!]!;
  return y;
}
