import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from './helpers.js';

// A policy has documented bounds (1 MiB per file, 10,000 rule entries): past them it is a config error
// with its position, decided at once, instead of a `check` that parses for minutes. Below them a large
// rule set loads and every rule in it is enforced.
const rule = (i: number) => `  - id: team/r-${i}\n    command: ["tool-${i} deploy --force"]\n`;

function rulesFile(count: number, from = 0): string {
  const parts = ['rules:\n'];
  for (let i = from; i < from + count; i++) parts.push(rule(i));
  return parts.join('');
}

describe('large rule files', () => {
  it('refuses a 520k-rule file as a config error naming the file and the bound, and the fallback still enforces', () => {
    const p = tempProject();
    mkdirSync(join(p.project, '.agentfirewall/rules'), { recursive: true });
    writeFileSync(join(p.project, '.agentfirewall/rules/huge.yaml'), rulesFile(520_000));
    const r = cli(['check', 'ls'], { cwd: p.project, home: p.home });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.agentfirewall\/rules\/huge\.yaml:1:1: is \d+ bytes; a config or rules file may hold at most 1048576 bytes/);
    const denied = cli(['check', '--fallback', 'rm -rf .git'], { cwd: p.project, home: p.home });
    expect(denied.status, denied.stderr).toBe(1);
    expect(denied.stderr).toMatch(/standard preset is enforced/);
  }, 120_000);

  it('refuses more than 10,000 rule entries at the first one past the bound', () => {
    const p = tempProject();
    const dir = join(p.project, '.agentfirewall/rules');
    mkdirSync(dir, { recursive: true });
    // Short entries, so each file stays under 1 MiB: the count is what is refused.
    const short = (from: number, count: number) => ['rules:', ...Array.from({ length: count }, (_, k) => `  - {id: team/s-${from + k}, command: "t${from + k} go"}`)].join('\n') + '\n';
    writeFileSync(join(dir, 'a.yaml'), short(0, 6000));
    writeFileSync(join(dir, 'b.yaml'), short(6000, 4001));
    const r = cli(['check', 'ls'], { cwd: p.project, home: p.home });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.agentfirewall\/rules\/b\.yaml:4002:5: rules\[4000\]: 10001 rule entries; a policy may hold at most 10000/);
  }, 120_000);

  it('loads 9,000 rules and enforces the first, the last and none of the others on an unrelated command', () => {
    const p = tempProject();
    mkdirSync(join(p.project, '.agentfirewall/rules'), { recursive: true });
    writeFileSync(join(p.project, '.agentfirewall/rules/many.yaml'), rulesFile(9000));
    const first = cli(['check', 'tool-0 deploy --force'], { cwd: p.project, home: p.home });
    expect(first.status, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/team\/r-0\b/);
    const last = cli(['check', 'tool-8999 --force deploy'], { cwd: p.project, home: p.home });
    expect(last.status, last.stderr).toBe(1);
    expect(last.stderr).toMatch(/team\/r-8999\b/);
    expect(cli(['check', 'tool-8999 deploy'], { cwd: p.project, home: p.home }).status).toBe(0);
    expect(cli(['check', 'git status'], { cwd: p.project, home: p.home }).status).toBe(0);
  }, 120_000);
});
