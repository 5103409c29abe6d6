/**
 * The browser side of the dashboard page (dashboard-page.ts embeds it): follows `ws(s)://<host>/updates`, keeps the
 * streams (rows), instances and active alerts, groups the streams into calls (caller / agent), and re-renders the
 * table at most every RENDER_MS, sorted by alerts (critical, then warnings, then the longest call first).
 *
 * For tests and the bench it exposes `window.__dashboard`: `updates` (points applied), `delays` (ms from the
 * result's JetStream store time to the render that showed it, the last 10 000), `rendered` (renders).
 */
export const DASHBOARD_SCRIPT = String.raw`
"use strict";
const RENDER_MS = 100;
const state = { rows: new Map(), instances: [], alerts: new Map(), historyS: 300, connected: false, pending: [] };
const stats = { updates: 0, delays: [], rendered: 0, snapshots: 0 };
window.__dashboard = stats;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const fmt = (x) => (x === undefined ? '–' : (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(2));
const alertKey = (a) => a.rule + '|' + (a.stream || a.call);
function duration(ms) {
  if (!(ms >= 0)) return '–';
  const s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return (h ? h + ':' + String(m).padStart(2, '0') : m) + ':' + String(r).padStart(2, '0');
}
function spark(history, endT) {
  const W = 180, H = 38, from = endT - state.historyS;
  const path = (k) => history.map((p) => ((p[0] - from) / state.historyS * W).toFixed(1) + ',' + (H / 2 - Math.max(-1, Math.min(1, p[k])) * (H / 2 - 2)).toFixed(1)).join(' ');
  return '<svg class="spark" viewBox="0 0 ' + W + ' ' + H + '" width="' + W + '" height="' + H + '" aria-hidden="true">'
    + '<line x1="0" y1="' + H / 2 + '" x2="' + W + '" y2="' + H / 2 + '" class="zero"/>'
    + (history.length > 1 ? '<polyline class="v" points="' + path(2) + '"/><polyline class="a" points="' + path(1) + '"/>' : '')
    + '</svg>';
}
function party(row, alerts) {
  if (!row) return '<td class="party empty">—</td>';
  const last = row.last;
  const endT = last ? last[0] : 0;
  const a = last ? last[1] : undefined, v = last ? last[2] : undefined;
  // A value is highlighted while an alert on it is active (the track's own, or its call's).
  const hot = (k) => (alerts.some((x) => x.metric === (k === 'a' ? 'arousal' : 'valence') && (x.stream === row.stream || (!x.stream && x.call === row.call)))
    ? (k === 'a' ? ' hot' : ' cold') : '');
  return '<td class="party" data-stream="' + esc(row.stream) + '"><div class="vals"><span class="lbl">A</span><span class="num a' + hot('a') + '">' + fmt(a)
    + '</span><span class="lbl">V</span><span class="num v' + hot('v') + '">' + fmt(v) + '</span></div>' + spark(row.history, endT) + '</td>';
}
function calls() {
  const byCall = new Map();
  for (const row of state.rows.values()) {
    const c = byCall.get(row.call) || { id: row.call, caller: undefined, agent: undefined, rows: [] };
    c.rows.push(row);
    if (row.role === 'agent') c.agent = row; else if (!c.caller) c.caller = row; else c.agent = c.agent || row;
    byCall.set(row.call, c);
  }
  const list = [...byCall.values()];
  for (const c of list) {
    c.alerts = [...state.alerts.values()].filter((a) => a.call === c.id);
    c.critical = c.alerts.filter((a) => a.severity === 'critical').length;
    c.since = Math.min(...c.rows.map((r) => r.since ?? Infinity));
    c.instances = [...new Set(c.rows.map((r) => r.instance).filter(Boolean))];
  }
  return list.sort((x, y) => y.critical - x.critical || y.alerts.length - x.alerts.length || x.since - y.since || (x.id < y.id ? -1 : 1));
}
function render() {
  state.scheduled = undefined;
  const now = Date.now();
  const alive = new Map(state.instances.map((i) => [i.instance, i]));
  const list = calls();
  const body = list.map((c) => {
    const lastT = Math.max(0, ...c.rows.map((r) => (r.last ? r.last[0] : 0)));
    const badges = c.alerts.map((a) => '<span class="badge ' + a.severity + '" data-rule="' + esc(a.rule) + '" title="' + esc(a.label + ' since t=' + a.sinceT) + '">'
      + esc(a.label) + (a.role && a.label.toLowerCase().indexOf(a.role) < 0 ? ' · ' + a.role : '')
      + '<small>' + duration(Math.max(lastT, a.t) - a.sinceT + 1 > 0 ? (Math.max(lastT, a.t) - a.sinceT + 1) * 1000 : 0) + '</small></span>').join('') || '<span class="ok">OK</span>';
    const inst = c.instances.map((i) => { const s = alive.get(i); return '<span class="inst' + (s && s.alive ? '' : ' gone') + '">' + esc(i) + '</span>'; }).join(' ')
      + (c.rows.some((r) => r.state === 'handoff') ? ' <span class="tag">hand-off</span>' : '');
    const kind = c.rows[0].kind || '';
    return '<tr data-call="' + esc(c.id) + '" data-alerts="' + c.alerts.length + '" class="' + (c.critical ? 'crit' : c.alerts.length ? 'warn' : '') + '">'
      + '<td class="alerts">' + badges + '</td><td class="call"><div class="id">' + esc(c.id) + '</div><div class="sub">' + esc(kind) + ' · ' + c.rows.length + ' track' + (c.rows.length > 1 ? 's' : '') + '</div></td>'
      + '<td class="instance">' + (inst || '–') + '</td><td class="dur">' + duration(now - c.since) + '</td>' + party(c.caller, c.alerts) + party(c.agent, c.alerts) + '</tr>';
  }).join('');
  $('rows').innerHTML = body || '<tr><td colspan="6" class="none">No live calls</td></tr>';
  const live = state.instances.filter((i) => i.alive).length;
  $('calls').textContent = list.length;
  $('streams').textContent = state.rows.size;
  $('instances').textContent = live + '/' + state.instances.length;
  $('alerts').textContent = state.alerts.size;
  $('alerts-kpi').classList.toggle('on', state.alerts.size > 0);
  $('status').textContent = state.connected ? 'live' : 'reconnecting…';
  $('status').className = state.connected ? 'live' : 'down';
  for (const at of state.pending) { stats.delays.push(now - at); }
  if (stats.delays.length > 10000) stats.delays.splice(0, stats.delays.length - 10000);
  state.pending = [];
  stats.rendered++;
}
const schedule = () => { state.scheduled = state.scheduled || setTimeout(render, RENDER_MS); };
function apply(msg) {
  if (msg.type === 'snapshot') {
    stats.snapshots++;
    state.rows = new Map(msg.streams.map((r) => [r.stream, r]));
    state.instances = msg.instances;
    state.historyS = msg.historyS;
    state.alerts = new Map(msg.alerts.map((a) => [alertKey(a), a]));
  } else if (msg.type === 'row') {
    const old = state.rows.get(msg.row.stream);
    state.rows.set(msg.row.stream, Object.assign({}, msg.row, { history: old ? old.history : [], last: msg.row.last || (old && old.last) }));
  } else if (msg.type === 'gone') {
    state.rows.delete(msg.stream);
  } else if (msg.type === 'point') {
    const row = state.rows.get(msg.stream);
    if (!row) return;
    row.history.push([msg.t, msg.a, msg.v]);
    while (row.history.length && row.history[0][0] <= msg.t - state.historyS) row.history.shift();
    row.last = [msg.t, msg.a, msg.v];
    stats.updates++;
    state.pending.push(msg.at);
  } else if (msg.type === 'alert') {
    const key = alertKey(msg.alert);
    if (msg.alert.state === 'raised') state.alerts.set(key, msg.alert); else state.alerts.delete(key);
  } else if (msg.type === 'instances') {
    state.instances = msg.instances;
  }
  schedule();
}
function connect() {
  const token = new URLSearchParams(location.search).get('token');
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/updates' + (token ? '?token=' + encodeURIComponent(token) : ''));
  ws.onopen = () => { state.connected = true; schedule(); };
  ws.onmessage = (event) => { try { apply(JSON.parse(event.data)); } catch (err) { console.error(err); } };
  ws.onclose = () => { state.connected = false; schedule(); setTimeout(connect, 2000); };
}
setInterval(schedule, 1000);
render();
connect();
`;
