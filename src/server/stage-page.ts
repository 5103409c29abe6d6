/**
 * `GET /stage[?stream=<id>]`: the performer's visualiser, a self-contained full-screen page (inline script, no CDN)
 * meant to be read from across a stage: a dark screen with the circumplex disc in the middle, the point easing
 * between results every animation frame (page-client.ts) and leaving a smooth trail of the last TRAIL_SECONDS of its
 * drawn path, coloured by mood (circumplex.ts `moodColor`, also the background glow), the mood word in large
 * letters on the left, the content flag (speech / music / mixed / pause) and the confidence on the right, and the
 * streams along the bottom. Keys: ← / → the previous / next stream, 1–9 a stream by number, F full screen; the URL
 * follows the chosen stream. Without `stream`, the first running stream is shown. A stream that is not running or
 * has ended is said so in the middle of the screen.
 *
 * Geometry (shared with the tests): centre (w/2, h/2), R = STAGE_RADIUS_FRACTION · min(w, h); a point is
 * (cx + x·R, cy − y·R) with [x, y] = discPoint(valence, arousal); the current point is a disc of radius
 * max(6, 0.03·R) in POINT_COLOR inside a ring of its mood colour.
 */
import { embed, pageClientScript, type PageStream } from './page-client.ts';
import { POINT_COLOR } from './overlay-page.ts';

/** Fraction of min(width, height) used as the disc radius. */
export const STAGE_RADIUS_FRACTION = 0.4;

/** Seconds of drawn path kept as the trail. */
export const TRAIL_SECONDS = 8;

/** Options of `renderStagePage`. */
export interface StagePageOptions {
  /** Stream shown first (undefined: the first running one). */
  readonly stream: string | undefined;
  readonly token: string | undefined;
  /** Running streams and their recent results. */
  readonly streams: Readonly<Record<string, PageStream>>;
  readonly trailLength: number;
}

