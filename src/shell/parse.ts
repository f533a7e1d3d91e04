import { findArithmeticEnd, findSubscriptEnd, readArithmetic } from './arithmetic.js';
import type {
  AndOr, Assignment, Command, Dialect, ParseResult, Pipeline, Redirect, Script, SimpleCommand, Word,
} from './ast.js';
import { META, ParseError, WordReader } from './word-reader.js';

export { MAX_NESTING } from './word-reader.js';

/** How a text is parsed. */
export interface ParseOptions {
  /** The grammar of the shell that will run it (default `bash`, which zsh and ksh share for what matters here). */
  dialect?: Dialect;
}

/** Builtins whose `NAME=(…)` arguments are array assignments. */
const DECLARATION_WORDS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
/** Reserved words that open a compound command. */
const COMPOUND_WORDS = new Set(['if', 'while', 'until', 'for', 'select', 'case', 'function', 'coproc']);
const RESERVED_CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', 'in']);
// Sticky patterns matched at the cursor (hoisted: a regex literal makes a new object on every evaluation).
const TOKEN_RE = /[^\s;&|()<>]+/y;
const PLAIN_WORD_RE = /[^\s;&|()<>'"`$\\]+/y;
const TEST_OPERATOR_RE = /(&&|\|\||<|>|\(|\)|!)/y;
const EMPTY_PARENS_RE = /\(\s*\)/y;
const REDIRECT_RE = /(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(&>>|&>|<<<|<<-|<<|<>|>>|>\||>&|<&|>|<)/y;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGN_NAME_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const ASSIGN_OP_RE = /\+?=/y;

/**
 * Parse one shell command line (or several lines) into a syntax tree.
 * Never throws: input it cannot make sense of comes back as `{ ok: false, error }`.
 */
export function parse(source: string, options: ParseOptions = {}): ParseResult {
  try {
    const parser = new Parser(source, options.dialect ?? 'bash');
    const script = parser.parseScript([]);
    parser.skipSpace(true);
    if (!parser.atEnd()) parser.fail(`unexpected '${parser.peekToken()}'`);
    return parser.heredocOpen() ? { ok: true, script, heredocOpen: true } : { ok: true, script };
  } catch (error) {
    if (error instanceof ParseError) {
      // Ran out of input while something was still open: a continuation line would complete it.
      if (error.tooComplex) return { ok: false, error: error.message, offset: error.offset, incomplete: false, tooComplex: true };
      const incomplete = error.offset >= source.length || /^unterminated|end of input/.test(error.message);
      return { ok: false, error: error.message, offset: error.offset, incomplete };
    }
    // Recursion that still ran out of stack is a line too complex to check.
    if (error instanceof RangeError) return { ok: false, error: 'nested too deeply to check', offset: 0, incomplete: false, tooComplex: true };
    // A bug in the parser must still be a decision, not a crash.
    return { ok: false, error: `parser failure: ${(error as Error).message}`, offset: 0, incomplete: false };
  }
}

/**
 * Read text that bash evaluates as arithmetic (the value of a variable named in `(( ))`) into its literal text and
 * the substitutions inside it; null when it does not parse.
 */
export function parseArithmeticText(text: string): Word | null {
  try {
    const parser = new Parser(text);
    return readArithmetic(parser, text.length);
  } catch {
    return null;
  }
}

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
  expand: boolean;
}

/** The grammar: lists, pipelines, compound commands, simple commands, redirections and heredocs. */
class Parser extends WordReader {
  private heredocs: PendingHeredoc[] = [];

  constructor(src: string, dialect: Dialect = 'bash') {
    super(src, dialect);
  }

  /** A parser for text inside this one (a backtick body, a heredoc), counting against the same bounds. */
  protected inner(text: string): Parser {
    const sub = new Parser(text, this.dialect);
    sub.nodes = this.nodes;
    sub.depth = this.depth;
    return sub;
  }

  /** Skip blanks, line continuations and comments; with `newlines`, also newlines (reading heredocs). */
  skipSpace(newlines = false): void {
    for (;;) {
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') this.pos += 2;
      else if (c === '#') {
        const eol = this.src.indexOf('\n', this.pos);
        this.pos = eol < 0 ? this.src.length : eol;
      } else if (c === '\n' && newlines) {
        this.pos++;
        this.readHeredocBodies();
      } else return;
    }
  }

  peekToken(): string {
    const ops = ['&&', '||', ';;', '|&', ';', '&', '|', '(', ')', '\n'];
    for (const op of ops) if (this.startsWith(op)) return op === '\n' ? 'newline' : op;
    const m = this.sticky(TOKEN_RE);
    return m ? m[0] : this.ch();
  }

  /** The next plain word if it is unquoted text (used to spot reserved words). */
  private peekPlainWord(): string | null {
    const m = this.sticky(PLAIN_WORD_RE);
    if (!m) return null;
    const next = this.src[this.pos + m[0].length];
    if (next !== undefined && !META.has(next) && next !== '\r') return null;
    return m[0];
  }

  private isReserved(word: string): boolean {
    const w = this.peekPlainWord();
    return w === word;
  }

  private expectReserved(word: string): void {
    this.skipSpace(true);
    if (!this.isReserved(word)) this.fail(`expected '${word}'`);
    this.pos += word.length;
  }

  /** A list of and-or lists until a closing token in `closers` (not consumed) or the end. */
  parseScript(closers: string[]): Script {
    this.enter();
    const items: Script['items'] = [];
    for (;;) {
      this.skipSpace(true);
      while (this.ch() === ';' && this.ch(1) !== ';') {
        // A lone `;` with nothing before it is a syntax error in bash, but harmless here; keep going.
        if (items.length === 0) this.fail("unexpected ';'");
        this.pos++;
        this.skipSpace(true);
      }
      if (this.atEnd()) break;
      if (this.atCloser(closers)) break;
      const node = this.parseAndOr();
      this.skipSpace(false);
      let background = false;
      if (this.ch() === '&' && this.ch(1) !== '&' && this.ch(1) !== '>') {
        background = true;
        this.pos++;
      } else if (this.ch() === ';' && this.ch(1) !== ';') {
        this.pos++;
      } else if (this.ch() === '\n') {
        // handled by skipSpace(true) on the next round
      } else if (!this.atEnd() && !this.atCloser(closers)) {
        this.fail(`unexpected '${this.peekToken()}'`);
      }
      items.push({ node, background });
    }
    this.leave();
    return { items };
  }

  private atCloser(closers: string[]): boolean {
    for (const c of closers) {
      if (c === ')' || c === ';;' || c === '`') {
        if (this.startsWith(c)) return true;
      } else if (c === ';&' || c === ';;&') {
        if (this.startsWith(c)) return true;
      } else if (this.isReserved(c)) return true;
    }
    return false;
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipSpace(false);
      const op = this.startsWith('&&') ? '&&' : this.startsWith('||') ? '||' : null;
      if (!op) break;
      this.pos += 2;
      this.skipSpace(true);
      rest.push({ op, pipeline: this.parsePipeline() });
    }
    return { first, rest };
  }

  private parsePipeline(): Pipeline {
    this.skipSpace(false);
    let negated = false;
    if (this.isReserved('!')) {
      negated = true;
      this.pos++;
      this.skipSpace(false);
    }
    if (this.isReserved('time')) {
      // `time` as a reserved word times the whole pipeline; treat it as transparent.
      this.pos += 4;
      this.skipSpace(false);
      if (this.startsWith('-p ')) this.pos += 3;
      this.skipSpace(false);
    }
    const commands: Command[] = [this.parseCommand()];
    for (;;) {
      this.skipSpace(false);
      if (this.ch() === '|' && this.ch(1) !== '|') {
        this.pos += this.ch(1) === '&' ? 2 : 1;
        this.skipSpace(true);
        commands.push(this.parseCommand());
      } else break;
    }
    return { commands, negated };
  }

  private parseCommand(): Command {
    this.node();
    this.skipSpace(false);
    if (this.atEnd()) this.fail('unexpected end of input: a command was expected');
    const c = this.ch();
    if (c === '(') {
      // sh and dash read `((` as two subshells; bash, zsh and ksh as an arithmetic command.
      if (this.ch(1) === '(' && this.dialect === 'bash') {
        const arith = this.tryArithCommand();
        if (arith) return arith;
      }
      this.pos++;
      this.enter();
      const body = this.parseScript([')']);
      this.leave();
      if (this.ch() !== ')') this.fail("expected ')' to close the subshell");
      this.pos++;
      return { type: 'subshell', body, redirects: this.parseTrailingRedirects() };
    }
    const word = this.peekPlainWord();
    switch (word) {
      case '{': {
        this.pos++;
        const body = this.parseScript(['}']);
        this.expectReserved('}');
        return { type: 'group', body, redirects: this.parseTrailingRedirects() };
      }
      case 'if':
        return this.parseIf();
      case 'while':
      case 'until':
        return this.parseWhile(word);
      case 'for':
      case 'select':
        return this.parseFor(word);
      case 'case':
        return this.parseCase();
      case 'function':
        return this.parseFunctionKeyword();
      case '[[':
        return this.parseTest();
      case 'coproc':
        return this.parseCoproc();
      default:
        if (word !== null && RESERVED_CLOSERS.has(word)) this.fail(`unexpected '${word}'`);
        return this.parseSimpleOrFunction();
    }
  }

  private tryArithCommand(): Command | null {
    const start = this.pos;
    const end = findArithmeticEnd(this.src, this.pos + 2);
    if (end < 0) return null;
    this.pos = start + 2;
    const expr = this.arithmetic(end);
    this.pos = end + 2;
    return { type: 'arith', text: this.src.slice(start + 2, end), expr, redirects: this.parseTrailingRedirects() };
  }

  private parseIf(): Command {
    this.pos += 2;
    const clauses: { cond: Script; body: Script }[] = [];
    let elseBody: Script | undefined;
    const cond = this.parseScript(['then']);
    this.expectReserved('then');
    const body = this.parseScript(['elif', 'else', 'fi']);
    clauses.push({ cond, body });
    for (;;) {
      this.skipSpace(true);
      if (this.isReserved('elif')) {
        this.pos += 4;
        const c = this.parseScript(['then']);
        this.expectReserved('then');
        clauses.push({ cond: c, body: this.parseScript(['elif', 'else', 'fi']) });
      } else if (this.isReserved('else')) {
        this.pos += 4;
        elseBody = this.parseScript(['fi']);
      } else break;
    }
    this.expectReserved('fi');
    return { type: 'if', clauses, elseBody, redirects: this.parseTrailingRedirects() };
  }

  private parseWhile(kind: 'while' | 'until'): Command {
    this.pos += kind.length;
    const cond = this.parseScript(['do']);
    this.expectReserved('do');
    const body = this.parseScript(['done']);
    this.expectReserved('done');
    return { type: 'loop', kind, cond, body, redirects: this.parseTrailingRedirects() };
  }

  private parseFor(keyword: string): Command {
    this.pos += keyword.length;
    this.skipSpace(false);
    if (this.startsWith('((') && this.dialect === 'bash') {
      // C-style for loop: the header is arithmetic (dash has none: there it does not parse).
      const end = findArithmeticEnd(this.src, this.pos + 2, true);
      if (end < 0) this.fail("expected '))' in for (( ))");
      this.pos += 2;
      const arith = this.arithmetic(end);
      this.pos = end + 2;
      this.skipSpace(false);
      if (this.ch() === ';') this.pos++;
      this.expectReserved('do');
      const body = this.parseScript(['done']);
      this.expectReserved('done');
      return { type: 'for', variable: '', items: [], arith, body, redirects: this.parseTrailingRedirects() };
    }
    const name = this.peekPlainWord();
    if (!name || !NAME_RE.test(name)) this.fail(`'${keyword}' needs a variable name`);
    this.pos += name.length;
    this.skipSpace(true);
    let items: Word[] | undefined;
    if (this.isReserved('in')) {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipSpace(false);
        if (this.ch() === ';' || this.ch() === '\n' || this.atEnd()) break;
        items.push(this.parseWord());
      }
    }
    this.skipSpace(false);
    if (this.ch() === ';') this.pos++;
    this.expectReserved('do');
    const body = this.parseScript(['done']);
    this.expectReserved('done');
    return { type: 'for', variable: name, items, body, redirects: this.parseTrailingRedirects() };
  }

  private parseCase(): Command {
    this.pos += 4;
    this.skipSpace(false);
    const subject = this.parseWord();
    this.expectReserved('in');
    const arms: { patterns: Word[]; body: Script }[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.isReserved('esac')) break;
      if (this.atEnd()) this.fail("expected 'esac'");
      if (this.ch() === '(') this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.skipSpace(false);
        patterns.push(this.parseWord());
        this.skipSpace(false);
        if (this.ch() === '|') {
          this.pos++;
          continue;
        }
        if (this.ch() === ')') {
          this.pos++;
          break;
        }
        this.fail("expected ')' after a case pattern");
      }
      const body = this.parseScript([';;&', ';;', ';&', 'esac']);
      arms.push({ patterns, body });
      this.skipSpace(true);
      if (this.startsWith(';;&')) this.pos += 3;
      else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2;
    }
    this.pos += 4;
    return { type: 'case', subject, arms, redirects: this.parseTrailingRedirects() };
  }

  private parseFunctionKeyword(): Command {
    this.pos += 'function'.length;
    this.skipSpace(false);
    const name = this.peekToken();
    if (!name || META.has(name[0])) this.fail("'function' needs a name");
    this.pos += name.length;
    this.skipSpace(false);
    if (this.startsWith('()')) this.pos += 2;
    else if (this.sticky(EMPTY_PARENS_RE) !== null) this.pos = this.src.indexOf(')', this.pos) + 1;
    // Otherwise a `(` opens the body itself: `function f ( cmd )` has a subshell body.
    this.skipSpace(true);
    return { type: 'function', name, body: this.parseCommand() };
  }

  /**
   * `coproc [NAME] compound` or `coproc simple-command`: the command runs in the background, in a subshell; it is
   * read as `( command & )`. A NAME is only taken before a compound command, as bash does.
   */
  private parseCoproc(): Command {
    this.pos += 'coproc'.length;
    this.skipSpace(false);
    const word = this.peekPlainWord();
    if (word !== null && NAME_RE.test(word) && !COMPOUND_WORDS.has(word)) {
      const after = this.pos + word.length;
      let k = after;
      while (this.src[k] === ' ' || this.src[k] === '\t') k++;
      if (this.src[k] === '(' || (this.src[k] === '{' && /[\s]/.test(this.src[k + 1] ?? ''))) this.pos = after;
    }
    const inner = this.parseCommand();
    const body: Script = { items: [{ node: { first: { commands: [inner], negated: false }, rest: [] }, background: true }] };
    return { type: 'subshell', body, redirects: [] };
  }

  private parseTest(): Command {
    this.pos += 2;
    const words: Word[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.atEnd()) this.fail("expected ']]'");
      if (this.isReserved(']]')) {
        this.pos += 2;
        break;
      }
      // Inside [[ ]], operators such as < > && || ( ) are part of the expression.
      const op = this.sticky(TEST_OPERATOR_RE);
      if (op) {
        this.pos += op[0].length;
        words.push({ parts: [{ type: 'lit', text: op[0], quoted: false }], raw: op[0] });
        continue;
      }
      const word = this.parseWord();
      words.push(word);
      if (word.raw === '=~') {
        this.skipSpace(false);
        words.push(this.parseRegexOperand());
      }
    }
    return { type: 'test', words, redirects: this.parseTrailingRedirects() };
  }

  /**
   * The right side of `=~`: bash reads it up to a blank outside parentheses, with `(`, `)`, `|`, `<`, `>` taken as
   * regex text; quotes and expansions inside are read as in any word (their substitutions run).
   */
  private parseRegexOperand(): Word {
    const start = this.pos;
    const parts: Word['parts'] = [];
    let depth = 0;
    for (;;) {
      const c = this.ch();
      if (c === '' || ((c === ' ' || c === '\t' || c === '\n') && depth === 0)) break;
      if (depth === 0 && this.isReserved(']]')) break;
      if (c === '(' || c === ')' || c === '|' || c === '<' || c === '>' || c === ' ' || c === '\t' || c === ';' || c === '&') {
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        }
        parts.push({ type: 'lit', text: c, quoted: true });
        this.pos++;
        continue;
      }
      if (c === '\n') this.fail('unterminated regular expression in [[ ]]');
      parts.push(...this.parseWord().parts);
    }
    if (this.pos === start) this.fail("'=~' needs a regular expression");
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  private parseTrailingRedirects(): Redirect[] {
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipSpace(false);
      const r = this.tryRedirect();
      if (!r) return redirects;
      redirects.push(r);
    }
  }

  private parseSimpleOrFunction(): Command {
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      this.skipSpace(false);
      if (this.atEnd()) break;
      const c = this.ch();
      if (c === '\n' || c === ';' || c === '&' && this.ch(1) !== '>' || c === '|' || c === ')') break;
      if (c === '(') {
        // `name () compound` defines a function.
        if (cmd.words.length === 1 && cmd.assigns.length === 0 && this.sticky(EMPTY_PARENS_RE) !== null) {
          this.pos = this.src.indexOf(')', this.pos) + 1;
          this.skipSpace(true);
          return { type: 'function', name: cmd.words[0].raw, body: this.parseCommand() };
        }
        const last = cmd.words[cmd.words.length - 1];
        if (cmd.words.length > 1 && DECLARATION_WORDS.has(cmd.words[0].raw) && last.raw.endsWith('=') && last.raw === this.src.slice(this.pos - last.raw.length, this.pos)) {
          this.arrayValue(last);
          continue;
        }
        this.fail("unexpected '('");
      }
      const redirect = this.tryRedirect();
      if (redirect) {
        cmd.redirects.push(redirect);
        continue;
      }
      if (cmd.words.length === 0) {
        const assign = this.tryAssignment();
        if (assign) {
          cmd.assigns.push(assign);
          continue;
        }
      }
      cmd.words.push(this.parseWord());
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      this.fail(`unexpected '${this.peekToken()}'`);
    }
    return cmd;
  }

  /**
   * `declare -A m=([k]=v [k2]="v 2")`: the array's elements, appended to the `m=` word as `(…)` text, so the
   * declaration parses and the substitutions inside the elements run.
   */
  private arrayValue(word: Word): void {
    const start = this.pos - word.raw.length;
    this.pos++;
    word.parts.push({ type: 'lit', text: '(', quoted: true });
    const elements: Word[] = [];
    for (let first = true; ; first = false) {
      this.skipSpace(true);
      if (this.ch() === ')') {
        this.pos++;
        break;
      }
      if (this.atEnd()) this.fail("expected ')' to close the array");
      if (!first) word.parts.push({ type: 'lit', text: ' ', quoted: true });
      const element = this.parseWord();
      elements.push(element);
      word.parts.push(...element.parts);
    }
    word.parts.push({ type: 'lit', text: ')', quoted: true });
    word.raw = this.src.slice(start, this.pos);
    word.elements = elements;
  }

  private tryAssignment(): Assignment | null {
    const m = this.sticky(ASSIGN_NAME_RE);
    if (!m) return null;
    const name = m[0];
    let at = this.pos + name.length;
    let index: Word | undefined;
    if (this.src[at] === '[') {
      const close = findSubscriptEnd(this.src, at);
      if (close < 0) return null;
      const op = this.sticky(ASSIGN_OP_RE, close + 1);
      if (!op) return null;
      // `a[i]=v`: the subscript is arithmetic, and its substitutions run.
      this.pos = at + 1;
      index = this.arithmetic(close);
      at = close + 1;
    }
    const op = this.sticky(ASSIGN_OP_RE, at);
    if (!op) return null;
    this.pos = at + op[0].length;
    const append = op[0] === '+=';
    if (this.ch() === '(') {
      this.pos++;
      const array: Word[] = [];
      for (;;) {
        this.skipSpace(true);
        if (this.ch() === ')') {
          this.pos++;
          break;
        }
        if (this.atEnd()) this.fail("expected ')' to close the array");
        array.push(this.parseWord());
      }
      return index ? { name, append, array, index, value: { parts: [], raw: '' } } : { name, append, array, value: { parts: [], raw: '' } };
    }
    const value = this.atWordEnd() ? { parts: [], raw: '' } : this.parseWord(true);
    return index ? { name, value, append, index } : { name, value, append };
  }

  private atWordEnd(): boolean {
    const c = this.ch();
    return c === '' || META.has(c) || c === '\r';
  }

  private tryRedirect(): Redirect | null {
    const m = this.sticky(REDIRECT_RE);
    if (!m) return null;
    // `<(` and `>(` are process substitutions, which are words.
    if (!m[1] && (m[2] === '<' || m[2] === '>') && this.src[this.pos + m[0].length] === '(') return null;
    this.pos += m[0].length;
    const op = m[2];
    const fd = m[1] && /^\d+$/.test(m[1]) ? Number(m[1]) : undefined;
    this.skipSpace(false);
    if (this.atEnd() || META.has(this.ch()) && !(this.ch() === '<' || this.ch() === '>') && this.ch() !== '(') {
      this.fail(`redirection '${op}' needs a target`);
    }
    if ((op === '>&' || op === '<&') && this.ch() === '-') {
      this.pos++;
      return { op, fd, target: { parts: [{ type: 'lit', text: '-', quoted: false }], raw: '-' } };
    }
    const target = this.parseWord();
    const redirect: Redirect = { op, fd, target };
    if (op === '<<' || op === '<<-') {
      const quoted = target.parts.some((p) => p.type === 'lit' && p.quoted);
      const delimiter = target.parts.map((p) => (p.type === 'lit' ? p.text : '')).join('');
      this.heredocs.push({ redirect, delimiter, stripTabs: op === '<<-', expand: !quoted });
    }
    return redirect;
  }

  private unterminatedHeredoc = false;

  /** A heredoc was started but its end marker never came (bash runs it anyway; an interactive shell waits for more lines). */
  heredocOpen(): boolean {
    return this.unterminatedHeredoc || this.heredocs.length > 0;
  }

  /** After a newline, read the bodies of the heredocs started on the line before it. */
  private readHeredocBodies(): void {
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      const lines: string[] = [];
      for (;;) {
        if (this.atEnd()) {
          this.unterminatedHeredoc = true; // bash accepts a heredoc ended by end of input (with a warning)
          break;
        }
        let end = this.src.indexOf('\n', this.pos);
        if (end < 0) end = this.src.length;
        let line = this.src.slice(this.pos, end);
        this.pos = Math.min(end + 1, this.src.length);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delimiter) break;
        lines.push(line);
      }
      const text = lines.length ? lines.join('\n') + '\n' : '';
      h.redirect.body = h.expand
        ? this.inner(text).parseHeredocText()
        : { parts: [{ type: 'lit', text, quoted: true }], raw: text };
    }
  }

}
