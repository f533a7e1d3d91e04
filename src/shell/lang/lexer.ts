/**
 * A lexical pass over interpreter code: which characters are code and which are data. `mask` returns the code with
 * every comment blanked and the text of every string literal blanked (quotes kept, length and newlines kept), so
 * that API names found in the mask are calls and not words inside printed strings, while every offset still points
 * into the original text where argument values are read. Code that runs from inside a string stays visible:
 * f-string and template placeholders (`{..}`, `${..}`, `#{..}`, `$(..)`) and command strings (backticks in Perl,
 * Ruby, PHP and Julia, `%x(..)`, `qx(..)`). One pass, linear in the code's length. Pure.
 */

/** How a language writes comments and strings. */
export interface LexSpec {
  /** Line comment openers (`#`, `//`, `--`). */
  line: string[];
  /** Block comments as [open, close] (`/*`, `--[[`, `=begin`-style ones are left out). */
  block: [string, string][];
  /** Python-style prefixes (f, r, b) and triple quotes. */
  python?: boolean;
  /** Placeholder opener inside double-quoted (or f / template) strings whose contents are code. */
  interp?: '{' | '${' | '#{' | '$(';
  /** Backticks are a template literal (JS) rather than a command string. */
  templateBackticks?: boolean;
  /** Backticks are a command string: kept visible. */
  commandBackticks?: boolean;
  /** Perl and Ruby quote-like operators: q qq qw / %q %Q %w %i masked; qx / %x kept. */
  quoteOps?: 'perl' | 'ruby';
  /** Lua long strings `[[...]]`. */
  longBrackets?: boolean;
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** The masked form of `code` (see the module comment). */
export function mask(code: string, spec: LexSpec): string {
  const out = code.split('');
  const n = code.length;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < n; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < n) {
    const c = code[i];
    const block = spec.block.find(([open]) => code.startsWith(open, i));
    if (block) {
      const end = code.indexOf(block[1], i + block[0].length);
      const stop = end < 0 ? n : end + block[1].length;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (spec.line.some((l) => code.startsWith(l, i)) && !(c === '#' && code[i - 1] === '$')) {
      const end = code.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (spec.longBrackets && c === '[' && /^\[=*\[/.test(code.slice(i, i + 8))) {
      const eq = /^\[(=*)\[/.exec(code.slice(i, i + 8))![1];
      const close = `]${eq}]`;
      const end = code.indexOf(close, i);
      const stop = end < 0 ? n : end + close.length;
      blank(i + eq.length + 2, stop - close.length);
      i = stop;
      continue;
    }
    if (spec.quoteOps && /[qQ%]/.test(c) && !/[\w$@]/.test(code[i - 1] ?? '')) {
      const m = (spec.quoteOps === 'perl' ? /^(qq|qw|qx|q)\s*([^\w\s])/ : /^%([qQwWiIx]?)([^\w\s])/).exec(code.slice(i, i + 6));
      if (m) {
        const open = m[2];
        const close = CLOSE[open] ?? open;
        const bodyStart = i + m[0].length;
        const end = scanTo(code, bodyStart, close, open !== close ? open : '');
        if (m[1] !== 'qx' && m[1] !== 'x') blank(bodyStart, end);
        i = end + 1;
        continue;
      }
    }
    if (c === '`' && spec.commandBackticks) {
      const end = scanTo(code, i + 1, '`', '');
      i = end + 1;
      continue;
    }
    let quote = '';
    let prefix = 0;
    if (c === '"' || c === "'" || (c === '`' && spec.templateBackticks)) quote = c;
    else if (spec.python && /[rRbBuUfF]/.test(c) && !/[\w.]/.test(code[i - 1] ?? '')) {
      const m = /^[rRbBuUfF]{1,2}(?=['"])/.exec(code.slice(i, i + 3));
      if (m) {
        prefix = m[0].length;
        quote = code[i + prefix];
      }
    }
    if (!quote) {
      i++;
      continue;
    }
    const start = i + prefix;
    const triple = spec.python && code.startsWith(quote.repeat(3), start);
    const delim = triple ? quote.repeat(3) : quote;
    const pre = code.slice(i, start).toLowerCase();
    const raw = pre.includes('r');
    // Which placeholders hold code: f-strings in Python, template literals, double-quoted strings elsewhere.
    const interp = spec.python ? (pre.includes('f') ? '{' : undefined) : quote === '`' ? '${' : quote === '"' ? spec.interp : undefined;
    let j = start + delim.length;
    let from = j;
    while (j < n && !code.startsWith(delim, j)) {
      if (code[j] === '\\' && !raw) {
        j += 2;
        continue;
      }
      if (interp && code.startsWith(interp, j) && !(interp === '{' && code[j + 1] === '{')) {
        blank(from, j);
        const open = interp[interp.length - 1];
        const end = scanTo(code, j + interp.length, CLOSE[open], open);
        j = end + 1;
        from = j;
        continue;
      }
      if (interp === '{' && code.startsWith('{{', j)) {
        j += 2;
        continue;
      }
      j++;
    }
    blank(from, Math.min(j, n));
    i = Math.min(n, j + delim.length);
  }
  return out.join('');
}

/** The index of `close` that ends a body starting at `from`, nesting `open` and skipping escapes and quotes. */
function scanTo(code: string, from: number, close: string, open: string): number {
  let depth = 1;
  let quote = '';
  for (let k = from; k < code.length; k++) {
    const ch = code[k];
    if (ch === '\\') {
      k++;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (open && (ch === '"' || ch === "'") && close !== ch) quote = ch;
    else if (open && ch === open) depth++;
    else if (ch === close && --depth === 0) return k;
  }
  return code.length;
}
