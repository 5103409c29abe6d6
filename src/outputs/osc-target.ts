/**
 * `--osc HOST:PORT` targets: an IPv4 address or host name, or a bracketed IPv6 address (`[::1]:9000`), and a UDP port
 * 1–65535. Host names are resolved once at start-up (an unknown name is a usage error, not a silent drop).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { EmostreamError } from '../errors.ts';

/** A resolved OSC target. */
export interface OscTarget {
  /** As given, e.g. 'localhost:9000'. */
  readonly spec: string;
  /** IP address to send to. */
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
}

/** Splits 'HOST:PORT' / '[V6]:PORT' (EMO_ERR_USAGE when malformed). */
export function parseOscTarget(spec: string): { readonly host: string; readonly port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(spec);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) {
    throw new EmostreamError('EMO_ERR_USAGE', `--osc wants HOST:PORT (e.g. 127.0.0.1:9000, [::1]:9000) with a port 1–65535, got '${spec}'`);
  }
  const host = m[1] ?? m[2]!;
  if (m[1] !== undefined && isIP(host) !== 6) throw new EmostreamError('EMO_ERR_USAGE', `--osc: '${host}' is not an IPv6 address`);
  return { host, port };
}

/** Parses and resolves a target (EMO_ERR_USAGE for a malformed spec or a host name that does not resolve). */
export async function resolveOscTarget(spec: string): Promise<OscTarget> {
  const { host, port } = parseOscTarget(spec);
  const ip = isIP(host);
  if (ip === 4 || ip === 6) return { spec, address: host, family: ip, port };
  try {
    const found = await lookup(host);
    return { spec, address: found.address, family: found.family === 6 ? 6 : 4, port };
  } catch (cause) {
    throw new EmostreamError('EMO_ERR_USAGE', `--osc ${spec}: cannot resolve host '${host}' (${(cause as NodeJS.ErrnoException).code ?? 'lookup failed'})`, { cause });
  }
}
