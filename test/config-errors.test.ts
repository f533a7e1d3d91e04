import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject, write } from './helpers.js';

// Rules that cannot be read or cannot mean what they say are config errors with their position, never
// dropped: `check` exits 2 with every error, enforcement points (`--fallback`) enforce the standard preset
// and say so with every decision.

/** A project initialised with the standard preset, its config edited by `configEdit`. */
function project(configEdit?: (text: string) => string) {
  const p = tempProject();
  const config = join(p.project, '.agentfirewall/config.yaml');
  if (configEdit) {
    const text = readFileSync(config, 'utf8');
    const edited = configEdit(text);
    expect(edited, 'the edit applies to the generated config').not.toBe(text);
    writeFileSync(config, edited);
  }
  return { ...p, config, rules: join(p.project, '.agentfirewall/rules') };
}

const teamRule = 'rules:\n  - id: team/no-deploy\n    command: ["make deploy"]\n';

function expectBroken(p: { project: string; home: string }, where: RegExp) {
  const r = cli(['check', 'ls'], { cwd: p.project, home: p.home });
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(where);
  expect(r.stdout).toBe('');
  const position = /^ {2}(\S+:\d+:\d+):/m.exec(r.stderr)?.[1];
  expect(position, r.stderr).toBeDefined();
  // An enforcement point keeps the standard preset in force and says why on every decision.
  const denied = cli(['check', '--fallback', 'rm -rf .git'], { cwd: p.project, home: p.home });
  expect(denied.status, denied.stderr).toBe(1);
  expect(denied.stderr).toMatch(/standard preset is enforced/);
  expect(denied.stderr).toContain(`${position} `);
  const allowed = cli(['check', '--fallback', 'ls'], { cwd: p.project, home: p.home });
  expect(allowed.status, allowed.stderr).toBe(0);
  expect(allowed.stderr).toMatch(/warning: .*standard preset is enforced/);
}

describe('a rules/ directory that cannot be read', () => {
  it('is an error when a file stands where the directory should be, also after a cached clean load', () => {
    const p = project();
    expect(cli(['check', 'ls'], { cwd: p.project, home: p.home }).status).toBe(0); // cached with no rule files
    rmSync(p.rules, { recursive: true, force: true });
    writeFileSync(p.rules, teamRule);
    expectBroken(p, /\.agentfirewall\/rules:1:1: .*not a directory/);
  }, 60_000);

  it('is an error when the directory loops through a symlink (unreadable for root too)', () => {
    const p = project();
    write(join(p.rules, 'team.yaml'), teamRule);
    expect(cli(['check', 'make deploy'], { cwd: p.project, home: p.home }).status).toBe(1);
    rmSync(p.rules, { recursive: true, force: true });
    symlinkSync('rules', p.rules);
    expectBroken(p, /\.agentfirewall\/rules:1:1: .*ELOOP/);
  }, 60_000);

  it('is an error when the directory is a dangling symlink', () => {
    const p = project();
    rmSync(p.rules, { recursive: true, force: true });
    symlinkSync('/nonexistent/agentfirewall-rules', p.rules);
    expectBroken(p, /\.agentfirewall\/rules:1:1: .*dangling symlink/);
  }, 60_000);

  it.skipIf(process.getuid?.() === 0)('is an error when the directory has no read permission (root ignores modes)', () => {
    const p = project();
    write(join(p.rules, 'team.yaml'), teamRule);
    chmodSync(p.rules, 0o000);
    try {
      expectBroken(p, /\.agentfirewall\/rules:1:1: .*EACCES/);
    } finally {
      chmodSync(p.rules, 0o755);
    }
  }, 60_000);

  it('is no error when rules/ does not exist', () => {
    const p = project();
    rmSync(p.rules, { recursive: true, force: true });
    expect(cli(['check', 'ls'], { cwd: p.project, home: p.home }).status).toBe(0);
  }, 60_000);
});

