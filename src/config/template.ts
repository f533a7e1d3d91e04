import { BUILTIN_RULES } from '../engine/builtin-rules.js';
import { detector } from '../engine/detectors.js';
import type { RuleDefinition } from '../engine/types.js';
import type { FirewallConfig } from './schema.js';

const q = (s: string) => JSON.stringify(s);
const list = (items: string[], indent: string) =>
  items.length === 0 ? ' []' : '\n' + items.map((i) => `${indent}- ${q(i)}`).join('\n');

/**
 * The complete, commented config that `init` writes: every setting spelled out with what it does,
 * and every rule in force listed with how to change it. Pure text generation.
 */
export function renderConfig(preset: string, settings: Omit<FirewallConfig, 'rules'>, rules: RuleDefinition[]): string {
  const s = settings;
  const ruleLines = rulesByPack([
    ...rules.map((r) => ({ id: r.id, action: r.action, why: r.reason ?? (r.detect ? detector(r.detect)?.description : undefined) ?? '' })),
    ...BUILTIN_RULES.map((r) => ({ id: r.id, action: r.action, why: r.description })),
  ]);
  return `# agentfirewall configuration (version 1), written by \`agentfirewall init --preset ${preset}\`.
# Edit freely; \`agentfirewall status\` shows what is in force and reports every error with file:line:col.

version: 1

# The preset whose rules and settings this file starts from: standard, strict, permissive, or none.
preset: ${preset}

# enforce: deny what the rules deny | audit: deny becomes warn, logged | off: allow everything
mode: ${s.mode}

sandbox:
  # The project boundary, relative to the directory holding .agentfirewall/.
  root: ${q(s.sandbox.root)}
  # May file operations leave the root?
  allow_escape: ${s.sandbox.allow_escape}

filesystem:
  # Globs, dotfiles included. A bare name (.env) matches at any depth; ~/ is the home directory;
  # a leading / is absolute; anything else is relative to the sandbox root.
  protected_paths:${list(s.filesystem.protected_paths, '    ')}
  # Operations denied on protected paths: delete, write, chmod, move_outside_sandbox, create.
  deny_operations: [${s.filesystem.deny_operations.join(', ')}]

commands:
  # Command patterns, compared word by word with every command a line runs (after unwrapping sudo,
  # env, sh -c ...), options in any spelling: "rm -rf /" also matches "sudo rm -r -f /". * is a wildcard.
  blocklist:${list(s.commands.blocklist, '    ')}
  # If non-empty, only commands matching one of these patterns may run.
  allowlist:${list(s.commands.allowlist, '    ')}

network:
  # If non-empty, only these hosts may be reached ("*.example.com" allows subdomains).
  allowed_hosts:${list(s.network.allowed_hosts, '    ')}
  # Always denied: names, IP addresses or IPv4 CIDR ranges.
  deny_egress_to:${list(s.network.deny_egress_to, '    ')}
  max_upload_bytes: ${s.network.max_upload_bytes}

logging:
  enabled: ${s.logging.enabled}
  # Relative to .agentfirewall/.
  file: ${q(s.logging.file)}
  # info: every decision | warn: deny and warn | error: deny only
  level: ${s.logging.level}
  # Rotate at this size (bytes, or 5MB / 512KB), keeping this many old files.
  max_size: ${s.logging.max_size}
  max_files: ${s.logging.max_files}

watcher:
  # Coding agents, by process name, title or comm. The watcher stops those whose working directory is in the
  # project; matches elsewhere are only reported unless kill_unattributed is true.
  agent_signatures:${list(s.watcher.agent_signatures, '    ')}
  kill_unattributed: ${s.watcher.kill_unattributed}
  # Milliseconds between SIGTERM and SIGKILL.
  grace_ms: ${s.watcher.grace_ms}
  # Directory names not watched file by file; protected paths inside them are still watched.
  ignore:${list(s.watcher.ignore, '    ')}
  # More than max_stops stops within stop_window_seconds trips a circuit breaker: the watcher only alerts
  # (and every guard's message says so) until rearm_seconds pass without a stop it would have made.
  max_stops: ${s.watcher.max_stops}
  stop_window_seconds: ${s.watcher.stop_window_seconds}
  rearm_seconds: ${s.watcher.rearm_seconds}
  # Keep private copies of protected files (up to restore_max_bytes each) and put them back after a denied change.
  restore: ${s.watcher.restore}
  restore_max_bytes: ${s.watcher.restore_max_bytes}

hooks:
  # Agents' native hooks: on an internal error or an unreadable payload, deny (closed) or let the call through (open).
  fail: ${s.hooks.fail}

# Rules in force, pack by pack (id, action, what it stops):
${ruleLines.join('\n')}
#
# Change a rule by id (action: deny | warn | off), a whole pack with family/*, or add your own with a command,
# path or host matcher:
#   - id: git/push-force
#     action: warn
#   - id: publish/*
#     action: deny
#   - id: team/no-publish
#     reason: releases go through CI
#     command: ["npm publish", "yarn publish"]
# Files in .agentfirewall/rules/*.yaml hold more rules in the same format and load in name order.
rules: []
`;
}

/** The runtime directories of `.agentfirewall/` that must never be committed; config.yaml and rules/ are. */
export const RUNTIME_DIRS: readonly string[] = ['vault', 'run', 'logs', 'cache', 'hooks'];

/** `.agentfirewall/.gitignore`: keeps runtime state, tokens and logs out of git. Pure text generation. */
export function renderGitignore(): string {
  return `# Written by agentfirewall: runtime state, the resident checker's token, logs and generated guards
# stay out of git. config.yaml and rules/ are meant to be committed and shared.
${RUNTIME_DIRS.map((d) => `${d}/`).join('\n')}
`;
}

/** The listing of rules in force, a header line per pack (the id's family) before its rules, in first-seen order. */
function rulesByPack(rules: readonly { id: string; action: string; why: string }[]): string[] {
  const packs = new Map<string, typeof rules[number][]>();
  for (const r of rules) {
    const family = r.id.split('/')[0];
    packs.set(family, [...(packs.get(family) ?? []), r]);
  }
  return [...packs].flatMap(([family, members]) => [
    `#  ${family}/* (${members.length} rule${members.length === 1 ? '' : 's'})`,
    ...members.map((r) => `#   ${r.id.padEnd(28)} ${r.action.padEnd(5)} ${r.why}`.trimEnd()),
  ]);
}
