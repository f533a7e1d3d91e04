import { normalizePath } from '../shell/paths.js';
import { compileWordGlob, matchWord } from './glob-match.js';
import { normalizeArgv, programName, type NormalizedCommand } from './options.js';

/**
 * A compiled command pattern such as `git push --force` or `dd * of=/dev/*`.
 *
 * Patterns compare word by word with the commands a line executes, never with raw text: the program
 * must match, every option of the pattern must be present in any spelling (`-rf`, `-r -f`,
 * `--recursive --force`), and the pattern's other words must appear in order among the command's
 * operands. `*` inside a word matches any characters, `?` one, `[...]` one of a class (`\\*`, `\\?`, `\\[` are
 * literal); a lone `*` matches any words. Matching never backtracks more than the word's length per pattern token.
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

/**
 * Compile a pattern. Patterns that are shell syntax rather than words (`:(){ :|:& };:`) match line text.
 * A pattern that starts with a plain program name is compiled in full only when a command of that name
 * comes by: a policy with thousands of rules costs each command one name comparison per rule.
 */
export function compileCommandPattern(pattern: string): CommandPattern {
  const lead = /^\s*([A-Za-z0-9_.+-]+)(?:\s|$)/.exec(pattern)?.[1];
  if (lead === undefined) return compileFull(pattern);
  let full: CommandPattern | undefined;
  return {
    source: pattern,
    matches: (argv, home) => argv.length > 0 && programName(argv[0]) === lead && (full ??= compileFull(pattern)).matches(argv, home),
  };
}

function compileFull(pattern: string): CommandPattern {
  const words = patternWords(pattern);
  if (words.length === 0) return { source: pattern, matches: () => false };
  if (SHELL_SYNTAX.test(words[0])) return textPattern(pattern);
  const normalized = normalizeArgv(words);
  const nameMatches = wordMatcher(normalized.name);
  const operands = normalized.operands.filter((w) => w !== '*');
  const options = [...normalized.options].filter((o) => !o.includes('*') && o !== '-\\');
  return {
    source: pattern,
    matches(argv, home) {
      if (argv.length === 0) return false;
      const command = normalizedOnce(argv);
      if (!nameMatches(command.name)) return false;
      for (const o of options) if (!command.options.has(o)) return false;
      return operandsInOrder(operands, command, home);
    },
  };
}

const normalizedArgv = new WeakMap<readonly string[], NormalizedCommand>();

/** `normalizeArgv` once per argv: every pattern of every rule is compared with the same command. */
function normalizedOnce(argv: readonly string[]): NormalizedCommand {
  let command = normalizedArgv.get(argv);
  if (!command) normalizedArgv.set(argv, (command = normalizeArgv(argv)));
  return command;
}

function operandsInOrder(wanted: string[], command: NormalizedCommand, home: string): boolean {
  let i = 0;
  for (const want of wanted) {
    const matches = wordMatcher(canonicalOperand(expandHome(want, home)));
    while (i < command.operands.length && !matches(canonicalOperand(command.operands[i]))) i++;
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

const WORD_SYNTAX = { slash: true, escapable: '*?[]\\' };
const matcherCache = new Map<string, (word: string) => boolean>();

/**
 * A matcher for one pattern word: `*` any characters, `?` one, `[...]` a class, `\\` before those literal.
 * A word the glob syntax refuses (validation reports it as a config error) matches only itself.
 */
export function wordMatcher(glob: string): (word: string) => boolean {
  let m = matcherCache.get(glob);
  if (!m) {
    const compiled = glob === '[' ? { error: 'the test command' } : compileWordGlob(glob, WORD_SYNTAX);
    if ('error' in compiled) m = (word) => word === glob;
    else {
      const { tokens } = compiled;
      const literal = tokens.every((t) => t.kind === 'char') ? tokens.map((t) => (t.kind === 'char' ? t.ch : '')).join('') : null;
      m = literal !== null ? (word) => word === literal : (word) => matchWord(tokens, word, true);
    }
    if (matcherCache.size < 1000) matcherCache.set(glob, m);
  }
  return m;
}

/** Why a command pattern cannot be compiled (a broken class such as `[z-a]` or `[unclosed`), or null. */
export function commandPatternError(pattern: string): string | null {
  const words = patternWords(pattern);
  if (words.length === 0 || SHELL_SYNTAX.test(words[0])) return null;
  for (const word of words) {
    if (word === '[') continue; // the test command, and a literal bracket as a word
    const compiled = compileWordGlob(word, WORD_SYNTAX);
    if ('error' in compiled) return compiled.error;
  }
  return null;
}

/** Legacy patterns that are shell syntax: compared with the whole line, whitespace-insensitively. */
function textPattern(pattern: string): CommandPattern {
  const squash = (s: string) => s.replace(/\s+/g, '');
  // `*` is any text; the pieces between stars are found in order, leftmost first, which is exact for a pattern
  // that may match anywhere in the line and takes one pass over it.
  const pieces = squash(pattern).split('*');
  return {
    source: pattern,
    matches: () => false,
    matchesLine(line) {
      const text = squash(line);
      let at = 0;
      for (const piece of pieces) {
        const found = text.indexOf(piece, at);
        if (found < 0) return false;
        at = found + piece.length;
      }
      return true;
    },
  };
}
