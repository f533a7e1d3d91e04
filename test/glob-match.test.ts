import fc from 'fast-check';
import picomatch from 'picomatch/posix.js';
import { describe, expect, it } from 'vitest';
import { pathGlob } from '../src/config/glob.js';
import { commandPatternError, compileCommandPattern } from '../src/engine/command-pattern.js';
import { compilePathMatcher } from '../src/engine/glob-match.js';

// The path-glob matcher replaces picomatch's regular expressions: it must agree with picomatch (dot: true) on
// the syntax both accept (picomatch reads `[!a]` as the class of '!' and 'a'; here it is the shell's negation), and decide the shapes that make a backtracking expression run for minutes.
const globPiece = fc.constantFrom('a', 'b', '.', '.a', '*', '**', '?', '[ab]', '[^a]', '[a-c]', '{a,b}', '{a,.b}', '*a', 'a*', 'b*a');
// Relative globs: after a leading `/`, picomatch lets `/**/` match no directory only in some shapes
// (`/**/x` matches `/x`, `/**/*/x` does not match `/b/x`); here `**` always may match none.
const glob = fc.array(globPiece, { minLength: 1, maxLength: 5 }).map((segs) => segs.join('/'));
const pathPiece = fc.constantFrom('a', 'b', 'c', '.a', 'ab', 'ba', 'aa', '.env', 'x.b');
const path = fc.array(pathPiece, { minLength: 1, maxLength: 5 }).map((segs) => segs.join('/'));

describe('path globs', () => {
  it('agree with picomatch on every glob and path of the shared syntax', () => {
    fc.assert(
      fc.property(glob, path, (g, p) => {
        // A trailing `/**` also matches the directory itself here (so `a*/**/**` matches `a`); picomatch does so
        // only after a literal segment.
        let itself = false;
        for (let base = g; !itself && base.endsWith('/**') && base.length > 3; ) {
          base = base.slice(0, -3);
          itself = picomatch(base, { dot: true })(p);
        }
        expect(pathGlob(g)(p), `${g} vs ${p}`).toBe(picomatch(g, { dot: true })(p) || itself);
      }),
      // Seeded, so a run is the same on every machine; change the seed to explore further.
      { numRuns: 3000, seed: 20261202 },
    );
  });

  it('decide a glob with many stars against long paths (a backtracking expression takes minutes)', () => {
    const many = `**/${'*a'.repeat(12)}*b`;
    const word = 'a'.repeat(60);
    expect(pathGlob(many)(`x/${word}`)).toBe(false);
    expect(pathGlob(many)(`x/${word}b`)).toBe(true);
    expect(pathGlob(`${'**/'.repeat(20)}x`)(`${'d/'.repeat(200)}y`)).toBe(false);
    expect(pathGlob(`${'**/'.repeat(20)}x`)(`${'d/'.repeat(200)}x`)).toBe(true);
  });

  it('refuse broken classes and braces instead of matching nothing', () => {
    for (const broken of ['[unclosed', 'src/[z-a]', 'a{b', '!(x)', '@(a|b)', '[[:nosuch:]]']) {
      expect(compilePathMatcher(broken), broken).toHaveProperty('error');
    }
    expect(compilePathMatcher('a\\[b')).not.toHaveProperty('error');
    expect(pathGlob('a\\[b')('a[b')).toBe(true);
    expect(pathGlob('{x}')('{x}')).toBe(true);
    expect(pathGlob('[!a]')('a')).toBe(false);
    expect(pathGlob('[!a]')('b')).toBe(true);
    expect(pathGlob('/etc/**')('/etc')).toBe(true);
    expect(pathGlob('/etc/**')('/etc/a/b')).toBe(true);
    expect(pathGlob('/**/*/.a')('/b/.a')).toBe(true);
    expect(pathGlob('/etc/*')('/etc2/x')).toBe(false);
  });
});

describe('command patterns', () => {
  it('decide a word with many stars against a long word and a long line', () => {
    const pattern = compileCommandPattern(`${'*a'.repeat(20)}*b`);
    expect(pattern.matches(['a'.repeat(40)], '/home/u')).toBe(false);
    expect(pattern.matches(['a'.repeat(40) + 'b'], '/home/u')).toBe(true);
    const operand = compileCommandPattern(`rm ${'*x'.repeat(25)}*y`);
    expect(operand.matches(['rm', ...Array(200).fill('x'.repeat(80))], '/home/u')).toBe(false);
    const text = compileCommandPattern(`:(){ ${'*:'.repeat(30)}* };:`);
    expect(text.matchesLine!(':'.repeat(5000))).toBe(false);
  });

  it('match classes and keep escapes literal', () => {
    expect(compileCommandPattern('git push [o]rigin').matches(['git', 'push', 'origin'], '/h')).toBe(true);
    expect(compileCommandPattern('rm file[0-9]').matches(['rm', 'file7'], '/h')).toBe(true);
    expect(compileCommandPattern('rm file[0-9]').matches(['rm', 'filex'], '/h')).toBe(false);
    expect(compileCommandPattern('rm a\\*').matches(['rm', 'a*'], '/h')).toBe(true);
    expect(compileCommandPattern('rm a\\*').matches(['rm', 'ab'], '/h')).toBe(false);
    expect(compileCommandPattern('[ -f x ]').matches(['[', '-f', 'x', ']'], '/h')).toBe(true);
  });

  it('report broken classes', () => {
    expect(commandPatternError('rm [z-a]')).toMatch(/out of order/);
    expect(commandPatternError('rm [unclosed')).toMatch(/unclosed/);
    expect(commandPatternError('[ -f x ]')).toBeNull();
    expect(commandPatternError('git push --force')).toBeNull();
  });
});
