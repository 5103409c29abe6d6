/**
 * Asterisk AudioSocket framing (the protocol definition in Asterisk's documentation): every message is a 1-byte
 * type, a 16-bit big-endian payload length and the payload. Types: 0x00 hang-up, 0x01 call UUID (16 bytes), 0x03
 * DTMF (1 ASCII byte), 0x10 signed-linear 16-bit little-endian mono at 8 kHz, 0x11–0x18 the same at 12, 16, 24, 32,
 * 44.1, 48, 96 and 192 kHz (Asterisk's higher-rate slin kinds), 0xff error (optional application error code).
 *
 *   bytes:  10 01 40 <320 bytes> 10 01 40 <320 bytes> …      →   {type 0x10, payload 320 bytes} …
 *
 * The parser accepts any split of the byte stream (a TCP read may end mid-header or mid-payload).
 */

/** Message types. */
export const AUDIOSOCKET_TYPES = Object.freeze({ hangup: 0x00, uuid: 0x01, dtmf: 0x03, slin: 0x10, error: 0xff });

/** Sample rate of each signed-linear audio type, Hz. */
export const AUDIOSOCKET_SLIN_RATES: ReadonlyMap<number, number> = new Map([
  [0x10, 8000], [0x11, 12000], [0x12, 16000], [0x13, 24000], [0x14, 32000], [0x15, 44100], [0x16, 48000], [0x17, 96000], [0x18, 192000],
]);

/** One AudioSocket message. */
export interface AudiosocketMessage {
  readonly type: number;
  readonly payload: Buffer;
}

/** A streaming parser: `push` bytes as they arrive, get the completed messages. */
export interface AudiosocketParser {
  push(bytes: Buffer): AudiosocketMessage[];
  /** Bytes held for an incomplete message. */
  readonly pendingBytes: number;
}

/** Creates a parser for one connection. */
export function createAudiosocketParser(): AudiosocketParser {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(bytes) {
      pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
      const out: AudiosocketMessage[] = [];
      let at = 0;
      while (pending.length - at >= 3) {
        const length = pending.readUInt16BE(at + 1);
        if (pending.length - at < 3 + length) break;
        out.push({ type: pending[at], payload: pending.subarray(at + 3, at + 3 + length) });
        at += 3 + length;
      }
      pending = at === pending.length ? Buffer.alloc(0) : pending.subarray(at);
      return out;
    },
    get pendingBytes() { return pending.length; },
  };
}

/** Encodes one message. */
export function encodeAudiosocket(type: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const out = Buffer.alloc(3 + payload.length);
  out[0] = type;
  out.writeUInt16BE(payload.length, 1);
  out.set(payload, 3);
  return out;
}

/** The canonical 8-4-4-4-12 lower-case form of a 16-byte UUID. */
export function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
