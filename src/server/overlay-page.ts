/**
 * `GET /overlay[?stream=<id>][&size=0.4][&corner=bottom-right][&opacity=1]`: a self-contained HTML page (inline
 * script, no CDN, transparent background) for an OBS browser source. A widget in one corner (or the centre) shows
 * the circumplex disc with each stream's point and short trail, and a readout in words ("tense", "calm", with the
 * numbers small). Behaviour (page-client.ts): the point eases between results (no jumps) and holds its place
 * through silent seconds (dimmed, "pause"); values in the square [−1, 1]² are mapped onto the disc
 * (circumplex.ts `discPoint`), so no result is drawn outside it; with `stream`, only that stream is shown and the
 * page says so when it is not running or has ended; without it, every stream is shown in its own colour with its
 * name. The page starts from the trails embedded at request time and follows `/results` afterwards.
 *
 * Geometry (shared with the tests): circumplex.ts `widgetLayout(w, h, size, corner)` gives the disc's centre
 * (cx, cy) and radius R; a point is (cx + x·R, cy − y·R) with [x, y] = discPoint(valence, arousal); the current
 * point of a single stream (or the first) is a disc of radius max(4, 0.035·R) in POINT_COLOR.
 */
import { embed, pageClientScript, type PageStream } from './page-client.ts';

/** One trail point. */
export interface TrailPoint {
  readonly t: number;
  readonly arousal: number;
  readonly valence: number;
  /** Content label of the second (protocol 2), when known. */
  readonly content?: string;
  /** Confidence of the second, null when the model gives none. */
  readonly confidence?: number | null;
}

/** Colour of the current point of the shown (or first) stream; tests look for it in screenshots. */
export const POINT_COLOR = '#ff2d6f';

/** Colours of further streams on an overlay without `?stream=`. */
export const STREAM_COLORS: readonly string[] = Object.freeze([POINT_COLOR, '#2dd4ff', '#ffd12d', '#7dff2d', '#c77dff', '#ff8a2d']);

/** Where the widget goes. */
export type OverlayCorner = 'center' | 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/** Options of `renderOverlayPage`. */
export interface OverlayPageOptions {
  /** Stream shown (undefined: every stream, each in its own colour). */
  readonly stream: string | undefined;
  /** Token to pass on to the WebSocket (only when the server requires one). */
  readonly token: string | undefined;
  /** Running streams and their recent results (oldest first). */
  readonly streams: Readonly<Record<string, PageStream>>;
  /** Points drawn in the trail. */
  readonly trailLength: number;
  /** Widget side as a fraction of the shorter viewport side, 0.1–1. Default 0.4. */
  readonly size?: number;
  /** Default 'bottom-right'. */
  readonly corner?: OverlayCorner;
  /** Opacity of the whole widget, 0.1–1. Default 1. */
  readonly opacity?: number;
}

