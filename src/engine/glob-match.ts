/**
 * Glob matching without regular expressions: a glob compiles to tokens, and a word is matched by the
 * classic two-pointer wildcard walk, which backtracks only to the last `*` seen. Matching costs at most
 * (pattern length x word length) steps however many `*` a pattern holds; a backtracking regular
 * expression built from the same glob takes exponential time on a long word.
 */

/** One token of a compiled word glob. */
export type Token = { kind: 'char'; ch: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negate: boolean; test: (ch: string) => boolean };

/** A compiled word glob, or the reason it is not one. */
export type WordGlob = { tokens: Token[] } | { error: string };

/** What the word-glob syntax allows. `slash: false` keeps `*`, `?` and classes from matching `/` (path segments). */
export interface WordGlobSyntax {
  slash: boolean;
  /** Characters a backslash makes literal; a backslash before any other character is itself literal. */
  escapable: string;
}

const POSIX_CLASSES: Record<string, (ch: string) => boolean> = {
  alpha: (c) => /[A-Za-z]/.test(c),
  digit: (c) => /[0-9]/.test(c),
  alnum: (c) => /[A-Za-z0-9]/.test(c),
  upper: (c) => /[A-Z]/.test(c),
  lower: (c) => /[a-z]/.test(c),
  space: (c) => /\s/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  word: (c) => /\w/.test(c),
};

/** Parse `[...]` starting at `glob[start] === '['`; returns the token and the index after `]`. */
function parseClass(glob: string, start: number): { token: Token; end: number } | { error: string } {
  let i = start + 1;
  let negate = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negate = true;
    i++;
  }
  const tests: ((ch: string) => boolean)[] = [];
  let first = true;
  while (i < glob.length && (glob[i] !== ']' || first)) {
    first = false;
    if (glob.startsWith('[:', i)) {
      const close = glob.indexOf(':]', i + 2);
      const name = close < 0 ? '' : glob.slice(i + 2, close);
      const test = POSIX_CLASSES[name];
      if (!test) return { error: `unknown character class '[:${name || glob.slice(i + 2, i + 10)}:]' in '${glob}'` };
      tests.push(test);
      i = close + 2;
      continue;
    }
    let lo = glob[i];
    if (lo === '\\' && i + 1 < glob.length) lo = glob[++i];
    i++;
    if (glob[i] === '-' && i + 1 < glob.length && glob[i + 1] !== ']') {
      let hi = glob[i + 1];
      i += 2;
      if (hi === '\\' && i < glob.length) hi = glob[i++];
      if (hi < lo) return { error: `range '${lo}-${hi}' is out of order in '${glob}'` };
      tests.push((c) => c >= lo && c <= hi);
    } else {
      const ch = lo;
      tests.push((c) => c === ch);
    }
  }
  if (i >= glob.length) return { error: `unclosed '[' in '${glob}' (write '\\[' for a literal bracket)` };
  return { token: { kind: 'class', negate, test: (c) => tests.some((t) => t(c)) }, end: i + 1 };
}

/** Compile one word glob: `*` any characters, `?` one, `[...]` a class (`[!...]` negated), `\` escapes. */
export function compileWordGlob(glob: string, syntax: WordGlobSyntax): WordGlob {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; ) {
    const ch = glob[i];
    if (ch === '\\' && i + 1 < glob.length && syntax.escapable.includes(glob[i + 1])) {
      tokens.push({ kind: 'char', ch: glob[i + 1] });
      i += 2;
    } else if (ch === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' }); // `**` in a word is `*`
      i++;
    } else if (ch === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (ch === '[') {
      const parsed = parseClass(glob, i);
      if ('error' in parsed) return parsed;
      tokens.push(parsed.token);
      i = parsed.end;
    } else {
      tokens.push({ kind: 'char', ch });
      i++;
    }
  }
  return { tokens };
}

function tokenMatches(t: Token, ch: string, slash: boolean): boolean {
  if (!slash && ch === '/') return t.kind === 'char' && t.ch === '/';
  if (t.kind === 'char') return t.ch === ch;
  if (t.kind === 'any') return true;
  if (t.kind === 'class') return t.test(ch) !== t.negate;
  return false;
}

/**
 * The two-pointer walk shared by words and paths: `isStar(i)` marks pattern elements that match any run
 * of subject elements, `one(i, j)` whether pattern element i matches subject element j.
 */
