/**
 * Readers for the small languages of tools that run commands: Tcl as `expect` speaks it (`spawn`, `exec`), Emacs
 * Lisp given to `emacs --eval` (`shell-command`, `call-process`, `delete-directory` ...) and makefiles (recipes
 * and `$(shell …)`). Each returns shell command lines; none throws.
 */

/** Quote a word for a shell line; a leading `~` stays outside the quotes (the tools below mean the home directory by it). */
export function shellWord(word: string): string {
  // The tilde prefix ends at the first unquoted slash, so the slash stays outside the quotes too.
  const tilde = word.startsWith('~/') ? '~/' : word === '~' ? '~' : '';
  const rest = word.slice(tilde.length);
  if (rest === '') return tilde || "''";
  return tilde + (/^[\w@%+=:,./-]+$/.test(rest) ? rest : `'${rest.replace(/'/g, "'\\''")}'`);
}

const LIMIT = 64;

/** Tcl commands of a script, each as its words ("…" and {…} grouping; `;` and newlines end a command). */
export function tclCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let i = 0;
  const s = script;
  const end = () => {
    if (words.length) commands.push(words);
    words = [];
  };
  while (i < s.length && commands.length < LIMIT) {
    const c = s[i];
    if (c === '\n' || c === ';') {
      end();
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' && words.length === 0) {
      while (i < s.length && s[i] !== '\n') i++;
    } else if (c === '{') {
      let depth = 0;
      let w = '';
      for (; i < s.length; i++) {
        if (s[i] === '{' && depth++ === 0) continue;
        if (s[i] === '}' && --depth === 0) break;
        w += s[i];
      }
      i++;
      words.push(w);
    } else if (c === '"') {
      let w = '';
      for (i++; i < s.length && s[i] !== '"'; i++) {
        if (s[i] === '\\' && i + 1 < s.length) w += s[++i];
        else w += s[i];
      }
      i++;
      words.push(w);
    } else {
      let w = '';
      for (; i < s.length && !/[\s;]/.test(s[i]); i++) w += s[i] === '\\' && i + 1 < s.length ? s[++i] : s[i];
      words.push(w);
    }
  }
  end();
  return commands;
}

const SPAWN_VALUE_OPTIONS = new Set(['-ignore', '-leaveopen', '-open']);

/** Command lines an expect script runs with `spawn` and `exec` (also inside `{…}` bodies of its control commands). */
export function expectLines(script: string, depth = 0): string[] {
  const out: string[] = [];
  for (const words of tclCommands(script)) {
    const [head, ...rest] = words;
    if (head === 'spawn' || head === 'exec') {
      let k = 0;
      while (k < rest.length && rest[k].startsWith('-') && rest[k] !== '--') k += SPAWN_VALUE_OPTIONS.has(rest[k]) ? 2 : 1;
      if (rest[k] === '--') k++;
      const argv = rest.slice(k).filter((w, j, all) => !(w === '&' && j === all.length - 1));
      if (argv.length) out.push(argv.map((w) => (/^([|<>]|2>|>>|<<)$/.test(w) ? w : shellWord(w))).join(' '));
    } else if (depth < 4) {
      // Bodies of if/while/foreach/proc/expect blocks are scripts too.
      for (const w of rest) if (/[\n;]|^\s*\w/.test(w) && /\b(spawn|exec)\b/.test(w)) out.push(...expectLines(w, depth + 1));
    }
  }
  return out;
}

type Sexp = string | { str: string } | Sexp[];

