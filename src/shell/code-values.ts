import type { Language } from './lang/source.js';

/**
 * What string and path values interpreter code holds: literals, concatenations, interpolations, the home and
 * working directory, `os.path.join`/`path.join`/pathlib, and the string variables the code assigned. Pure.
 */

/** Context for resolving paths in code. */
export interface CodeContext {
  home: string;
  cwd: string;
  /** The language, for its string interpolation and concatenation operators. */
  lang?: Language;
  /** String variables the code assigned before (`d = '.agentfirewall'`, `$d = "..."`), by name (`$d` in Perl and PHP). */
  vars?: Map<string, string>;
  /** List variables (`a = ['rm', '-rf', d]`), by name, while assignments are being read. */
  lists?: Map<string, string[]>;
}

/** Split at top-level `sep`: not inside quotes, parentheses, brackets or braces. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      current += c;
      if (c === '\\') current += text[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (depth === 0 && (c === sep || (sep.length > 1 && text.startsWith(sep, i)))) {
      parts.push(current.trim());
      current = '';
      i += sep.length - 1;
    } else current += c;
  }
  parts.push(current.trim());
  return parts;
}

/** Split an argument list at top-level commas; a trailing comma or an empty list adds no argument. */
export function splitArgs(text: string): string[] {
  const args = splitTopLevel(text, ',');
  if (args[args.length - 1] === '') args.pop();
  return args;
}

