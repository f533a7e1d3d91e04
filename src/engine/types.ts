/** The outcome of a decision. `warn` lets the action run but reports it. */
export type Verdict = 'allow' | 'deny' | 'warn';

/** What a rule does when it matches; `off` switches it off. */
export type RuleAction = 'deny' | 'warn' | 'off';

/** Enforcement mode: `audit` turns every deny into a warn; `off` allows everything. */
export type Mode = 'enforce' | 'audit' | 'off';

/** File operations the engine decides on. */
export type FileOperation = 'delete' | 'write' | 'chmod' | 'move_outside_sandbox' | 'create';

export const FILE_OPERATIONS: readonly FileOperation[] = ['delete', 'write', 'chmod', 'move_outside_sandbox', 'create'];

/** A rule in presets, config and `.agentfirewall/rules/*.yaml`: one format everywhere. */
export interface RuleDefinition {
  /** Stable id such as `git/push-force`; appears in every message and audit line. */
  id: string;
  action: RuleAction;
  /** Why the rule exists, shown when it matches. */
  reason?: string;
  /** Command patterns (word-wise, `*` wildcard). */
  command?: string[];
  /** Path globs (relative to the sandbox root, `~/...`, absolute, or a bare name at any depth). */
  path?: string[];
  /** Operations a `path` rule applies to; all when absent. */
  operations?: FileOperation[];
  /** Host patterns (`*.example.com`, IPs, CIDR ranges). */
  host?: string[];
  /** A built-in detector that understands commands (`rm-home`, `push-force`, `download-exec` ...). */
  detect?: string;
  /** Where the rule was defined (`presets/standard.yaml`, `.agentfirewall/rules/10-team.yaml:12`). */
  source?: string;
}

/** The compiled policy the engine decides with: plain, JSON-serialisable data. */
export interface Policy {
  mode: Mode;
  /** The directory that holds `.agentfirewall/` (absolute). */
  projectDir: string;
  sandbox: { root: string; allowEscape: boolean };
  filesystem: { protectedPaths: string[]; denyOperations: FileOperation[] };
  commands: { blocklist: string[]; allowlist: string[] };
  network: { allowedHosts: string[]; denyEgressTo: string[]; maxUploadBytes: number };
  /** Pattern rules from the preset, the config and rule files, in load order. */
  rules: RuleDefinition[];
  /** Actions set by id for built-in rules (`fs/self-protect: warn`). */
  overrides: Record<string, RuleAction>;
  /** Set when this policy stands in for a broken config: the reason is repeated on every decision. */
  fallback?: string;
}

/** Something an agent wants to do. Paths are absolute and already resolved (`..`, symlinks) by the caller. */
export type FirewallEvent =
  | {
      type: 'command';
      command: string;
      cwd: string;
      home: string;
      env?: Record<string, string>;
      /** Typed by a person at an interactive shell: editing `.agentfirewall/` is then allowed. */
      interactive?: boolean;
      /** One line of possibly more (an interactive shell's continuation lines): incomplete input is not an error. */
      fragment?: boolean;
      /**
       * Paths the caller looked at and found missing (the engine asks through `Decision.ask`). Any other path
       * is taken to exist: without this, a copy onto a protected file is judged as replacing it.
       */
      absent?: string[];
    }
  | {
      type: 'file';
      operation: FileOperation;
      path: string;
      home: string;
      /** For a `create` seen after the fact (the watcher): the file it is a byte-for-byte copy of, if the caller found one. */
      copyOf?: string;
    }
  | { type: 'network'; host: string; port?: number };

/** One rule that matched an event. */
export interface Match {
  rule: string;
  action: 'deny' | 'warn';
  reason: string;
  /** The part of the event that matched (a command, a path, a host). */
  subject?: string;
  /** The match would not hold if this path did not exist yet. */
  unlessAbsent?: string;
}

/** The engine's answer for one event. */
export interface Decision {
  verdict: Verdict;
  /** The id of the deciding rule (`default/allow` when nothing matched). */
  rule: string;
  /** A human sentence saying why. */
  reason: string;
  /** Every rule that matched, deciding one first. */
  matches: Match[];
  /**
   * A deny that depends only on whether these paths exist: a caller that can look may decide again with the
   * missing ones in the event's `absent` (`cp .env.example .env` when there is no `.env` yet).
   */
  ask?: string[];
}
