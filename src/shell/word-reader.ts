import { findArithmeticEnd, findSubscriptEnd, readArithmetic, type ArithmeticHost } from './arithmetic.js';
import type { Dialect, Script, Word, WordPart } from './ast.js';
import { LIMITS } from './limits.js';

/** How deep substitutions and compound commands may nest before the line is refused as unparseable. */
export const MAX_NESTING = 64;

/** Characters that end an unquoted word. */
export const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** A syntax error at an offset; `tooComplex` when a bound (nesting, node count) was hit instead. */
export class ParseError extends Error {
  constructor(message: string, readonly offset: number, readonly tooComplex = false) {
    super(message);
  }
}
// Runs of characters with no meaning in a word, a double-quoted string and a heredoc: taken whole, not one by one
// (a long line otherwise costs a string append per character).
const WORD_RUN_RE = /[^ \t\n;&|()<>\r\\'"`$]+/y;
const DOUBLE_QUOTED_RUN_RE = /[^"\\$`]+/y;
const HEREDOC_RUN_RE = /[^\\$`]+/y;
const PARAM_NAME_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const BRACE_PARAM_RE = /([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!\-])/y;
const PARAM_OP_RE = /(:-|:=|:\?|:\+|-|=|\?|\+|##|#|%%|%|\/\/|\/#|\/%|\/|\^\^|\^|,,|,|:|@)/y;


/**
 * The word level of the shell's syntax: the cursor over the source, quotes, escapes, and expansions (`$x`, `${...}`,
 * `$( )`, backticks, `$(( ))`). The grammar (parse.ts) extends it; substitution bodies call back into the grammar.
 */
export abstract class WordReader implements ArithmeticHost {
  pos = 0;
  protected depth = 0;
  /** Words, substitutions and commands read so far, shared with the parsers of backtick and heredoc text. */
  protected nodes = { count: 0 };

  constructor(readonly src: string, protected readonly dialect: Dialect = 'bash') {}

  /** A reader for text inside this one (a backtick body), counting against the same bounds. */
  protected abstract inner(text: string): WordReader;
  /** A list of commands up to one of `closers` (the body of a substitution). */
  abstract parseScript(closers: string[]): Script;
  abstract skipSpace(newlines?: boolean): void;
  abstract peekToken(): string;

  /** Count one more node; a line parsed into more than `LIMITS.nodes` is too complex to check. */
  protected node(): void {
    if (++this.nodes.count > LIMITS.nodes) throw new ParseError(`more than ${LIMITS.nodes} words, substitutions and commands`, this.pos, true);
  }

  /** For the arithmetic reader: a substitution at the cursor (arithmetic text is expanded as if double-quoted). */
  substitution(): WordPart | null {
    return this.parseDollarOrBacktick(true);
  }

  /** Arithmetic text from the cursor to `end`, nesting like any substitution. */
  protected arithmetic(end: number): Word {
    this.enter();
    const expr = readArithmetic(this, end);
    this.leave();
    return expr;
  }

  fail(message: string): never {
    throw new ParseError(message, this.pos);
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  /** Match a sticky (`y`) regular expression at the cursor (or at `at`) without copying the rest of the line. */
  protected sticky(re: RegExp, at = this.pos): RegExpExecArray | null {
    re.lastIndex = at;
    return re.exec(this.src);
  }

  protected ch(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  protected startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  protected enter(): void {
    if (++this.depth > MAX_NESTING) throw new ParseError(`nesting deeper than ${MAX_NESTING} levels`, this.pos, true);
  }

  protected leave(): void {
    this.depth--;
  }

  /** A heredoc body with expansions: like double-quoted text without the quotes. */
  parseHeredocText(): Word {
    const parts: WordPart[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ type: 'lit', text: lit, quoted: true });
      lit = '';
    };
    while (!this.atEnd()) {
      const c = this.ch();
      if (c === '\\' && '$`\\\n'.includes(this.ch(1))) {
        if (this.ch(1) !== '\n') lit += this.ch(1);
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        const part = this.parseDollarOrBacktick(true);
        if (part) {
          flush();
          parts.push(part);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        const run = this.sticky(HEREDOC_RUN_RE);
        lit += run![0];
        this.pos += run![0].length;
      }
    }
    flush();
    return { parts, raw: this.src };
  }

  /**
   * One word: unquoted text, quotes, escapes and expansions up to the next metacharacter.
   * `assignment` allows `=`-separated tilde expansion later and keeps `(` out of the word.
   */
  parseWord(_assignment = false): Word {
    this.node();
    const start = this.pos;
    const parts: WordPart[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ type: 'lit', text: lit, quoted: false });
      lit = '';
    };
    for (;;) {
      if (this.atEnd()) break;
      const c = this.ch();
      if (c === '\r') break;
      if ((c === '<' || c === '>') && this.ch(1) === '(' && parts.length === 0 && lit === '') {
        this.pos += 2;
        this.enter();
        const body = this.parseScript([')']);
        this.leave();
        if (this.ch() !== ')') this.fail("expected ')' to close the process substitution");
        this.pos++;
        parts.push({ type: 'procsub', dir: c, body });
        continue;
      }
      if (c === '(' && lit !== '' && '@?*+!'.includes(lit[lit.length - 1])) {
        // extglob pattern such as @(a|b): keep it as literal text.
        const end = this.matchParen(this.pos);
        lit += this.src.slice(this.pos, end + 1);
        this.pos = end + 1;
        continue;
      }
      if (META.has(c)) break;
      if (c === '\\') {
        if (this.ch(1) === '\n') {
          this.pos += 2;
          continue;
        }
        flush();
        if (this.pos + 1 >= this.src.length) this.fail('unexpected end of input after a backslash'); // a continuation line follows
        parts.push({ type: 'lit', text: this.ch(1), quoted: true });
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        flush();
        parts.push(this.parseSingleQuoted());
        continue;
      }
      if (c === '"') {
        flush();
        this.pos++;
        this.parseDoubleQuoted(parts);
        continue;
      }
      if (c === '$' && this.ch(1) === "'") {
        flush();
        parts.push({ type: 'lit', text: this.parseAnsiC(), quoted: true });
        continue;
      }
      if (c === '$' && this.ch(1) === '"') {
        flush();
        this.pos += 2;
        this.parseDoubleQuoted(parts);
        continue;
      }
      if (c === '$' || c === '`') {
        const part = this.parseDollarOrBacktick(false);
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
      }
      const run = this.sticky(WORD_RUN_RE);
      const taken = run ? run[0] : c;
      lit += taken;
      this.pos += taken.length;
    }
    flush();
    if (parts.length === 0 && this.pos === start) this.fail(`unexpected '${this.peekToken()}'`);
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  protected matchParen(open: number): number {
    let depth = 0;
    for (let i = open; i < this.src.length; i++) {
      if (this.src[i] === '(') depth++;
      else if (this.src[i] === ')' && --depth === 0) return i;
    }
    this.fail("unbalanced '('");
  }

  /** A '...' string at the cursor: every character literal, no escapes. */
  protected parseSingleQuoted(): WordPart {
    const end = this.src.indexOf("'", this.pos + 1);
    if (end < 0) this.fail('unterminated single quote');
    const part: WordPart = { type: 'lit', text: this.src.slice(this.pos + 1, end), quoted: true };
    this.pos = end + 1;
    return part;
  }

  protected parseDoubleQuoted(parts: WordPart[]): void {
    const before = parts.length;
    let lit = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated double quote');
      const c = this.ch();
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = this.ch(1);
        if (n === '\n') this.pos += 2;
        else if (n !== '' && '$`"\\'.includes(n)) {
          lit += n;
          this.pos += 2;
        } else {
          lit += c;
          this.pos++;
        }
        continue;
      }
      if (c === '$' || c === '`') {
        const part = this.parseDollarOrBacktick(true);
        if (part) {
          if (lit) parts.push({ type: 'lit', text: lit, quoted: true });
          lit = '';
          parts.push(part);
          continue;
        }
      }
      const run = this.sticky(DOUBLE_QUOTED_RUN_RE);
      const taken = run ? run[0] : c;
      lit += taken;
      this.pos += taken.length;
    }
    // An empty "" still makes a (quoted, empty) word.
    if (lit || parts.length === before) parts.push({ type: 'lit', text: lit, quoted: true });
  }

  /** `$'...'`: ANSI-C quoting, decoded. bash ends the string at a NUL it decodes (`$'.git\0x'` is `.git`). */
  protected parseAnsiC(): string {
    this.pos += 2;
    let out = '';
    for (;;) {
      if (this.atEnd()) this.fail("unterminated $'...' quote");
      const c = this.ch();
      if (c === "'") {
        this.pos++;
        const nul = out.indexOf('\0');
        return nul < 0 ? out : out.slice(0, nul);
      }
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const n = this.ch(1);
      this.pos += 2;
      const simple: Record<string, string> = {
        n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v',
        '\\': '\\', "'": "'", '"': '"', '?': '?',
      };
      if (n in simple) out += simple[n];
      else if (/[0-7]/.test(n)) {
        let digits = n;
        while (digits.length < 3 && /[0-7]/.test(this.ch())) digits += this.src[this.pos++];
        out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      } else if (n === 'x') {
        let digits = '';
        while (digits.length < 2 && /[0-9a-fA-F]/.test(this.ch())) digits += this.src[this.pos++];
        out += digits ? String.fromCharCode(parseInt(digits, 16)) : '\\x';
      } else if (n === 'u' || n === 'U') {
        let digits = '';
        const max = n === 'u' ? 4 : 8;
        while (digits.length < max && /[0-9a-fA-F]/.test(this.ch())) digits += this.src[this.pos++];
        const code = digits ? parseInt(digits, 16) : NaN;
        out += Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '\\' + n;
      } else if (n === 'c') {
        const ctl = this.src[this.pos++] ?? '';
        out += String.fromCharCode(ctl.toUpperCase().charCodeAt(0) ^ 0x40);
      } else out += '\\' + n;
    }
  }

  /** `$name`, `${...}`, `$(...)`, `$((...))` or a backtick substitution at the cursor; null if `$` is literal. */
  protected parseDollarOrBacktick(quoted: boolean): WordPart | null {
    this.node();
    if (this.ch() === '`') return this.parseBacktick(quoted);
    const n = this.ch(1);
    if (n === '(') {
      if (this.ch(2) === '(') {
        const end = findArithmeticEnd(this.src, this.pos + 3);
        if (end >= 0) {
          const text = this.src.slice(this.pos + 3, end);
          this.pos += 3;
          const expr = this.arithmetic(end);
          this.pos = end + 2;
          return { type: 'arith', text, expr, quoted };
        }
      }
      this.pos += 2;
      this.enter();
      const body = this.parseScript([')']);
      this.leave();
      if (this.ch() !== ')') this.fail("unterminated $( substitution");
      this.pos++;
      return { type: 'cmdsub', body, quoted };
    }
    if (n === '{') return this.parseBraceParam(quoted);
    if (/[A-Za-z_]/.test(n)) {
      const m = this.sticky(PARAM_NAME_RE, this.pos + 1)!;
      this.pos += 1 + m[0].length;
      return { type: 'param', name: m[0], quoted };
    }
    if (/[0-9@*#?$!\-]/.test(n) && n !== '') {
      this.pos += 2;
      return { type: 'param', name: n, quoted };
    }
    return null;
  }

  protected parseBacktick(quoted: boolean): WordPart {
    let i = this.pos + 1;
    let inner = '';
    for (;;) {
      if (i >= this.src.length) this.fail('unterminated backtick substitution');
      const c = this.src[i];
      if (c === '`') break;
      if (c === '\\' && '$`\\'.includes(this.src[i + 1] ?? '')) {
        inner += this.src[i + 1];
        i += 2;
        continue;
      }
      inner += c;
      i++;
    }
    this.pos = i + 1;
    this.enter();
    const sub = this.inner(inner);
    const body = sub.parseScript([]);
    sub.skipSpace(true);
    if (!sub.atEnd()) this.fail(`unexpected '${sub.peekToken()}' in backtick substitution`);
    this.leave();
    return { type: 'cmdsub', body, quoted };
  }

  protected parseBraceParam(quoted: boolean): WordPart {
    this.enter();
    const part = this.parseBraceParamBody(quoted);
    this.leave();
    return part;
  }

  protected parseBraceParamBody(quoted: boolean): WordPart {
    this.pos += 2;
    let length = false;
    let indirect = false;
    if (this.ch() === '#' && this.ch(1) !== '}') {
      length = true;
      this.pos++;
    } else if (this.ch() === '!' && this.ch(1) !== '}') {
      indirect = true;
      this.pos++;
    }
    const m = this.sticky(BRACE_PARAM_RE);
    if (!m) this.fail('bad ${...} substitution');
    this.pos += m[0].length;
    const name = m[1];
    let all = false;
    let index: Word | undefined;
    if (this.ch() === '[' && /^[A-Za-z_]/.test(name)) {
      const close = findSubscriptEnd(this.src, this.pos);
      if (close < 0) this.fail('unterminated ${...[ subscript');
      all = close === this.pos + 2 && this.ch(1) === '@';
      this.pos++;
      // `${a[i]}`: the subscript is arithmetic (for an indexed array), and its substitutions run.
      if (!all) index = this.arithmetic(close);
      this.pos = close + 1;
    }
    const extra = (p: Extract<WordPart, { type: 'param' }>): WordPart => {
      if (all) p.all = true;
      if (index) p.index = index;
      return p;
    };
    if (this.ch() === '}') {
      this.pos++;
      return extra({ type: 'param', name, quoted, length, indirect });
    }
    const op = this.sticky(PARAM_OP_RE);
    if (!op) this.fail('bad ${...} substitution');
    this.pos += op[0].length;
    const arg = this.parseBraceArg();
    return extra({ type: 'param', name, op: op[0], arg, quoted, length, indirect });
  }

  /** The word inside `${name<op>...}` up to the matching `}`. */
  protected parseBraceArg(): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ type: 'lit', text: lit, quoted: false });
      lit = '';
    };
    for (;;) {
      if (this.atEnd()) this.fail('unterminated ${ substitution');
      const c = this.ch();
      if (c === '}') {
        this.pos++;
        break;
      }
      if (c === '\\' && this.pos + 1 < this.src.length) {
        flush();
        parts.push({ type: 'lit', text: this.ch(1), quoted: true });
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        flush();
        parts.push(this.parseSingleQuoted());
        continue;
      }
      if (c === '"') {
        flush();
        this.pos++;
        this.parseDoubleQuoted(parts);
        continue;
      }
      if (c === '$' || c === '`') {
        const part = this.parseDollarOrBacktick(false);
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return { parts, raw: this.src.slice(start, this.pos - 1) };
  }
}
