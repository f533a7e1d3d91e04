import { mayRunInArithmetic } from './arithmetic.js';
import type { Script, Word, WordPart } from './ast.js';
import { LIMITS, TooComplex, type Budget } from './limits.js';
import { parseArithmeticText } from './parse.js';
import { expandParam as expandParamWith, type ParamHost } from './param-ops.js';
import { homeOf, joinPath } from './paths.js';

/** One field of an expanded word: what a program would receive as one argument. */
export interface Field {
  text: string;
  /** Some of the text came from something whose value cannot be known statically (a command substitution, an unknown variable). */
  dynamic: boolean;
  /** The text holds unquoted glob characters that the shell would expand against the file system. */
  glob: boolean;
  /** Programs whose output went into this field (through `$( )`, backticks or `<( )`), for provenance. */
  producers?: string[];
  /** For a `<( )` path: the text a reader of that file would get, when it is known. */
  content?: string;
  /** The glob also matches hidden names (paths found by `find`, which does not skip them). */
  dotGlob?: boolean;
  /** For a dynamic field: the known text after its last unknown part (`/` in `"$DIR"/`). Its `text` reads every unknown part as empty. */
  tail?: string;
}

/** What the static expansion knows about the shell at one point of the line. */
export interface ShellState {
  /** Variables whose values are known (assigned on the line or given by the caller). */
  vars: Map<string, string>;
  /** Names known to be unset; everything not in `vars` or here is unknown, unless `closedEnv`. */
  unset: Set<string>;
  /** The environment is the command's whole environment: a name set neither there nor on the line is empty. */
  closedEnv?: boolean;
  /** Names whose value was set on the line from something unknown (`d=$(cmd)`): not empty, unknown. */
  unknown?: Set<string>;
  /** Indexed arrays with known elements (`a=(x "y z")`, `mapfile`); `vars` holds element 0. */
  arrays?: Map<string, string[]>;
  cwd: string;
  home: string;
  /** `$0`, `$1` ... of a `sh -c` body or a function call. */
  positional: string[] | null;
  /** Set for commands that run on another machine (`ssh host '...'`): the host. */
  remote?: string;
  /** Runners the commands here were reached through (`docker run`, `uv run` …), outermost first. */
  hops?: import('./runner-model.js').RunnerHop[];
  /** Earlier `cd`/`pushd` targets, for `cd -` and `popd`. */
  dirStack: string[];
  /** Variables holding one match of an unexpanded glob (`for f in *`): even quoted, they stand for what it matches. */
  globVars?: Set<string>;
  /** The work done on this line so far (shared by every copy of the state); expansions charge it. */
  budget?: Budget;
  /** The grammar of the shell running here: `sh` is either (dash on Debian, bash elsewhere). Default `bash`. */
  dialect?: 'bash' | 'posix' | 'sh';
}

/**
 * Runs a command substitution for the expander: records the commands inside it and returns its output
 * when that can be known without running anything, with the programs that produced it.
 */
export type Substituter = (body: Script, state: ShellState) => { output: string | undefined; producers: string[] };

interface Segment {
  text: string;
  quoted: boolean;
  dynamic: boolean;
  /** A quoted value that still stands for glob matches (a `for f in *` variable). */
  globValue?: boolean;
  producers?: string[];
  content?: string;
}

const DEFAULT_IFS = ' \t\n';

