/**
 * `emostream dashboard --nats URL [--rules rules.json] [--port 8090] [--host 127.0.0.1] [--token T]`: the supervisor
 * page for every live call of a cluster (src/dashboard). Runs until SIGINT/SIGTERM (exit 0). A bad rules file is one
 * line naming the field (EMO_ERR_BAD_CONFIG, exit 2); NATS unreachable: exit 9.
 */
import { readFileSync, statSync } from 'node:fs';
import { EmostreamError } from '../../errors.ts';
import { NO_ALERT_RULES, parseAlertRulesText, type AlertRules } from '../../dashboard/alert-rules.ts';
import { startDashboard } from '../../dashboard/dashboard-server.ts';
import { MAX_RULES_FILE_BYTES } from '../../server/limits.ts';
import { parseCommandArgs } from '../args.ts';

export const DASHBOARD_HELP = `Usage: emostream dashboard --nats <url> [--rules rules.json] [--port 8090] [--host 127.0.0.1] [--token <secret>]

One page with every live call of an emostream cluster (serve --nats): caller and agent of each call, duration,
current arousal/valence, 5-minute sparklines, serving instance; sorted by alerts. Alert rules are evaluated here,
published to emostream.alert.<stream> and, with "webhook" in the rules file, POSTed there as JSON.

  --nats <url>      NATS server with JetStream (required)
  --rules <file>    alert rules (JSON), e.g.
                    {"webhook":"https://example.com/hook","rules":[
                      {"id":"agitated-caller","metric":"arousal","above":0.5,"forS":10,"track":"caller","severity":"critical"},
                      {"id":"negative-call","metric":"valence","below":-0.3,"forS":20,"scope":"call"}]}
                    fields: id, metric (arousal|valence), above|below (−1…1), forS (seconds), scope (track|call),
                    track (caller|agent|any), severity (warning|critical), label
  --port <n>        HTTP port (default 8090; 0 = any free port)
  --host <addr>     interface (default 127.0.0.1); any other host requires --token
  --token <secret>  at least 8 characters; open the page as http://host:port/?token=<secret>

Example:
  emostream dashboard --nats nats://127.0.0.1:4222 --rules rules.json   # then open http://127.0.0.1:8090/`;

/** Reads and validates a rules file (EMO_ERR_INPUT_NOT_FOUND if missing, EMO_ERR_BAD_CONFIG naming the field). */
export function loadRulesFile(path: string): AlertRules {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new EmostreamError('EMO_ERR_INPUT_NOT_FOUND', `dashboard: rules file '${path}' not found`);
  }
  if (size > MAX_RULES_FILE_BYTES) throw new EmostreamError('EMO_ERR_BAD_CONFIG', `${path}: rules files are limited to ${MAX_RULES_FILE_BYTES} bytes`);
  return parseAlertRulesText(readFileSync(path, 'utf8'), path);
}

export async function runDashboard(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    nats: { type: 'string' }, rules: { type: 'string' }, port: { type: 'string', default: '8090' }, host: { type: 'string', default: '127.0.0.1' }, token: { type: 'string' },
  }, 'dashboard');
  if (positionals.length > 0) throw new EmostreamError('EMO_ERR_USAGE', `dashboard: unexpected argument '${positionals[0]}'`);
  if (!values.nats) throw new EmostreamError('EMO_ERR_USAGE', 'dashboard: --nats <url> is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmostreamError('EMO_ERR_USAGE', `dashboard: --port must be 0..65535, got '${values.port}'`);
  const rules = values.rules ? loadRulesFile(values.rules as string) : NO_ALERT_RULES;
  const dashboard = await startDashboard({ nats: values.nats as string, rules, port, host: values.host as string, token: values.token as string | undefined });
  process.stderr.write(`emostream: dashboard on ${dashboard.url}/ (${rules.rules.length} alert rule(s)${rules.webhook ? `, webhook ${rules.webhook}` : ''}; NATS ${values.nats})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await dashboard.close();
}
