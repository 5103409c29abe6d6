/**
 * The `labels.csv` tables of the shared corpora (one row per audio file, a header naming the columns,
 * comma separated, double-quoted fields allowed) and the exact durations of the files they list.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmostreamError } from '../../../errors.ts';
import { readAudioDuration } from './audio-info.ts';

/** One data row: the requested columns by name, and its 1-based line number in the file (for messages). */
export type LabelRow<K extends string> = Readonly<Record<K, string>> & { readonly line: number };

/**
 * Largest accepted difference between a row's `duration_s` and the file header's exact length, s.
 * The tables round to milliseconds (BAVED: 1497 of 1935 rows; nEMO: 1 of 4481), so 1 ms passes and
 * anything larger means the table does not describe the audio.
 */
export const DURATION_TOLERANCE_S = 0.001;

function bad(what: string): never {
  throw new EmostreamError('EMO_ERR_DATASET', what);
}

/** Splits one CSV line with double-quoted fields ("" escapes a quote); cells are whitespace-trimmed. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cell.trim()), (cell = '');
    else cell += ch;
  }
  out.push(cell.trim());
  return out;
}

/**
 * Parses a label table's text, keeping `columns` (all required in the header; cells non-empty except in
 * the `mayBeEmpty` columns, which give ''); `name` is used in messages.
 */
export function parseLabelTable<K extends string>(text: string, columns: readonly K[], name: string, mayBeEmpty: readonly K[] = []): LabelRow<K>[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  const index = columns.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) bad(`${name}: missing column ${c} (header: ${header.join(', ')})`);
    return i;
  });
  const rows: LabelRow<K>[] = [];
  lines.forEach((l, n) => {
    if (n === 0 || l.trim() === '') return;
    const cells = splitCsvLine(l);
    const row: Record<string, string | number> = { line: n + 1 };
    columns.forEach((c, k) => {
      const v = cells[index[k]!] ?? '';
      if (v === '' && !mayBeEmpty.includes(c)) bad(`${name} line ${n + 1}: empty ${c}`);
      row[c] = v;
    });
    rows.push(row as LabelRow<K>);
  });
  if (rows.length === 0) bad(`${name}: no data rows`);
  return rows;
}

/** Reads `<base>/<corpus>/labels.csv` with the given columns (see `parseLabelTable`). */
export async function readLabelTable<K extends string>(base: string, corpus: string, columns: readonly K[], mayBeEmpty: readonly K[] = []): Promise<LabelRow<K>[]> {
  const path = join(base, corpus, 'labels.csv');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${path}: cannot read (${(cause as Error).message})`, { cause });
  }
  return parseLabelTable(text, columns, `${corpus}/labels.csv`, mayBeEmpty);
}

/**
 * Exact duration (s) of a listed file from its header (Ogg Opus, FLAC or WAV), checked against the
 * row's `duration_s` within DURATION_TOLERANCE_S. The header wins: it is what the decoder returns.
 */
export async function checkedDurationS(path: string, listedS: string, where: string): Promise<number> {
  const listed = Number(listedS);
  if (!(listed > 0)) bad(`${where}: duration_s must be a positive number (got ${JSON.stringify(listedS)})`);
  const { durationS } = await readAudioDuration(path);
  if (Math.abs(durationS - listed) > DURATION_TOLERANCE_S) {
    bad(`${where}: duration_s ${listed} s disagrees with the file's ${durationS} s (more than ${DURATION_TOLERANCE_S * 1000} ms)`);
  }
  return durationS;
}
