/**
 * C-style `%e` text written straight into a byte buffer (no per-value strings): the number format of
 * openSMILE's CSV sink as emostream has always printed it (`formatExp` in opensmile-csv.ts, built on
 * `Number.prototype.toExponential(6)`), byte for byte:
 *
 *   d.dddddde±XX  — 7 significant digits correctly rounded from the exact binary value, ties away from zero
 *                   (ECMAScript's rule for toExponential), an exponent of at least two digits (three below 1e-99
 *                   or from 1e100), '-' for negative values including −0, `nan`, `inf`, `-inf`.
 *
 * Method (fast path, exact): the decimal exponent e = ⌊log10 |x|⌋ comes from the binary exponent b (a table of
 * ⌊(b − 1023)·log10 2⌋ plus one if |x| ≥ 10^(that + 1)); m = |x|·10^(6−e) ∈ [10⁶, 10⁷) is one multiplication by
 * the correctly rounded power of ten (relative error < 2⁻⁵², i.e. < 3·10⁻⁹ absolute). Rounding m to the nearest
 * integer is therefore exact unless m is within 10⁻⁷ of a half-integer; only those rare values (exact decimal ties
 * such as 1.0078125, or values within ~10⁻¹⁴ relative of one) and |x| < 10⁻³⁰² (subnormals included) take the slow
 * path, which reads the digits of `toExponential(6)` itself. Hence the text is identical to the reference for
 * every double.
 *
 * Note: glibc's printf rounds exact ties half to even (1.0078125 → 1.007812e+00) where the reference, and
 * therefore this module, rounds away from zero (1.007813e+00).
 */

/** Longest text `writeExp` produces: `-1.234567e-308` (14 bytes). */
export const EXP_MAX_BYTES = 14;

const CH_0 = 0x30;
const CH_MINUS = 0x2d;
const CH_PLUS = 0x2b;
const CH_DOT = 0x2e;
const CH_E = 0x65;

/** Smallest decimal exponent of the fast path: 10^(6−e) must be a finite double. */
const MIN_FAST_EXPONENT = -302;
/** SCALE[e − MIN_FAST_EXPONENT] = 10^(6−e), correctly rounded, for e = −302 … 308. */
const SCALE: Float64Array = Float64Array.from({ length: 308 - MIN_FAST_EXPONENT + 1 }, (_, i) => Number(`1e${6 - i - MIN_FAST_EXPONENT}`));
/** Per biased binary exponent b (1 … 2046): the decimal exponent estimate ⌊(b − 1023)·log10 2⌋ … */
const EXPONENT_ESTIMATE = new Int32Array(2048);
/** … and the correctly rounded 10^(estimate + 1) at which the true exponent is one more. */
const EXPONENT_THRESHOLD = new Float64Array(2048);
for (let b = 1; b < 2047; b++) {
  const estimate = Math.floor((b - 1023) * 0.30102999566398120);
  EXPONENT_ESTIMATE[b] = estimate;
  EXPONENT_THRESHOLD[b] = Number(`1e${estimate + 1}`);
}
/** Distance of m + 0.5 from an integer below which the fast path defers to the reference (see header). */
const TIE_MARGIN = 1e-7;

/** ASCII digit pairs "00" … "99" as little-endian 16-bit words. */
const PAIRS: Uint16Array = Uint16Array.from({ length: 100 }, (_, i) => (CH_0 + Math.floor(i / 10)) | ((CH_0 + (i % 10)) << 8));

const bits = new Float64Array(1);
const bitsHigh = new Uint32Array(bits.buffer, 4, 1); // little-endian host: the sign/exponent word

/** Writes ASCII `text` at `pos`; returns the position after it. */
function writeAscii(text: string, out: DataView, pos: number): number {
  for (let i = 0; i < text.length; i++) out.setUint8(pos++, text.charCodeAt(i));
  return pos;
}

/** Writes `e±XX` (at least two exponent digits) at `pos`; returns the position after it. */
function writeExponent(e: number, out: DataView, pos: number): number {
  let x = e < 0 ? -e : e;
  const head = CH_E | ((e < 0 ? CH_MINUS : CH_PLUS) << 8);
  if (x < 100) {
    out.setUint32(pos, head | (PAIRS[x] << 16), true);
    return pos + 4;
  }
  const h = (x / 100) | 0;
  x -= 100 * h;
  out.setUint16(pos, head, true);
  out.setUint8(pos + 2, CH_0 + h);
  out.setUint16(pos + 3, PAIRS[x], true);
  return pos + 5;
}

/** Writes `d.dddddd` for an integer n ∈ [10⁶, 10⁷) at `pos`; returns the position after it. */
function writeMantissa(n: number, out: DataView, pos: number): number {
  const lead = (n / 1000000) | 0;
  let r = n - lead * 1000000;
  const p1 = (r / 10000) | 0;
  r -= p1 * 10000;
  const p2 = (r / 100) | 0;
  const p3 = r - p2 * 100;
  out.setUint16(pos, (CH_0 + lead) | (CH_DOT << 8), true);
  out.setUint32(pos + 2, PAIRS[p1] | (PAIRS[p2] << 16), true);
  out.setUint16(pos + 6, PAIRS[p3], true);
  return pos + 8;
}

/** Slow path (near-ties, |x| < 10⁻³⁰²): the reference's own digits, `toExponential(6)` of a > 0. */
function writeExpFromReference(a: number, out: DataView, pos: number): number {
  const s = a.toExponential(6); // "d.dddddde±X…"
  const ePos = s.indexOf('e');
  pos = writeAscii(s.slice(0, ePos), out, pos);
  return writeExponent(Number(s.slice(ePos + 1)), out, pos);
}

/**
 * Writes C `%e` text of `value` into `out` at byte `pos` (room for EXP_MAX_BYTES needed) and returns the position
 * after it. Identical to `formatExp(value)` of opensmile-csv.ts for every double (see the module header).
 */
export function writeExp(value: number, out: DataView, pos: number): number {
  bits[0] = value;
  const high = bitsHigh[0];
  const biased = (high >>> 20) & 0x7ff;
  out.setUint8(pos, CH_MINUS);
  const start = pos;
  pos += high >>> 31; // the sign, −0 included (kept only if the sign bit is set)
  const a = Math.abs(value);
  if (biased === 0 || biased === 2047) {
    if (a === 0) return writeAscii('0.000000e+00', out, pos);
    if (a !== a) return writeAscii('nan', out, start); // no sign, whatever the NaN's sign bit
    if (a === Infinity) return writeAscii('inf', out, pos);
    return writeExpFromReference(a, out, pos); // subnormal
  }
  let e = EXPONENT_ESTIMATE[biased] + (a >= EXPONENT_THRESHOLD[biased] ? 1 : 0);
  if (e < MIN_FAST_EXPONENT) return writeExpFromReference(a, out, pos);
  const half = a * SCALE[e - MIN_FAST_EXPONENT] + 0.5; // m + 0.5, exact: m < 2²⁴ has an ulp ≤ 2⁻²⁹
  let n = half | 0; // round half up of m
  const frac = half - n;
  if (frac < TIE_MARGIN || frac > 1 - TIE_MARGIN) return writeExpFromReference(a, out, pos);
  if (n >= 10000000) {
    n = 1000000; // 9.9999995… rounds up to the next power of ten
    e++;
  }
  pos = writeMantissa(n, out, pos);
  return writeExponent(e, out, pos);
}
