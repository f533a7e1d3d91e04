/**
 * Interpreter one-liners (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, `deno eval`, `awk`):
 * what the code does to the shell's world. This is pattern reading, not a parser for five languages:
 * it finds the well-known delete, write and process APIs, resolves their arguments when they are
 * literals or the home/working directory, and reports fork loops. Pure.
 */

import { assignedStrings, listLiteral, namedPaths, pathExpression, splitArgs, stringExpression, stringLiteral, type CodeContext } from './code-values.js';

export type { CodeContext } from './code-values.js';

export type Language = 'python' | 'node' | 'perl' | 'ruby' | 'php' | 'awk';

/** What a piece of interpreter code was seen to do. */
export interface CodeEffects {
  /** Shell command lines it runs (`os.system('...')`, `execSync('...')`, `system("...")`). */
  shellLines: string[];
  /** Programs it runs with an argument list (`subprocess.run(['git', 'push'])`). */
  argvs: string[][];
  deletes: { path: string; recursive: boolean; api: string }[];
  writes: { path: string; api: string }[];
  /** Permission changes, the mode in octal digits (empty when it cannot be read). */
  chmods: { path: string; mode: string; api: string }[];
  /** An unbounded loop that forks. */
  forkLoop: boolean;
}

/** The language of an interpreter program name, or null. */
const languageCache = new Map<string, Language | null>();

export function languageOf(program: string): Language | null {
  let lang = languageCache.get(program);
  if (lang === undefined) {
    lang = detectLanguage(program);
    if (languageCache.size < 256) languageCache.set(program, lang);
  }
  return lang;
}

function detectLanguage(program: string): Language | null {
  if (/^python(\d+(\.\d+)?)?$|^pypy3?$/.test(program)) return 'python';
  if (program === 'node' || program === 'nodejs' || program === 'bun' || program === 'deno') return 'node';
  if (/^perl(5[\d.]*)?$/.test(program)) return 'perl';
  if (program === 'ruby' || program === 'irb') return 'ruby';
  if (/^php(\d[\d.]*)?$/.test(program)) return 'php';
  if (/^[gmn]?awk$/.test(program) || program === 'busybox-awk') return 'awk';
  return null;
}

/** Where an interpreter invocation takes its code from. */
export interface CodeSource {
  /** Code given on the command line. */
  code?: string;
  /** The code comes from standard input (`python -`, `node` with no script, `bash`-style). */
  readsStdin: boolean;
  /** A script file it runs instead. */
  script?: string;
}

/** Find the code of an interpreter invocation: `-c`, `-e`, `--eval`, `-r`, `deno eval`, or awk's program. */
export function codeSource(program: string, lang: Language, args: string[]): CodeSource {
  if (lang === 'awk') {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-f' || a.startsWith('--file')) return { readsStdin: false, script: args[i + 1] };
      if (a === '-v' || a === '-F') {
        i++;
        continue;
      }
      if (a.startsWith('-') && a.length > 1) continue;
      return { code: a, readsStdin: false };
    }
    return { readsStdin: false };
  }
  if (program === 'deno' || program === 'bun') {
    if (args[0] === 'eval' || args[0] === '-e' || args[0] === '--eval') return { code: args.find((a, i) => i > 0 && !a.startsWith('-')), readsStdin: false };
    if (args[0] === 'run' && (args[1] === '-' || args.length === 1)) return { readsStdin: true };
  }
  const codeFlags: Record<Language, RegExp> = {
    python: /^-[bBdEhiIOqsSuvVx]*c(.*)$/,
    node: /^(?:-e|--eval|-p|--print|-pe)(?:=(.*))?$/,
    perl: /^-[a-zA-Z0-9]*[eE](.*)$/,
    ruby: /^-[a-zA-Z0-9]*e(.*)$/,
    php: /^-r(.*)$/,
    awk: /^$/,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    // Options whose value is glued on and may contain the code flag's letter: ruby -rfileutils, perl -MFile::Path.
    if ((lang === 'ruby' && /^-[rIC]./.test(a)) || (lang === 'perl' && /^-[MmIx]./.test(a))) continue;
    const m = codeFlags[lang].exec(a);
    if (m) {
      const inline = m[1];
      if (inline) return { code: inline, readsStdin: false };
      return { code: args[i + 1], readsStdin: false };
    }
    // Options that take a separate value.
    if ((lang === 'python' && (a === '-m' || a === '-W' || a === '-X')) || (lang === 'node' && (a === '-r' || a === '--require' || a === '--import'))) {
      if (lang === 'python' && a === '-m') return { readsStdin: false, script: `-m ${args[i + 1] ?? ''}` };
      i++;
      continue;
    }
    if (a === '-') return { readsStdin: true };
    if (a.startsWith('-')) continue;
    return { readsStdin: false, script: a };
  }
  return { readsStdin: true };
}

