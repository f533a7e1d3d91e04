import { PACK_ID_PATTERN, RULE_ID_PATTERN } from '../engine/builtin-rules.js';
import { commandPatternError } from '../engine/command-pattern.js';
import { DETECTOR_NAMES } from '../engine/detectors.js';
import { compilePathMatcher } from '../engine/glob-match.js';
import { hostPatternError } from '../engine/hosts.js';
import { FILE_OPERATIONS, type FileOperation } from '../engine/types.js';
import { LOG_LEVELS, MODES, RULE_ACTIONS, SCHEMA_KEYS, type PartialConfig, type RuleEntry } from './schema.js';

/** A position in a source file, 1-based. */
export interface Position {
  line: number;
  col: number;
}

/** A parsed YAML file: its plain value and where each key path sits (`filesystem.deny_operations[1]`). */
export interface SourceDocument {
  file: string;
  value: unknown;
  positions: ReadonlyMap<string, Position>;
}

/** One problem found in a config or rules file. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  /** The key path, e.g. `logging.level` or `rules[2].action`. */
  path: string;
  message: string;
  /** A close valid value, for "did you mean". */
  suggestion?: string;
}

/** `file:line:col: path: message (did you mean 'x'?)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? `${issue.path}: ` : '';
  const hint = issue.suggestion !== undefined ? ` (did you mean '${issue.suggestion}'?)` : '';
  return `${issue.file}:${issue.line}:${issue.col}: ${where}${issue.message}${hint}`;
}

/** Levenshtein distance, for suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest candidate, when it is close enough to be a likely typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(input.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

class Checker {
  readonly issues: ConfigIssue[] = [];
  constructor(private readonly doc: SourceDocument) {}

  position(path: string): Position {
    for (let p = path; ; p = parentPath(p)) {
      const pos = this.doc.positions.get(p);
      if (pos) return pos;
      if (p === '') return { line: 1, col: 1 };
    }
  }

  report(path: string, message: string, suggestion?: string): void {
    const { line, col } = this.position(path);
    this.issues.push({ file: this.doc.file, line, col, path, message, suggestion });
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.report(path, `must be a mapping, got ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  knownKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.report(join(path, key), `unknown key '${key}'`, closest(key, allowed));
    }
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.report(path, `must be a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.report(path, `must be true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  count(value: unknown, path: string, min: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'string' ? parseSize(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
      this.report(path, `must be a whole number of at least ${min}${typeof value === 'string' ? " (sizes like '5MB' are accepted)" : ''}, got ${describe(value)}`);
      return undefined;
    }
    return n;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    const s = this.string(value, path);
    if (s === undefined) return undefined;
    if (!allowed.includes(s as T)) {
      this.report(path, `must be one of ${allowed.join(', ')}, got '${s}'`, closest(s, allowed));
      return undefined;
    }
    return s as T;
  }

  /** A list of strings; a single string is accepted as a list of one where `single` is set. */
  strings(value: unknown, path: string, single = false): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (single && typeof value === 'string') return [value];
    if (!Array.isArray(value)) {
      this.report(path, `must be a list of strings, got ${describe(value)}`);
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') this.report(`${path}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
      else out.push(item);
    });
    return out;
  }

  /** A list of patterns (see `strings`), each checked by `errorOf`: a pattern that cannot be compiled is an issue at its position. */
  patterns(value: unknown, path: string, errorOf: (pattern: string) => string | null, single = false): string[] | undefined {
    const list = this.strings(value, path, single);
    if (!list) return undefined;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const error = typeof item === 'string' && item.trim() !== '' ? errorOf(item) : null;
      if (error) this.report(Array.isArray(value) ? `${path}[${i}]` : path, error);
    });
    return list;
  }

  operations(value: unknown, path: string): FileOperation[] | undefined {
    const list = this.strings(value, path);
    if (!list) return undefined;
    const out: FileOperation[] = [];
    list.forEach((op, i) => {
      if ((FILE_OPERATIONS as readonly string[]).includes(op)) out.push(op as FileOperation);
      else this.report(`${path}[${i}]`, `unknown operation '${op}'; expected one of ${FILE_OPERATIONS.join(', ')}`, closest(op, FILE_OPERATIONS));
    });
    return out;
  }
}

function parentPath(path: string): string {
  const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m ? m[1] : '';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value}'`;
  return `${typeof value} ${String(value)}`;
}

