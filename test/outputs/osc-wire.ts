/**
 * An OSC 1.0 decoder written for the tests from the specification (independent of node-osc, which encodes): a message
 * is an address string, a type-tag string starting with ',', then the arguments; strings are NUL-terminated and
 * padded to a multiple of 4 bytes, 'f' is a big-endian IEEE 754 float32, 'i' a big-endian int32. A real UDP socket
 * receives the datagrams.
 */
import { createSocket, type Socket } from 'node:dgram';

export interface DecodedOsc {
  readonly address: string;
  readonly types: string;
  readonly args: readonly (number | string)[];
}

function readString(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new Error('OSC string without NUL');
  const next = at + Math.ceil((end - at + 1) / 4) * 4;
  for (let k = end; k < next; k++) if (buf[k] !== 0) throw new Error(`OSC string padding not zero at ${k}`);
  return [buf.toString('utf8', at, end), next];
}

/** Decodes one OSC message (throws on anything malformed, bundles included). */
export function decodeOscMessage(buf: Buffer): DecodedOsc {
  if (buf.length % 4 !== 0) throw new Error(`OSC packet of ${buf.length} bytes, not a multiple of 4`);
  let [address, at] = readString(buf, 0);
  if (!address.startsWith('/')) throw new Error(`OSC address '${address}' does not start with /`);
  let types: string;
  [types, at] = readString(buf, at);
  if (!types.startsWith(',')) throw new Error(`OSC type tags '${types}' do not start with ,`);
  const args: (number | string)[] = [];
  for (const t of types.slice(1)) {
    if (t === 'f') { args.push(buf.readFloatBE(at)); at += 4; }
    else if (t === 'i') { args.push(buf.readInt32BE(at)); at += 4; }
    else if (t === 's') { let s: string; [s, at] = readString(buf, at); args.push(s); }
    else throw new Error(`unexpected OSC type tag '${t}'`);
  }
  if (at !== buf.length) throw new Error(`OSC message has ${buf.length - at} trailing bytes`);
  return { address, types: types.slice(1), args };
}

/** A UDP receiver on 127.0.0.1 that decodes every datagram. */
export interface OscReceiver {
  readonly port: number;
  readonly messages: DecodedOsc[];
  /** Resolves once at least `n` messages arrived. */
  waitFor(n: number): Promise<DecodedOsc[]>;
  close(): Promise<void>;
}

export async function startOscReceiver(): Promise<OscReceiver> {
  const socket: Socket = createSocket('udp4');
  const messages: DecodedOsc[] = [];
  const waiters: Array<{ n: number; resolve: (m: DecodedOsc[]) => void }> = [];
  socket.on('message', (data) => {
    messages.push(decodeOscMessage(data));
    for (let k = waiters.length - 1; k >= 0; k--) if (messages.length >= waiters[k]!.n) waiters.splice(k, 1)[0]!.resolve(messages);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    messages,
    waitFor: (n) => (messages.length >= n ? Promise.resolve(messages) : new Promise((resolve, reject) => {
      // A guard against a hang (the datagrams go over loopback in microseconds), not a timing assertion.
      const guard = setTimeout(() => reject(new Error(`got ${messages.length} of ${n} OSC messages: ${JSON.stringify(messages)}`)), 10000);
      waiters.push({ n, resolve: (m) => { clearTimeout(guard); resolve(m); } });
    })),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
