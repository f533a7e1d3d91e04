import type { Word, WordPart } from './ast.js';
import type { Field, ShellState, Substituter } from './expand.js';

/** A parameter's value after its operator: `dynamic` when it cannot be known statically (its text is then empty). */
export interface ParamValue {
  text: string;
  dynamic: boolean;
  /** For `${a[@]}` and its slices: the elements, which a quoted expansion gives back one word each. */
  elements?: string[];
}

/** The expanders that operators need, passed in so that this module does not import expand.ts back. */
export interface ParamHost {
  toString(word: Word, state: ShellState, substitute: Substituter): Field;
  arithmetic(expr: Word, state: ShellState, substitute: Substituter): string | undefined;
}

type ParamPart = Extract<WordPart, { type: 'param' }>;

const UNKNOWN: ParamValue = { text: '', dynamic: true };

/**
 * Variables whose value the shell makes up at run time, or takes from the process that started it: a check
 * cannot know them, so they stay unknown even where every other unset variable is empty.
 */
const RUNTIME_VARS = new Set([
  'RANDOM', 'SRANDOM', 'SECONDS', 'EPOCHSECONDS', 'EPOCHREALTIME', 'BASHPID', 'PPID', 'LINENO', 'BASH_COMMAND',
  'HOSTNAME', 'UID', 'EUID', 'GROUPS', 'PIPESTATUS', 'BASH_SOURCE', 'FUNCNAME', 'REPLY', 'SHLVL', 'COLUMNS', 'LINES',
  'PATH', 'SHELL', 'BASH', 'BASH_VERSION', 'OSTYPE', 'HOSTTYPE', 'MACHTYPE', '$', '?', '_', '-', '!',
]);

/** What a name holds where it is read: known (set, or unset and therefore empty) or unknown. */
export function lookupVar(state: ShellState, name: string): { value: string | undefined; known: boolean } {
  if (/^[0-9]+$/.test(name)) {
    if (!state.positional) return { value: undefined, known: false };
    return { value: state.positional[Number(name)], known: true };
  }
  if (name === '#') return state.positional ? { value: String(state.positional.length - 1), known: true } : { value: undefined, known: false };
  if (name === '@' || name === '*') {
    if (!state.positional) return { value: undefined, known: false };
    return { value: state.positional.slice(1).join(' '), known: true };
  }
  if (state.vars.has(name)) return { value: state.vars.get(name), known: true };
  if (state.unset.has(name)) return { value: undefined, known: true };
  if (state.unknown?.has(name)) return { value: undefined, known: false };
  // The environment is the command's own: a variable set neither there nor earlier on the line is empty.
  if (state.closedEnv && !RUNTIME_VARS.has(name)) return { value: undefined, known: true };
  return { value: undefined, known: false };
}

/** The elements of an array (or of the positional parameters for `@`/`*`), when they are known. */
export function arrayElements(state: ShellState, name: string): string[] | undefined {
  if (name === '@' || name === '*') return state.positional ? state.positional.slice(1) : undefined;
  const elements = state.arrays?.get(name);
  if (elements) return elements;
  const { value, known } = lookupVar(state, name);
  if (!known) return undefined;
  return value === undefined ? [] : [value];
}

