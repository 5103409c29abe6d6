/**
 * Binary form of a saved stream state (KV emostream-state): a 4-byte little-endian header length, a JSON header,
 * then the model state values and the tail audio as float32 little-endian.
 *
 *   header: { layout, t, kind: 'final'|'periodic', instance, savedAt, stateValues, tailRateHz, tailStartS, tailSamples }
 */
import type { StreamStateSnapshot } from '../model/types.ts';

/** A saved state. */
export interface SavedState {
  /** 'final': written by a drained instance after the stream's last result; 'periodic': every k s while live. */
  readonly kind: 'final' | 'periodic';
  /** `t` of the last result the state has seen. */
  readonly t: number;
  readonly instance: string;
  /** Unix ms. */
  readonly savedAt: number;
  readonly state: StreamStateSnapshot | undefined;
  /** Final only: the audio fed to the extractor from stream time `tailStartS` on (at `tailRateHz`). */
  readonly tail?: { readonly rateHz: number; readonly startS: number; readonly samples: Float32Array };
}

/** Encodes a saved state. */
export function encodeSavedState(s: SavedState): Uint8Array {
  const values = s.state?.values ?? new Float32Array(0);
  const tail = s.tail?.samples ?? new Float32Array(0);
  const header = Buffer.from(JSON.stringify({
    layout: s.state?.layout ?? null, t: s.t, kind: s.kind, instance: s.instance, savedAt: s.savedAt, stateValues: values.length,
    tailRateHz: s.tail?.rateHz ?? 0, tailStartS: s.tail?.startS ?? 0, tailSamples: tail.length,
  }));
  const out = Buffer.alloc(4 + header.length + 4 * (values.length + tail.length));
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = 4 + header.length;
  for (const v of values) { out.writeFloatLE(v, at); at += 4; }
  for (const v of tail) { out.writeFloatLE(v, at); at += 4; }
  return out;
}

/** Decodes `encodeSavedState` output; undefined if malformed. */
export function decodeSavedState(bytes: Uint8Array): SavedState | undefined {
  try {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = b.readUInt32LE(0);
    const h = JSON.parse(b.subarray(4, 4 + n).toString('utf8')) as Record<string, unknown>;
    const count = Number(h.stateValues);
    const tailCount = Number(h.tailSamples);
    let at = 4 + n;
    if (b.length !== at + 4 * (count + tailCount)) return undefined;
    const values = new Float32Array(count);
    for (let k = 0; k < count; k++, at += 4) values[k] = b.readFloatLE(at);
    const tail = new Float32Array(tailCount);
    for (let k = 0; k < tailCount; k++, at += 4) tail[k] = b.readFloatLE(at);
    return {
      kind: h.kind === 'final' ? 'final' : 'periodic', t: Number(h.t), instance: String(h.instance), savedAt: Number(h.savedAt),
      state: typeof h.layout === 'string' ? { layout: h.layout, values } : undefined,
      ...(tailCount > 0 ? { tail: { rateHz: Number(h.tailRateHz), startS: Number(h.tailStartS), samples: tail } } : {}),
    };
  } catch {
    return undefined;
  }
}
