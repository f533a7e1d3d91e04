import { describe, expect, it } from 'vitest';
import { configTextFor } from '../src/cli/commands/init.js';
import { compilePolicy } from '../src/config/compile.js';
import { loadPresetChain, parseYaml } from '../src/config/load.js';
import { validateConfig, validateRulesFile, formatIssue, parseSize } from '../src/config/validate.js';
import { command, engineFrom, entries, policyFrom, PROJECT } from './policy-helpers.js';

function validate(text: string) {
  const { doc, issues } = parseYaml(text, 'config.yaml');
  const result = validateConfig(doc);
  return { config: result.config, issues: [...issues, ...result.issues] };
}

describe('config validation', () => {
  it('accepts the original schema field for field', () => {
    const { config, issues } = validate(`
version: 1
mode: audit
sandbox:
  root: "."
  allow_escape: false
filesystem:
  protected_paths: [".git/**", ".env", ".ssh/**"]
  deny_operations: [delete, move_outside_sandbox]
commands:
  blocklist: ["rm -rf /", "sudo rm*"]
  allowlist: []
network:
  allowed_hosts: ["github.com", "api.openai.com"]
  deny_egress_to: ["169.254.169.254", "metadata.google.internal"]
  max_upload_bytes: 10485760
logging:
  enabled: true
  file: "logs/firewall.log"
  level: warn
`);
    expect(issues).toEqual([]);
    expect(config.mode).toBe('audit');
    expect(config.commands?.blocklist).toEqual(['rm -rf /', 'sudo rm*']);
    expect(config.filesystem?.deny_operations).toEqual(['delete', 'move_outside_sandbox']);
  });

  it('reports invalid YAML with its position', () => {
    const { issues } = validate('mode: enforce\nsandbox:\n  root: "unterminated\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'config.yaml', line: 4 }); // where the YAML parser gave up
    expect(issues[0].message).toMatch(/invalid YAML/);
  });

  it('reports a duplicate key', () => {
    const { issues } = validate('mode: enforce\nmode: audit\n');
    expect(issues[0]).toMatchObject({ line: 2, col: 1 });
    expect(issues[0].message).toMatch(/unique/);
  });

  it('reports every issue at once, each with file:line:col, key path and a suggestion', () => {
    const { issues } = validate(`version: 1
mode: enforse
filesystem:
  protected_path: [".env"]
  deny_operations: [delete, delet, 7]
network:
  max_upload_bytes: -1
logging:
  level: verbose
  enabled: "yes"
sandbox: [1]
`);
    const lines = issues.map(formatIssue);
    expect(lines).toEqual([
      "config.yaml:2:1: mode: must be one of enforce, audit, off, got 'enforse' (did you mean 'enforce'?)",
      "config.yaml:4:3: filesystem.protected_path: unknown key 'protected_path' (did you mean 'protected_paths'?)",
      "config.yaml:5:29: filesystem.deny_operations[1]: unknown operation 'delet'; expected one of delete, write, chmod, move_outside_sandbox, create (did you mean 'delete'?)",
      "config.yaml:5:36: filesystem.deny_operations[2]: must be a non-empty string, got number 7",
      'config.yaml:7:3: network.max_upload_bytes: must be a whole number of at least 0, got number -1',
      "config.yaml:9:3: logging.level: must be one of info, warn, error, got 'verbose'",
      "config.yaml:10:3: logging.enabled: must be true or false, got 'yes'",
      "config.yaml:11:1: sandbox: must be a mapping, got a list",
    ]);
  });

  it('rejects an unsupported version and a top-level typo', () => {
    const { issues } = validate('version: 2\nmdoe: enforce\n');
    expect(issues.map((i) => i.message)).toEqual([
      'unsupported version number 2; this agentfirewall reads version 1',
      "unknown key 'mdoe'",
    ]);
    expect(issues[1].suggestion).toBe('mode');
  });

  it('accepts sizes with units for the log rotation', () => {
    expect(parseSize('5MB')).toBe(5 * 1024 * 1024);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(parseSize('lots')).toBeUndefined();
    expect(validate('logging:\n  max_size: 64KB\n').config.logging?.max_size).toBe(65536);
    expect(validate('logging:\n  max_size: tiny\n').issues[0].path).toBe('logging.max_size');
  });

  it('keeps the log file inside .agentfirewall/', () => {
    const { issues } = validate('logging:\n  file: ../../etc/passwd\n');
    expect(issues[0]).toMatchObject({ path: 'logging.file' });
  });

  it('validates rules: id shape, one matcher kind, operations only with a path', () => {
    const { issues } = validate(`rules:
  - id: Team_Rule
    command: x
  - id: team/a
    command: x
    host: y
  - id: team/b
    command: x
    operations: [delete]
  - id: team/c
    action: block
  - reason: no id
`);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "rules[0].id: rule id 'Team_Rule' must look like 'family/name' (lower case letters, digits and dashes), or 'family/*' for a whole pack",
      'rules[1]: a rule matches one kind of event: give only one of command, path, host or detect',
      "rules[2].operations: 'operations' only applies to a rule with 'path'",
      "rules[3].action: must be one of deny, warn, off, got 'block'",
      "rules[4]: a rule needs an 'id'",
    ]);
  });

  it('rules files accept only rules', () => {
    const { doc } = parseYaml('mode: off\nrules: []\n', 'rules/10.yaml');
    expect(validateRulesFile(doc).issues.map((i) => i.message)).toEqual(["unknown key 'mode'"]);
  });
});