/** Expand `${…}`, `$name` and their operators to one value (arrays joined by spaces). */
export function expandParam(part: ParamPart, state: ShellState, substitute: Substituter, host: ParamHost): ParamValue {
  // `${a[$(cmd)]}`: the subscript's substitutions run before the element is read.
  const index = part.index ? host.arithmetic(part.index, state, substitute) : undefined;
  // `${!name}`: the variable whose name is name's value, when that is a known plain name.
  let name = part.name;
  if (part.indirect) {
    const target = lookupVar(state, part.name);
    if (!(target.known && target.value !== undefined && /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)$/.test(target.value))) return UNKNOWN;
    name = target.value;
  }
  let value: string | undefined;
  let known: boolean;
  // `${m[key]}` of an element the line assigned by key (`declare -A m=([key]=v)`), kept as the variable `m[key]`.
  const element = part.index && !part.all ? `${name}[${part.index.raw}]` : undefined;
  if (element !== undefined && state.vars.has(element)) {
    value = state.vars.get(element);
    known = true;
  } else if ((name === '@' || name === '*') && part.op === ':') {
    const elements = arrayElements(state, name);
    return elements ? sliceArray(elements, part, state, substitute, host) : UNKNOWN;
  } else if (part.all || (part.index && state.arrays?.has(name))) {
    const elements = arrayElements(state, name);
    if (elements === undefined || (part.index && index === undefined)) return UNKNOWN;
    if (part.all) {
      if (part.length) return { text: String(elements.length), dynamic: false };
      if (part.op === ':') return sliceArray(elements, part, state, substitute, host);
      if (!part.op) return { text: elements.join(' '), dynamic: false, elements };
      value = elements.length ? elements.join(' ') : undefined;
    } else {
      const i = Number(index);
      value = elements[i < 0 ? elements.length + i : i];
    }
    known = true;
  } else if (part.index) {
    // A scalar read with a subscript: element 0 is the scalar itself.
    const v = lookupVar(state, name);
    if (!v.known || index === undefined) return UNKNOWN;
    value = Number(index) === 0 ? v.value : undefined;
    known = true;
  } else ({ value, known } = lookupVar(state, name));
  if (part.length) return known ? { text: String((value ?? '').length), dynamic: false } : UNKNOWN;
  const op = part.op;
  if (!op) return known ? { text: value ?? '', dynamic: false } : UNKNOWN;
  const arg = (): Field => (part.arg ? host.toString(part.arg, state, substitute) : { text: '', dynamic: false, glob: false });
  const isSet = value !== undefined;
  const nonEmpty = isSet && value !== '';
  switch (op) {
    case ':-':
    case ':=': {
      // An unknown variable is treated as empty here: a guard must consider the default the shell may use.
      if (known && nonEmpty) return { text: value!, dynamic: false };
      const a = arg();
      if (op === ':=' && !a.dynamic) assign(state, part.name, a.text);
      return { text: a.text, dynamic: a.dynamic };
    }
    case '-':
    case '=': {
      if (known && isSet) return { text: value!, dynamic: false };
      const a = arg();
      if (op === '=' && !a.dynamic && known) assign(state, part.name, a.text);
      return { text: a.text, dynamic: a.dynamic };
    }
    case ':+':
    case '+': {
      if (!known) return UNKNOWN;
      if (!(op === ':+' ? nonEmpty : isSet)) return { text: '', dynamic: false };
      const a = arg();
      return { text: a.text, dynamic: a.dynamic };
    }
    case ':?':
    case '?':
      return known ? { text: value ?? '', dynamic: false } : UNKNOWN;
  }
  if (!known) return UNKNOWN;
  const v = value ?? '';
  switch (op) {
    case '#':
    case '##':
    case '%':
    case '%%': {
      const a = arg();
      return a.dynamic ? UNKNOWN : { text: trimPattern(v, a.text, op), dynamic: false };
    }
    case '/':
    case '//':
    case '/#':
    case '/%':
      return replaceIn(v, op, part.arg, state, substitute, host);
    case ':': {
      const bounds = sliceBounds(arg(), state);
      return bounds ? { text: substring(v, bounds[0], bounds[1]), dynamic: false } : UNKNOWN;
    }
    case '^^':
    case '^':
    case ',,':
    case ',': {
      const a = arg();
      // A pattern limits which characters change; only the default (every character) is modelled.
      if (a.dynamic || (a.text !== '' && a.text !== '?')) return UNKNOWN;
      return { text: changeCase(v, op), dynamic: false };
    }
    default:
      return UNKNOWN;
  }
}

/** `${a[@]:off:len}` (and `${@:off:len}`): the elements kept, joined; positional slices count `$0` as index 0. */
function sliceArray(elements: string[], part: ParamPart, state: ShellState, substitute: Substituter, host: ParamHost): ParamValue {
  const bounds = sliceBounds(part.arg ? host.toString(part.arg, state, substitute) : { text: '', dynamic: false, glob: false }, state);
  if (!bounds) return UNKNOWN;
  const all = part.name === '@' || part.name === '*' ? [state.positional?.[0] ?? '', ...elements] : elements;
  const kept = sliceList(all, bounds[0], bounds[1]);
  return { text: kept.join(' '), dynamic: false, elements: kept };
}

