import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, engineFrom } from './policy-helpers.js';

// RuleTester-style tables: for every rule of the standard packs, lines it must deny and look-alikes it must let through.
const rows = readFileSync(join(import.meta.dirname, 'fixtures/rule-packs.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [rule, expected, cmd] = line.split('\t');
    return { rule, expected, cmd };
  });

const engine = engineFrom('standard');

describe.each([...new Set(rows.map((r) => r.rule))])('%s', (rule) => {
  const mine = rows.filter((r) => r.rule === rule);
  it('has cases on both sides', () => {
    expect(mine.some((r) => r.expected === 'deny')).toBe(true);
    expect(mine.some((r) => r.expected === 'allow')).toBe(true);
  });
  it.each(mine.filter((r) => r.expected === 'deny').map((r) => [r.cmd]))('denies %s', (cmd) => {
    const d = command(engine, cmd);
    expect(d.verdict).toBe('deny');
    expect(d.matches.map((m) => m.rule)).toContain(rule);
  });
  it.each(mine.filter((r) => r.expected === 'allow').map((r) => [r.cmd]))('allows %s', (cmd) => {
    const d = command(engine, cmd);
    expect(d.verdict, `${d.rule}: ${d.reason}`).not.toBe('deny');
  });
});
