/**
 * On-disk form of a trained network, independent of the engine's internal parameter order: a JSON record
 * (`run.json`) plus one binary file of float32 little-endian arrays in ONNX layout (`parameters.bin`), listed in
 * the record's `arrays` index (name, offset in floats, length). Names: `layer<k>.W|R|B|P`, `output.W|b`,
 * `featureMean`, `featureStd`, `targetMean`, `targetStd`. `export` turns such a folder into an ONNX model.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import type { NetworkParameters, OnnxLstmParameters } from './engine/index.ts';
import type { Standardisation } from './standardise.ts';
import { NO_STREAM_NORM, streamNormFromJson, streamNormToJson } from '../../model/stream-norm.ts';

/** Format tag of run.json. */
export const RUN_FORMAT = 'emostream-run@1';

/** Everything a run folder holds besides the arrays. */
export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly inputSize: number;
  readonly hidden: readonly [number, number];
  readonly domain: 'music' | 'speech';
  /** Free text: corpora and sizes the network was trained on. */
  readonly trainingData: string;
  /** Test/validation scores (JSON). */
  readonly metrics: Readonly<Record<string, unknown>>;
  /** The configuration that produced the run (JSON). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** A run folder's contents. */
export interface RunContents {
  readonly record: RunRecord;
  readonly parameters: NetworkParameters;
  readonly standardisation: Standardisation;
}

interface ArrayEntry {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

function namedArrays(p: NetworkParameters, st: Standardisation): [string, Float32Array][] {
  const out: [string, Float32Array][] = [];
  p.layers.forEach((l, k) => (['W', 'R', 'B', 'P'] as const).forEach((n) => out.push([`layer${k + 1}.${n}`, l[n]])));
  out.push(['output.W', p.output.W], ['output.b', p.output.b]);
  out.push(['featureMean', st.featureMean], ['featureStd', st.featureStd], ['targetMean', st.targetMean], ['targetStd', st.targetStd]);
  return out;
}

/** Writes `run.json` and `parameters.bin` into `dir` (created if needed). */
export async function writeRunFolder(dir: string, c: RunContents): Promise<void> {
  await mkdir(dir, { recursive: true });
  const arrays = namedArrays(c.parameters, c.standardisation);
  const total = arrays.reduce((n, [, a]) => n + a.length, 0);
  const blob = new Float32Array(total);
  const index: ArrayEntry[] = [];
  let at = 0;
  for (const [name, a] of arrays) {
    blob.set(a, at);
    index.push({ name, offset: at, length: a.length });
    at += a.length;
  }
  await writeFile(join(dir, 'parameters.bin'), new Uint8Array(blob.buffer));
  const streamNorm = c.standardisation.streamNorm ? JSON.parse(streamNormToJson(c.standardisation.streamNorm)) : undefined;
  await writeFile(join(dir, 'run.json'), JSON.stringify({ ...c.record, streamNorm, arrays: index }, null, 1) + '\n');
}

/** Reads a run folder written by `writeRunFolder`; throws EMO_ERR_MODEL when it is incomplete or foreign. */
export async function readRunFolder(dir: string): Promise<RunContents> {
  let json: RunRecord & { arrays: ArrayEntry[]; streamNorm?: unknown };
  let bytes: Buffer;
  try {
    json = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
    bytes = await readFile(join(dir, 'parameters.bin'));
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_MODEL', `${dir}: not a run folder (${(cause as Error).message})`, { cause });
  }
  if (json.format !== RUN_FORMAT || !Array.isArray(json.arrays)) throw new EmostreamError('EMO_ERR_MODEL', `${dir}/run.json: format must be ${RUN_FORMAT}`);
  const blob = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const get = (name: string): Float32Array => {
    const e = json.arrays.find((a) => a.name === name);
    if (!e || e.offset + e.length > blob.length) throw new EmostreamError('EMO_ERR_MODEL', `${dir}: array ${name} missing or truncated`);
    return blob.slice(e.offset, e.offset + e.length);
  };
  const layer = (k: number): OnnxLstmParameters => ({ W: get(`layer${k}.W`), R: get(`layer${k}.R`), B: get(`layer${k}.B`), P: get(`layer${k}.P`) });
  const { arrays: _arrays, streamNorm: norm, ...record } = json;
  const streamNorm = norm === undefined ? NO_STREAM_NORM : streamNormFromJson(JSON.stringify(norm));
  return {
    record,
    parameters: { layers: [layer(1), layer(2)], output: { W: get('output.W'), b: get('output.b') } },
    standardisation: { featureMean: get('featureMean'), featureStd: get('featureStd'), targetMean: get('targetMean'), targetStd: get('targetStd'), streamNorm },
  };
}
