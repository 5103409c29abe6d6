/**
 * Readers for the two CSV files a manifest may reference: target tracks (`time,arousal,valence`) and
 * precomputed pooled features (one row per window w: 260 values, or 261 with a leading end time w + 2).
 * Separator: comma or semicolon (detected from the first line); a header line is allowed.
 */
import { readFile } from 'node:fs/promises';
import { EmostreamError } from '../../errors.ts';
import type { TimedTargets } from './align.ts';
import { POOLED_FEATURE_COUNT } from './manifest-types.ts';

function bad(path: string, what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', `${path}: ${what}`);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${path}: cannot read (${(cause as Error).message})`, { cause });
  }
}

function splitRows(text: string): { sep: string; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const sep = (lines[0] ?? '').includes(';') ? ';' : ',';
  return { sep, rows: lines.map((l) => l.split(sep).map((c) => c.trim().replace(/^"|"$/g, ''))) };
}

function isNumeric(cell: string): boolean {
  return cell !== '' && Number.isFinite(Number(cell));
}

/** Parses a target CSV text with a header naming `time` (s), `arousal`, `valence` columns (any order). */
export function parseTargetCsv(text: string, path = 'targets.csv'): TimedTargets {
  const { rows } = splitRows(text);
  if (rows.length < 2) bad(path, 'needs a header line and at least one data row');
  const header = rows[0]!.map((h) => h.toLowerCase());
  const col = (name: string): number => {
    const i = header.findIndex((h) => h === name || h === `${name}_s` || h === `${name}s`);
    if (i < 0) bad(path, `header must name columns time, arousal, valence (got ${rows[0]!.join(', ')})`);
    return i;
  };
  const [ti, ai, vi] = [col('time'), col('arousal'), col('valence')];
  const n = rows.length - 1;
  const timeS = new Float64Array(n), arousal = new Float32Array(n), valence = new Float32Array(n);
  for (let r = 1; r <= n; r++) {
    const row = rows[r]!;
    for (const [i, out, lo, hi] of [[ti, timeS, -Infinity, Infinity], [ai, arousal, -1, 1], [vi, valence, -1, 1]] as const) {
      const x = Number(row[i]);
      if (!isNumeric(row[i] ?? '') || x < lo || x > hi) bad(path, `line ${r + 1}, column ${header[i]}: bad value ${JSON.stringify(row[i])}`);
      out[r - 1] = x;
    }
    if (r > 1 && !(timeS[r - 1]! > timeS[r - 2]!)) bad(path, `line ${r + 1}: times must increase strictly`);
  }
  return { timeS, arousal, valence };
}

/** Parses a pooled-feature CSV text into a row-major W×260 matrix (checks a leading end-time column). */
export function parseFeatureCsv(text: string, path = 'features.csv'): { windows: Float32Array; count: number } {
  const { rows } = splitRows(text);
  const data = rows.length && !rows[0]!.every(isNumeric) ? rows.slice(1) : rows;
  if (data.length === 0) bad(path, 'no data rows');
  const width = data[0]!.length;
  if (width !== POOLED_FEATURE_COUNT && width !== POOLED_FEATURE_COUNT + 1) {
    bad(path, `rows must have ${POOLED_FEATURE_COUNT} values (or ${POOLED_FEATURE_COUNT + 1} with a leading end time), got ${width}`);
  }
  const skip = width - POOLED_FEATURE_COUNT;
  const out = new Float32Array(data.length * POOLED_FEATURE_COUNT);
  data.forEach((row, w) => {
    if (row.length !== width) bad(path, `data row ${w + 1} has ${row.length} values, expected ${width}`);
    if (skip && Math.abs(Number(row[0]) - (w + 2)) > 1e-3) bad(path, `data row ${w + 1}: end time ${row[0]} should be ${w + 2} (window w ends at w + 2 s)`);
    for (let j = 0; j < POOLED_FEATURE_COUNT; j++) {
      const cell = row[j + skip]!;
      if (!isNumeric(cell)) bad(path, `data row ${w + 1}, value ${j + 1}: not a finite number (${JSON.stringify(cell)})`);
      out[w * POOLED_FEATURE_COUNT + j] = Number(cell);
    }
  });
  return { windows: out, count: data.length };
}

/** Reads and parses a target CSV file. */
export async function readTargetCsv(path: string): Promise<TimedTargets> {
  return parseTargetCsv(await readText(path), path);
}

/** Reads and parses a pooled-feature CSV file. */
export async function readFeatureCsv(path: string): Promise<{ windows: Float32Array; count: number }> {
  return parseFeatureCsv(await readText(path), path);
}
