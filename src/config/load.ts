import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { compilePolicy } from './compile.js';
import { firewallPaths, presetFile, PRESET_NAMES, ruleFileListing } from './locate.js';
import type { LoadedPolicy } from './policy-types.js';
import type { PartialConfig, RuleEntry } from './schema.js';
import { closest, validateConfig, validateRulesFile, type ConfigIssue, type Position, type SourceDocument } from './validate.js';

/** Parse YAML text into a plain value plus the position of every key path. YAML errors become issues. */
export function parseYaml(text: string, file: string): { doc: SourceDocument; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = document.errors.map((e) => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, col: pos.col, path: '', message: `invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` };
  });
  const positions = new Map<string, Position>();
  const visit = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = path ? `${path}.${key}` : key;
        const at = (pair.key as Node | null)?.range?.[0];
        if (at !== undefined) positions.set(childPath, lineCounter.linePos(at));
        visit(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const childPath = `${path}[${i}]`;
        const at = (item as Node | null)?.range?.[0];
        if (at !== undefined) positions.set(childPath, lineCounter.linePos(at));
        visit(item, childPath);
      });
    }
  };
  visit(document.contents, '');
  const value = issues.length ? undefined : document.toJS();
  return { doc: { file, value, positions }, issues };
}

/**
 * The bounds of a policy, each a config error above it: the YAML parser takes about 70 ms per thousand
 * rules and every `check` reads the compiled policy, so a policy far past these costs seconds per command.
 */
export const MAX_SOURCE_BYTES = 1024 * 1024;
export const MAX_USER_RULES = 10_000;

function readSource(path: string, display: string): { text?: string; issue?: ConfigIssue } {
  try {
    const size = statSync(path).size;
    // Refused before it is read or parsed: a file of half a million rules would take the parser minutes.
    if (size > MAX_SOURCE_BYTES) return { issue: { file: display, line: 1, col: 1, path: '', message: `is ${size} bytes; a config or rules file may hold at most ${MAX_SOURCE_BYTES} bytes (1 MiB)` } };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { issue: { file: display, line: 1, col: 1, path: '', message: `cannot read: ${e.code ?? e.message}` } };
  }
}

/** Read and validate one preset and the presets it builds on (base first). */
export function loadPresetChain(name: string, issues: ConfigIssue[], at?: { file: string; line: number; col: number }): PartialConfig[] {
  const chain: PartialConfig[] = [];
  const seen = new Set<string>();
  for (let current: string | undefined = name; current && current !== 'none'; ) {
    if (!PRESET_NAMES.includes(current)) {
      const where = at ?? { file: 'preset', line: 1, col: 1 };
      issues.push({ ...where, path: 'preset', message: `unknown preset '${current}'; presets are ${[...PRESET_NAMES, 'none'].join(', ')}`, suggestion: closest(current, PRESET_NAMES) });
      break;
    }
    if (seen.has(current)) {
      issues.push({ file: `presets/${current}.yaml`, line: 1, col: 1, path: 'preset', message: 'presets build on each other in a cycle' });
      break;
    }
    seen.add(current);
    const file = `presets/${current}.yaml`;
    const { text, issue } = readSource(presetFile(current), file);
    if (issue) {
      issues.push(issue);
      break;
    }
    const parsed = parseYaml(text!, file);
    issues.push(...parsed.issues);
    const { config, issues: found } = validateConfig(parsed.doc);
    issues.push(...found);
    chain.unshift(config);
    current = config.preset;
  }
  return chain;
}

/**
 * Load the policy of the project at `projectDir` from YAML: config.yaml, its preset chain and
 * `.agentfirewall/rules/*.yaml` in name order. Every issue is returned; the policy is only usable
 * when there are none.
 */
export function loadPolicyFromYaml(projectDir: string): LoadedPolicy {
  const paths = firewallPaths(projectDir);
  const display = (p: string) => relative(process.cwd(), p) || p;
  const issues: ConfigIssue[] = [];
  const configDisplay = display(paths.config);
  const source = readSource(paths.config, configDisplay);
  let config: PartialConfig = {};
  let presetAt: { file: string; line: number; col: number } | undefined;
  if (source.issue) issues.push(source.issue);
  else {
    const parsed = parseYaml(source.text!, configDisplay);
    issues.push(...parsed.issues);
    const validated = validateConfig(parsed.doc);
    issues.push(...validated.issues);
    config = validated.config;
    const pos = parsed.doc.positions.get('preset');
    if (pos) presetAt = { file: configDisplay, ...pos };
  }
  const presets = loadPresetChain(config.preset ?? 'standard', issues, presetAt ?? { file: configDisplay, line: 1, col: 1 });
  const ruleFiles: RuleEntry[][] = [];
  const listing = ruleFileListing(projectDir);
  if (listing.error) issues.push({ file: display(paths.rules), line: 1, col: 1, path: '', message: `rules/ is ${listing.error}; none of its rules can be loaded` });
  for (const name of listing.names) {
    const path = join(paths.rules, name);
    const file = display(path);
    const { text, issue } = readSource(path, file);
    if (issue) {
      issues.push(issue);
      continue;
    }
    const parsed = parseYaml(text!, file);
    issues.push(...parsed.issues);
    const { rules, issues: found } = validateRulesFile(parsed.doc);
    issues.push(...found);
    ruleFiles.push(rules);
  }
  const entries = [...(config.rules ?? []), ...ruleFiles.flat()];
  if (entries.length > MAX_USER_RULES) {
    const { origin } = entries[MAX_USER_RULES];
    issues.push({ file: origin.file, line: origin.line, col: origin.col, path: origin.path, message: `${entries.length} rule entries; a policy may hold at most ${MAX_USER_RULES} (config.yaml and rules/ together)` });
  }
  const compiled = compilePolicy({ projectDir, presets, config, ruleFiles });
  issues.push(...compiled.issues);
  // The sandbox root is compared with resolved paths, so resolve its symlinks too.
  try {
    compiled.policy.sandbox.root = realpathSync(compiled.policy.sandbox.root);
  } catch {
    issues.push({ file: configDisplay, line: 1, col: 1, path: 'sandbox.root', message: `sandbox root ${compiled.policy.sandbox.root} does not exist` });
  }
  return { policy: compiled.policy, logging: compiled.settings.logging, watcher: compiled.settings.watcher, hooks: compiled.settings.hooks, issues, preset: compiled.settings.preset };
}

/**
 * The built-in `standard` preset as a stand-in policy for a project whose config is broken: protection
 * never turns off, and every decision says why it is in force.
 */
export function loadFallbackPolicy(projectDir: string, broken: ConfigIssue[]): LoadedPolicy {
  const issues: ConfigIssue[] = [];
  const presets = loadPresetChain('standard', issues);
  const compiled = compilePolicy({ projectDir, presets, config: {}, ruleFiles: [] });
  try {
    compiled.policy.sandbox.root = realpathSync(compiled.policy.sandbox.root);
  } catch {
    // keep the unresolved root
  }
  const first = broken[0];
  const count = broken.length === 1 ? '1 problem' : `${broken.length} problems`;
  compiled.policy.fallback = `.agentfirewall config has ${count} (first: ${first ? formatIssueShort(first) : 'unknown'}); the standard preset is enforced until it is fixed`;
  return { policy: compiled.policy, logging: compiled.settings.logging, watcher: compiled.settings.watcher, hooks: compiled.settings.hooks, issues: [...broken, ...issues], preset: 'standard' };
}

function formatIssueShort(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.col} ${issue.message}`;
}
