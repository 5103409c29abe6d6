/**
 * Verification of the HTTP message signature Genesys AudioHook puts on its WebSocket upgrade request (the HTTP
 * Message Signatures draft, later RFC 9421, as the AudioHook protocol uses it): `Signature-Input: sig1=(<covered
 * components>);keyid="<API key>";nonce="…";alg="hmac-sha256";created=<s>;expires=<s>` and `Signature:
 * sig1=:<base64>:`, an HMAC-SHA256 with the integration's client secret over the signature base
 *
 *   "<component>": <value>            one line per covered component, in order ("@request-target": path and
 *   …                                 query; "@authority": the Host header in lower case; others: header values)
 *   "@signature-params": <the inner list and parameters exactly as sent>
 *
 * Implemented: label `sig1` only, alg hmac-sha256 only, the components above, keyid = the API key, created/expires
 * checked against the clock (± MAX_CLOCK_SKEW_S), and the AudioHook-required components must be covered
 * (REQUIRED_COMPONENTS). Not implemented: other algorithms (Genesys uses only HMAC-SHA256), multiple signatures,
 * nonce replay tracking (the expiry window bounds replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Components an AudioHook signature must cover. */
export const REQUIRED_COMPONENTS: readonly string[] = Object.freeze([
  '@request-target', '@authority', 'audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id', 'x-api-key',
]);

/** Clock difference tolerated on `created` / `expires`, seconds. */
export const MAX_CLOCK_SKEW_S = 30;

/** The outcome of a check: ok, or why not (one line). */
export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Parses `sig1=("a" "b");k="v";n=1` into its component names, raw parameter text and parameters. */
function parseSignatureInput(text: string): { components: string[]; raw: string; params: Map<string, string> } | undefined {
  const m = /^\s*sig1=((\((?:\s*"[^"]*")*\s*\))((?:;[a-z]+=(?:"[^"]*"|\d+))*))\s*$/.exec(text);
  if (!m) return undefined;
  const components = [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
  const params = new Map<string, string>();
  for (const p of m[3].matchAll(/;([a-z]+)=(?:"([^"]*)"|(\d+))/g)) params.set(p[1], p[2] ?? p[3]);
  return { components, raw: m[1], params };
}

/** Checks the request's signature with `secret` (the client secret's bytes) and `apiKey` (the expected keyid). */
export function verifyAudiohookSignature(req: IncomingMessage, apiKey: string, secret: Uint8Array, nowS = Date.now() / 1000): SignatureCheck {
  const input = header(req, 'signature-input');
  const signature = header(req, 'signature');
  if (!input || !signature) return { ok: false, reason: 'the request has no Signature / Signature-Input headers' };
  const parsed = parseSignatureInput(input);
  if (!parsed) return { ok: false, reason: 'Signature-Input is not a sig1 inner list with parameters' };
  const sig = /^\s*sig1=:([A-Za-z0-9+/=]+):\s*$/.exec(signature);
  if (!sig) return { ok: false, reason: 'Signature is not sig1=:<base64>:' };
  const { components, raw, params } = parsed;
  if (params.get('alg') !== undefined && params.get('alg') !== 'hmac-sha256') return { ok: false, reason: `unsupported alg ${params.get('alg')}` };
  if (params.get('keyid') !== apiKey) return { ok: false, reason: 'keyid is not the API key' };
  const missing = REQUIRED_COMPONENTS.filter((c) => !components.includes(c));
  if (missing.length > 0) return { ok: false, reason: `the signature does not cover ${missing.join(', ')}` };
  const created = Number(params.get('created'));
  const expires = Number(params.get('expires'));
  if (!Number.isFinite(created) || created > nowS + MAX_CLOCK_SKEW_S) return { ok: false, reason: 'created is missing or in the future' };
  if (Number.isFinite(expires) && expires < nowS - MAX_CLOCK_SKEW_S) return { ok: false, reason: 'the signature has expired' };
  const lines: string[] = [];
  for (const c of components) {
    let value: string | undefined;
    if (c === '@request-target') value = req.url;
    else if (c === '@authority') value = header(req, 'host')?.toLowerCase();
    else if (c.startsWith('@')) return { ok: false, reason: `unsupported derived component ${c}` };
    else value = header(req, c)?.trim();
    if (value === undefined) return { ok: false, reason: `the covered header ${c} is missing` };
    lines.push(`"${c}": ${value}`);
  }
  lines.push(`"@signature-params": ${raw}`);
  const expected = createHmac('sha256', secret).update(lines.join('\n')).digest();
  const got = Buffer.from(sig[1], 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, reason: 'the signature does not match' };
  return { ok: true };
}
