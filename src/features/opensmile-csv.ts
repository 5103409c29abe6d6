/**
 * openSMILE-compatible CSV text (`cCsvSink`): `;` separator, a header row, columns `name;frameTime;` then the values,
 * numbers printed like C's `%e` (6 decimals, two-digit exponent), frame times like `%f`, the name quoted with `'`.
 * Pure formatting; files are written by the CLI.
 */

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
