import { compilePolicy } from '../src/config/compile.js';
import { createEngine } from '../src/config/glob.js';
import { loadPresetChain } from '../src/config/load.js';
import type { PartialConfig, RuleEntry } from '../src/config/schema.js';
import type { ConfigIssue } from '../src/config/validate.js';
import type { Engine } from '../src/engine/engine.js';
import type { Policy } from '../src/engine/types.js';

/** The corpus context: project root /home/dev/project, HOME /home/dev. */
export const PROJECT = '/home/dev/project';
export const HOME = '/home/dev';

const at = (i: number) => ({ file: 'test.yaml', line: i + 1, col: 1, path: `rules[${i}]` });

/** Rule entries as a config file would give them (origin filled in). */
export function entries(rules: Omit<RuleEntry, 'origin'>[]): RuleEntry[] {
  return rules.map((r, i) => ({ ...r, origin: at(i) }));
}

/** A policy from a preset plus a config layer, compiled exactly as a project's config would be. */
export function policyFrom(preset: string, config: PartialConfig = {}, ruleFiles: RuleEntry[][] = []): { policy: Policy; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const presets = loadPresetChain(preset, issues);
  const compiled = compilePolicy({ projectDir: PROJECT, presets, config, ruleFiles });
  return { policy: compiled.policy, issues: [...issues, ...compiled.issues] };
}

export function engineFrom(preset: string, config: PartialConfig = {}, ruleFiles: RuleEntry[][] = []): Engine {
  const { policy, issues } = policyFrom(preset, config, ruleFiles);
  if (issues.length) throw new Error(`policy has issues: ${JSON.stringify(issues)}`);
  return createEngine(policy);
}

export function command(engine: Engine, line: string, cwd = PROJECT) {
  return engine.decide({ type: 'command', command: line, cwd, home: HOME });
}