/** The page's own script (after CONFIG and the shared client core). */
const OVERLAY_SCRIPT = `const canvas = document.getElementById('plane');
canvas.style.opacity = CONFIG.opacity;
const ctx = canvas.getContext('2d');
for (const s of streams.values()) if (s.held) s.shown = discPoint(s.held.valence, s.held.arousal);
function label(text, x, y, px, weight) {
  ctx.font = (weight || '') + ' ' + px + 'px system-ui, sans-serif';
  ctx.lineJoin = 'round'; ctx.lineWidth = Math.max(2, px * 0.22);
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)'; ctx.strokeText(text, x, y); ctx.fillText(text, x, y);
}
function shownStreams() {
  if (CONFIG.stream) return streams.has(CONFIG.stream) ? [streams.get(CONFIG.stream)] : [];
  return order.map((id) => streams.get(id)).filter((s) => s.state === 'running' && s.held);
}
function plane(L) {
  const { cx, cy, r: R } = L, font = Math.max(9, Math.round(R * 0.14));
  ctx.fillStyle = 'rgba(12, 14, 24, 0.55)';
  ctx.beginPath(); ctx.arc(cx, cy, R * 1.02, 0, 2 * Math.PI); ctx.fill();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)'; ctx.lineWidth = Math.max(1, R * 0.01);
  ctx.beginPath(); ctx.arc(cx, cy, R, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.4)';
  ctx.beginPath(); ctx.moveTo(cx - R, cy); ctx.lineTo(cx + R, cy); ctx.moveTo(cx, cy - R); ctx.lineTo(cx, cy + R); ctx.stroke();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.95)'; ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom'; label('excited', cx, cy - R - font * 0.25, font, '600');
  ctx.textBaseline = 'top'; label('calm', cx, cy + R + font * 0.25, font, '600');
  ctx.fillStyle = 'rgba(255, 255, 255, 0.75)'; ctx.textBaseline = 'middle';
  const q = R * 0.5;
  ctx.fillText('tense', cx - q, cy - q); ctx.fillText('happy', cx + q, cy - q);
  ctx.fillText('sad', cx - q, cy + q); ctx.fillText('relaxed', cx + q, cy + q);
}
function drawStream(L, s, color, named) {
  const { cx, cy, r: R } = L;
  const pos = (p) => { const d = discPoint(p.valence, p.arousal); return [cx + d[0] * R, cy - d[1] * R]; };
  const points = s.trail.filter((p) => p.content !== 'silence');
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = pos(points[k - 1]), [x1, y1] = pos(points[k]);
    ctx.globalAlpha = 0.15 + 0.55 * (k / points.length);
    ctx.strokeStyle = color; ctx.lineWidth = Math.max(1.5, R * 0.015);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
  }
  ctx.globalAlpha = s.state === 'running' && s.content !== 'silence' ? 1 : 0.45;
  const x = cx + s.shown[0] * R, y = cy - s.shown[1] * R, r = Math.max(4, 0.035 * R);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.beginPath(); ctx.arc(x, y, r + Math.max(1.5, r * 0.25), 0, 2 * Math.PI); ctx.fill();
  ctx.fillStyle = color; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
  if (named) { ctx.fillStyle = 'rgba(255, 255, 255, 0.95)'; ctx.textAlign = 'left'; ctx.textBaseline = 'middle'; label(s.id, x + r * 1.8, y, Math.max(9, Math.round(R * 0.11)), '600'); }
  ctx.globalAlpha = 1;
}
function readout(L, list) {
  const { x: bx, s: S, cy, r: R } = L, big = Math.max(12, Math.round(S * 0.085)), small = Math.max(9, Math.round(S * 0.042));
  let y = cy + R + big * 0.7 + S * 0.03;
  ctx.textAlign = 'center'; ctx.textBaseline = 'top'; ctx.fillStyle = 'rgba(255, 255, 255, 0.97)';
  const status = CONFIG.stream && (!streams.has(CONFIG.stream) ? 'stream \\u2018' + CONFIG.stream + '\\u2019 is not running'
    : streams.get(CONFIG.stream).state === 'ended' ? 'stream \\u2018' + CONFIG.stream + '\\u2019 ended'
    : streams.get(CONFIG.stream).state === 'error' ? 'stream \\u2018' + CONFIG.stream + '\\u2019 stopped (error)'
    : !streams.get(CONFIG.stream).held ? 'waiting for stream \\u2018' + CONFIG.stream + '\\u2019\\u2026' : '');
  if (status || list.length === 0) { label(status || 'no stream is running', bx + S / 2, y, small * 1.2, '600'); return; }
  if (list.length === 1) {
    const s = list[0], p = s.held;
    label(s.content === 'silence' ? 'pause' : moodWord(p.valence, p.arousal), bx + S / 2, y, big, '700');
    const extra = [s.confidence == null ? null : Math.round(100 * s.confidence) + ' % sure', s.content === 'silence' ? null : s.content].filter(Boolean).join(' \\u00b7 ');
    ctx.fillStyle = 'rgba(255, 255, 255, 0.7)';
    label('arousal ' + signed(p.arousal) + '  valence ' + signed(p.valence) + (extra ? '  ' + extra : ''), bx + S / 2, y + big * 1.15, small);
    return;
  }
  label(list.map((s) => s.id + ': ' + (s.content === 'silence' ? 'pause' : moodWord(s.held.valence, s.held.arousal))).join('   '), bx + S / 2, y, small * 1.1, '600');
}
let lastMs = performance.now();
function frame(nowMs) {
  const dt = Math.min(0.25, Math.max(0, (nowMs - lastMs) / 1000));
  lastMs = nowMs;
  const [w, h] = fitCanvas(canvas, ctx);
  ctx.clearRect(0, 0, w, h);
  const L = widgetLayout(w, h, CONFIG.size, CONFIG.corner);
  plane(L);
  const list = shownStreams().filter((s) => s.held);
  list.forEach((s) => ease(s, dt));
  list.forEach((s, k) => drawStream(L, s, CONFIG.colors[CONFIG.stream ? 0 : order.indexOf(s.id) % CONFIG.colors.length], !CONFIG.stream && list.length > 1));
  readout(L, list);
  requestAnimationFrame(frame);
}
frame(performance.now());
connect();
`;

/** The overlay HTML. */
export function renderOverlayPage(options: OverlayPageOptions): string {
  const config = {
    stream: options.stream ?? null, token: options.token ?? null, streams: options.streams, trailLength: options.trailLength,
    colors: STREAM_COLORS, size: options.size ?? 0.4, corner: options.corner ?? 'bottom-right', opacity: options.opacity ?? 1,
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>emostream overlay</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{margin:0;padding:0;background:transparent;overflow:hidden;width:100%;height:100%}canvas{display:block}</style>
</head><body><canvas id="plane"></canvas>
<script>
"use strict";
const CONFIG = ${embed(config)};
${pageClientScript()}
${OVERLAY_SCRIPT}</script></body></html>
`;
}