describe('policy compilation', () => {
  it('switches a preset rule off or down to warn by id', () => {
    const { policy, issues } = policyFrom('standard', { rules: entries([{ id: 'git/push-force', action: 'warn' }, { id: 'proc/kill-9', action: 'off' }]) });
    expect(issues).toEqual([]);
    expect(policy.rules.find((r) => r.id === 'git/push-force')?.action).toBe('warn');
    expect(policy.rules.find((r) => r.id === 'proc/kill-9')?.action).toBe('off');
  });

  it('switches a whole pack with family/*, and a later entry for one rule of it wins', () => {
    const { policy, issues } = policyFrom('standard', { rules: entries([{ id: 'git/*', action: 'warn' }, { id: 'git/reset-hard', action: 'deny' }, { id: 'fs/*', action: 'off' }]) });
    expect(issues).toEqual([]);
    const git = policy.rules.filter((r) => r.id.startsWith('git/'));
    expect(git.length).toBeGreaterThan(2);
    expect(git.filter((r) => r.action !== 'warn').map((r) => r.id)).toEqual(['git/reset-hard']);
    expect(policy.rules.filter((r) => r.id.startsWith('fs/')).every((r) => r.action === 'off')).toBe(true);
    expect(policy.overrides['fs/self-protect']).toBe('off');
    const engine = engineFrom('standard', { rules: entries([{ id: 'git/*', action: 'warn' }]) });
    expect(command(engine, 'git push --force origin main').verdict).toBe('warn');
  });

  it('reports an unknown pack with a suggestion, and a pack entry that has a matcher', () => {
    expect(policyFrom('standard', { rules: entries([{ id: 'gti/*', action: 'off' }]) }).issues.map((i) => [i.message, i.suggestion])).toEqual([
      ["unknown pack 'gti/*': no rule id starts with 'gti/'", 'git/*'],
    ]);
    expect(validate('version: 1\nrules:\n  - id: git/*\n    command: ["git push"]\n').issues.map((i) => i.message)).toEqual([
      "'git/*' names a whole pack: it takes only 'action' (and 'reason'), not a matcher",
    ]);
  });

  it('switches a built-in rule by id', () => {
    const { policy } = policyFrom('standard', { rules: entries([{ id: 'fs/self-protect', action: 'warn' }]) });
    expect(policy.overrides).toEqual({ 'fs/self-protect': 'warn' });
  });

  it('reports an unknown id with a suggestion, a duplicate, and a redefined built-in', () => {
    const { issues } = policyFrom('standard', {
      rules: entries([
        { id: 'git/push-forced', action: 'off' },
        { id: 'git/reset-hard', command: ['git reset'] },
        { id: 'fs/self-protect', path: ['x'] },
      ]),
    });
    expect(issues.map((i) => [i.message, i.suggestion])).toEqual([
      ["unknown rule id 'git/push-forced': a new rule needs a 'command', 'path', 'host' or 'detect'", 'git/push-force'],
      [expect.stringMatching(/rule 'git\/reset-hard' is already defined \(presets\/standard.yaml:\d+\)/), undefined],
      ["'fs/self-protect' is a built-in rule; it can be switched with 'action' but not redefined", undefined],
    ]);
  });

  it('loads rule files after the config, in order, so a later file can change an earlier rule', () => {
    const { policy, issues } = policyFrom('standard', {}, [
      entries([{ id: 'team/no-publish', command: ['npm publish'], reason: 'releases go through CI' }]),
      entries([{ id: 'team/no-publish', action: 'warn' }]),
    ]);
    expect(issues).toEqual([]);
    expect(policy.rules.find((r) => r.id === 'team/no-publish')).toMatchObject({ action: 'warn', command: ['npm publish'] });
  });

  it('settings missing from the config come from the preset', () => {
    const { policy } = policyFrom('standard', { mode: 'audit', network: { allowed_hosts: ['*.example.com'] } });
    expect(policy.mode).toBe('audit');
    expect(policy.network.allowedHosts).toEqual(['*.example.com']);
    expect(policy.network.denyEgressTo).toContain('169.254.169.254');
    expect(policy.sandbox.root).toBe(PROJECT);
  });

  it('reports an unknown preset with a suggestion', () => {
    const issues: Parameters<typeof loadPresetChain>[1] = [];
    loadPresetChain('strikt', issues);
    expect(issues[0]).toMatchObject({ path: 'preset', suggestion: 'strict' });
  });
});