/** Expand a word into fields (brace, tilde, parameter and command substitution, field splitting). */
export function expandWord(word: Word, state: ShellState, substitute: Substituter, split = true): Field[] {
  // Fast path for the common word: one literal with nothing to expand.
  if (word.parts.length === 1) {
    const p = word.parts[0];
    if (p.type === 'lit' && (p.quoted || !/[~{*?[]/.test(p.text))) {
      return p.text === '' && !p.quoted ? [] : [{ text: p.text, dynamic: false, glob: false }];
    }
  }
  const fields: Field[] = [];
  // A loop, not push(...): a spread of a huge list overflows the stack.
  for (const parts of braceExpand(word.parts)) for (const f of expandParts(parts, state, substitute, split)) fields.push(f);
  return fields;
}

/**
 * Expand `export`/`declare`/`local`/`readonly`/`typeset` and its arguments: `NAME=value` is expanded like an
 * assignment (a tilde after `=` or `:` expands, no field splitting), as bash does for `export T=~`.
 */
export function expandDeclaration(words: Word[], state: ShellState, substitute: Substituter): Field[] {
  const out = expandWord(words[0], state, substitute);
  for (let i = 1; i < words.length; i++) out.push(...expandDeclarationArgument(words[i], state, substitute));
  return out;
}

function expandDeclarationArgument(word: Word, state: ShellState, substitute: Substituter): Field[] {
  const first = word.parts[0];
  if (first?.type !== 'lit' || first.quoted) return expandWord(word, state, substitute);
  const m = /^([A-Za-z_][A-Za-z0-9_]*\+?=)([\s\S]*)$/.exec(first.text);
  if (!m) return expandWord(word, state, substitute);
  const parts: WordPart[] = [{ ...first, text: m[1] + expandTilde(m[2], state, true) }, ...word.parts.slice(1)];
  return expandWord({ ...word, parts }, state, substitute, false);
}

/** Expand a word into one string, as in an assignment or a redirection target (no splitting). */
export function expandToString(word: Word, state: ShellState, substitute: Substituter): Field {
  const fields = expandParts(word.parts, state, substitute, false, true);
  if (fields.length === 0) return { text: '', dynamic: false, glob: false };
  const field: Field = {
    text: fields.map((f) => f.text).join(' '),
    dynamic: fields.some((f) => f.dynamic),
    glob: fields.some((f) => f.glob),
  };
  const producers = fields.flatMap((f) => f.producers ?? []);
  if (producers.length) field.producers = [...new Set(producers)];
  // `< <(cmd)`: the path still carries the text a reader gets.
  if (fields.length === 1 && fields[0].content !== undefined) field.content = fields[0].content;
  if (field.dynamic) field.tail = fields[fields.length - 1].tail ?? '';
  return field;
}

function ifsOf(state: ShellState): string {
  return state.vars.get('IFS') ?? DEFAULT_IFS;
}

function expandParts(
  parts: WordPart[], state: ShellState, substitute: Substituter, split: boolean, assignment = false,
): Field[] {
  const out: Segment[][] = [];
  let current: Segment[] = [];
  let started = false; // a quoted part makes a field even when empty
  const ifs = ifsOf(state);

  // "$@" and "${a[@]}": each item its own word, the first joined to what precedes it, the last to what follows.
  const pushWords = (words: string[]): void => {
    state.budget?.charge(0, words.length);
    for (let i = 0; i < words.length; i++) {
      if (i > 0) {
        out.push(current);
        current = [];
      }
      current.push({ text: words[i], quoted: true, dynamic: false });
      started = true;
    }
  };
  const pushSplit = (value: string, dynamic: boolean, producers?: string[]) => {
    if (!split || ifs === '') {
      current.push({ text: value, quoted: false, dynamic, producers });
      return;
    }
    let piece = '';
    let pieceStarted = false;
    for (const c of value) {
      if (ifs.includes(c)) {
        if (piece || pieceStarted) current.push({ text: piece, quoted: false, dynamic, producers });
        if (current.length || started) out.push(current);
        current = [];
        started = false;
        piece = '';
        pieceStarted = false;
      } else {
        piece += c;
        pieceStarted = true;
      }
    }
    if (piece) current.push({ text: piece, quoted: false, dynamic, producers });
    if (dynamic && !piece) current.push({ text: '', quoted: false, dynamic: true, producers });
  };

  parts.forEach((part, index) => {
    switch (part.type) {
      case 'lit': {
        let text = part.text;
        if (!part.quoted && index === 0) text = expandTilde(text, state, assignment);
        current.push({ text, quoted: part.quoted, dynamic: false });
        if (part.quoted) started = true;
        break;
      }
      case 'param': {
        if (part.quoted && (part.name === '@' || part.name === '*') && !part.op && !part.length) {
          const args = state.positional ? state.positional.slice(1) : null;
          if (args === null) {
            current.push({ text: '', quoted: true, dynamic: true });
            started = true;
          } else if (part.name === '*') {
            current.push({ text: args.join(ifs[0] ?? ''), quoted: true, dynamic: false });
            started = true;
          } else pushWords(args);
          break;
        }
        const value = expandParamWith(part, state, substitute, PARAM_HOST);
        if (part.quoted && value.elements && !value.dynamic) {
          pushWords(value.elements);
          break;
        }
        if (part.quoted) {
          current.push({ text: value.text, quoted: true, dynamic: value.dynamic, globValue: state.globVars?.has(part.name) });
          started = true;
        } else if (value.dynamic) {
          current.push({ text: value.text, quoted: false, dynamic: true });
        } else pushSplit(value.text, false);
        break;
      }
      case 'cmdsub': {
        const { output, producers } = substitute(part.body, state);
        const text = output === undefined ? '' : output.replace(/\n+$/, '');
        if (part.quoted) {
          current.push({ text, quoted: true, dynamic: output === undefined, producers });
          started = true;
        } else if (output === undefined) current.push({ text: '', quoted: false, dynamic: true, producers });
        else pushSplit(text, false, producers);
        break;
      }
      case 'arith': {
        const value = expandArithmetic(part.expr, state, substitute);
        current.push({ text: value ?? '', quoted: true, dynamic: value === undefined });
        started = true;
        break;
      }
      case 'procsub': {
        // The substituted command runs; the word becomes a /dev/fd path whose content is its output.
        const { output, producers } = substitute(part.body, state);
        current.push({ text: '/dev/fd/63', quoted: true, dynamic: false, producers, content: output });
        started = true;
        break;
      }
    }
  });
  if (current.length || started) out.push(current);

  const fields: Field[] = [];
  const literal = parts.every((p) => p.type === 'lit');
  for (const segs of out) {
    let text = '';
    for (const seg of segs) text += seg.text;
    state.budget?.charge(text.length, 1, literal);
    const dynamic = segs.some((s) => s.dynamic);
    const quotedAny = segs.some((s) => s.quoted);
    if (text === '' && !quotedAny && !dynamic && split) continue; // unquoted empty expansion vanishes
    const glob = segs.some((s) => (!s.quoted || s.globValue) && /[*?[]/.test(s.text));
    const field: Field = { text, dynamic, glob };
    if (dynamic) {
      let tail = '';
      for (let k = segs.length - 1; k >= 0 && !segs[k].dynamic; k--) tail = segs[k].text + tail;
      field.tail = tail;
    }
    if (segs.some((s) => s.producers)) {
      field.producers = [...new Set(segs.flatMap((s) => s.producers ?? []))];
      const content = segs.find((s) => s.content !== undefined)?.content;
      if (content !== undefined && segs.length === 1) field.content = content;
    }
    fields.push(field);
  }
  return fields;
}

function expandTilde(text: string, state: ShellState, assignment: boolean): string {
  const expandOne = (t: string): string => {
    if (!t.startsWith('~')) return t;
    const slash = t.indexOf('/');
    const user = slash < 0 ? t.slice(1) : t.slice(1, slash);
    const rest = slash < 0 ? '' : t.slice(slash);
    let base: string | undefined;
    if (user === '') base = state.vars.get('HOME') ?? state.home;
    else if (user === '+') base = state.cwd;
    else if (user === '-') base = state.vars.get('OLDPWD');
    else if (/^[a-z_][a-z0-9_.-]*$/i.test(user)) base = homeOf(user, state.home);
    return base === undefined ? t : base + rest;
  };
  if (!assignment) return expandOne(text);
  // In assignments, a tilde after `:` expands too (PATH=~/bin:~/x).
  return text.split(':').map(expandOne).join(':');
}

const PARAM_HOST: ParamHost = { toString: (w, s, sub) => expandToString(w, s, sub), arithmetic: (e, s, sub) => expandArithmetic(e, s, sub) };

/** How many variable values deep arithmetic follows `a[$(cmd)]` hidden in a value (bash evaluates values too). */
const MAX_ARITH_VALUE_DEPTH = 8;

/**
 * Expand arithmetic text (`$(( ))`, `(( ))`, a subscript): run its substitutions, and those hidden in the
 * values of variables it names (`x='a[$(cmd)]'; (( x ))` runs cmd). Returns the value when it is a literal
 * integer, otherwise undefined (unknown).
 */
export function expandArithmetic(expr: Word, state: ShellState, substitute: Substituter, depth = 0): string | undefined {
  const expanded = expandToString(expr, state, substitute);
  forgetArithmeticAssignments(expanded.text, state);
  if (depth < MAX_ARITH_VALUE_DEPTH) {
    for (const name of expanded.text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      const value = state.vars.get(name);
      if (value === undefined || !mayRunInArithmetic(value)) continue;
      const inner = parseArithmeticText(value);
      if (inner) expandArithmetic(inner, state, substitute, depth + 1);
    }
  }
  const t = expanded.text.trim();
  if (!expanded.dynamic && /^-?\d+$/.test(t)) return String(Number(t));
  return undefined;
}

/** Names an arithmetic expression assigns (`n=0`, `n++`, `--n`, `x+=2`): their values are known only at run time. */
function forgetArithmeticAssignments(text: string, state: ShellState): void {
  if (!/=|\+\+|--/.test(text)) return;
  const names = [
    ...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*(?:\*\*|<<|>>|[-+*/%&|^])?=(?!=)/g),
    ...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:\+\+|--)/g),
    ...text.matchAll(/(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)/g),
  ].map((m) => m[1]);
  for (const name of names) {
    state.vars.delete(name);
    state.unset.delete(name);
    state.arrays?.delete(name);
    (state.unknown ??= new Set()).add(name);
  }
}

