import { join } from 'node:path';
import { AuditTail, type AuditEntry } from '../../adapters/audit-reader.js';
import { firewallPaths } from '../../config/locate.js';
import { loadPolicyFromYaml } from '../../config/load.js';
import { EXIT } from '../exit-codes.js';
import { projectOrExit } from '../project.js';
import { print, say, styleFor, verdictLabel, type Style } from '../output.js';

/** Options of `agentfirewall log`, as the command line gives them. */
export interface LogOptions {
  lines?: string;
  deny?: boolean;
  rule?: string[];
  source?: string[];
  since?: string;
  follow?: boolean;
  json?: boolean;
  cwd?: string;
}

/** How many decisions are shown when neither `-n` nor `--since` says otherwise. */
export const DEFAULT_COUNT = 20;
/** How often `--follow` looks for new lines. */
const FOLLOW_POLL_MS = 150;

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** `--since`: a duration back from now (`90s`, `10m`, `2h`, `1d`, `1w`) or a date and time (ISO 8601). */
export function parseSince(text: string, now: number): number | null {
  const ago = /^(\d+)([smhdw])$/.exec(text.trim());
  if (ago) return now - Number(ago[1]) * UNITS[ago[2]];
  const at = /^\d{4}-\d\d-\d\d/.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  return Number.isNaN(at) ? null : at;
}

/** A rule glob: `*` any run of characters (`/` included), `?` one character, the rest literal. */
function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The test an entry must pass to be shown. */
function entryFilter(options: LogOptions, since: number | null): (e: Record<string, unknown>) => boolean {
  const rules = (options.rule ?? []).map(globRegExp);
  const sources = new Set(options.source ?? []);
  return (e) =>
    (!options.deny || e.verdict === 'deny') &&
    (!rules.length || rules.some((r) => r.test(String(e.rule)))) &&
    (!sources.size || sources.has(String(e.source))) &&
    (since === null || Date.parse(String(e.time)) >= since);
}

/** Control characters of logged text shown as escapes: an agent's command must not drive the terminal. */
const visible = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => ({ '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** `2026-12-02 14:03:07` in local time, or the stored text when it is no time. */
function localTime(text: unknown): string {
  const t = new Date(String(text));
  if (Number.isNaN(t.getTime())) return visible(String(text));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
}

/** One decision for a person: time, verdict, source, rule, target. */
function humanLine(e: Record<string, unknown>, style: Style): string {
  const verdict = ['deny', 'warn', 'allow'].includes(String(e.verdict)) ? verdictLabel(e.verdict as 'deny', style) : visible(String(e.verdict).toUpperCase());
  const pad = ' '.repeat(Math.max(0, 5 - String(e.verdict).length));
  return `${localTime(e.time)}  ${verdict}${pad}  ${visible(String(e.source ?? '-')).padEnd(8)}  ${visible(String(e.rule ?? '-')).padEnd(22)}  ${visible(String(e.target ?? ''))}`;
}

/** `agentfirewall log`: the audit log for people, newest last, across rotated files; `--follow` keeps reading. */
export async function runLog(options: LogOptions): Promise<number> {
  let count = options.since === undefined ? DEFAULT_COUNT : Infinity;
  if (options.lines !== undefined) {
    if (!/^\d+$/.test(options.lines) || Number(options.lines) < 1) {
      say(`-n takes a number of decisions (1 or more), not '${options.lines}'`);
      return EXIT.error;
    }
    count = Number(options.lines);
  }
  const since = options.since === undefined ? null : parseSince(options.since, Date.now());
  if (options.since !== undefined && since === null) {
    say(`--since takes a duration (30s, 10m, 2h, 1d, 1w) or a date and time (2026-12-01 or 2026-12-01T14:00:00Z), not '${options.since}'`);
    return EXIT.error;
  }
  const cwd = options.cwd ?? process.cwd();
  const projectDir = projectOrExit(cwd);
  if (typeof projectDir === 'number') return projectDir;
  const file = join(firewallPaths(projectDir).dir, loadPolicyFromYaml(projectDir).logging.file);
  const keep = entryFilter(options, since);
  const style = options.json ? null : await styleFor(1);
  /** Print the entries that pass (the last `limit` of them); false once stdout is gone (a closed pipe ends `--follow`). */
  const show = (entries: AuditEntry[], limit = Infinity): boolean => {
    const lines = entries.flatMap(({ raw, entry }) => (entry && keep(entry) ? [style ? humanLine(entry, style) : raw] : []));
    return !lines.length || print(lines.slice(-limit).join('\n'));
  };
  const tail = new AuditTail(file);
  const history = tail.read();
  show(history, count);
  if (!options.follow) {
    const unreadable = history.filter((e) => !e.entry).length;
    if (!history.length) say(`no decisions recorded yet in ${file}`);
    else if (!history.some((e) => e.entry && keep(e.entry))) say('no recorded decision matches');
    if (unreadable) say(`${unreadable} line(s) of ${file} are not JSON and were skipped`);
    return EXIT.ok;
  }
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (!show(tail.read())) stop();
    }, FOLLOW_POLL_MS);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}
