import type { Word, WordPart } from './ast.js';

/**
 * Arithmetic text (`$(( ))`, `(( ))`, `for (( ;; ))`, array subscripts) is not a plain string to bash: it is
 * expanded as if double-quoted before it is evaluated, so every `$( )`, backtick and `${ }` in it runs, even
 * inside single quotes. This module finds where such text ends and reads it into a word of literal text and
 * substitutions, so that the interpreter judges those substitutions like any other.
 */

/** What the arithmetic reader needs from the parser: the text, its cursor, and its substitution reader. */
export interface ArithmeticHost {
  readonly src: string;
  pos: number;
  /** `$name`, `${…}`, `$( )`, `$(( ))` or a backtick substitution at the cursor; null when the `$` is literal. */
  substitution(): WordPart | null;
  fail(message: string): never;
}

/**
 * Index of the `))` that closes arithmetic starting at `from` (just after its `((`), or -1 when the parentheses
 * do not close that way, which bash reads as nested subshells (`((a) (b))`). Without `semicolons`, a `;` or a
 * newline outside parentheses also means "not arithmetic" (the conservative reading: commands). Quoted text,
 * backslash escapes and backticks are stepped over, so a `)` inside them does not count.
 */
export function findArithmeticEnd(src: string, from: number, semicolons = false): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"' || c === '`') {
      const close = skipQuoted(src, i);
      if (close < 0) return -1;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return src[i + 1] === ')' ? i : -1;
      depth--;
    } else if (depth === 0 && (c === '\n' || (c === ';' && !semicolons))) return -1;
  }
  return -1;
}

/** Index of the quote closing the one at `open`, or -1. Double quotes and backticks honour backslashes. */
function skipQuoted(src: string, open: number): number {
  const q = src[open];
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\' && q !== "'") i++;
    else if (src[i] === q) return i;
  }
  return -1;
}

/**
 * Read arithmetic text from the host's cursor up to `end` (exclusive) as a word: the literal text, and every
 * substitution in it as its own part. Quotes do not protect anything here (bash expands `$(( '$(cmd)' ))`),
 * so they are kept as literal characters. Leaves the cursor at `end`.
 */
export function readArithmetic(host: ArithmeticHost, end: number): Word {
  const start = host.pos;
  const parts: WordPart[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) parts.push({ type: 'lit', text: lit, quoted: true });
    lit = '';
  };
  while (host.pos < end) {
    const c = host.src[host.pos];
    if (c === '\\' && host.pos + 1 < end) {
      lit += host.src[host.pos + 1];
      host.pos += 2;
      continue;
    }
    if (c === '$' || c === '`') {
      const part = host.substitution();
      if (part) {
        if (host.pos > end) host.fail('a substitution runs past the end of its arithmetic expression');
        flush();
        parts.push(part);
        continue;
      }
    }
    lit += c;
    host.pos++;
  }
  flush();
  return { parts, raw: host.src.slice(start, end) };
}

/** Does a variable's value, evaluated in arithmetic, run substitutions (bash expands `a[$(cmd)]` in values too)? */
export function mayRunInArithmetic(value: string): boolean {
  return value.includes('[') && (value.includes('$(') || value.includes('`'));
}

/**
 * Index of the `]` closing the subscript opened at `open` (`a[…]`), or -1; brackets, quotes and `$( )` nest. Blanks,
 * `;` and newlines do not end it: bash reads `a[0; echo x]=1` as one assignment (whose arithmetic then fails).
 */
export function findSubscriptEnd(src: string, open: number): number {
  let brackets = 0;
  let parens = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"' || c === '`') {
      const close = skipQuoted(src, i);
      if (close < 0) return -1;
      i = close;
    } else if (c === '(') parens++;
    else if (c === ')') {
      if (--parens < 0) return -1;
    } else if (parens === 0 && c === '[') brackets++;
    else if (parens === 0 && c === ']' && --brackets === 0) return i;
  }
  return -1;
}