/** Parse Emacs Lisp into nested lists; strings are `{str}`, atoms are plain. */
function readLisp(text: string): Sexp[] {
  const stack: Sexp[][] = [[]];
  let i = 0;
  let count = 0;
  while (i < text.length && count++ < 4096) {
    const c = text[i];
    if (c === '(') {
      const list: Sexp[] = [];
      stack[stack.length - 1].push(list);
      if (stack.length < 32) stack.push(list);
      i++;
    } else if (c === ')') {
      if (stack.length > 1) stack.pop();
      i++;
    } else if (c === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[++i];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        } else s += text[i];
      }
      i++;
      stack[stack.length - 1].push({ str: s });
    } else if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[\s']/.test(c)) i++;
    else {
      let a = '';
      while (i < text.length && !/[\s()"';]/.test(text[i])) a += text[i++];
      stack[stack.length - 1].push(a);
    }
  }
  return stack[0];
}

const str = (x: Sexp | undefined): string | undefined => (x !== undefined && typeof x === 'object' && !Array.isArray(x) ? x.str : undefined);
const nil = (x: Sexp | undefined) => x === undefined || x === 'nil';

/** Emacs Lisp functions that run a shell command line: which argument holds it. */
const ELISP_SHELL: Record<string, number> = {
  'shell-command': 0, 'shell-command-to-string': 0, 'async-shell-command': 0, 'call-process-shell-command': 0,
  'process-file-shell-command': 0, 'start-process-shell-command': 2, 'start-file-process-shell-command': 2,
};
/** Functions that run a program with arguments: where the program is, and where its arguments start. */
const ELISP_PROCESS: Record<string, [number, number]> = {
  'call-process': [0, 4], 'process-file': [0, 4], 'start-process': [2, 3], 'start-file-process': [2, 3], 'process-lines': [0, 1],
  'process-lines-ignore-status': [0, 1],
};

/** Command lines that Emacs Lisp code runs, or stands for (`(delete-directory "~" t)` is `rm -rf ~`). */
export function elispLines(code: string): string[] {
  const out: string[] = [];
  const walk = (x: Sexp, depth: number) => {
    if (!Array.isArray(x) || depth > 32) return;
    const [head, ...args] = x;
    if (typeof head === 'string') {
      // Own properties only: a symbol such as `constructor` names nothing here.
      const at = Object.hasOwn(ELISP_SHELL, head) ? ELISP_SHELL[head] : undefined;
      const proc = Object.hasOwn(ELISP_PROCESS, head) ? ELISP_PROCESS[head] : undefined;
      if (at !== undefined && str(args[at])) out.push(str(args[at])!);
      else if (proc && str(args[proc[0]])) {
        const words = [str(args[proc[0]])!, ...args.slice(proc[1]).map(str).filter((w): w is string => w !== undefined)];
        out.push(words.map(shellWord).join(' '));
      } else if (head === 'delete-directory' && str(args[0])) out.push(`${nil(args[1]) ? 'rmdir' : 'rm -rf'} ${shellWord(str(args[0])!)}`);
      else if (head === 'delete-file' && str(args[0])) out.push(`rm -f ${shellWord(str(args[0])!)}`);
      else if ((head === 'copy-file' || head === 'rename-file' || head === 'copy-directory') && str(args[0]) && str(args[1])) {
        out.push(`${head === 'rename-file' ? 'mv' : 'cp -r'} ${shellWord(str(args[0])!)} ${shellWord(str(args[1])!)}`);
      } else if ((head === 'write-region' || head === 'append-to-file') && str(args[2])) out.push(`tee ${head === 'append-to-file' ? '-a ' : ''}${shellWord(str(args[2])!)}`);
    }
    for (const a of args) walk(a, depth + 1);
  };
  for (const x of readLisp(code)) walk(x, 0);
  return out;
}

/** The text inside `$(shell …)` (balanced parentheses), every occurrence. */
function makeShellCalls(text: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf('$(shell '); at >= 0 && out.length < LIMIT; at = text.indexOf('$(shell ', at + 1)) {
    let depth = 1;
    let i = at + 8;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    out.push(text.slice(at + 8, depth === 0 ? i - 1 : i));
  }
  return out;
}

/** Expand make variables in a recipe: the makefile's own simple assignments, `$$`; an undefined variable is empty. */
function expandMake(text: string, vars: Map<string, string>, depth = 0): string {
  return text.replace(/\$\$|\$[({]([A-Za-z_][\w.-]*)[)}]|\$([@<^*?%+|])/g, (m, long?: string, auto?: string) => {
    if (m === '$$') return '$';
    if (auto) return auto === '@' || auto === '*' ? 'target' : 'prerequisite';
    const v = vars.get(long!);
    return v === undefined ? '' : depth < 4 ? expandMake(v, vars, depth + 1) : v;
  });
}

const MAKE_DEFAULTS: [string, string][] = [['RM', 'rm -f'], ['MAKE', 'make'], ['SHELL', '/bin/sh'], ['CC', 'cc'], ['CP', 'cp'], ['MV', 'mv']];

/** Command lines a makefile runs: every recipe line (for any target) and every `$(shell …)`. */
export function makefileLines(text: string): string[] {
  const out: string[] = [];
  const vars = new Map<string, string>(MAKE_DEFAULTS);
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const recipes: string[] = [];
  for (const line of lines) {
    out.push(...makeShellCalls(line));
    if (line.startsWith('\t')) {
      recipes.push(line.slice(1));
      continue;
    }
    const assign = /^\s*(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(?:::?=|:?=|\?=|\+=|!=)\s*(.*)$/.exec(line);
    if (assign) {
      if (!assign[2].includes('$(shell')) vars.set(assign[1], assign[2].trim());
      continue;
    }
    // `target: prerequisites ; recipe`
    const rule = /^[^#=:]+::?([^=;#]*);(.*)$/.exec(line);
    if (rule) recipes.push(rule[2]);
  }
  for (const r of recipes.slice(0, LIMIT)) {
    const cmd = expandMake(r.trim().replace(/^[@+-]+/, ''), vars).trim();
    if (cmd) out.push(cmd);
  }
  return out;
}
