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

// Speed is measured by bench/engine.js and bench/bounds.js (numbers, not assertions): a timed test would depend
// on the machine.
describe('fuzz: every line gets a decision, never an exception', () => {
  const engine = engineFrom('standard');

  it('10,000 random, token-built, mutated and deeply nested lines', () => {
    let count = 0;
    fc.assert(
      fc.property(fc.oneof(shellText, tokenLine, mutated, nested), (line) => {
        count++;
        const d = command(engine, line);
        expect(['allow', 'deny', 'warn']).toContain(d.verdict);
        expect(typeof d.rule).toBe('string');
      }),
      { numRuns: 10_000, seed: 20261129 },
    );
    expect(count).toBeGreaterThanOrEqual(10_000);
  }, 600_000);

  // The shapes that grow without bound, each past one bound of the checker (src/shell/limits.ts), alone and after a
  // corpus line: denied as parse/too-complex, never an exception. Text a shell would not read as shown (NUL, an
  // undecodable byte, a lone surrogate) anywhere in a corpus line: denied as parse/unparseable.
  const pathological = fc.oneof(
    fc.integer({ min: 19, max: 60 }).map((n) => 'x=a; ' + 'x=$x$x; '.repeat(n)),
    fc.integer({ min: 19, max: 60 }).map((n) => 'x=a; ' + 'x="$x$x"; '.repeat(n)),
    fc.integer({ min: 19, max: 60 }).map((n) => 'x=a; ' + 'x+=$x; '.repeat(n)),
    fc.integer({ min: 13, max: 60 }).map((n) => 'a=(a); ' + 'a=("${a[@]}" "${a[@]}"); '.repeat(n)),
    fc.integer({ min: 11, max: 40 }).map((n) => 'echo ' + '{a,b}'.repeat(n)),
    fc.integer({ min: 1025, max: 10_000_000 }).map((n) => `echo {1..${n}}`),
    fc.tuple(fc.integer({ min: 65, max: 10_000 }), fc.constantFrom(['$(', ')'], ['( ', ' )'], ['${a:-', '}'], ['((', ''], ['{ ', '; }'])).map(
      ([n, [open, close]]) => open.repeat(n) + 'rm -rf ~' + close.repeat(n),
    ),
    fc.integer({ min: 5001, max: 100_000 }).map((n) => 'echo ' + 'a '.repeat(n)),
    fc.integer({ min: 3000, max: 20_000 }).map((n) => 'cat <<EOF\n' + '$(true) '.repeat(n) + '\nEOF'),
  );
  const unreadable = fc
    .tuple(fc.constantFrom(...corpus), fc.nat(), fc.constantFrom('\u0000', '\uFFFD', '\uD800', '\uDFFF', '\uDBFF'))
    .map(([line, at, bad]) => line.slice(0, at % (line.length + 1)) + bad + line.slice(at % (line.length + 1)));

  it('pathological shapes are denied as parse/too-complex, alone or after a corpus line', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(pathological, fc.option(fc.constantFrom(...corpus), { nil: undefined }), (shape, before) => {
        const d = command(engine, before === undefined ? shape : `${before}\n${shape}`);
        expect(d.verdict).toBe('deny');
        if (before === undefined) expect(d.rule).toBe('parse/too-complex');
        else expect(d.matches.map((m) => m.rule)).toContain('parse/too-complex');
      }),
      { numRuns: 150, seed: 20261202 },
    );
  });

  it('NUL bytes, undecodable bytes and lone surrogates are denied as parse/unparseable', () => {
    fc.assert(
      fc.property(unreadable, (line) => {
        const d = command(engine, line);
        expect(d.verdict).toBe('deny');
        expect(d.rule).toBe('parse/unparseable');
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });

  // How fast these are decided is bench/bounds.js's to print; here: a decision, never an exception.
  it('huge lines and pathological repetition get a decision', { timeout: 120_000 }, () => {
    for (const line of ['a'.repeat(100_000), '$('.repeat(10_000), "'".repeat(9999), 'x=$x$x; '.repeat(2000), '{a,b}'.repeat(30), '${a:-${a:-${a:-'.repeat(500), 'f(){ f; }; f'.repeat(50)]) {
      const d = command(engine, line);
      expect(['allow', 'deny', 'warn']).toContain(d.verdict);
    }
    expect(command(engine, '{a,b}'.repeat(30)).rule).toBe('parse/too-complex');
    expect(command(engine, '${a:-${a:-${a:-'.repeat(500)).rule).toBe('parse/too-complex');
  });
});
