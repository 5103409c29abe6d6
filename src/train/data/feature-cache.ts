/**
 * On-disk cache of pooled features per sequence: `<cacheDir>/<key>.f32` where key =
 * sha256(JSON of: render rules version, extractor id + params, feature width, and the sequence's audio
 * recipe with the sha256 of every audio file's bytes). Same audio + same extractor → same file; any
 * change of audio bytes, gaps, noise, extractor version or params → a new key.
 * An augmented copy adds `augment: { version: AUGMENT_VERSION, recipe }` to the hashed JSON, the recipe's
 * babble talker files replaced by their sha256 (so a changed recipe, talker file or transform version → a
 * new key; the clean key is unchanged by the augmentation code).
 *
 * File layout: 'EMOF' magic, uint32 LE header length L, L bytes of UTF-8 JSON header (space-padded so
 * the data starts at a multiple of 4), then count × dims float32 little-endian values (row-major).
 * Writes go to a temporary file renamed into place, so readers never see a partial entry.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import { POOLED_FEATURE_COUNT, type ManifestSequence } from './manifest-types.ts';
import { RENDER_VERSION } from './render.ts';
import { AUGMENT_VERSION, type AugmentRecipe } from '../../audio/augment/index.ts';

/** Pooled features of one sequence: row-major count × dims. */
export interface PooledFeatures {
  readonly windows: Float32Array;
  readonly count: number;
}

/** Extractor injected by the caller: 16 kHz mono samples → pooled windows (W × 260). */
export type ExtractFn = (samples16k: Float32Array) => Promise<PooledFeatures>;

/** What identifies an extractor's output for caching. Bump `id` when the extractor's numbers change. */
export interface ExtractorIdentity {
  /** Name and version, e.g. 'compare2013-pool@1'. */
  readonly id: string;
  /** Parameters that change the output (JSON-serialisable). Default {}. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Values per window. Default 260. */
  readonly dims?: number;
}

/** Header stored in each cache file. */
export interface CacheHeader {
  readonly format: 1;
  readonly key: string;
  readonly extractor: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly dims: number;
  readonly count: number;
  readonly sequenceId: string;
  readonly createdAt: string;
}

const MAGIC = 'EMOF';
const fileHashes = new Map<string, Promise<string>>();

/** sha256 (hex) of a file's bytes, memoised per (path, size, mtime) for the life of the process. */
export async function fileSha256(path: string): Promise<string> {
  let id: string;
  try {
    const st = await stat(path);
    id = `${path}\0${st.size}\0${st.mtimeMs}`;
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_DATASET', `${path}: cannot read audio for hashing (${(cause as Error).message})`, { cause });
  }
  let h = fileHashes.get(id);
  if (!h) {
    h = readFile(path).then(
      (b) => createHash('sha256').update(b).digest('hex'),
      (cause) => {
        fileHashes.delete(id);
        throw new EmostreamError('EMO_ERR_DATASET', `${path}: cannot read audio for hashing (${(cause as Error).message})`, { cause });
      },
    );
    fileHashes.set(id, h);
  }
  return h;
}

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  return v;
}

/** The recipe as hashed in a cache key: babble talker files → their sha256. */
async function recipeForKey(recipe: AugmentRecipe): Promise<unknown> {
  return Promise.all(recipe.map(async (s) => (s.kind === 'babble'
    ? { ...s, talkers: await Promise.all(s.talkers.map((files) => Promise.all(files.map(fileSha256)))) }
    : s)));
}

/**
 * Cache key of a sequence's features under an extractor (sha256 hex; see the module header); with
 * `augmentation`, of the augmented copy made by that concrete recipe.
 */
export async function featureCacheKey(seq: ManifestSequence, identity: ExtractorIdentity, augmentation?: AugmentRecipe): Promise<string> {
  let source: unknown;
  if (seq.audio !== undefined) source = { audio: await fileSha256(seq.audio) };
  else if (seq.parts !== undefined) {
    const parts = await Promise.all(seq.parts.map(async (p) => ({ sha: await fileSha256(p.audio), gap: p.gapBeforeS ?? 0, dur: p.durationS ?? null })));
    source = { parts, noiseDb: seq.gapNoiseDb, noiseSeed: seq.gapNoiseSeed };
  } else throw new EmostreamError('EMO_ERR_DATASET', `sequence ${seq.id}: no audio to cache features for`);
  const augment = augmentation === undefined ? undefined : { version: AUGMENT_VERSION, recipe: await recipeForKey(augmentation) };
  const recipe = { render: RENDER_VERSION, extractor: identity.id, params: identity.params ?? {}, dims: identity.dims ?? POOLED_FEATURE_COUNT, source, ...(augment && { augment }) };
  return createHash('sha256').update(JSON.stringify(stable(recipe))).digest('hex');
}

/** Path of a cache entry. */
export function cachePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.f32`);
}

/** Encodes features and header into the cache file layout. */
export function encodeCacheFile(header: CacheHeader, features: PooledFeatures): Uint8Array {
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 4) json += ' ';
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + features.count * header.dims * 4);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(4, head.length, true);
  out.set(head, 8);
  const data = new DataView(out.buffer, 8 + head.length);
  for (let i = 0; i < features.count * header.dims; i++) data.setFloat32(i * 4, features.windows[i]!, true);
  return out;
}

/** Decodes a cache file; undefined when it is not a complete, matching entry (treated as a miss). */
export function decodeCacheFile(bytes: Uint8Array, key: string): (PooledFeatures & { header: CacheHeader }) | undefined {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== MAGIC) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(4, true);
  if (8 + len > bytes.length) return undefined;
  let header: CacheHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + len)).toString('utf8')) as CacheHeader;
  } catch {
    return undefined;
  }
  const n = header.count * header.dims;
  if (header.key !== key || bytes.length !== 8 + len + n * 4) return undefined;
  const windows = new Float32Array(n);
  for (let i = 0; i < n; i++) windows[i] = view.getFloat32(8 + len + i * 4, true);
  return { windows, count: header.count, header };
}

/** Reads a cache entry, or undefined on a miss (absent, truncated or foreign file). */
export async function readCachedFeatures(cacheDir: string, key: string): Promise<PooledFeatures | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(cachePath(cacheDir, key));
  } catch {
    return undefined;
  }
  const hit = decodeCacheFile(bytes, key);
  return hit && { windows: hit.windows, count: hit.count };
}

/** Writes a cache entry atomically (temporary file + rename). */
export async function writeCachedFeatures(
  cacheDir: string,
  key: string,
  seq: Pick<ManifestSequence, 'id'>,
  identity: ExtractorIdentity,
  features: PooledFeatures,
): Promise<void> {
  const dims = identity.dims ?? POOLED_FEATURE_COUNT;
  if (features.windows.length !== features.count * dims) {
    throw new EmostreamError('EMO_ERR_BAD_FEATURES', `sequence ${seq.id}: extractor returned ${features.windows.length} values for ${features.count} windows × ${dims}`);
  }
  await mkdir(cacheDir, { recursive: true });
  const header: CacheHeader = {
    format: 1, key, extractor: identity.id, params: identity.params ?? {}, dims, count: features.count, sequenceId: seq.id, createdAt: new Date().toISOString(),
  };
  const path = cachePath(cacheDir, key);
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, encodeCacheFile(header, features));
  await rename(tmp, path);
}
