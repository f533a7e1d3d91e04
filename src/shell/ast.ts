/**
 * The syntax tree of a shell command line (a bash-compatible subset that covers what agents send).
 * Produced by `parse()`; consumed by the static interpreter. Plain data, no behaviour.
 */

/** One piece of a word, in source order. */
export type WordPart =
  /** Literal text. `quoted` is true for text from quotes or backslash escapes: no globbing, splitting or tilde. */
  | { type: 'lit'; text: string; quoted: boolean }
  /** `$name`, `${name}`, `${name:-word}`, `${#name}` ... */
  | {
      type: 'param'; name: string; op?: string; arg?: Word; length?: boolean; indirect?: boolean; quoted: boolean;
      /** `${a[@]}`: every element of an array, one word each when quoted. */
      all?: boolean;
      /** `${a[i]}`: the subscript, an arithmetic expression whose substitutions run. */
      index?: Word;
    }
  /** `$( ... )` or a backtick substitution. */
  | { type: 'cmdsub'; body: Script; quoted: boolean }
  /** `$(( ... ))`: `expr` holds the expression's text and the substitutions inside it. */
  | { type: 'arith'; text: string; expr: Word; quoted: boolean }
  /** `<( ... )` or `>( ... )`. */
  | { type: 'procsub'; dir: '<' | '>'; body: Script };

/** A shell word: the parts that concatenate into one or more fields after expansion. */
export interface Word {
  parts: WordPart[];
  /** The word's source text, for messages. */
  raw: string;
  /** `NAME=(…)` given to a declaration builtin (`declare -A m=([k]=v)`): the array's elements, one word each. */
  elements?: Word[];
}

/** A redirection such as `> file`, `2>&1`, `<<< text` or a heredoc (`body` holds its text). */
export interface Redirect {
  op: string;
  fd?: number;
  target: Word;
  /** The body of a heredoc (`<<`), as a word (unquoted delimiters allow expansions). */
  body?: Word;
}

/** `NAME=value`, `NAME+=value` or `NAME=(a b c)`. */
export interface Assignment {
  name: string;
  value: Word;
  append: boolean;
  array?: Word[];
  /** `a[i]=value`: the subscript, an arithmetic expression whose substitutions run. */
  index?: Word;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

export type CompoundCommand =
  | { type: 'subshell'; body: Script; redirects: Redirect[] }
  | { type: 'group'; body: Script; redirects: Redirect[] }
  | { type: 'if'; clauses: { cond: Script; body: Script }[]; elseBody?: Script; redirects: Redirect[] }
  | { type: 'loop'; kind: 'while' | 'until'; cond: Script; body: Script; redirects: Redirect[] }
  /** `for name in …`, or `for (( init; cond; step ))` with the header in `arith` (and no variable). */
  | { type: 'for'; variable: string; items?: Word[]; arith?: Word; body: Script; redirects: Redirect[] }
  | { type: 'case'; subject: Word; arms: { patterns: Word[]; body: Script }[]; redirects: Redirect[] }
  /** `(( … ))` in bash, zsh and ksh (in sh and dash it is two nested subshells). */
  | { type: 'arith'; text: string; expr: Word; redirects: Redirect[] }
  | { type: 'test'; words: Word[]; redirects: Redirect[] };

/** Any command in a pipeline. */
export type Command = SimpleCommand | CompoundCommand | { type: 'function'; name: string; body: Command };

export interface Pipeline {
  commands: Command[];
  negated: boolean;
}

/** Pipelines joined by `&&` / `||`. */
export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

/** A list of and-or lists separated by `;`, `&` or newlines. */
export interface Script {
  items: { node: AndOr; background: boolean }[];
}

/** The result of parsing: never an exception. */
export type ParseResult =
  /** `heredocOpen`: a heredoc's end marker has not come yet (complete for `bash -c`, not for an interactive shell). */
  | { ok: true; script: Script; heredocOpen?: boolean }
  /** `incomplete`: the input ended inside a quote, substitution or compound command, or after `&&`, `|`, `\`: more lines would complete it. */
  /** `tooComplex`: the line nests deeper than the parser follows (refused as too complex, not as unreadable). */
  | { ok: false; error: string; offset: number; incomplete: boolean; tooComplex?: boolean };

/** Which shell's grammar a text is read with: `posix` (sh, dash) reads `((` as two subshells, `bash` as arithmetic. */
export type Dialect = 'bash' | 'posix';
