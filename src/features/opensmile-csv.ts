/**
 * openSMILE-compatible CSV text (`cCsvSink`): `;` separator, a header row, columns `name;frameTime;` then the values,
 * numbers printed like C's `%e` (6 decimals, two-digit exponent), frame times like `%f`, the name quoted with `'`.
 * Pure formatting; files are written by the CLI. Two forms with identical text: strings (`csvLine`, `formatExp`:
 * the reference, built on `toExponential`) and bytes written straight into an output buffer (`writeCsvRow`, built
 * on exp-format.ts), which the CLI uses for speed.
 */
import { EXP_MAX_BYTES, writeExp } from './exp-format.ts';

/** C-style `%e`: 6-decimal mantissa and an exponent of at least two digits (e.g. 4.396679e+02). */
export function formatExp(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.000000e+00' : '0.000000e+00';
  if (!Number.isFinite(value)) return value !== value ? 'nan' : value > 0 ? 'inf' : '-inf';
  const s = value.toExponential(6);
  const e = s.indexOf('e');
  const exp = s.slice(e + 2);
  return exp.length >= 2 ? s : `${s.slice(0, e + 2)}0${exp}`;
}

/** Header line: `name;frameTime;<columns…>`. */
export function csvHeader(columns: readonly string[]): string {
  return `name;frameTime;${columns.join(';')}`;
}

/** One data line for a row of values at time `timeS`. */
export function csvLine(name: string, timeS: number, values: ArrayLike<number>, offset = 0, width = values.length - offset): string {
  let line = `'${name}';${timeS.toFixed(6)}`;
  for (let i = 0; i < width; i++) line += ';' + formatExp(values[offset + i]);
  return line;
}

/** Longest `toFixed(6)` text of a frame time (below 10²¹ s: 22 integer digits with sign, point, 6 decimals). */
const TIME_MAX_BYTES = 32;
const SEMICOLON = 0x3b;
const NEWLINE = 0x0a;

/** The UTF-8 bytes `'name';` that start every data row of `csvLine(name, …)`. */
export function csvRowPrefix(name: string): Uint8Array {
  return new TextEncoder().encode(`'${name}';`);
}

/** Most bytes `writeCsvRow` writes for a row of `width` values after `prefix` (newline included). */
export function csvRowMaxBytes(prefix: Uint8Array, width: number): number {
  return prefix.length + TIME_MAX_BYTES + width * (1 + EXP_MAX_BYTES) + 1;
}

/**
 * Writes `csvLine(name, timeS, values, offset, width)` plus a newline as bytes at `pos` of the buffer seen as both
 * `bytes` and `view` (room for `csvRowMaxBytes` needed); returns the position after it. `prefix` = csvRowPrefix(name).
 */
export function writeCsvRow(
  view: DataView, bytes: Uint8Array, pos: number, prefix: Uint8Array,
  timeS: number, values: ArrayLike<number>, offset: number, width: number,
): number {
  for (let i = 0; i < prefix.length; i++) bytes[pos++] = prefix[i];
  const time = timeS.toFixed(6);
  for (let i = 0; i < time.length; i++) bytes[pos++] = time.charCodeAt(i);
  for (let i = 0; i < width; i++) {
    bytes[pos++] = SEMICOLON;
    pos = writeExp(values[offset + i], view, pos);
  }
  bytes[pos++] = NEWLINE;
  return pos;
}