interface Call {
  name: string;
  args: string[];
}

const callPatterns = new Map<string, RegExp>();

/** Every `name(args)` call (and Perl/Ruby/awk paren-less `name "arg"` calls) of the given names in `code`. */
function calls(code: string, names: string[], parenless = false): Call[] {
  const out: Call[] = [];
  const key = `${parenless ? 1 : 0}${names.join('|')}`;
  let re = callPatterns.get(key);
  if (!re) {
    re = new RegExp(`(?:^|[^\\w$])(?:[\\w$]+\\.)*(${names.map(escapeRe).join('|')})\\s*(\\(|${parenless ? '(?=[\'"\\w$`@])' : '(?!)'})`, 'g');
    callPatterns.set(key, re);
  }
  re.lastIndex = 0;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const start = m.index + m[0].length;
    const text = m[2] === '(' ? balanced(code, start) : code.slice(start).split(/[;\n}]|\bif\b|\bunless\b|\bor\b|\band\b/)[0];
    if (text === null) continue;
    out.push({ name: m[1], args: splitArgs(text) });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text from `start` up to the parenthesis that closes the one before it, quotes respected. */
function balanced(code: string, start: number): string | null {
  let depth = 1;
  let quote = '';
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) return code.slice(start, i);
    }
  }
  return null;
}

const DELETE_APIS: Record<Language, { names: string[]; recursive: (name: string, args: string[]) => boolean; parenless?: boolean }> = {
  python: {
    names: ['rmtree', 'remove', 'unlink', 'rmdir', 'removedirs', 'send2trash'],
    recursive: (n) => n === 'rmtree' || n === 'removedirs',
  },
  node: {
    names: ['rmSync', 'rmdirSync', 'rm', 'rmdir', 'unlinkSync', 'unlink', 'removeSync', 'remove', 'emptyDirSync', 'emptyDir', 'rimraf', 'rimrafSync', 'deleteSync', 'remove'],
    recursive: (n, args) => /remove|emptyDir|rimraf|delete/i.test(n) || args.slice(1).some((a) => /recursive\s*:\s*true/.test(a)),
  },
  ruby: {
    names: ['rm_rf', 'rm_r', 'rm_f', 'rm', 'remove_dir', 'remove_entry', 'remove_entry_secure', 'delete', 'unlink', 'rmdir', 'rmtree'],
    recursive: (n) => /rm_rf|rm_r|remove_dir|remove_entry|rmtree/.test(n),
    parenless: true,
  },
  perl: { names: ['unlink', 'rmtree', 'remove_tree', 'rmdir'], recursive: (n) => n === 'rmtree' || n === 'remove_tree', parenless: true },
  php: { names: ['unlink', 'rmdir'], recursive: () => false },
  awk: { names: [], recursive: () => false },
};

const SHELL_APIS: Record<Language, string[]> = {
  python: ['system', 'popen', 'run', 'call', 'check_call', 'check_output', 'Popen', 'getoutput', 'getstatusoutput', 'execvp', 'execv', 'execlp', 'spawnvp'],
  node: ['execSync', 'exec', 'execFileSync', 'execFile', 'spawnSync', 'spawn', 'execa', 'execaSync'],
  perl: ['system', 'exec'],
  ruby: ['system', 'exec', 'spawn', 'popen', 'capture2', 'capture2e', 'capture3'],
  php: ['system', 'exec', 'shell_exec', 'passthru', 'popen', 'proc_open'],
  awk: ['system'],
};

const WRITE_APIS: Record<Language, string[]> = {
  python: ['write_text', 'write_bytes', 'truncate'],
  node: ['writeFileSync', 'appendFileSync', 'writeFile', 'appendFile', 'truncateSync', 'truncate', 'createWriteStream', 'outputFileSync', 'outputFile'],
  perl: [],
  ruby: ['write', 'binwrite'],
  php: ['file_put_contents'],
  awk: [],
};

