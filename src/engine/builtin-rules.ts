import type { RuleAction } from './types.js';

/** A rule implemented by the engine itself; the config can switch it off or down to warn by id. */
export interface BuiltinRule {
  id: string;
  /** What it protects against, for documentation and `status`. */
  description: string;
  /** The action when no override is given. */
  action: Exclude<RuleAction, 'off'>;
}

/** Every rule the engine implements in code, by stable id. */
export const BUILTIN_RULES: readonly BuiltinRule[] = [
  { id: 'parse/unparseable', action: 'deny', description: 'a command line that cannot be understood is not run' },
  { id: 'parse/too-complex', action: 'deny', description: 'a command line too large, too deep or expanding too far to check in bounded time is not run' },
  { id: 'commands/blocklist', action: 'deny', description: 'commands matching `commands.blocklist`' },
  { id: 'commands/allowlist', action: 'deny', description: 'commands outside a non-empty `commands.allowlist`' },
  { id: 'fs/self-protect', action: 'deny', description: 'writes, moves and deletes inside `.agentfirewall/`' },
  { id: 'fs/sandbox-escape', action: 'deny', description: 'file operations outside `sandbox.root` unless `allow_escape`' },
  { id: 'fs/protected-path', action: 'deny', description: '`deny_operations` on `protected_paths`' },
  { id: 'net/deny-egress', action: 'deny', description: 'connections to `deny_egress_to` hosts' },
  { id: 'net/not-allowed', action: 'deny', description: 'connections to hosts outside a non-empty `allowed_hosts`' },
  { id: 'tamper/firewall', action: 'deny', description: "the firewall's own commands that switch protection off or replace a guard, unless a person types them" },
];

export const BUILTIN_RULE_IDS: ReadonlySet<string> = new Set(BUILTIN_RULES.map((r) => r.id));

/** The shape every rule id has: `family/name`, lower case. */
export const RULE_ID_PATTERN = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

/** A whole pack in config (`db/*`): one entry switches every rule of the family. */
export const PACK_ID_PATTERN = /^[a-z0-9][a-z0-9-]*\/\*$/;