/** `5MB`, `512k`, `1048576` -> bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([kmg]?)i?b?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

/**
 * Validate a config file. Pure: returns the settings it could read and every issue found, never throws.
 */
export function validateConfig(doc: SourceDocument): { config: PartialConfig; issues: ConfigIssue[] } {
  const c = new Checker(doc);
  const config: PartialConfig = {};
  if (doc.value === null || doc.value === undefined) return { config, issues: c.issues };
  const root = c.object(doc.value, '');
  if (!root) return { config, issues: c.issues };
  c.knownKeys(root, '', SCHEMA_KEYS['']);

  if (root.version !== undefined && root.version !== 1) c.report('version', `unsupported version ${describe(root.version)}; this agentfirewall reads version 1`);
  else if (root.version === 1) config.version = 1;
  const preset = c.string(root.preset, 'preset');
  if (preset !== undefined) config.preset = preset;
  const mode = c.oneOf(root.mode, 'mode', MODES);
  if (mode) config.mode = mode;

  const sandbox = c.object(root.sandbox, 'sandbox');
  if (sandbox) {
    c.knownKeys(sandbox, 'sandbox', SCHEMA_KEYS.sandbox);
    config.sandbox = strip({ root: c.string(sandbox.root, 'sandbox.root'), allow_escape: c.boolean(sandbox.allow_escape, 'sandbox.allow_escape') });
  }
  const fs = c.object(root.filesystem, 'filesystem');
  if (fs) {
    c.knownKeys(fs, 'filesystem', SCHEMA_KEYS.filesystem);
    config.filesystem = strip({
      protected_paths: c.patterns(fs.protected_paths, 'filesystem.protected_paths', pathGlobError),
      deny_operations: c.operations(fs.deny_operations, 'filesystem.deny_operations'),
    });
  }
  const commands = c.object(root.commands, 'commands');
  if (commands) {
    c.knownKeys(commands, 'commands', SCHEMA_KEYS.commands);
    config.commands = strip({
      blocklist: c.patterns(commands.blocklist, 'commands.blocklist', commandPatternError),
      allowlist: c.patterns(commands.allowlist, 'commands.allowlist', commandPatternError),
    });
  }
  const network = c.object(root.network, 'network');
  if (network) {
    c.knownKeys(network, 'network', SCHEMA_KEYS.network);
    config.network = strip({
      allowed_hosts: c.patterns(network.allowed_hosts, 'network.allowed_hosts', hostPatternError),
      deny_egress_to: c.patterns(network.deny_egress_to, 'network.deny_egress_to', hostPatternError),
      max_upload_bytes: c.count(network.max_upload_bytes, 'network.max_upload_bytes', 0),
    });
  }
  const logging = c.object(root.logging, 'logging');
  if (logging) {
    c.knownKeys(logging, 'logging', SCHEMA_KEYS.logging);
    const file = c.string(logging.file, 'logging.file');
    if (file !== undefined && (file.trim() === '' || file.split('/').includes('..'))) {
      c.report('logging.file', `must be a file path inside .agentfirewall/, got '${file}'`);
    }
    config.logging = strip({
      enabled: c.boolean(logging.enabled, 'logging.enabled'),
      file: file !== undefined && file.trim() !== '' && !file.split('/').includes('..') ? file : undefined,
      level: c.oneOf(logging.level, 'logging.level', LOG_LEVELS),
      max_size: c.count(logging.max_size, 'logging.max_size', 1024),
      max_files: c.count(logging.max_files, 'logging.max_files', 1),
    });
  }
  const watcher = c.object(root.watcher, 'watcher');
  if (watcher) {
    c.knownKeys(watcher, 'watcher', SCHEMA_KEYS.watcher);
    config.watcher = strip({
      agent_signatures: c.strings(watcher.agent_signatures, 'watcher.agent_signatures'),
      kill_unattributed: c.boolean(watcher.kill_unattributed, 'watcher.kill_unattributed'),
      grace_ms: c.count(watcher.grace_ms, 'watcher.grace_ms', 0),
      ignore: c.strings(watcher.ignore, 'watcher.ignore'),
      max_stops: c.count(watcher.max_stops, 'watcher.max_stops', 1),
      stop_window_seconds: c.count(watcher.stop_window_seconds, 'watcher.stop_window_seconds', 1),
      rearm_seconds: c.count(watcher.rearm_seconds, 'watcher.rearm_seconds', 1),
      restore: c.boolean(watcher.restore, 'watcher.restore'),
      restore_max_bytes: c.count(watcher.restore_max_bytes, 'watcher.restore_max_bytes', 0),
    });
  }
  const hooks = c.object(root.hooks, 'hooks');
  if (hooks) {
    c.knownKeys(hooks, 'hooks', SCHEMA_KEYS.hooks);
    config.hooks = strip({ fail: c.oneOf(hooks.fail, 'hooks.fail', ['closed', 'open'] as const) });
  }
  if (root.rules !== undefined) config.rules = readRules(c, root.rules, doc.file);
  return { config, issues: byPosition(c.issues) };
}

