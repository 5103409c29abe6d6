/**
 * Alert rules of the supervisor dashboard (`emostream dashboard --rules rules.json`), validated field by field: a
 * bad file is one EMO_ERR_BAD_CONFIG error naming the field (`rules[1].forS must be …`), exit 2.
 *
 *   {
 *     "webhook": "https://example.com/hooks/emostream",          optional: every alert is POSTed there as JSON
 *     "rules": [
 *       { "id": "agitated-caller", "metric": "arousal", "above": 0.5, "forS": 10, "track": "caller", "severity": "critical" },
 *       { "id": "negative-call", "metric": "valence", "below": -0.3, "forS": 20, "scope": "call" }
 *     ]
 *   }
 *
 * A rule holds when `metric` is above (or below) its threshold for at least `forS` consecutive seconds: per track
 * (`scope: "track"`, the default; `track` picks the caller's, the agent's or any track) or per call (`scope: "call"`:
 * the mean over the call's tracks of each second).
 */
import { EmostreamError } from '../errors.ts';
import { MAX_ALERT_RULES, MAX_ALERT_RULE_SECONDS } from '../server/limits.ts';

/** Which party a stream carries (from its id, see call-grouping.ts). */
export type TrackRole = 'caller' | 'agent' | 'mixed';

/** One validated rule. */
export interface AlertRule {
  /** 1–64 characters of [A-Za-z0-9_-], unique. */
  readonly id: string;
  readonly metric: 'arousal' | 'valence';
  /** 'above': value > threshold; 'below': value < threshold. */
  readonly direction: 'above' | 'below';
  /** Threshold in [−1, 1] (the model's nominal range). */
  readonly threshold: number;
  /** Consecutive seconds the condition must hold, 1 … MAX_ALERT_RULE_SECONDS. */
  readonly forS: number;
  /** 'track' (default): each track on its own; 'call': the mean of the call's tracks per second. */
  readonly scope: 'track' | 'call';
  /** Tracks a per-track rule watches. Default 'any'. */
  readonly track: 'caller' | 'agent' | 'any';
  /** Default 'warning'. */
  readonly severity: 'warning' | 'critical';
  /** Shown on the page; default e.g. "arousal > 0.5 for 10 s". */
  readonly label: string;
}

/** A validated rules file. */
export interface AlertRules {
  readonly rules: readonly AlertRule[];
  /** http(s) URL every alert is POSTed to, or undefined. */
  readonly webhook: string | undefined;
}

const RULE_FIELDS = new Set(['id', 'metric', 'above', 'below', 'forS', 'scope', 'track', 'severity', 'label']);
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const bad = (where: string, message: string): never => {
  throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${where}: ${message}`);
};
const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

function oneOf<T extends string>(where: string, field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) bad(where, `${field} must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${shown(value)}`);
  return value as T;
}

function parseRule(raw: unknown, k: number, source: string): AlertRule {
  const where = `${source}: rules[${k}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(`${source}: rules[${k}]`, `must be an object, got ${shown(raw)}`);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RULE_FIELDS.has(key)) bad(`${where}.${key}`, `unknown field (fields: ${[...RULE_FIELDS].join(', ')})`);
  if (typeof r.id !== 'string' || !ID.test(r.id)) bad(`${where}.id`, `must be 1–64 characters of [A-Za-z0-9_-], got ${shown(r.id)}`);
  const metric = r.metric;
  if (metric !== 'arousal' && metric !== 'valence') bad(`${where}.metric`, `must be "arousal" or "valence", got ${shown(metric)}`);
  if ((r.above === undefined) === (r.below === undefined)) bad(`${where}.above`, 'give exactly one of "above" and "below"');
  const direction = r.above !== undefined ? 'above' : 'below';
  const threshold = r[direction];
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < -1 || threshold > 1) {
    bad(`${where}.${direction}`, `must be a number in [-1, 1], got ${shown(threshold)}`);
  }
  if (!Number.isInteger(r.forS) || (r.forS as number) < 1 || (r.forS as number) > MAX_ALERT_RULE_SECONDS) {
    bad(`${where}.forS`, `must be a whole number of seconds in 1..${MAX_ALERT_RULE_SECONDS}, got ${shown(r.forS)}`);
  }
  const scope = oneOf(`${where}.scope`, 'scope', r.scope, ['track', 'call'] as const, 'track');
  const track = oneOf(`${where}.track`, 'track', r.track, ['caller', 'agent', 'any'] as const, 'any');
  if (scope === 'call' && track !== 'any') bad(`${where}.track`, 'a rule with scope "call" watches all tracks (leave "track" out)');
  const severity = oneOf(`${where}.severity`, 'severity', r.severity, ['warning', 'critical'] as const, 'warning');
  if (r.label !== undefined && (typeof r.label !== 'string' || r.label.length === 0 || r.label.length > 80)) {
    bad(`${where}.label`, `must be a text of 1–80 characters, got ${shown(r.label)}`);
  }
  const forS = r.forS as number;
  const label = (r.label as string | undefined) ?? `${metric} ${direction === 'above' ? '>' : '<'} ${threshold} for ${forS} s${scope === 'call' ? ' (call)' : track !== 'any' ? ` (${track})` : ''}`;
  return { id: r.id as string, metric: metric as AlertRule['metric'], direction, threshold: threshold as number, forS, scope, track, severity, label };
}

/**
 * Validates a parsed rules document (`source` names it in errors, e.g. the file path).
 * @throws EmostreamError EMO_ERR_BAD_CONFIG naming the field
 */
export function parseAlertRules(doc: unknown, source = 'rules'): AlertRules {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad(source, `must be a JSON object with "rules", got ${shown(doc)}`);
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) if (key !== 'rules' && key !== 'webhook') bad(`${source}: ${key}`, 'unknown field (fields: rules, webhook)');
  if (!Array.isArray(d.rules)) bad(`${source}: rules`, `must be an array of rules, got ${shown(d.rules)}`);
  const list = d.rules as unknown[];
  if (list.length > MAX_ALERT_RULES) bad(`${source}: rules`, `at most ${MAX_ALERT_RULES} rules, got ${list.length}`);
  const rules = list.map((r, k) => parseRule(r, k, source));
  const seen = new Set<string>();
  rules.forEach((r, k) => {
    if (seen.has(r.id)) bad(`${source}: rules[${k}].id`, `"${r.id}" is used by an earlier rule`);
    seen.add(r.id);
  });
  let webhook: string | undefined;
  if (d.webhook !== undefined) {
    let url: URL | undefined;
    try { url = new URL(String(d.webhook)); } catch { /* reported below */ }
    if (typeof d.webhook !== 'string' || !url || (url.protocol !== 'http:' && url.protocol !== 'https:')) bad(`${source}: webhook`, `must be an http:// or https:// URL, got ${shown(d.webhook)}`);
    webhook = d.webhook as string;
  }
  return { rules, webhook };
}

/** Parses the text of a rules file (JSON syntax errors are EMO_ERR_BAD_CONFIG too). */
export function parseAlertRulesText(text: string, source: string): AlertRules {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    bad(source, `not valid JSON (${(err as Error).message})`);
  }
  return parseAlertRules(doc, source);
}

/** No rules (the dashboard without --rules). */
export const NO_ALERT_RULES: AlertRules = Object.freeze({ rules: Object.freeze([]), webhook: undefined });
