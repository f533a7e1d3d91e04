import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command, engineFrom } from './policy-helpers.js';

// One table per family of command lines (test/fixtures/families/*.tsv): deny rows name the rule that must be among
// the matches, allow rows must not be denied. The rows were written as unseen variants before the models were fixed.
const dir = join(import.meta.dirname, 'fixtures/families');
const engine = engineFrom('standard');

for (const file of readdirSync(dir).filter((f) => f.endsWith('.tsv')).sort()) {
  const rows = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((line) => {
      const [expected, rule, cmd, note] = line.split('\t');
      return { expected, rule, cmd, note };
    });
  describe(file, () => {
    it('has deny and allow twins', () => {
      expect(rows.some((r) => r.expected === 'deny' || r.expected === 'warn')).toBe(true);
      expect(rows.some((r) => r.expected === 'allow')).toBe(true);
    });
    it.each(rows.filter((r) => r.expected === 'deny').map((r) => [r.cmd, r.rule]))('denies %s (%s)', (cmd, rule) => {
      const d = command(engine, cmd);
      expect(d.verdict, `${d.rule}: ${d.reason}`).toBe('deny');
      expect(d.matches.map((m) => m.rule)).toContain(rule);
    });
    it.each(rows.filter((r) => r.expected === 'warn').map((r) => [r.cmd, r.rule]))('warns on %s (%s)', (cmd, rule) => {
      const d = command(engine, cmd);
      expect(d.verdict, `${d.rule}: ${d.reason}`).toBe('warn');
      expect(d.matches.map((m) => m.rule)).toContain(rule);
    });
    it.each(rows.filter((r) => r.expected === 'allow').map((r) => [r.cmd]))('allows %s', (cmd) => {
      const d = command(engine, cmd);
      expect(d.verdict, `${d.rule}: ${d.reason}`).not.toBe('deny');
    });
  });
}