/** Validate a `.agentfirewall/rules/*.yaml` file: `rules:` (and optionally `version: 1`) only. */
export function validateRulesFile(doc: SourceDocument): { rules: RuleEntry[]; issues: ConfigIssue[] } {
  const c = new Checker(doc);
  if (doc.value === null || doc.value === undefined) return { rules: [], issues: [] };
  const root = c.object(doc.value, '');
  if (!root) return { rules: [], issues: c.issues };
  c.knownKeys(root, '', ['version', 'rules']);
  if (root.version !== undefined && root.version !== 1) c.report('version', `unsupported version ${describe(root.version)}`);
  return { rules: root.rules === undefined ? [] : readRules(c, root.rules, doc.file), issues: byPosition(c.issues) };
}

function readRules(c: Checker, value: unknown, file: string): RuleEntry[] {
  if (value === null) return [];
  if (!Array.isArray(value)) {
    c.report('rules', `must be a list of rules, got ${describe(value)}`);
    return [];
  }
  const out: RuleEntry[] = [];
  value.forEach((raw, i) => {
    const path = `rules[${i}]`;
    const obj = c.object(raw, path);
    if (!obj) {
      if (raw === null || raw === undefined) c.report(path, 'must be a mapping with at least an id');
      return;
    }
    c.knownKeys(obj, path, SCHEMA_KEYS.rule);
    const id = c.string(obj.id, `${path}.id`);
    if (id === undefined) {
      if (obj.id === undefined) c.report(path, "a rule needs an 'id'");
      return;
    }
    if (!RULE_ID_PATTERN.test(id) && !PACK_ID_PATTERN.test(id)) {
      c.report(`${path}.id`, `rule id '${id}' must look like 'family/name' (lower case letters, digits and dashes), or 'family/*' for a whole pack`);
      return;
    }
    const at = c.position(path);
    const entry: RuleEntry = { id, origin: { file, line: at.line, col: at.col, path } };
    const action = c.oneOf(obj.action, `${path}.action`, RULE_ACTIONS);
    if (action) entry.action = action;
    const reason = c.string(obj.reason, `${path}.reason`);
    if (reason !== undefined) entry.reason = reason;
    const command = c.patterns(obj.command, `${path}.command`, commandPatternError, true);
    const paths = c.patterns(obj.path, `${path}.path`, pathGlobError, true);
    const host = c.patterns(obj.host, `${path}.host`, hostPatternError, true);
    const detect = c.oneOf(obj.detect, `${path}.detect`, DETECTOR_NAMES);
    const kinds = [command, paths, host, obj.detect].filter((k) => k !== undefined).length;
    if (kinds > 1) c.report(path, 'a rule matches one kind of event: give only one of command, path, host or detect');
    if (kinds > 0 && PACK_ID_PATTERN.test(id)) c.report(path, `'${id}' names a whole pack: it takes only 'action' (and 'reason'), not a matcher`);
    if (detect) entry.detect = detect;
    if (command) entry.command = command;
    if (paths) entry.path = paths;
    if (host) entry.host = host;
    if (obj.operations !== undefined) {
      if (!paths) c.report(`${path}.operations`, "'operations' only applies to a rule with 'path'");
      const ops = c.operations(obj.operations, `${path}.operations`);
      if (ops) entry.operations = ops;
    }
    out.push(entry);
  });
  return out;
}

/** Why a path glob cannot be compiled (`[unclosed`, `[z-a]`, `a{b`), or null. `~/` is the home directory. */
function pathGlobError(glob: string): string | null {
  const compiled = compilePathMatcher(glob.startsWith('~/') ? glob.slice(2) : glob);
  return 'error' in compiled ? (compiled.error ?? null) : null;
}

/** Issues in the order they appear in the file. */
function byPosition(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}

function strip<T extends object>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