/**
 * Brace expansion (`{a,b}`, `{1..3}`) over unquoted literal parts: returns one part list per alternative.
 * Bounded so that a crafted line cannot explode.
 */
export function braceExpand(parts: WordPart[]): WordPart[][] {
  if (!parts.some((p) => p.type === 'lit' && !p.quoted && p.text.includes('{'))) return [parts];
  let alternatives: WordPart[][] = [[]];
  for (const part of parts) {
    const options: WordPart[] =
      part.type === 'lit' && !part.quoted && part.text.includes('{')
        ? expandBraceText(part.text).map((text) => ({ type: 'lit', text, quoted: false }))
        : [part];
    if (alternatives.length * options.length > LIMITS.braceFields) throw tooManyBraceWords();
    const next: WordPart[][] = [];
    for (const alt of alternatives) for (const o of options) next.push([...alt, o]);
    alternatives = next;
  }
  return alternatives;
}

function tooManyBraceWords(): TooComplex {
  return new TooComplex(`a brace expansion makes more than ${LIMITS.braceFields} words`);
}

/**
 * Expand braces in one unquoted text, e.g. `a{b,c}d` -> `abd acd`. More words than `LIMITS.braceFields` is
 * too complex to check (never a silent cut: a cut would leave the last words unjudged).
 */
