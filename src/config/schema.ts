import type { FileOperation, Mode, RuleAction } from '../engine/types.js';

/** Verdicts written to the audit log: `info` everything, `warn` deny and warn, `error` deny only. */
export type LogLevel = 'info' | 'warn' | 'error';

/** `.agentfirewall/config.yaml`, version 1, after validation. Field names follow the YAML. */
export interface FirewallConfig {
  version: 1;
  /** Preset whose rules and settings this config starts from (`none` for nothing). */
  preset: string;
  mode: Mode;
  sandbox: { root: string; allow_escape: boolean };
  filesystem: { protected_paths: string[]; deny_operations: FileOperation[] };
  commands: { blocklist: string[]; allowlist: string[] };
  network: { allowed_hosts: string[]; deny_egress_to: string[]; max_upload_bytes: number };
  logging: LoggingConfig;
  watcher: WatcherConfig;
  hooks: HooksConfig;
  rules: RuleEntry[];
}

/** Agents' native hooks (`agentfirewall hook <agent>`). */
export interface HooksConfig {
  /** On an internal error or an unreadable payload: deny (`closed`) or let the call through (`open`). */
  fail: 'closed' | 'open';
}

/** The background watcher: which agents it stops, what it leaves unwatched, how it limits itself. */
export interface WatcherConfig {
  /** Process names (argv[0], process title or comm) of coding agents. */
  agent_signatures: string[];
  /** Stop signature matches outside the project too (otherwise they are only reported). */
  kill_unattributed: boolean;
  /** Milliseconds between SIGTERM and SIGKILL. */
  grace_ms: number;
  /** Directory names not watched file by file (large generated trees); protected paths inside them still are. */
  ignore: string[];
  /** More than this many stops within `stop_window_seconds` switches the watcher to alert-only. */
  max_stops: number;
  stop_window_seconds: number;
  /** A tripped breaker re-arms after this many seconds without a stop it would have made. */
  rearm_seconds: number;
  /** Keep private copies of protected files and put them back after a denied delete or write. */
  restore: boolean;
  restore_max_bytes: number;
}

export interface LoggingConfig {
  enabled: boolean;
  /** Relative to `.agentfirewall/`. */
  file: string;
  level: LogLevel;
  /** Rotate when the file would grow past this many bytes. */
  max_size: number;
  /** Rotated files kept (`firewall.log.1` ... `.N`). */
  max_files: number;
}

/** One entry of `rules:`: a new rule (with a matcher) or an override of an earlier one (id and action only). */
export interface RuleEntry {
  id: string;
  action?: RuleAction;
  reason?: string;
  command?: string[];
  path?: string[];
  operations?: FileOperation[];
  host?: string[];
  detect?: string;
  /** Where the entry is written, for messages. */
  origin: { file: string; line: number; col: number; path: string };
}

/** A config file's settings as written: any section may be missing and then comes from the preset. */
export type PartialConfig = {
  version?: 1;
  preset?: string;
  mode?: Mode;
  sandbox?: Partial<FirewallConfig['sandbox']>;
  filesystem?: Partial<FirewallConfig['filesystem']>;
  commands?: Partial<FirewallConfig['commands']>;
  network?: Partial<FirewallConfig['network']>;
  logging?: Partial<LoggingConfig>;
  watcher?: Partial<WatcherConfig>;
  hooks?: Partial<HooksConfig>;
  rules?: RuleEntry[];
};

/** Settings used where neither the config nor its preset says anything. */
export const BASE_SETTINGS: Omit<FirewallConfig, 'rules' | 'preset'> = {
  version: 1,
  mode: 'enforce',
  sandbox: { root: '.', allow_escape: false },
  filesystem: {
    protected_paths: ['.agentfirewall/**', '.git/**', '.env', '.env.*', '.ssh/**', '~/.ssh/**'],
    deny_operations: ['delete', 'move_outside_sandbox', 'write'],
  },
  commands: { blocklist: [], allowlist: [] },
  network: { allowed_hosts: [], deny_egress_to: ['169.254.169.254', 'metadata.google.internal'], max_upload_bytes: 10 * 1024 * 1024 },
  logging: { enabled: true, file: 'logs/firewall.log', level: 'warn', max_size: 5 * 1024 * 1024, max_files: 3 },
  watcher: {
    agent_signatures: ['claude', 'codex', 'gemini', 'cursor-agent', 'copilot', 'aider', 'windsurf', 'opencode'],
    kill_unattributed: false,
    grace_ms: 2000,
    ignore: ['node_modules', 'dist', 'build', 'coverage', '.next', '.turbo', '.cache', 'target', '.venv'],
    max_stops: 5,
    stop_window_seconds: 60,
    rearm_seconds: 300,
    restore: true,
    restore_max_bytes: 1024 * 1024,
  },
  hooks: { fail: 'closed' },
};

/** The keys each section accepts, for unknown-key errors and "did you mean". */
export const SCHEMA_KEYS: Record<string, readonly string[]> = {
  '': ['version', 'preset', 'mode', 'sandbox', 'filesystem', 'commands', 'network', 'logging', 'watcher', 'hooks', 'rules'],
  hooks: ['fail'],
  watcher: ['agent_signatures', 'kill_unattributed', 'grace_ms', 'ignore', 'max_stops', 'stop_window_seconds', 'rearm_seconds', 'restore', 'restore_max_bytes'],
  sandbox: ['root', 'allow_escape'],
  filesystem: ['protected_paths', 'deny_operations'],
  commands: ['blocklist', 'allowlist'],
  network: ['allowed_hosts', 'deny_egress_to', 'max_upload_bytes'],
  logging: ['enabled', 'file', 'level', 'max_size', 'max_files'],
  rule: ['id', 'action', 'reason', 'command', 'path', 'operations', 'host', 'detect'],
};

export const MODES: readonly Mode[] = ['enforce', 'audit', 'off'];
export const LOG_LEVELS: readonly LogLevel[] = ['info', 'warn', 'error'];
export const RULE_ACTIONS: readonly RuleAction[] = ['deny', 'warn', 'off'];
