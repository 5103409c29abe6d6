/**
 * `GET /` of `emostream dashboard`: one self-contained page (inline CSS and script, no CDN, no web fonts) with every
 * live call of the cluster: alert badges, call id and source, serving instance(s), duration, and per party (caller,
 * agent) the current arousal (A) and valence (V) with a 5-minute sparkline (arousal orange, valence blue, the zero
 * line grey); sorted by alerts. Header: live calls, streams, instances alive / known, active alerts.
 * The script (dashboard-page-script.ts) follows `/updates` and reconnects every 2 s.
 *
 * Test hooks: rows `tr[data-call][data-alerts]`, badges `.badge[data-rule]`, counters `#calls #streams #instances #alerts`.
 */
import { DASHBOARD_SCRIPT } from './dashboard-page-script.ts';

const STYLE = `
:root{--bg:#0f1420;--panel:#161d2c;--line:#243049;--text:#e6ebf5;--muted:#8b97b0;--a:#ff9f43;--v:#4fa3ff;--crit:#ff4d5e;--warn:#f5b83d;--ok:#3ecf8e}
*{box-sizing:border-box}html,body{margin:0;background:var(--bg);color:var(--text);font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{display:flex;align-items:center;gap:24px;padding:14px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:18px;margin:0;font-weight:650;letter-spacing:.2px}h1 span{color:var(--muted);font-weight:450}
.kpis{display:flex;gap:12px;margin-left:auto}.kpi{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:6px 12px;min-width:92px}
.kpi b{display:block;font-size:20px;font-variant-numeric:tabular-nums}.kpi small{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.6px}
.kpi.on{border-color:var(--crit)}.kpi.on b{color:var(--crit)}
#status{font-size:12px;padding:3px 9px;border-radius:10px}#status.live{background:rgba(62,207,142,.15);color:var(--ok)}#status.down{background:rgba(255,77,94,.15);color:var(--crit)}
main{padding:16px 24px}table{width:100%;border-collapse:separate;border-spacing:0;background:var(--panel);border:1px solid var(--line);border-radius:10px;overflow:hidden}
th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted);font-weight:600;padding:9px 12px;border-bottom:1px solid var(--line)}
td{padding:8px 12px;border-bottom:1px solid var(--line);vertical-align:middle}tr:last-child td{border-bottom:0}
tr.crit td:first-child{box-shadow:inset 4px 0 0 var(--crit)}tr.warn td:first-child{box-shadow:inset 4px 0 0 var(--warn)}tr.crit{background:rgba(255,77,94,.07)}
.alerts{width:26%}.badge{display:inline-block;margin:2px 4px 2px 0;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.badge small{margin-left:6px;font-weight:500;opacity:.8;font-variant-numeric:tabular-nums}.badge.critical{background:var(--crit);color:#fff}.badge.warning{background:var(--warn);color:#1b1300}.ok{color:var(--muted);font-size:12px}
.call .id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;max-width:250px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sub{color:var(--muted);font-size:12px}.inst{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}.inst.gone{color:var(--crit);text-decoration:line-through}
.tag{font-size:11px;color:var(--warn);border:1px solid var(--warn);border-radius:8px;padding:0 6px}
.dur{font-variant-numeric:tabular-nums;color:var(--muted)}.party{white-space:nowrap}.party.empty{color:var(--muted)}
.vals{display:flex;gap:6px;align-items:baseline;margin-bottom:2px}.lbl{color:var(--muted);font-size:11px}
.num{font-family:ui-monospace,Menlo,Consolas,monospace;font-variant-numeric:tabular-nums;min-width:46px}.num.a{color:var(--a)}.num.v{color:var(--v)}
.num.hot{color:#fff;background:rgba(255,77,94,.55);border-radius:4px;padding:0 3px}.num.cold{color:#fff;background:rgba(79,163,255,.45);border-radius:4px;padding:0 3px}
svg.spark{display:block}svg.spark polyline{fill:none;stroke-width:1.6;stroke-linejoin:round}svg.spark .a{stroke:var(--a)}svg.spark .v{stroke:var(--v);opacity:.9}svg.spark .zero{stroke:var(--line);stroke-width:1}
.none{text-align:center;color:var(--muted);padding:28px}footer{padding:0 24px 16px;color:var(--muted);font-size:12px}
footer i{display:inline-block;width:14px;height:3px;vertical-align:middle;margin:0 4px 0 10px}`;

/** The dashboard page (the token, when the server needs one, comes from the page URL's `?token=`). */
export function renderDashboardPage(title = 'emostream'): string {
  const safeTitle = title.replace(/[<>&"]/g, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${safeTitle} · supervisor</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><h1>${safeTitle} <span>· live calls</span></h1><span id="status" class="down">connecting…</span>
<div class="kpis"><div class="kpi"><b id="calls">0</b><small>live calls</small></div><div class="kpi"><b id="streams">0</b><small>streams</small></div>
<div class="kpi"><b id="instances">0/0</b><small>instances</small></div><div class="kpi" id="alerts-kpi"><b id="alerts">0</b><small>active alerts</small></div></div></header>
<main><table><thead><tr><th>Alerts</th><th>Call</th><th>Instance</th><th>Duration</th><th>Caller</th><th>Agent</th></tr></thead><tbody id="rows"></tbody></table></main>
<footer>Sparklines: last 5 minutes, −1 … +1<i style="background:var(--a)"></i>arousal<i style="background:var(--v)"></i>valence. Sorted by alerts, then by duration.</footer>
<script>${DASHBOARD_SCRIPT}</script></body></html>
`;
}