/** Read what a piece of interpreter code does. */
export function analyzeCode(lang: Language, code: string, outer: CodeContext): CodeEffects {
  const effects: CodeEffects = { shellLines: [], argvs: [], deletes: [], writes: [], chmods: [], forkLoop: false };
  const ctx: CodeContext = { ...outer, lang, vars: assignedStrings(lang, code, outer) };
  // A write or delete whose path is built at run time: the first API seen doing one.
  let dynamic: { kind: 'write' | 'delete'; api: string } | undefined;
  const unknown = (kind: 'write' | 'delete', api: string) => (dynamic ??= { kind, api });
  const del = DELETE_APIS[lang];
  for (const call of calls(code, del.names, del.parenless)) {
    // `list.remove(x)` and `str.replace` style false friends only matter when the argument is a path we can read.
    const path = call.args[0] !== undefined ? pathExpression(call.args[0], ctx) : pathBeforeCall(code, call.name, ctx);
    if (path !== undefined) effects.deletes.push({ path, recursive: del.recursive(call.name, call.args), api: call.name });
    else unknown('delete', call.name);
  }
  // pathlib style: Path('x').unlink() / Path.home().rmdir()
  for (const m of code.matchAll(/((?:pathlib\.)?Path\((?:[^()]|\([^()]*\))*\)|Path\.home\(\))\.(unlink|rmdir)\(/g)) {
    const path = pathExpression(m[1], ctx);
    if (path !== undefined) effects.deletes.push({ path, recursive: false, api: m[2] });
  }
  for (const call of calls(code, SHELL_APIS[lang], lang !== 'python' && lang !== 'node')) {
    const [first, second] = call.args;
    if (first === undefined) continue;
    const list = listLiteral(first, ctx);
    if (list) {
      effects.argvs.push(list);
      continue;
    }
    const text = stringExpression(first, ctx);
    if (text === undefined) continue;
    const rest = call.args.slice(1).map(stringLiteral);
    const argList = second !== undefined ? listLiteral(second, ctx) : undefined;
    if (argList) effects.argvs.push([text, ...argList]);
    else if (call.args.length > 1 && rest.every((r) => r !== undefined) && (lang === 'perl' || lang === 'ruby')) effects.argvs.push([text, ...(rest as string[])]);
    else if (/^(execFileSync|execFile|spawnSync|spawn|execvp|execv|execlp|spawnvp)$/.test(call.name)) effects.argvs.push([text]);
    else effects.shellLines.push(text);
  }
  // Backticks and %x{} / qx{} run shell text in Perl, Ruby and PHP.
  if (lang === 'perl' || lang === 'ruby' || lang === 'php') {
    for (const m of code.matchAll(/`([^`]*)`|%x\{([^}]*)\}|qx[{(]([^})]*)[})]/g)) effects.shellLines.push(m[1] ?? m[2] ?? m[3]);
  }
  for (const call of calls(code, ['open'])) {
    const mode = call.args[1] !== undefined ? stringLiteral(call.args[1]) : undefined;
    if (lang === 'perl') {
      const target = call.args.length >= 3 ? call.args[2] : call.args[1];
      const m2 = mode ?? '';
      const two = stringLiteral(call.args[1] ?? '');
      if (m2 && /^\+?[>]/.test(m2) && call.args.length >= 3) {
        const path = pathExpression(target, ctx);
        if (path !== undefined) effects.writes.push({ path, api: 'open' });
        else unknown('write', 'open');
      } else if (two && /^\+?>+\s*/.test(two)) effects.writes.push({ path: two.replace(/^\+?>+\s*/, ''), api: 'open' });
      continue;
    }
    if (mode && /[wax+]/.test(mode)) {
      const path = pathExpression(call.args[0], ctx);
      if (path !== undefined) effects.writes.push({ path, api: 'open' });
      else unknown('write', 'open');
    }
  }
  for (const call of calls(code, WRITE_APIS[lang])) {
    // pathlib's write_text and write_bytes take the contents: the path is the receiver.
    const receiver = call.args[0] === undefined || (lang === 'python' && /^write_(text|bytes)$/.test(call.name));
    const path = receiver ? pathBeforeCall(code, call.name, ctx) : pathExpression(call.args[0], ctx);
    if (path !== undefined) effects.writes.push({ path, api: call.name });
    else unknown('write', call.name);
  }
  for (const call of calls(code, ['rename', 'renameSync', 'move', 'mv', 'copyFileSync', 'copyFile', 'copy', 'copy2', 'copyfile', 'cp', 'symlinkSync', 'symlink', 'link', 'replace'])) {
    if (call.args.length < 2) continue;
    const [from, to] = call.args.map((a) => pathExpression(a, ctx));
    const moves = /rename|move|mv|replace/.test(call.name);
    if (moves && from !== undefined) effects.deletes.push({ path: from, recursive: true, api: call.name });
    if (to !== undefined) effects.writes.push({ path: to, api: call.name });
    if (to === undefined || (moves && from === undefined)) unknown(to === undefined ? 'write' : 'delete', call.name);
  }
  // chmod(path, mode) in Python, Node and PHP; chmod(mode, path...) in Ruby and Perl.
  for (const call of calls(code, ['chmod', 'chmodSync', 'lchmod'], lang === 'perl' || lang === 'ruby')) {
    if (call.args.length < 2) continue;
    const modeFirst = lang === 'perl' || lang === 'ruby';
    const mode = octalMode(call.args[modeFirst ? 0 : 1]);
    for (const arg of modeFirst ? call.args.slice(1) : call.args.slice(0, 1)) {
      const path = pathExpression(arg, ctx);
      if (path !== undefined) effects.chmods.push({ path, mode, api: call.name });
    }
  }
  // The path cannot be known, but the code names the paths it may mean: each is taken as written or deleted.
  if (dynamic) {
    for (const path of namedPaths(code, ctx)) {
      const api = `${dynamic.api} (a path built at run time; the code names ${path})`;
      if (dynamic.kind === 'delete') effects.deletes.push({ path, recursive: true, api });
      else effects.writes.push({ path, api });
    }
  }
  effects.forkLoop = forkLoop(lang, code);
  return effects;
}

/** A mode argument as octal digits: 0o644, 0644, '644', 420; empty when it is not a literal. */
function octalMode(expr: string): string {
  const t = expr.trim();
  const text = stringLiteral(t);
  if (text !== undefined) return /^[0-7]{3,4}$/.test(text) ? text : '';
  const octal = /^0[oO]?([0-7]{3,4})$/.exec(t);
  if (octal) return octal[1];
  return /^[1-9]\d*$/.test(t) ? Number(t).toString(8) : '';
}

/** `Path('x').write_text(...)`: the path is the receiver, not an argument. */
function pathBeforeCall(code: string, name: string, ctx: CodeContext): string | undefined {
  const m = new RegExp(`((?:pathlib\\.)?Path\\((?:[^()]|\\([^()]*\\))*\\)|Path\\.home\\(\\)|\\(?[A-Za-z_][\\w]*\\)?)\\.${escapeRe(name)}\\(`).exec(code);
  return m ? pathExpression(m[1].replace(/^\((\w+)\)$/, '$1'), ctx) : undefined;
}

function forkLoop(lang: Language, code: string): boolean {
  const forks = /\bfork\s*\(|\bfork\b/.test(code);
  if (!forks) return false;
  switch (lang) {
    case 'python':
      return /while\s*\(?\s*(True|1)\s*\)?\s*:/.test(code) && /\bfork\(\)/.test(code);
    case 'perl':
      return /fork\s+while\s*\(?\s*(1|fork)/.test(code) || /while\s*\(\s*1\s*\)\s*\{[^}]*fork/.test(code) || /for\s*\(\s*;\s*;\s*\)\s*\{[^}]*fork/.test(code);
    case 'ruby':
      return /loop\s*(\{|do)[^}]*fork/.test(code) || /while\s+true[\s\S]*fork/.test(code);
    case 'node':
      return /(while\s*\(\s*(true|1)\s*\)|for\s*\(\s*;\s*;\s*\))[\s\S]*fork\(/.test(code);
    case 'php':
      return /while\s*\(\s*(true|1)\s*\)[\s\S]*pcntl_fork\(/.test(code);
    default:
      return false;
  }
}