export function expandBraceText(text: string, depth = 0, made = { chars: 0 }): string[] {
  if (depth > 64) throw tooManyBraceWords();
  // Find the first `{` with a matching `}` that holds a top-level comma or a `..` range.
  for (let open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
    if (open > 0 && text[open - 1] === '$') continue;
    let level = 0;
    const commas: number[] = [];
    let close = -1;
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === '{') level++;
      else if (c === '}') {
        level--;
        if (level === 0) {
          close = i;
          break;
        }
      } else if (c === ',' && level === 1) commas.push(i);
    }
    if (close < 0) return [text];
    // Each `{` scans to its match: `{{{…}}}` without commas would rescan the text once per brace.
    made.chars += close - open;
    if (made.chars > LIMITS.expandedChars) throw new TooComplex(`brace expansion scans more than ${LIMITS.expandedChars} characters`);
    const pre = text.slice(0, open);
    const post = text.slice(close + 1);
    const inner = text.slice(open + 1, close);
    let items: string[] | null = null;
    if (commas.length) {
      items = [];
      let last = open + 1;
      for (const c of commas) {
        items.push(text.slice(last, c));
        last = c + 1;
      }
      items.push(text.slice(last, close));
    } else {
      const range = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])$/.exec(inner);
      if (range) items = rangeItems(range[1], range[2]);
    }
    if (!items) continue;
    const result: string[] = [];
    for (const item of items) {
      for (const expanded of expandBraceText(pre + item + post, depth + 1, made)) {
        result.push(expanded);
        made.chars += expanded.length;
        if (result.length > LIMITS.braceFields) throw tooManyBraceWords();
        if (made.chars > LIMITS.expandedChars) throw new TooComplex(`a brace expansion makes more than ${LIMITS.expandedChars} characters`);
      }
    }
    return result;
  }
  return [text];
}

function rangeItems(a: string, b: string): string[] | null {
  const numeric = /^-?\d+$/.test(a) && /^-?\d+$/.test(b);
  const from = numeric ? Number(a) : a.charCodeAt(0);
  const to = numeric ? Number(b) : b.charCodeAt(0);
  if (Math.abs(to - from) >= LIMITS.braceFields) throw tooManyBraceWords();
  const step = from <= to ? 1 : -1;
  const items: string[] = [];
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) items.push(numeric ? String(i) : String.fromCharCode(i));
  return items;
}

/** Resolve a path argument against the state's cwd (no file system access). */
export function resolveIn(state: ShellState, path: string): string {
  return joinPath(state.cwd, path);
}