/** A string literal's value: '...', "...", `...` (no interpolation), r'...', b'...'. */
export function stringLiteral(expr: string): string | undefined {
  // Perl q{..} / qq{..} and Ruby %q(..) / %Q(..): no interpolation read here.
  const quoted = /^(?:qq?|%[qQ]?)\s*([({[<|!\/])([^)}\]>|!\/]*)([)}\]>|!\/])$/.exec(expr.trim());
  if (quoted && !quoted[2].includes('$') && !quoted[2].includes('#{')) return quoted[2];
  // One literal: the quote it opens with appears inside only escaped (`'a' + 'b'` is two).
  const m = /^[rRbBuU]?(['"`])((?:\\[\s\S]|(?!\1)[^\\])*)\1$/.exec(expr.trim());
  if (!m) return undefined;
  if (m[1] === '`' && m[2].includes('${')) return undefined;
  if (/^[rR]/.test(expr.trim()) || m[1] === "'") return m[2].replace(/\\'/g, "'").replace(/\\\\/g, '\\');
  return m[2].replace(/\\(["\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}


/**
 * A string built from literals and known values: `'rm -rf ' + os.path.expanduser('~')`,
 * f"rm -rf {Path.home()}", `rm -rf ${process.env.HOME}`. Undefined when any piece is unknown.
 */
export function stringExpression(expr: string, ctx: CodeContext, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const t = expr.trim();
  const known = ctx.vars?.get(t);
  if (known !== undefined) return known;
  // Double-quoted strings with variables in them (Perl, PHP, Ruby) before plain literals.
  const interpolated0 = interpolate(t, ctx);
  if (interpolated0 !== null) return interpolated0;
  const literal = stringLiteral(t);
  if (literal !== undefined) return literal;
  const interpolated = /^(?:f(['"])([\s\S]*)\1|`([\s\S]*)`)$/.exec(t);
  if (interpolated) {
    const body = interpolated[2] ?? interpolated[3];
    let failed = false;
    const out = body.replace(interpolated[3] !== undefined ? /\$\{([^}]*)\}/g : /\{([^}]*)\}/g, (_, inner: string) => {
      const v = pathExpression(inner, ctx);
      if (v === undefined) failed = true;
      return v ?? '';
    });
    return failed ? undefined : out;
  }
  const parts = splitTopLevel(t, CONCAT[ctx.lang ?? 'python']).filter((p) => p !== '');
  if (parts.length < 2) return adjacent(t, ctx);
  const values = parts.map((p) => {
    const i = interpolate(p.trim(), ctx);
    return i !== null ? i : stringLiteral(p) ?? pathExpression(p, ctx);
  });
  return values.every((v) => v !== undefined) ? values.join('') : undefined;
}

/** The concatenation operator of each language (awk and Python's adjacent literals are handled apart). */
const CONCAT: Record<Language, string> = {
  python: '+', node: '+', perl: '.', php: '.', ruby: '+', awk: ' ', lua: '..', r: '+', julia: '*', tcl: ' ', powershell: '+',
};

/** Adjacent string literals: `'rm -rf ' '~'` (Python, C-like) — undefined unless every piece is a literal. */
function adjacent(t: string, ctx: CodeContext): string | undefined {
  if (ctx.lang !== 'python') return undefined;
  const pieces = t.match(/[rRbBuU]?(['"])(?:\\[\s\S]|(?!\1)[^\\])*\1|\S+/g);
  if (!pieces || pieces.length < 2) return undefined;
  const values = pieces.map(stringLiteral);
  return values.every((v) => v !== undefined) ? values.join('') : undefined;
}

/**
 * A double-quoted Perl, PHP or Ruby string with variables in it (`"$d/config.yaml"`, `"{$d}/x"`, `"#{d}/x"`):
 * its value when every variable is known, undefined when one is not, null when it is no such string.
 */
export function interpolate(t: string, ctx: CodeContext): string | undefined | null {
  if (ctx.lang !== 'perl' && ctx.lang !== 'php' && ctx.lang !== 'ruby') return null;
  const m = /^"([\s\S]*)"$/.exec(t);
  if (!m) return null;
  const body = m[1].replace(/\$ENV\{\s*(['"]?)HOME\1\s*\}/g, ctx.home);
  const re = ctx.lang === 'ruby' ? /#\{([^}]*)\}/g : /\{?\$\{?([A-Za-z_]\w*)\}?\}?/g;
  if (!body.match(re)) return body === m[1] ? null : body;
  let failed = false;
  const out = body.replace(re, (_, name: string) => {
    const v = ctx.lang === 'ruby' ? pathExpression(name, ctx) : ctx.vars?.get(`$${name}`);
    if (v === undefined) failed = true;
    return v ?? '';
  });
  return failed ? undefined : out.replace(/\\(["\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

const ASSIGNMENT: Record<Language, RegExp> = {
  python: /(?:^|[;\n])\s*([A-Za-z_]\w*)\s*=(?!=)/g,
  node: /(?:^|[;\n{}(])\s*(?:const|let|var)?\s*([A-Za-z_$][\w$]*)\s*=(?![=>])/g,
  perl: /(?:^|[;\n{}(])\s*(?:my|our|local)?\s*(\$[A-Za-z_]\w*)\s*=(?![=~>])/g,
  ruby: /(?:^|[;\n])\s*([a-z_]\w*)\s*=(?![=~>])/g,
  php: /(?:^|[;\n{}(])\s*(\$[A-Za-z_]\w*)\s*=(?![=>])/g,
  awk: /(?:^|[;\n{])\s*([A-Za-z_]\w*)\s*=(?!=)/g,
  lua: /(?:^|[;\n]|\bdo\b|\bthen\b)\s*(?:local\s+)?([A-Za-z_]\w*)\s*=(?!=)/g,
  r: /(?:^|[;\n{])\s*([A-Za-z_.][\w.]*)\s*(?:<-|=(?!=))/g,
  julia: /(?:^|[;\n])\s*(?:local\s+|const\s+)?([A-Za-z_]\w*)\s*=(?!=)/g,
  tcl: /(?!)/g,
  powershell: /(?!)/g,
};

/** String variables the code assigns, in order, each resolved with those before it; a name given an unknown value is forgotten. */
export function assignedStrings(lang: Language, code: string, ctx: CodeContext, masked = code, preset?: Map<string, string>): Map<string, string> {
  const vars = new Map<string, string>(preset);
  const lists = new Map<string, string[]>();
  const re = new RegExp(ASSIGNMENT[lang].source, 'g');
  // Found in the masked code (an `=` inside a string is no assignment), read from the original at the same offset.
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const start = m.index + m[0].length;
    const raw = splitTopLevel(code.slice(start).split('\n')[0], ';')[0];
    // `BEGIN { c = "x" }`: a closing brace of the block is not part of the value.
    const value = unbalancedClose(raw) ? raw.replace(/\s*\}\s*$/, '') : raw;
    const inner = { ...ctx, lang, vars, lists };
    const resolved = pathExpression(value, inner);
    if (resolved !== undefined && vars.size < 64) vars.set(m[1], resolved);
    else vars.delete(m[1]);
    const list = resolved === undefined && /^\s*[[(]/.test(value) ? listLiteral(value, inner) : undefined;
    if (list && lists.size < 16) lists.set(m[1], list);
    else lists.delete(m[1]);
  }
  // A name that is also appended to (`d += chunk`, `$s .= …`, `s << x`) holds what the code built at run time.
  for (const m of masked.matchAll(/([$\w]+)\s*(?:\+=|\.=|<<(?!<))/g)) {
    if (vars.has(m[1]) && !(preset?.has(m[1]) && vars.get(m[1]) === preset.get(m[1]))) vars.delete(m[1]);
  }
  listsOf.set(vars, lists);
  return vars;
}

const unbalancedClose = (s: string) => (s.match(/\}/g)?.length ?? 0) > (s.match(/\{/g)?.length ?? 0);

/** The list variables assigned with a string-variable map (kept beside it so CodeContext stays a plain record). */
const listsOf = new WeakMap<Map<string, string>, Map<string, string[]>>();

/** A list of strings (`['rm', '-rf', os.homedir()]`, `%w[rm -rf]`) whose every item is known. */
export function listLiteral(expr: string, ctx: CodeContext): string[] | undefined {
  const t = expr.trim();
  const named = ctx.vars ? listsOf.get(ctx.vars)?.get(t) ?? (ctx as { lists?: Map<string, string[]> }).lists?.get(t) : undefined;
  if (named) return named;
  const words = /^%w[[({](.*)[\])}]$/.exec(t);
  if (words) return words[1].trim().split(/\s+/);
  const rvec = /^c\(([\s\S]*)\)$/.exec(t);
  if (!/^[[(]/.test(t) && !(ctx.lang === 'r' && rvec)) return undefined;
  const items = splitArgs(rvec && ctx.lang === 'r' ? rvec[1] : t.slice(1, -1));
  const values = items.map((item) => stringExpression(item, ctx) ?? pathExpression(item, ctx));
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

const HOME_EXPR = [
  /^(?:pathlib\.)?Path\.home\(\)$/,
  /^os\.path\.expanduser\(\s*(['"])~\1\s*\)$/,
  /^os\.environ\[\s*(['"])HOME\1\s*\]$/,
  /^os\.(?:environ\.get|getenv)\(\s*(['"])HOME\1\s*\)$/,
  /^process\.env\.HOME$/,
  /^process\.env\[\s*(['"])HOME\1\s*\]$/,
  /^(?:require\(\s*['"](?:node:)?os['"]\s*\)|os)\.homedir\(\)$/,
  /^Dir\.home$/,
  /^ENV\[\s*(['"])HOME\1\s*\]$/,
  /^ENV\.fetch\(\s*(['"])HOME\1\s*\)$/,
  /^\$ENV\{\s*['"]?HOME['"]?\s*\}$/,
  /^getenv\(\s*(['"])HOME\1\s*\)$/,
  /^Deno\.env\.get\(\s*(['"])HOME\1\s*\)$/,
  /^Bun\.env\.HOME$/,
  /^(?:os\.)?homedir\(\)$/,
  /^os\.getenv\(\s*(['"])HOME\1\s*\)$/,
  /^Sys\.getenv\(\s*(['"])HOME\1\s*\)$/,
  /^path\.expand\(\s*(['"])~\1\s*\)$/,
  /^ENVIRON\[\s*(['"])HOME\1\s*\]$/,
  /^ENV\[\s*(['"])HOME\1\s*\]$/,
  /^File\.expand_path\(\s*(['"])~\1\s*\)$/,
  /^(?:Path|pathlib\.Path)\(\s*(['"])~\1\s*\)\.expanduser\(\)$/,
];
const CWD_EXPR = [/^pwd\(\)$/, /^getwd\(\)$/, /^os\.getcwd\(\)$/, /^process\.cwd\(\)$/, /^Dir\.pwd$/, /^getcwd\(\)$/, /^(?:pathlib\.)?Path\.cwd\(\)$/, /^Deno\.cwd\(\)$/];

/** Resolve a path expression: a literal, the home or working directory, `expanduser('~/x')`, `Path(x)`, `join(a, b)`. */
export function pathExpression(expr: string, ctx: CodeContext): string | undefined {
  const t = expr.trim().replace(/\s*,\s*(ignore_errors|onerror|missing_ok|\{)[\s\S]*$/, '');
  const known = ctx.vars?.get(t);
  if (known !== undefined) return known;
  const interpolated = interpolate(t, ctx);
  if (interpolated !== null) return interpolated;
  const literal = stringLiteral(t);
  // R expands a leading ~ in every path argument.
  if (literal !== undefined) return ctx.lang === 'r' ? literal.replace(/^~(?=\/|$)/, ctx.home) : literal;
  if (HOME_EXPR.some((re) => re.test(t))) return ctx.home;
  const built = stringExpression(t, ctx);
  if (built !== undefined) return built;
  if (CWD_EXPR.some((re) => re.test(t))) return ctx.cwd;
  // glob("~/.ssh/*") and friends: the pattern, with the home directory put in for ~.
  const glob = /^(?:glob\.glob|Dir\.glob|glob|globSync)\(\s*(['"])(.*?)\1[\s\S]*\)$/.exec(t);
  if (glob) return glob[2].replace(/^~(?=\/|$)/, ctx.home);
  // dirname of a known path: its parent (`.` for a bare relative name).
  const dir = /^(?:os\.path\.dirname|path\.dirname|dirname|File\.dirname)\(([\s\S]*)\)$/.exec(t);
  if (dir) {
    const inner = pathExpression(dir[1], ctx);
    if (inner === undefined) return undefined;
    const trimmed = inner.replace(/\/+$/, '');
    const cut = trimmed.lastIndexOf('/');
    return cut > 0 ? trimmed.slice(0, cut) : cut === 0 ? '/' : '.';
  }
  const expand = /^(?:os\.path\.expanduser|File\.expand_path|path\.expand|expanduser)\(\s*(['"])~\/(.*)\1\s*\)$/.exec(t);
  if (expand) return `${ctx.home}/${expand[2]}`;
  const wrapped = /^(?:(?:pathlib\.)?(?:Pure)?(?:Posix)?Path|File\.expand_path|path\.resolve|resolve|abspath|os\.path\.abspath|realpath)\(([\s\S]*)\)$/.exec(t);
  if (wrapped) {
    const parts = splitArgs(wrapped[1]).map((a) => pathExpression(a, ctx));
    if (parts.length && parts.every((p) => p !== undefined)) return (parts as string[]).join('/');
  }
  // pathlib's `/`: Path('.agentfirewall') / 'config.yaml'.
  if (ctx.lang === 'python' && /^(?:pathlib\.)?(?:Path|PurePath|PosixPath)\(|^Path\.(?:home|cwd)\(\)/.test(t)) {
    const parts = splitTopLevel(t, '/');
    if (parts.length > 1) {
      const values = parts.map((p) => pathExpression(p, ctx));
      if (values.every((v) => v !== undefined)) return values.join('/');
    }
  }
  // ''.join(['.agent', 'firewall'])
  const joined = /^(['"])(.*?)\1\.join\(([\s\S]*)\)$/.exec(t);
  if (joined && ctx.lang === 'python') {
    const items = listLiteral(joined[3], ctx);
    if (items) return items.join(joined[2]);
  }
  const join = /^(?:os\.path\.join|(?:require\(\s*['"](?:node:)?path['"]\s*\)\.)?path\.join|require\(\s*['"](?:node:)?path['"]\s*\)\.join|File\.join)\(([\s\S]*)\)$/.exec(t);
  if (join) {
    const parts = splitArgs(join[1]).map((a) => pathExpression(a, ctx));
    if (parts.length && parts.every((p) => p !== undefined)) return (parts as string[]).join('/');
  }
  return undefined;
}

/**
 * Paths a piece of code names in its string constants and string variables: what a write with a path built at
 * run time may well aim at (`open(sys.argv[1] + '/.agentfirewall/config.yaml', 'w')`). A constant that starts
 * with `/.` is also read as a suffix of the working or home directory; one holding `.agentfirewall` from there on.
 */
export function namedPaths(code: string, ctx: CodeContext): string[] {
  const out = new Set<string>();
  const constants = [...[...code.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2]), ...(ctx.vars?.values() ?? [])];
  for (const c of constants) {
    if (out.size >= 16) break;
    if (c.length === 0 || c.length > 256 || /[\s$`{}]/.test(c) || !/^[~.]|\//.test(c)) continue;
    const firewall = /(?:^|\/)(\.agentfirewall(?:\/.*)?)$/.exec(c);
    if (firewall) out.add(firewall[1]);
    else if (c.startsWith('/.')) {
      out.add(c.slice(1));
      out.add(`${ctx.home}${c}`);
    } else out.add(c.replace(/^~(?=\/|$)/, ctx.home));
  }
  return [...out];
}