/** `${v:=x}` assigns as the shell does. */
function assign(state: ShellState, name: string, text: string): void {
  state.vars.set(name, text);
  state.unset.delete(name);
  state.unknown?.delete(name);
}

/** The elements `${a[@]:off:len}` keeps, for the expander to give back one word each. */
export function sliceList<T>(items: T[], offset: number, length?: number): T[] {
  const start = offset < 0 ? Math.max(0, items.length + offset) : Math.min(offset, items.length);
  if (length === undefined) return items.slice(start);
  const end = length < 0 ? items.length + length : start + length;
  return end <= start ? [] : items.slice(start, end);
}

/** `${v:off:len}` on a string: negative offsets count from the end, a negative length stops that far before it. */
export function substring(value: string, offset: number, length?: number): string {
  const start = offset < 0 ? Math.max(0, value.length + offset) : Math.min(offset, value.length);
  if (length === undefined) return value.slice(start);
  const end = length < 0 ? value.length + length : start + length;
  return end <= start ? '' : value.slice(start, end);
}

/** The offset and length of `${v:off:len}`, each an integer or a variable holding one; undefined when not known. */
function sliceBounds(arg: Field, state: ShellState): [number, number | undefined] | undefined {
  if (arg.dynamic) return undefined;
  const colon = arg.text.indexOf(':');
  const parts = colon < 0 ? [arg.text] : [arg.text.slice(0, colon), arg.text.slice(colon + 1)];
  const numbers = parts.map((p) => integerOf(p, state));
  if (numbers.some((n) => n === undefined)) return undefined;
  return [numbers[0]!, numbers[1]];
}

function integerOf(text: string, state: ShellState): number | undefined {
  const t = text.trim();
  if (/^[-+]?\d+$/.test(t)) return Number(t);
  // A bare name is read as arithmetic: its value, or 0 when it is unset.
  const m = /^\(?\s*(-)?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)?$/.exec(t);
  if (!m) return undefined;
  const { value, known } = lookupVar(state, m[2]);
  if (!known) return undefined;
  const v = (value ?? '0').trim() || '0';
  if (!/^[-+]?\d+$/.test(v)) return undefined;
  return m[1] ? -Number(v) : Number(v);
}

function changeCase(value: string, op: string): string {
  if (op === '^^') return value.toUpperCase();
  if (op === ',,') return value.toLowerCase();
  if (value === '') return value;
  const first = op === '^' ? value[0].toUpperCase() : value[0].toLowerCase();
  return first + value.slice(1);
}

/** Values longer than this are not searched with a glob pattern (the search is quadratic); the result is unknown. */
const MAX_GLOB_SEARCH = 512;

