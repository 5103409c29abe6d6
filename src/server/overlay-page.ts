/**
 * `GET /overlay?stream=<id>`: a self-contained HTML page (inline script, no CDN, transparent background) that draws
 * the live arousal/valence point on the circumplex plane (valence → x, arousal → y, both [-1, 1]) with a fading
 * trail, axis labels and quadrant names, sized to the viewport (an OBS browser source at 1920×1080 or 640×360).
 * The page starts from the trail embedded at request time (so it is never blank) and follows
 * `ws(s)://<host>/results?stream=<id>` afterwards, reconnecting every 2 s if the server goes away. Values outside
 * [-1, 1] are drawn on the rim (the printed numbers are the true values).
 *
 * Geometry (shared with the tests): centre (w/2, h/2), radius R = 0.42 · min(w, h);
 * point = (cx + clamp(v)·R, cy − clamp(a)·R); the current point is a disc of radius max(4, 0.035·R) in POINT_COLOR.
 */

/** One trail point. */
export interface TrailPoint {
  readonly t: number;
  readonly arousal: number;
  readonly valence: number;
}

/** Colour of the current point (tests look for it in screenshots). */
export const POINT_COLOR = '#ff2d6f';

/** Fraction of min(width, height) used as the plane radius. */
export const PLANE_RADIUS_FRACTION = 0.42;

/** Options of `renderOverlayPage`. */
export interface OverlayPageOptions {
  /** Stream shown (undefined: whichever stream sends). */
  readonly stream: string | undefined;
  /** Token to pass on to the WebSocket (only when the server requires one). */
  readonly token: string | undefined;
  /** Recent results, oldest first. */
  readonly trail: readonly TrailPoint[];
  /** Points drawn in the trail. */
  readonly trailLength: number;
}

/** JSON safe to embed in a <script> element. */
function embed(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The overlay HTML for one stream. */
export function renderOverlayPage(options: OverlayPageOptions): string {
  const config = { stream: options.stream ?? null, token: options.token ?? null, trail: options.trail, trailLength: options.trailLength,
    pointColor: POINT_COLOR, radiusFraction: PLANE_RADIUS_FRACTION };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>emostream overlay</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{margin:0;padding:0;background:transparent;overflow:hidden;width:100%;height:100%}canvas{display:block}</style>
</head><body><canvas id="plane"></canvas>
<script>
"use strict";
const CONFIG = ${embed(config)};
const canvas = document.getElementById('plane');
const ctx = canvas.getContext('2d');
let trail = CONFIG.trail.slice(-CONFIG.trailLength);
const clamp = (x) => Math.max(-1, Math.min(1, x));
const fmt = (x) => (x >= 0 ? '+' : '\\u2212') + Math.abs(x).toFixed(2);
function label(text, x, y) {
  ctx.lineJoin = 'round'; ctx.lineWidth = Math.max(2, parseFloat(ctx.font.match(/([0-9.]+)px/)[1]) * 0.22);
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)'; ctx.strokeText(text, x, y); ctx.fillText(text, x, y);
}
function draw() {
  const dpr = window.devicePixelRatio || 1;
  const w = window.innerWidth, h = window.innerHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = w + 'px'; canvas.style.height = h + 'px';
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const cx = w / 2, cy = h / 2, R = CONFIG.radiusFraction * Math.min(w, h);
  const font = Math.max(10, Math.round(R * 0.085));
  ctx.fillStyle = 'rgba(12, 14, 24, 0.55)';
  ctx.beginPath(); ctx.arc(cx, cy, R * 1.02, 0, 2 * Math.PI); ctx.fill();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)'; ctx.lineWidth = Math.max(1, R * 0.008);
  ctx.beginPath(); ctx.arc(cx, cy, R, 0, 2 * Math.PI); ctx.stroke();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.5)';
  ctx.beginPath(); ctx.moveTo(cx - R, cy); ctx.lineTo(cx + R, cy); ctx.moveTo(cx, cy - R); ctx.lineTo(cx, cy + R); ctx.stroke();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.95)'; ctx.font = '600 ' + font + 'px system-ui, sans-serif';
  ctx.textAlign = 'center'; ctx.textBaseline = 'bottom'; label('high arousal', cx, cy - R - font * 0.2);
  ctx.textBaseline = 'top'; label('low arousal', cx, cy + R + font * 0.2);
  ctx.textBaseline = 'middle'; ctx.textAlign = 'right'; label('negative', cx - R - font * 0.4, cy);
  ctx.textAlign = 'left'; label('positive', cx + R + font * 0.4, cy);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.6)'; ctx.font = (font * 0.85) + 'px system-ui, sans-serif'; ctx.textAlign = 'center';
  const q = R * 0.55;
  ctx.fillText('tense', cx - q, cy - q); ctx.fillText('excited', cx + q, cy - q);
  ctx.fillText('sad', cx - q, cy + q); ctx.fillText('calm', cx + q, cy + q);
  const pos = (p) => [cx + clamp(p.valence) * R, cy - clamp(p.arousal) * R];
  for (let k = 1; k < trail.length; k++) {
    const [x0, y0] = pos(trail[k - 1]), [x1, y1] = pos(trail[k]);
    const alpha = 0.15 + 0.6 * (k / trail.length);
    ctx.strokeStyle = 'rgba(255, 190, 210, ' + alpha + ')'; ctx.lineWidth = Math.max(1.5, R * 0.012);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
  }
  if (trail.length > 0) {
    const last = trail[trail.length - 1];
    const [x, y] = pos(last);
    const r = Math.max(4, 0.035 * R);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.beginPath(); ctx.arc(x, y, r + Math.max(1.5, r * 0.25), 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = CONFIG.pointColor;
    ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
    ctx.fillStyle = 'rgba(255, 255, 255, 0.95)'; ctx.font = '600 ' + font + 'px ui-monospace, monospace';
    ctx.textAlign = 'left'; ctx.textBaseline = 'top';
    const readout = (CONFIG.stream ? CONFIG.stream + '  ' : '') + 'A ' + fmt(last.arousal) + '  V ' + fmt(last.valence);
    label(readout, font * 0.6, font * 0.5);
  }
}
function connect() {
  const params = new URLSearchParams();
  if (CONFIG.stream) params.set('stream', CONFIG.stream);
  if (CONFIG.token) params.set('token', CONFIG.token);
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/results?' + params);
  ws.onmessage = (event) => {
    let msg;
    try { msg = JSON.parse(event.data); } catch { return; }
    if (msg.type !== 'av' || (CONFIG.stream && msg.stream !== CONFIG.stream)) return;
    if (trail.length > 0 && trail[trail.length - 1].t === msg.t) return;
    trail.push({ t: msg.t, arousal: msg.arousal, valence: msg.valence });
    if (trail.length > CONFIG.trailLength) trail = trail.slice(-CONFIG.trailLength);
    draw();
  };
  ws.onclose = () => setTimeout(connect, 2000);
}
window.addEventListener('resize', draw);
draw();
connect();
</script></body></html>
`;
}