describe('host patterns, globs and command patterns that cannot be compiled', () => {
  const cases: { name: string; edit: (t: string) => string; where: RegExp }[] = [
    { name: 'a CIDR prefix past 32', edit: (t) => t.replace(/deny_egress_to:\n/, 'deny_egress_to:\n    - "10.0.0.0/99"\n'), where: /config\.yaml:\d+:7: network\.deny_egress_to\[0\]: .*10\.0\.0\.0\/99/ },
    { name: 'a negative CIDR prefix', edit: (t) => t.replace(/allowed_hosts: \[\]/, 'allowed_hosts: ["github.com", "10.0.0.0/-1"]'), where: /config\.yaml:\d+:\d+: network\.allowed_hosts\[1\]: .*prefix/ },
    { name: 'a CIDR base that is no address', edit: (t) => t.replace(/deny_egress_to:\n/, 'deny_egress_to:\n    - "300.0.0.0/8"\n'), where: /network\.deny_egress_to\[0\]: .*300\.0\.0\.0/ },
    { name: 'an IPv6 CIDR range', edit: (t) => t.replace(/deny_egress_to:\n/, 'deny_egress_to:\n    - "fd00::/8"\n'), where: /network\.deny_egress_to\[0\]: .*IPv6/ },
    { name: 'an address with an octet past 255', edit: (t) => t.replace(/deny_egress_to:\n/, 'deny_egress_to:\n    - "10.0.0.300"\n'), where: /network\.deny_egress_to\[0\]: / },
    { name: 'a host with glob brackets', edit: (t) => t.replace(/^rules: \[\]$/m, 'rules:\n  - id: team/hosts\n    host: ["[unclosed"]'), where: /config\.yaml:\d+:12: rules\[0\]\.host\[0\]: / },
    { name: 'an unclosed class in a protected path', edit: (t) => t.replace(/protected_paths:\n/, 'protected_paths:\n    - "secrets/[unclosed"\n'), where: /config\.yaml:\d+:7: filesystem\.protected_paths\[0\]: unclosed '\['/ },
    { name: 'a reversed range in a path rule', edit: (t) => t.replace(/^rules: \[\]$/m, 'rules:\n  - id: team/paths\n    path: "build/[z-a]*"'), where: /rules\[0\]\.path: range 'z-a' is out of order/ },
    { name: 'a reversed range in a command pattern', edit: (t) => t.replace(/blocklist: \[\]/, 'blocklist: ["rm [z-a]"]'), where: /commands\.blocklist\[0\]: range 'z-a' is out of order/ },
    { name: 'an unclosed class in a rule command', edit: (t) => t.replace(/^rules: \[\]$/m, 'rules:\n  - id: team/cmd\n    command: ["git push [unclosed"]'), where: /rules\[0\]\.command\[0\]: unclosed '\['/ },
  ];
  for (const c of cases) {
    it(`reports ${c.name} with its position`, () => {
      const p = project(c.edit);
      expectBroken(p, c.where);
    }, 60_000);
  }

  it('reports broken patterns in a rules/ file with that file\'s position', () => {
    const p = project();
    mkdirSync(p.rules, { recursive: true });
    writeFileSync(join(p.rules, 'net.yaml'), 'rules:\n  - id: team/net\n    host: ["10.0.0.0/33"]\n');
    expectBroken(p, /\.agentfirewall\/rules\/net\.yaml:3:12: rules\[0\]\.host\[0\]: /);
  }, 60_000);

  it('keeps accepting the patterns that are valid', () => {
    const p = project((t) =>
      t
        .replace(/deny_egress_to:\n/, 'deny_egress_to:\n    - "10.0.0.0/8"\n    - "0.0.0.0/0"\n    - "*.internal"\n    - "[fd00:ec2::254]"\n')
        .replace(/protected_paths:\n/, 'protected_paths:\n    - "secrets/{a,b}/[0-9]*.key"\n    - "a\\\\[literal"\n')
        .replace(/blocklist: \[\]/, 'blocklist: ["rm file[0-9]", "[ -f x ]"]'),
    );
    const r = cli(['check', 'rm file7'], { cwd: p.project, home: p.home });
    expect(r.status, r.stderr).toBe(1);
    expect(cli(['check-network', '10.1.2.3'], { cwd: p.project, home: p.home }).status).toBe(1);
    expect(cli(['check-file', '-o', 'write', 'secrets/b/12.key'], { cwd: p.project, home: p.home }).status).toBe(1);
    expect(cli(['check-file', '-o', 'write', 'secrets/c/12.key'], { cwd: p.project, home: p.home }).status).toBe(0);
  }, 60_000);
});
