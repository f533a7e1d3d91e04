/**
 * Bounds on the work of checking one line. A line that needs more than these is refused as too complex
 * (`parse/too-complex`) within a few milliseconds: never cut short silently, never left to run for seconds,
 * never a crash. Each bound is far above what a real command line needs.
 */
export const LIMITS = {
  /** Characters in a line handed to the engine (a heredoc with a large file fits). */
  lineChars: 1 << 20,
  /** Words, substitutions and commands one line is parsed into (heredoc and backtick text included). */
  nodes: 5_000,
  /** Characters in one value that expansions made: a variable, a word, an array, a command's known output. */
  valueChars: 1 << 18,
  /** Characters that all expansions of one line produce together. */
  expandedChars: 1 << 22,
  /** Words (fields after expansion) that one line produces together. */
  fields: 1 << 12,
  /** Words one brace expansion produces (`{a,b}{a,b}…`). */
  braceFields: 1024,
  /** Times a loop body, a function body or a `xargs -I` command is walked on one line. */
  walks: 4096,
} as const;

/** Thrown inside the shell layer when a bound is exceeded; `interpret` turns it into a value. */
export class TooComplex extends Error {}

/** The work done so far on one line, charged as expansions produce text and words. */
export class Budget {
  private chars = 0;
  private fields = 0;
  private walks = 0;

  /**
   * Charge one produced value of `length` characters (and `fields` words). Text taken as written from the line
   * (`literal`: a heredoc's body) is bounded by the line's length already, so only values that expansions grew
   * are held to `valueChars`.
   */
  charge(length: number, fields = 1, literal = false): void {
    if (length > LIMITS.valueChars && !literal) throw new TooComplex(`a value grows past ${LIMITS.valueChars} characters`);
    this.chars += length;
    this.fields += fields;
    if (this.chars > LIMITS.expandedChars) throw new TooComplex(`its expansions produce more than ${LIMITS.expandedChars} characters`);
    if (this.fields > LIMITS.fields) throw new TooComplex(`its expansions produce more than ${LIMITS.fields} words`);
  }

  /** Charge one more walk of a loop or function body. */
  walk(): void {
    if (++this.walks > LIMITS.walks) throw new TooComplex(`its loops and calls run more than ${LIMITS.walks} bodies`);
  }
}

/** Why a line cannot be checked as text (NUL bytes, bytes that were not UTF-8), or undefined when it can. */
export function unreadableText(line: string): string | undefined {
  // U+FFFD is what decoding puts in place of a byte that is not UTF-8; a lone surrogate is no character at all.
  const m = /[\u0000\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(line);
  if (!m) return undefined;
  const what = m[0] === '\u0000' ? 'a NUL byte' : m[0] === '\uFFFD' ? 'bytes that are not UTF-8' : 'an unpaired UTF-16 surrogate';
  return `the line holds ${what} (at character ${m.index}), which a shell does not read as the text shown`;
}
