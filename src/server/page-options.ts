/**
 * Query parameters of the pages, validated (a bad value gets a 400 with a message naming the parameter and the valid
 * range, never a silently different page):
 *   /overlay  stream (id), size (0.1–1, default 0.4), corner (center | top-left | top-right | bottom-left |
 *             bottom-right, default bottom-right), opacity (0.1–1, default 1)
 *   /stage    stream (id; default: the first running stream)
 */
import { EmostreamError } from '../errors.ts';
import { STREAM_ID_PATTERN } from '../audio/sources/types.ts';
import type { OverlayCorner } from './overlay-page.ts';

/** Corners of the overlay widget. */
export const OVERLAY_CORNERS: readonly OverlayCorner[] = Object.freeze(['center', 'top-left', 'top-right', 'bottom-left', 'bottom-right']);

/** Parsed overlay parameters. */
export interface OverlayQuery {
  readonly stream: string | undefined;
  readonly size: number;
  readonly corner: OverlayCorner;
  readonly opacity: number;
}

const bad = (message: string): never => { throw new EmostreamError('EMO_ERR_BAD_CONFIG', message); };

/** `stream`, checked against the id rule. */
export function streamParam(url: URL): string | undefined {
  const stream = url.searchParams.get('stream') ?? undefined;
  if (stream !== undefined && !STREAM_ID_PATTERN.test(stream)) bad('bad stream id (1–64 characters of [A-Za-z0-9._-])');
  return stream;
}

function fraction(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const x = Number(raw);
  if (raw.trim() === '' || !(x >= 0.1 && x <= 1)) bad(`${name} must be a number from 0.1 to 1, got '${raw}'`);
  return x;
}

/** The overlay's parameters (EMO_ERR_BAD_CONFIG naming the first bad one). */
export function parseOverlayQuery(url: URL): OverlayQuery {
  const corner = (url.searchParams.get('corner') ?? 'bottom-right') as OverlayCorner;
  if (!OVERLAY_CORNERS.includes(corner)) bad(`corner must be one of ${OVERLAY_CORNERS.join(', ')}, got '${corner}'`);
  return { stream: streamParam(url), size: fraction(url, 'size', 0.4), corner, opacity: fraction(url, 'opacity', 1) };
}
