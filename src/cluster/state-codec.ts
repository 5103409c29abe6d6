/**
 * Binary form of a saved stream state (KV emostream-state): a 4-byte little-endian header length, a JSON header,
 * then the model state values as float32 little-endian, then the extractor state bytes (a final state only).
 *
 *   header: { layout, t, kind: 'final'|'periodic', instance, savedAt, stateValues, offsetS, extractorRateHz, extractorBytes }
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
  /**
   * Final only: the stream's window extractor after all the audio it received (src/pool/window-extractor.ts
   * `snapshot`), at input rate `rateHz`, its windows shifted by `offsetS` s on the stream's clock.
   */
  readonly extractor?: { readonly rateHz: number; readonly offsetS: number; readonly bytes: Uint8Array };
}

/** Encodes a saved state. */
export function encodeSavedState(s: SavedState): Uint8Array {
  const values = s.state?.values ?? new Float32Array(0);
  const extractor = s.extractor?.bytes ?? new Uint8Array(0);
  const header = Buffer.from(JSON.stringify({
    layout: s.state?.layout ?? null, t: s.t, kind: s.kind, instance: s.instance, savedAt: s.savedAt, stateValues: values.length,
    offsetS: s.extractor?.offsetS ?? 0, extractorRateHz: s.extractor?.rateHz ?? 0, extractorBytes: extractor.length,
  }));
  const out = Buffer.alloc(4 + header.length + 4 * values.length + extractor.length);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = 4 + header.length;
  for (const v of values) { out.writeFloatLE(v, at); at += 4; }
  out.set(extractor, at);
  return out;
}

/** Decodes `encodeSavedState` output; undefined if malformed. */
export function decodeSavedState(bytes: Uint8Array): SavedState | undefined {
  try {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = b.readUInt32LE(0);
    const h = JSON.parse(b.subarray(4, 4 + n).toString('utf8')) as Record<string, unknown>;
    const count = Number(h.stateValues);
    const extractorBytes = Number(h.extractorBytes ?? 0);
    let at = 4 + n;
    if (!Number.isInteger(count) || !Number.isInteger(extractorBytes) || b.length !== at + 4 * count + extractorBytes) return undefined;
    const values = new Float32Array(count);
    for (let k = 0; k < count; k++, at += 4) values[k] = b.readFloatLE(at);
    const extractor = new Uint8Array(b.subarray(at, at + extractorBytes)); // a copy
    return {
      kind: h.kind === 'final' ? 'final' : 'periodic', t: Number(h.t), instance: String(h.instance), savedAt: Number(h.savedAt),
      state: typeof h.layout === 'string' ? { layout: h.layout, values } : undefined,
      ...(extractorBytes > 0 ? { extractor: { rateHz: Number(h.extractorRateHz), offsetS: Number(h.offsetS), bytes: extractor } } : {}),
    };
  } catch {
    return undefined;
  }
}
