/**
 * Small validators for the trainer's JSON configurations (experiment and plan files): each names the JSON path
 * of a bad field and throws EmostreamError EMO_ERR_BAD_CONFIG, e.g. `plan grids.layer1[2]: must be a positive integer, got 0`.
 */
import { EmostreamError } from '../../errors.ts';
import type { CorpusSource } from '../data/sequences.ts';

/** Throws EMO_ERR_BAD_CONFIG `<what> <path>: <message>`. */
export function configFail(what: string, path: string, message: string): never {
  throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${what} ${path}: ${message}`);
}

/** A JSON object, or a failure naming `path`. */
export function asObject(what: string, path: string, v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) configFail(what, path, `must be an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

/** Rejects keys outside `allowed` (typos must not pass silently). */
export function onlyKeys(what: string, path: string, o: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) configFail(what, path, `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
}

/** A finite number in [min, max] (default when undefined and a default is given). */
export function num(what: string, path: string, v: unknown, min: number, max: number, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) configFail(what, path, `must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return v;
}

/** An integer in [min, max]. */
export function int(what: string, path: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER, fallback?: number): number {
  const n = num(what, path, v, min, max, fallback);
  if (!Number.isInteger(n)) configFail(what, path, `must be an integer, got ${n}`);
  return n;
}

/** A non-empty list validated element-wise. */
export function list<T>(what: string, path: string, v: unknown, each: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v) || v.length === 0) configFail(what, path, `must be a non-empty array, got ${JSON.stringify(v)}`);
  return v.map((x, i) => each(x, `${path}[${i}]`));
}

/** A corpus source: a manifest path, or `{ corpus, dataDir }`. */
export function corpusSource(what: string, path: string, v: unknown): CorpusSource {
  if (typeof v === 'string' && v.length > 0) return v;
  const o = asObject(what, path, v);
  onlyKeys(what, path, o, ['corpus', 'dataDir', 'by', 'pause']);
  if (typeof o['corpus'] !== 'string' || typeof o['dataDir'] !== 'string') configFail(what, path, 'needs "corpus" and "dataDir" strings');
  const by = o['by'] === undefined ? undefined : oneOf(what, `${path}.by`, o['by'], ['speaker', 'emotion'] as const);
  const pause = o['pause'] === undefined ? undefined : oneOf(what, `${path}.pause`, o['pause'], ['noise', 'silence'] as const);
  const options = by || pause ? { ...(by ? { by } : {}), ...(pause ? { pause } : {}) } : undefined;
  return { corpus: o['corpus'] as string, dataDir: o['dataDir'] as string, ...(options ? { options } : {}) };
}

/** One of the allowed string values. */
export function oneOf<T extends string>(what: string, path: string, v: unknown, allowed: readonly T[], fallback?: T): T {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T)) configFail(what, path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}
