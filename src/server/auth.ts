/**
 * Token checks: `Authorization: Bearer <token>` header, `Authorization: Basic` with the token as password (what
 * jambonz `wsAuth` and mod_audio_fork send) or `?token=` query, compared in constant time.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The token presented by a request (header first, then query), or undefined. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
  if (typeof header === 'string' && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  return url.searchParams.get('token') ?? undefined;
}

/** Whether `presented` equals `expected` (always true when no token is configured). */
export function tokenMatches(expected: string | undefined, presented: string | undefined): boolean {
  if (expected === undefined) return true;
  if (presented === undefined) return false;
  // Hash both so the comparison time does not depend on the length either.
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** Whether `host` is a loopback address or name (where running without a token is allowed). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
