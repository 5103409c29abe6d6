/**
 * Fit checkpoints (Ctrl-C and `--resume`): `<path>.json` holds the counters, curves and the caller's context
 * (e.g. the experiment config and standardisation); `<path>.bin` holds three float64 little-endian vectors —
 * current parameters, SGD velocity, best parameters — each `parameterCount` long (the engine's flat order,
 * so a checkpoint resumes only on the same engine version and network size).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import type { FitState } from './fit.ts';

/** Format tag of checkpoint JSON files. */
export const CHECKPOINT_FORMAT = 'emostream-checkpoint@1';

/** Writes `state` (+ JSON `context`) to `<path>.json` and `<path>.bin`. */
export async function writeCheckpoint(path: string, state: FitState, context: Readonly<Record<string, unknown>> = {}): Promise<void> {
  const n = state.parameters.length;
  await mkdir(dirname(path), { recursive: true });
  const blob = new Float64Array(3 * n);
  blob.set(state.parameters, 0);
  blob.set(state.velocity, n);
  blob.set(state.bestParameters, 2 * n);
  await writeFile(`${path}.bin`, new Uint8Array(blob.buffer));
  const { parameters: _p, velocity: _v, bestParameters: _b, ...counters } = state;
  const best = Number.isFinite(counters.bestValidationLoss) ? counters.bestValidationLoss : null;
  await writeFile(`${path}.json`, JSON.stringify({ format: CHECKPOINT_FORMAT, parameterCount: n, ...counters, bestValidationLoss: best, context }, null, 1) + '\n');
}

/** Reads a checkpoint written by `writeCheckpoint` (`path` with or without `.json`). */
export async function readCheckpoint(path: string): Promise<{ state: FitState; context: Record<string, unknown> }> {
  const base = path.endsWith('.json') ? path.slice(0, -5) : path;
  let json: Record<string, unknown>;
  let bytes: Buffer;
  try {
    json = JSON.parse(await readFile(`${base}.json`, 'utf8'));
    bytes = await readFile(`${base}.bin`);
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', `${base}: cannot read checkpoint (${(cause as Error).message})`, { cause });
  }
  const n = json['parameterCount'] as number;
  if (json['format'] !== CHECKPOINT_FORMAT || bytes.byteLength !== 24 * n) {
    throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${base}: not a ${CHECKPOINT_FORMAT} checkpoint or its .bin is truncated`);
  }
  const blob = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const state: FitState = {
    epoch: json['epoch'] as number,
    bestEpoch: json['bestEpoch'] as number,
    bestValidationLoss: (json['bestValidationLoss'] as number | null) ?? Infinity,
    sinceBest: json['sinceBest'] as number,
    curves: json['curves'] as FitState['curves'],
    parameters: blob.slice(0, n),
    velocity: blob.slice(n, 2 * n),
    bestParameters: blob.slice(2 * n, 3 * n),
    // JSON has no NaN: the generator's empty Box–Muller slot was written as null.
    noiseState: Array.isArray(json['noiseState']) ? (json['noiseState'] as (number | null)[]).map((v) => v ?? NaN) : undefined,
  };
  return { state, context: (json['context'] ?? {}) as Record<string, unknown> };
}
