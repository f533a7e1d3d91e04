import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { command, engineFrom } from './policy-helpers.js';

// Every line gets a decision: no exception, no runaway time (catastrophic regex backtracking, unbounded
// recursion). Random text from shell-significant characters, and corpus lines mutated character by character.
const corpus = readFileSync(join(import.meta.dirname, 'fixtures', 'corpus.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t')[2]);

const SHELL_CHARS = [...' \t\n;&|()<>{}[]$`\'"\\*?~!#=:-_./,+%@^', ...'abcdefrmgitshx0123456789'];
const shellText = fc.array(fc.constantFrom(...SHELL_CHARS), { maxLength: 120 }).map((cs) => cs.join(''));
const tokens = fc.constantFrom('rm', '-rf', '~', '/', '$(', ')', '`', "'", '"', '|', '&&', ';', 'sh -c', 'eval', 'xargs', 'find . -exec', '{}', '+', '<<<', '<(', '${HOME:-', '}', 'cd ..', '*', '.git', 'python3 -c', 'git push -f', 'base64 -d', 'sudo', 'env -S', '\\', '\n');
const tokenLine = fc.array(tokens, { maxLength: 40 }).map((ts) => ts.join(' '));
const mutated = fc
  .tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SHELL_CHARS), fc.constantFrom('insert', 'delete', 'replace', 'double')), { maxLength: 6 }))
  .map(([line, edits]) => {
    let s = line;
    for (const [at, ch, op] of edits) {
      const i = s.length ? at % s.length : 0;
      if (op === 'insert') s = s.slice(0, i) + ch + s.slice(i);
      else if (op === 'delete') s = s.slice(0, i) + s.slice(i + 1);
      else if (op === 'replace') s = s.slice(0, i) + ch + s.slice(i + 1);
      else s = s.slice(0, i) + s.slice(i) + s.slice(i);
    }
    return s;
  });
const nested = fc.tuple(fc.nat({ max: 30 }), fc.constantFrom('$(', '`', '(', '{ ', 'sh -c "', 'eval "')).map(([n, open]) => {
  const close = { '$(': ')', '`': '`', '(': ')', '{ ': '; }', 'sh -c "': '"', 'eval "': '"' }[open];
  return open.repeat(n) + 'rm -rf ~' + close.repeat(n);
});

describe('fuzz: every line gets a decision, quickly', () => {
  const engine = engineFrom('standard');
  const slowest: { line: string; ms: number }[] = [];

  /**
   * The CPU time of one decision in ms: a busy machine that runs other processes in between does not count,
   * and an over-budget result is re-measured so that a GC pause is not mistaken for a slow input.
   */
  function decideTimed(line: string): number {
    let best = Infinity;
    for (let attempt = 0; attempt < 3 && best > 10; attempt++) {
      const start = process.cpuUsage();
      const d = command(engine, line);
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / 1000);
      expect(['allow', 'deny', 'warn']).toContain(d.verdict);
      expect(typeof d.rule).toBe('string');
    }
    return best;
  }

  it('10,000 random, token-built, mutated and deeply nested lines', () => {
    let count = 0;
    fc.assert(
      fc.property(fc.oneof(shellText, tokenLine, mutated, nested), (line) => {
        count++;
        const ms = decideTimed(line);
        if (ms > 10) slowest.push({ line, ms });
        return ms <= 10;
      }),
      { numRuns: 10_000, seed: 20261129 },
    );
    expect(count).toBeGreaterThanOrEqual(10_000);
    expect(slowest).toEqual([]);
  }, 600_000);

  it('huge lines and pathological repetition stay bounded', { timeout: 120_000 }, () => {
    for (const line of ['a'.repeat(100_000), '$('.repeat(10_000), "'".repeat(9999), 'x=$x$x; '.repeat(2000), '{a,b}'.repeat(30), '${a:-${a:-${a:-'.repeat(500), 'f(){ f; }; f'.repeat(50)]) {
      const start = process.cpuUsage();
      const d = command(engine, line);
      expect(['allow', 'deny', 'warn']).toContain(d.verdict);
      const used = process.cpuUsage(start);
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
    }
  });
});
