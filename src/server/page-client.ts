/**
 * The browser-side core shared by the overlay and stage pages (plain JavaScript, embedded in each page; no CDN):
 * per-stream state fed by `ws(s)://<host>/results` (all streams: the pages pick or show them themselves), reconnecting
 * every 2 s, and the smoothing of the drawn point.
 *
 * State per stream: `trail` (last results), `state` ('running' | 'ended' | 'error'), `held` (the last result that was
 * not silence: during silence the point holds it, since a pause carries no emotion), `shown` (the eased position,
 * per animation frame: shown += (target − shown) · (1 − e^(−dt/τ)), τ = SMOOTH_S), and `content` / `confidence` of
 * the latest result.
 */
import { circumplexScript } from './circumplex.ts';
import type { TrailPoint } from './overlay-page.ts';

/** Time constant of the point's easing in the pages, s. */
export const SMOOTH_S = 0.35;

/** What a page knows at request time about one stream. */
export interface PageStream {
  readonly trail: readonly TrailPoint[];
}

/** JSON safe to embed in a <script> element. */
export function embed(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The shared script (expects `CONFIG` with `token`, `trailLength`, `streams`: { id: { trail } }). */
export function pageClientScript(): string {
  return `${circumplexScript()}
const SMOOTH_S = ${SMOOTH_S};
const streams = new Map();
const order = [];
function entry(id) {
  let s = streams.get(id);
  if (!s) {
    s = { id, trail: [], state: 'running', held: null, shown: null, content: null, confidence: null, model: null };
    streams.set(id, s);
    order.push(id);
  }
  return s;
}
function addResult(s, p) {
  if (s.trail.length > 0 && s.trail[s.trail.length - 1].t === p.t) return;
  s.trail.push(p);
  if (s.trail.length > CONFIG.trailLength) s.trail.splice(0, s.trail.length - CONFIG.trailLength);
  s.content = p.content ?? null;
  s.confidence = p.confidence ?? null;
  s.interval = p.interval ?? null;
  if (p.model) s.model = p.model;
  if (p.content !== 'silence' || !s.held) s.held = p;
  if (!s.shown) s.shown = discPoint(p.valence, p.arousal);
}
for (const [id, info] of Object.entries(CONFIG.streams)) for (const p of info.trail) addResult(entry(id), p);
function ease(s, dt) {
  if (!s.held) return;
  const target = discPoint(s.held.valence, s.held.arousal);
  const k = 1 - Math.exp(-dt / SMOOTH_S);
  s.shown = [s.shown[0] + (target[0] - s.shown[0]) * k, s.shown[1] + (target[1] - s.shown[1]) * k];
}
function onMessage(msg) {
  if (msg.type === 'hello') { for (const id of msg.streams) entry(id).state = 'running'; }
  else if (msg.type === 'stream') entry(msg.stream).state = msg.state === 'started' ? 'running' : 'ended';
  else if (msg.type === 'error' && msg.stream) entry(msg.stream).state = 'error';
  else if (msg.type === 'av') {
    const s = entry(msg.stream);
    s.state = 'running';
    addResult(s, { t: msg.t, arousal: msg.arousal, valence: msg.valence, content: msg.content, confidence: msg.confidence, interval: msg.interval, model: msg.model });
  }
}
function connect() {
  const params = new URLSearchParams();
  if (CONFIG.token) params.set('token', CONFIG.token);
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/results?' + params);
  ws.onmessage = (event) => { try { onMessage(JSON.parse(event.data)); } catch { /* not JSON: ignored */ } };
  ws.onclose = () => setTimeout(connect, 2000);
}
function fitCanvas(canvas, ctx) {
  const dpr = window.devicePixelRatio || 1, w = window.innerWidth, h = window.innerHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = w + 'px'; canvas.style.height = h + 'px';
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return [w, h];
}
const signed = (x) => (x >= 0 ? '+' : '\\u2212') + Math.abs(x).toFixed(2);
`;
}