/** `${v/p/r}`, `${v//p/r}`, `${v/#p/r}`, `${v/%p/r}`. */
function replaceIn(value: string, op: string, arg: Word | undefined, state: ShellState, substitute: Substituter, host: ParamHost): ParamValue {
  const { pattern, replacement } = splitReplaceArg(arg);
  if (!pattern) return { text: value, dynamic: false };
  const pat = host.toString(pattern, state, substitute);
  const rep = replacement ? host.toString(replacement, state, substitute) : { text: '', dynamic: false, glob: false };
  if (pat.dynamic || rep.dynamic) return UNKNOWN;
  // Quoted glob characters are literal; only a pattern with unquoted ones is matched as a glob.
  const glob = pattern.parts.some((p) => p.type === 'lit' && !p.quoted && /[*?]/.test(p.text));
  if (pat.text === '') return { text: value, dynamic: false };
  if (!glob) return { text: replaceLiteral(value, pat.text, rep.text, op), dynamic: false };
  if (value.length > MAX_GLOB_SEARCH || /\[/.test(pat.text)) return UNKNOWN;
  return { text: replaceGlob(value, pat.text, rep.text, op), dynamic: false };
}

/** The pattern and replacement of `${v/pattern/replacement}`: split at the first unquoted `/` of the argument. */
export function splitReplaceArg(arg: Word | undefined): { pattern?: Word; replacement?: Word } {
  if (!arg) return {};
  const before: WordPart[] = [];
  for (let i = 0; i < arg.parts.length; i++) {
    const p = arg.parts[i];
    const slash = p.type === 'lit' && !p.quoted ? p.text.indexOf('/') : -1;
    if (slash < 0) {
      before.push(p);
      continue;
    }
    const lit = p as Extract<WordPart, { type: 'lit' }>;
    if (slash > 0) before.push({ ...lit, text: lit.text.slice(0, slash) });
    const after: WordPart[] = lit.text.length > slash + 1 ? [{ ...lit, text: lit.text.slice(slash + 1) }] : [];
    after.push(...arg.parts.slice(i + 1));
    return { pattern: { parts: before, raw: arg.raw }, replacement: { parts: after, raw: arg.raw } };
  }
  return { pattern: { parts: before, raw: arg.raw } };
}

function replaceLiteral(value: string, pattern: string, rep: string, op: string): string {
  if (op === '/#') return value.startsWith(pattern) ? rep + value.slice(pattern.length) : value;
  if (op === '/%') return value.endsWith(pattern) ? value.slice(0, value.length - pattern.length) + rep : value;
  if (op === '//') return value.split(pattern).join(rep);
  const at = value.indexOf(pattern);
  return at < 0 ? value : value.slice(0, at) + rep + value.slice(at + pattern.length);
}

/** Does `text` match a glob of literal characters, `*` and `?` (iterative, linear in text times pattern)? */
function globMatches(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The longest match of a glob starting at `start` (or ending at the end, for `/%`), as its end index; -1 when none. */
function longestMatchAt(value: string, start: number, pattern: string, toEnd: boolean): number {
  if (toEnd) return globMatches(value.slice(start), pattern) ? value.length : -1;
  for (let end = value.length; end > start; end--) if (globMatches(value.slice(start, end), pattern)) return end;
  return -1;
}

function replaceGlob(value: string, pattern: string, rep: string, op: string): string {
  if (op === '/#') {
    const end = longestMatchAt(value, 0, pattern, false);
    return end < 0 ? value : rep + value.slice(end);
  }
  if (op === '/%') {
    for (let start = 0; start < value.length; start++) if (globMatches(value.slice(start), pattern)) return value.slice(0, start) + rep;
    return value;
  }
  let out = '';
  let i = 0;
  let replaced = false;
  while (i < value.length) {
    const end = op === '//' || !replaced ? longestMatchAt(value, i, pattern, false) : -1;
    if (end > i) {
      out += rep;
      i = end;
      replaced = true;
    } else out += value[i++];
  }
  return out;
}

/**
 * `${v#pat}` and friends, for patterns made of literal text and `*`, in time linear in the value (no regular
 * expression, no trying every split: a long value would otherwise cost seconds). A prefix matches `p0*…*pk`
 * when it starts with p0, ends with pk, and the middle pieces fit between in order, which their earliest
 * placements decide once for every prefix (and their latest placements for every suffix).
 */
export function trimPattern(value: string, pattern: string, op: string): string {
  const fromStart = op[0] === '#';
  const longest = op.length === 2;
  const pieces = pattern.split('*');
  if (pieces.length === 1) {
    if (fromStart) return value.startsWith(pattern) ? value.slice(pattern.length) : value;
    return value.endsWith(pattern) ? value.slice(0, value.length - pattern.length) : value;
  }
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1);
  if (fromStart) {
    if (!value.startsWith(first)) return value;
    let end = first.length;
    for (const m of middle) {
      const found = value.indexOf(m, end);
      if (found < 0) return value;
      end = found + m.length;
    }
    const at = longest ? value.lastIndexOf(last) : value.indexOf(last, end);
    return at < end ? value : value.slice(at + last.length);
  }
  if (!value.endsWith(last)) return value;
  let start = value.length - last.length;
  for (let k = middle.length - 1; k >= 0; k--) {
    const from = start - middle[k].length;
    const found = from < 0 ? -1 : value.lastIndexOf(middle[k], from);
    if (found < 0) return value;
    start = found;
  }
  const maxStart = start - first.length;
  if (maxStart < 0) return value;
  const at = longest ? value.indexOf(first) : value.lastIndexOf(first, maxStart);
  return at < 0 || at > maxStart ? value : value.slice(0, at);
}