describe('presets', () => {
  it.each(['standard', 'strict', 'permissive'])('%s is valid and what init writes compiles to the same policy', (name) => {
    const { policy, issues } = policyFrom(name);
    expect(issues).toEqual([]);
    const { text } = configTextFor(name, PROJECT);
    const { config, issues: written } = validate(text!);
    expect(written).toEqual([]);
    const chainIssues: Parameters<typeof loadPresetChain>[1] = [];
    const again = compilePolicy({ projectDir: PROJECT, presets: loadPresetChain(config.preset!, chainIssues), config, ruleFiles: [] });
    expect(chainIssues).toEqual([]);
    expect(again.policy).toEqual(policy);
  });

  it('standard enforces, permissive audits, strict adds rules and closes the sandbox', () => {
    const standard = policyFrom('standard').policy;
    const strict = policyFrom('strict').policy;
    const permissive = policyFrom('permissive').policy;
    expect(standard.mode).toBe('enforce');
    expect(permissive.mode).toBe('audit');
    expect(permissive.rules.map((r) => r.id)).toEqual(standard.rules.map((r) => r.id));
    expect(strict.rules.length).toBeGreaterThan(standard.rules.length);
    expect(strict.rules.map((r) => r.id)).toEqual(expect.arrayContaining(standard.rules.map((r) => r.id)));
    expect(strict.sandbox.allowEscape).toBe(false);
    expect(strict.filesystem.denyOperations).toEqual(['delete', 'write', 'chmod', 'move_outside_sandbox', 'create']);
  });

  it('the written config lists every rule in force', () => {
    const { text } = configTextFor('standard', PROJECT);
    for (const r of policyFrom('standard').policy.rules) expect(text).toContain(r.id);
    expect(text).toContain('fs/self-protect');
    // Pack by pack, each under a header that names how to switch it whole.
    expect(text).toMatch(/^# {2}git\/\* \(4 rules\)\n# {3}git\/push-force +deny {2}git push that overwrites remote history/m);
  });
});

describe('a broken config never turns protection off', () => {
  it('enforcement points fall back to the standard preset and say why on every decision', async () => {
    const { tempProject } = await import('./helpers.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { loadPolicyFromYaml, loadFallbackPolicy } = await import('../src/config/load.js');
    const { createEngine } = await import('../src/config/glob.js');
    const { project, home } = tempProject();
    writeFileSync(join(project, '.agentfirewall/config.yaml'), 'mode: off\nfilesystem: {deny_operations: [explode]}\n');
    const broken = loadPolicyFromYaml(project);
    expect(broken.issues.length).toBeGreaterThan(0);
    const fallback = loadFallbackPolicy(project, broken.issues);
    expect(fallback.policy.mode).toBe('enforce'); // not the broken file's "off"
    const engine = createEngine(fallback.policy);
    const denied = engine.decide({ type: 'command', command: 'git push -f', cwd: project, home });
    expect(denied).toMatchObject({ verdict: 'deny', rule: 'git/push-force' });
    expect(denied.reason).toMatch(/config error: .* the standard preset is enforced until it is fixed/);
    const allowed = engine.decide({ type: 'command', command: 'ls', cwd: project, home });
    expect(allowed.reason).toMatch(/config error/);
  });
});
