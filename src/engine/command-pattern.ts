import { normalizePath } from '../shell/paths.js';
import { normalizeArgv, type NormalizedCommand } from './options.js';

/**
 * A compiled command pattern such as `git push --force` or `dd * of=/dev/*`.
 *
 * Patterns compare word by word with the commands a line executes, never with raw text: the program
 * must match, every option of the pattern must be present in any spelling (`-rf`, `-r -f`,
 * `--recursive --force`), and the pattern's other words must appear in order among the command's
 * operands. `*` inside a word matches any characters (`\\*` is a literal star); a lone `*` matches any words.
 */
export interface CommandPattern {
  source: string;
  matches(argv: readonly string[], home: string): boolean;
  /** Set for legacy patterns written as shell syntax: compares the whole line text instead. */
  matchesLine?(line: string): boolean;
}

/** Split a pattern into words; single and double quotes group words. */
export function patternWords(pattern: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

const SHELL_SYNTAX = /[(){}|&;<>`$]/;

/** Compile a pattern. Patterns that are shell syntax rather than words (`:(){ :|:& };:`) match line text. */
export function compileCommandPattern(pattern: string): CommandPattern {
  const words = patternWords(pattern);
  if (words.length === 0) return { source: pattern, matches: () => false };
  if (SHELL_SYNTAX.test(words[0])) return textPattern(pattern);
  const normalized = normalizeArgv(words);
  const nameRe = globRegExp(normalized.name);
  const operands = normalized.operands.filter((w) => w !== '*');
  const options = [...normalized.options].filter((o) => !o.includes('*') && o !== '-\\');
  return {
    source: pattern,
    matches(argv, home) {
      if (argv.length === 0) return false;
      const command = normalizeArgv(argv);
      if (!nameRe.test(command.name)) return false;
      for (const o of options) if (!command.options.has(o)) return false;
      return operandsInOrder(operands, command, home);
    },
  };
}

function operandsInOrder(wanted: string[], command: NormalizedCommand, home: string): boolean {
  let i = 0;
  for (const want of wanted) {
    const re = globRegExp(canonicalOperand(expandHome(want, home)));
    while (i < command.operands.length && !re.test(canonicalOperand(command.operands[i]))) i++;
    if (i === command.operands.length) return false;
    i++;
  }
  return true;
}

function expandHome(word: string, home: string): string {
  if (word === '~' || word === '$HOME') return home;
  if (word.startsWith('~/')) return home + word.slice(1);
  if (word.startsWith('$HOME/')) return home + word.slice(5);
  return word;
}

/** `//`, `/./` and a trailing `/` do not change which path an absolute operand names. */
function canonicalOperand(word: string): string {
  if (!word.startsWith('/') || /[*?\\]/.test(word)) return word;
  return normalizePath(word);
}

const reCache = new Map<string, RegExp>();

/** An anchored regular expression for a word glob: `*` any characters, `?` one character, `\\*` a star. */
export function globRegExp(glob: string): RegExp {
  let re = reCache.get(glob);
  if (!re) {
    const body = glob
      .split(/(\\\*|\*|\?)/)
      .map((piece) => (piece === '\\*' ? '\\*' : piece === '*' ? '.*' : piece === '?' ? '.' : piece.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    if (reCache.size < 1000) reCache.set(glob, re);
  }
  return re;
}

/** Legacy patterns that are shell syntax: compared with the whole line, whitespace-insensitively. */
function textPattern(pattern: string): CommandPattern {
  const squash = (s: string) => s.replace(/\s+/g, '');
  const re = new RegExp(squash(pattern).replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*'), 's');
  return { source: pattern, matches: () => false, matchesLine: (line) => re.test(squash(line)) };
}