export function wildcardMatch(patternLength: number, subjectLength: number, isStar: (i: number) => boolean, one: (i: number, j: number) => boolean): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < subjectLength) {
    if (p < patternLength && isStar(p)) {
      starP = p++;
      starS = s;
    } else if (p < patternLength && one(p, s)) {
      p++;
      s++;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else return false;
  }
  while (p < patternLength && isStar(p)) p++;
  return p === patternLength;
}

/** Match a word against compiled tokens. Array.from splits by code point, so `?` is one character. */
export function matchWord(tokens: readonly Token[], word: string, slash: boolean): boolean {
  const chars = Array.from(word);
  return wildcardMatch(tokens.length, chars.length, (i) => tokens[i].kind === 'star', (i, j) => tokenMatches(tokens[i], chars[j], slash));
}

/** The most alternatives brace expansion may produce for one glob: a config error above it. */
export const MAX_BRACE_ALTERNATIVES = 256;

/**
 * Expand `{a,b}` (nested too) into alternatives. A brace without a top-level comma is literal, as in
 * the shell; an unclosed `{` is an error. Backslash-escaped braces and commas are left alone.
 */
export function expandBraces(glob: string): string[] | { error: string } {
  const open = findBrace(glob);
  if (open === null) return [glob];
  if ('error' in open) return open;
  const { start, end, parts } = open;
  const out: string[] = [];
  for (const part of parts) {
    const rest = expandBraces(glob.slice(0, start) + part + glob.slice(end + 1));
    if (!Array.isArray(rest)) return rest;
    out.push(...rest);
    if (out.length > MAX_BRACE_ALTERNATIVES) return { error: `'${glob}' expands to more than ${MAX_BRACE_ALTERNATIVES} alternatives` };
  }
  return out;
}

function findBrace(glob: string): { start: number; end: number; parts: string[] } | { error: string } | null {
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') {
      i++;
      continue;
    }
    if (glob[i] === '[') {
      // A class may hold braces and commas as plain characters.
      const close = classEnd(glob, i);
      if (close > i) i = close;
      continue;
    }
    if (glob[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let j = i; j < glob.length; j++) {
      const c = glob[j];
      if (c === '\\') j++;
      else if (c === '{') depth++;
      else if (c === ',' && depth === 1) commas.push(j);
      else if (c === '}' && --depth === 0) {
        if (commas.length === 0) break; // `{x}` is literal: look for the next brace
        const bounds = [i, ...commas, j];
        const parts = bounds.slice(1).map((b, k) => glob.slice(bounds[k] + 1, b));
        return { start: i, end: j, parts };
      }
    }
    if (depth > 0) return { error: `unclosed '{' in '${glob}' (write '\\{' for a literal brace)` };
  }
  return null;
}

function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === ']') return i;
  }
  return -1;
}

/** A compiled path glob: `/`-separated segments, `**` as a whole segment matching any number of them. */
export type PathMatcher = ((path: string) => boolean) & { error?: undefined };

const EXTGLOB = /(^|[^\\])[@*+?!]\(/;

/** Compile a path glob (dotfiles included), or say why it is not one. */
export function compilePathMatcher(glob: string): PathMatcher | { error: string } {
  if (glob.startsWith('!')) return { error: `'${glob}': negated globs are not supported (write '\\!' for a literal '!')` };
  if (EXTGLOB.test(glob)) return { error: `'${glob}': extended globs like '@(a|b)' are not supported; use '{a,b}' (or '\\(' for a literal parenthesis)` };
  const alternatives = expandBraces(glob.replace(/^(\.\/)+/, '')); // `./x` is `x`, as in picomatch
  if (!Array.isArray(alternatives)) return alternatives;
  const compiled: { segments: (Token[] | null)[] }[] = [];
  for (const alt of alternatives) {
    const segments: (Token[] | null)[] = [];
    for (const seg of alt.split('/')) {
      if (seg === '**') {
        if (segments.length === 0 || segments[segments.length - 1] !== null) segments.push(null); // `**/**` is one `**`
        continue;
      }
      const word = compileWordGlob(seg, { slash: false, escapable: '*?[]{}\\!(),' });
      if ('error' in word) return { error: word.error.replace(`'${seg}'`, `'${glob}'`) };
      segments.push(word.tokens);
    }
    compiled.push({ segments });
  }
  const matcher = (path: string) => {
    const parts = path.split('/');
    // A `**` segment may match no segment at all, so `a/**` matches `a` and `a/**/b` matches `a/b`, as picomatch does.
    return compiled.some(({ segments: segs }) =>
      wildcardMatch(segs.length, parts.length, (i) => segs[i] === null, (i, j) => matchWord(segs[i]!, parts[j], false)),
    );
  };
  return matcher as PathMatcher;
}
