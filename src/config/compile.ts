import { BUILTIN_RULE_IDS } from '../engine/builtin-rules.js';
import type { Policy, RuleDefinition } from '../engine/types.js';
import { joinPath } from '../shell/paths.js';
import { BASE_SETTINGS, type FirewallConfig, type PartialConfig, type RuleEntry } from './schema.js';
import { closest, type ConfigIssue } from './validate.js';

/** The layers a policy is built from, lowest first: presets (base first), the config, then rule files. */
export interface PolicyLayers {
  projectDir: string;
  presets: PartialConfig[];
  config: PartialConfig;
  ruleFiles: RuleEntry[][];
}

/** Settings with every field filled: presets first, then the config on top, section by section. */
export function mergeSettings(layers: PartialConfig[]): Omit<FirewallConfig, 'rules'> {
  const out = structuredClone({ ...BASE_SETTINGS, preset: 'standard' }) as Omit<FirewallConfig, 'rules'>;
  for (const layer of layers) {
    if (layer.mode) out.mode = layer.mode;
    if (layer.preset) out.preset = layer.preset;
    Object.assign(out.sandbox, layer.sandbox);
    Object.assign(out.filesystem, layer.filesystem);
    Object.assign(out.commands, layer.commands);
    Object.assign(out.network, layer.network);
    Object.assign(out.logging, layer.logging);
    Object.assign(out.watcher, layer.watcher);
    Object.assign(out.hooks, layer.hooks);
  }
  return out;
}

/**
 * Build the engine's policy from validated layers. Pure. Rules with a matcher define a rule; an entry
 * with only an id (and action) changes an earlier rule or a built-in one. Returns every issue found.
 */
export function compilePolicy(layers: PolicyLayers): { policy: Policy; settings: Omit<FirewallConfig, 'rules'>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const settings = mergeSettings([...layers.presets, layers.config]);
  const rules: RuleDefinition[] = [];
  // Rules by id, so that each entry finds the rule it changes in one step: a large rule file stays linear.
  const byId = new Map<string, RuleDefinition>();
  const overrides: Record<string, RuleDefinition['action']> = {};
  const fromPreset = new Set<string>();

  /** `family/*`: the action (and reason) for every rule of the family defined so far. */
  const applyToPack = (entry: RuleEntry) => {
    const family = entry.id.slice(0, -1);
    const members = rules.filter((r) => r.id.startsWith(family));
    const builtins = [...BUILTIN_RULE_IDS].filter((id) => id.startsWith(family));
    if (!members.length && !builtins.length) {
      const packs = [...new Set([...BUILTIN_RULE_IDS, ...byId.keys()].map((id) => `${id.split('/')[0]}/*`))];
      issues.push({ ...issueAt(entry, `unknown pack '${entry.id}': no rule id starts with '${family}'`), suggestion: closest(entry.id, packs) });
      return;
    }
    for (const rule of members) {
      if (entry.action) rule.action = entry.action;
      if (entry.reason) rule.reason = entry.reason;
    }
    for (const id of builtins) if (entry.action) overrides[id] = entry.action;
  };

  const apply = (entry: RuleEntry, preset: boolean) => {
    if (entry.id.endsWith('/*')) return applyToPack(entry);
    const existing = byId.get(entry.id);
    const hasMatcher = entry.command || entry.path || entry.host || entry.detect;
    const where = `${entry.origin.file}:${entry.origin.line}`;
    if (hasMatcher) {
      if (existing && !(preset && fromPreset.has(entry.id))) {
        issues.push(issueAt(entry, `rule '${entry.id}' is already defined (${existing.source}); to change its action give only 'id' and 'action'`));
        return;
      }
      if (BUILTIN_RULE_IDS.has(entry.id)) {
        issues.push(issueAt(entry, `'${entry.id}' is a built-in rule; it can be switched with 'action' but not redefined`));
        return;
      }
      const def: RuleDefinition = { id: entry.id, action: entry.action ?? 'deny', source: where };
      if (entry.reason) def.reason = entry.reason;
      if (entry.command) def.command = entry.command;
      if (entry.path) def.path = entry.path;
      if (entry.operations) def.operations = entry.operations;
      if (entry.host) def.host = entry.host;
      if (entry.detect) def.detect = entry.detect;
      if (existing) rules.splice(rules.indexOf(existing), 1, def); // a preset's rule redefined by a later preset: rare
      else rules.push(def);
      byId.set(def.id, def);
      if (preset) fromPreset.add(entry.id);
      return;
    }
    if (existing) {
      if (entry.action) existing.action = entry.action;
      if (entry.reason) existing.reason = entry.reason;
      return;
    }
    if (BUILTIN_RULE_IDS.has(entry.id)) {
      if (entry.action) overrides[entry.id] = entry.action;
      return;
    }
    const known = [...BUILTIN_RULE_IDS, ...byId.keys()];
    issues.push({ ...issueAt(entry, `unknown rule id '${entry.id}': a new rule needs a 'command', 'path', 'host' or 'detect'`), suggestion: closest(entry.id, known) });
  };

  for (const preset of layers.presets) for (const entry of preset.rules ?? []) apply(entry, true);
  for (const entry of layers.config.rules ?? []) apply(entry, false);
  for (const file of layers.ruleFiles) for (const entry of file) apply(entry, false);

  const policy: Policy = {
    mode: settings.mode,
    projectDir: layers.projectDir,
    sandbox: { root: joinPath(layers.projectDir, settings.sandbox.root), allowEscape: settings.sandbox.allow_escape },
    filesystem: { protectedPaths: settings.filesystem.protected_paths, denyOperations: settings.filesystem.deny_operations },
    commands: { blocklist: settings.commands.blocklist, allowlist: settings.commands.allowlist },
    network: {
      allowedHosts: settings.network.allowed_hosts,
      denyEgressTo: settings.network.deny_egress_to,
      maxUploadBytes: settings.network.max_upload_bytes,
    },
    rules,
    overrides,
  };
  return { policy, settings, issues };
}

function issueAt(entry: RuleEntry, message: string): ConfigIssue {
  return { file: entry.origin.file, line: entry.origin.line, col: entry.origin.col, path: entry.origin.path, message };
}