/** The page's own script (after CONFIG and the shared client core). */
const STAGE_SCRIPT = `const canvas = document.getElementById('stage');
const ctx = canvas.getContext('2d');
let current = CONFIG.stream;
let path = [];
for (const s of streams.values()) if (s.held) s.shown = discPoint(s.held.valence, s.held.arousal);
/** The path drawn so far, started from the stream's recent results (Catmull-Rom through them, one per second). */
function seedPath(id) {
  const s = id && streams.get(id);
  path = [];
  if (!s) return;
  const pts = s.trail.filter((p) => p.content !== 'silence').slice(-CONFIG.trailSeconds).map((p) => discPoint(p.valence, p.arousal));
  const now = performance.now() / 1000, n = pts.length;
  for (let k = 0; k + 1 < n; k++) {
    const p0 = pts[Math.max(0, k - 1)], p1 = pts[k], p2 = pts[k + 1], p3 = pts[Math.min(n - 1, k + 2)];
    for (let j = 0; j < 12; j++) {
      const t = j / 12, t2 = t * t, t3 = t2 * t;
      const c = (a, b, c2, d) => 0.5 * (2 * b + (c2 - a) * t + (2 * a - 5 * b + 4 * c2 - d) * t2 + (3 * b - a - 3 * c2 + d) * t3);
      const x = c(p0[0], p1[0], p2[0], p3[0]), y = c(p0[1], p1[1], p2[1], p3[1]), r = Math.max(1, Math.hypot(x, y));
      path.push({ s: now - (n - 1 - k - t), x: x / r, y: y / r }); // the spline may overshoot the rim: kept inside
    }
  }
}
function choose(id) {
  if (!id || id === current) return;
  current = id;
  seedPath(id);
  const url = new URL(location.href); url.searchParams.set('stream', id); history.replaceState(null, '', url);
}
seedPath(current);
function running() { return order.filter((id) => streams.get(id).state === 'running'); }
window.addEventListener('keydown', (e) => {
  const list = running(), at = list.indexOf(current);
  if (e.key === 'ArrowRight' && list.length) choose(list[(at + 1) % list.length]);
  else if (e.key === 'ArrowLeft' && list.length) choose(list[(at - 1 + list.length) % list.length]);
  else if (/^[1-9]$/.test(e.key) && list[Number(e.key) - 1]) choose(list[Number(e.key) - 1]);
  else if (e.key === 'f' || e.key === 'F') { if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen?.(); }
});
function text(t, x, y, px, color, weight, align) {
  ctx.font = (weight || '400') + ' ' + px + 'px system-ui, sans-serif';
  ctx.fillStyle = color; ctx.textAlign = align || 'left'; ctx.textBaseline = 'middle'; ctx.fillText(t, x, y);
}
function disc(cx, cy, R) {
  ctx.fillStyle = 'rgba(255, 255, 255, 0.035)'; ctx.beginPath(); ctx.arc(cx, cy, R, 0, 2 * Math.PI); ctx.fill();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.35)'; ctx.lineWidth = Math.max(1.5, R * 0.006);
  ctx.beginPath(); ctx.arc(cx, cy, R, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.12)';
  ctx.beginPath(); ctx.moveTo(cx - R, cy); ctx.lineTo(cx + R, cy); ctx.moveTo(cx, cy - R); ctx.lineTo(cx, cy + R); ctx.stroke();
  const f = Math.round(R * 0.065), q = R * 0.52, dim = 'rgba(255, 255, 255, 0.4)';
  text('excited', cx, cy - R - f * 0.9, f, dim, '600', 'center'); text('calm', cx, cy + R + f * 0.9, f, dim, '600', 'center');
  text('tense', cx - q, cy - q, f, dim, '500', 'center'); text('happy', cx + q, cy - q, f, dim, '500', 'center');
  text('sad', cx - q, cy + q, f, dim, '500', 'center'); text('relaxed', cx + q, cy + q, f, dim, '500', 'center');
}
function trail(cx, cy, R, nowS) {
  path = path.filter((p) => nowS - p.s <= CONFIG.trailSeconds);
  for (let k = 1; k < path.length; k++) {
    const a = path[k - 1], b = path[k], age = (nowS - b.s) / CONFIG.trailSeconds;
    ctx.strokeStyle = moodColor(b.x, b.y, 0.85 * (1 - age)); ctx.lineWidth = Math.max(2, R * 0.018) * (1 - 0.6 * age); ctx.lineCap = 'round';
    ctx.beginPath(); ctx.moveTo(cx + a.x * R, cy - a.y * R); ctx.lineTo(cx + b.x * R, cy - b.y * R); ctx.stroke();
  }
}
function point(s, cx, cy, R) {
  const x = cx + s.shown[0] * R, y = cy - s.shown[1] * R, r = Math.max(6, 0.03 * R), p = s.held, quiet = s.content === 'silence' || s.state !== 'running';
  if (s.interval && !quiet) {
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.3)'; ctx.lineWidth = 2;
    const rx = Math.max(r, R * (s.interval.valence[1] - s.interval.valence[0]) / 2), ry = Math.max(r, R * (s.interval.arousal[1] - s.interval.arousal[0]) / 2);
    ctx.save(); ctx.beginPath(); ctx.arc(cx, cy, R, 0, 2 * Math.PI); ctx.clip();
    ctx.fillStyle = 'rgba(255, 255, 255, 0.04)';
    ctx.beginPath(); ctx.ellipse(x, y, rx, ry, 0, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    ctx.restore();
  }
  ctx.globalAlpha = quiet ? 0.4 : 1;
  ctx.fillStyle = moodColor(p.valence, p.arousal, 1); ctx.beginPath(); ctx.arc(x, y, r * 1.9, 0, 2 * Math.PI); ctx.fill();
  ctx.fillStyle = '#ffffff'; ctx.beginPath(); ctx.arc(x, y, r * 1.25, 0, 2 * Math.PI); ctx.fill();
  ctx.fillStyle = CONFIG.pointColor; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
  ctx.globalAlpha = 1;
}
function panels(s, w, h, cx, R) {
  const side = cx - R, big = Math.round(Math.min(side * 0.2, h * 0.1)), mid = Math.round(big * 0.42), small = Math.round(big * 0.3);
  const lx = side * 0.12, rx = w - side * 0.12, p = s.held;
  text(s.id, lx, h * 0.2, mid, 'rgba(255, 255, 255, 0.55)', '600');
  const quiet = s.content === 'silence', word = quiet ? 'pause' : moodWord(p.valence, p.arousal);
  ctx.font = '800 ' + big + 'px system-ui, sans-serif';
  const fit = Math.min(big, Math.floor(big * (side * 0.82) / Math.max(1, ctx.measureText(word).width)));
  text(word, lx, h * 0.36, fit, quiet ? 'rgba(255, 255, 255, 0.5)' : moodColor(p.valence, p.arousal, 1), '800');
  text('arousal ' + signed(p.arousal), lx, h * 0.36 + big * 0.95, small, 'rgba(255, 255, 255, 0.6)', '500');
  text('valence ' + signed(p.valence), lx, h * 0.36 + big * 0.95 + small * 1.4, small, 'rgba(255, 255, 255, 0.6)', '500');
  const content = s.content ? (s.content === 'silence' ? 'pause' : s.content) : '';
  if (content) text(content.toUpperCase(), rx, h * 0.3, mid, 'rgba(255, 255, 255, 0.9)', '800', 'right');
  if (s.model) text(s.model.split('@')[0] + ' model', rx, h * 0.3 + mid * 1.2, small, 'rgba(255, 255, 255, 0.5)', '500', 'right');
  const bw = side * 0.6, bx = rx - bw, by = h * 0.5;
  text(s.confidence == null ? 'confidence: n/a' : Math.round(100 * s.confidence) + ' % sure', rx, by - small * 1.3, small * 1.2, 'rgba(255, 255, 255, 0.85)', '600', 'right');
  ctx.fillStyle = 'rgba(255, 255, 255, 0.12)'; ctx.fillRect(bx, by, bw, small * 0.6);
  if (s.confidence != null) { ctx.fillStyle = 'rgba(255, 255, 255, 0.85)'; ctx.fillRect(bx, by, bw * Math.max(0, Math.min(1, s.confidence)), small * 0.6); }
}
function bar(w, h) {
  const list = running(), f = Math.round(Math.min(w, h) * 0.026);
  let x = f * 1.5;
  list.forEach((id, k) => {
    const label = (k < 9 ? (k + 1) + '  ' : '') + id;
    ctx.font = '600 ' + f + 'px system-ui, sans-serif';
    text(label, x, h - f * 1.6, f, id === current ? '#ffffff' : 'rgba(255, 255, 255, 0.35)', id === current ? '800' : '600');
    x += ctx.measureText(label).width + f * 2.2;
  });
  text('\\u2190 \\u2192 or 1\\u20139: stream    F: full screen', w - f * 1.5, h - f * 1.6, Math.round(f * 0.8), 'rgba(255, 255, 255, 0.3)', '500', 'right');
}
let lastMs = performance.now();
function frame(nowMs) {
  const dt = Math.min(0.25, Math.max(0, (nowMs - lastMs) / 1000));
  lastMs = nowMs;
  if (!current || !streams.has(current)) { const first = running()[0]; if (first && (!current || !CONFIG.stream)) choose(first); }
  const [w, h] = fitCanvas(canvas, ctx);
  const s = current ? streams.get(current) : undefined;
  ctx.fillStyle = '#07080d'; ctx.fillRect(0, 0, w, h);
  const cx = w / 2, cy = h / 2, R = CONFIG.radiusFraction * Math.min(w, h);
  if (s && s.held) {
    ease(s, dt);
    const g = ctx.createRadialGradient(cx, cy, R * 0.2, cx, cy, Math.max(w, h) * 0.75);
    g.addColorStop(0, moodColor(s.held.valence, s.held.arousal, s.content === 'silence' ? 0.08 : 0.22)); g.addColorStop(1, 'rgba(7, 8, 13, 0)');
    ctx.fillStyle = g; ctx.fillRect(0, 0, w, h);
  }
  disc(cx, cy, R);
  if (s && s.held) {
    path.push({ s: nowMs / 1000, x: s.shown[0], y: s.shown[1] });
    trail(cx, cy, R, nowMs / 1000);
    point(s, cx, cy, R);
    panels(s, w, h, cx, R);
  }
  const why = !current ? 'no stream is running' : !s ? 'stream \\u2018' + current + '\\u2019 is not running' : s.state === 'ended' ? 'stream \\u2018' + current + '\\u2019 ended'
    : s.state === 'error' ? 'stream \\u2018' + current + '\\u2019 stopped (error)' : !s.held ? 'waiting for the first second of \\u2018' + current + '\\u2019\\u2026' : '';
  if (why) text(why, cx, cy, Math.round(Math.min(w, h) * 0.045), 'rgba(255, 255, 255, 0.9)', '700', 'center');
  bar(w, h);
  requestAnimationFrame(frame);
}
frame(performance.now());
connect();
`;

/** The stage HTML. */
export function renderStagePage(options: StagePageOptions): string {
  const config = { stream: options.stream ?? null, token: options.token ?? null, streams: options.streams, trailLength: options.trailLength,
    pointColor: POINT_COLOR, radiusFraction: STAGE_RADIUS_FRACTION, trailSeconds: TRAIL_SECONDS };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>emostream stage</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{margin:0;padding:0;background:#07080d;overflow:hidden;width:100%;height:100%;cursor:none}canvas{display:block}</style>
</head><body><canvas id="stage"></canvas>
<script>
"use strict";
const CONFIG = ${embed(config)};
${pageClientScript()}
${STAGE_SCRIPT}</script></body></html>
`;
}
