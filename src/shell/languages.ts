/**
 * Interpreter one-liners (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, `deno eval`, awk, Lua, R, Julia,
 * Tcl, PowerShell): what the code does to the shell's world. A lexical pass (lang/lexer.ts) first tells code from
 * data, so API names are looked for only in code: inside a printed string they are data. Then the well-known
 * delete, write, process, signal and eval APIs are found, their arguments resolved when they are literals, string
 * variables, the home or working directory, and import aliases are followed. Pure.
 */

import { assignedStrings, listLiteral, namedPaths, pathExpression, splitArgs, stringExpression, stringLiteral, type CodeContext } from './code-values.js';
import { analyzePowerShell, analyzeTcl } from './lang/command-langs.js';
import { evalEffects, type Download } from './lang/evals.js';
import { importAliases } from './lang/aliases.js';
import { LEX } from './lang/specs.js';
import { mask } from './lang/lexer.js';
import type { Language } from './lang/source.js';

export type { CodeContext } from './code-values.js';
export { codeSource, languageOf, type CodeSource, type Language } from './lang/source.js';

/** What a piece of interpreter code was seen to do. */
export interface CodeEffects {
  /** Shell command lines it runs (`os.system('...')`, `execSync('...')`, `system("...")`). */
  shellLines: string[];
  /** Programs it runs with an argument list (`subprocess.run(['git', 'push'])`). */
  argvs: string[][];
  deletes: { path: string; recursive: boolean; api: string }[];
  writes: { path: string; api: string }[];
  /** Permission changes, the mode in octal digits (empty when it cannot be read); recursive for a directory walk. */
  chmods: { path: string; mode: string; api: string; recursive?: boolean }[];
  /** An unbounded loop that forks. */
  forkLoop: boolean;
  /** It evaluates code read from the network, or from its standard input (a download when stdin is one). */
  download?: Download;
}

interface Call {
  name: string;
  args: string[];
  /** Where the call's name starts in the code. */
  at: number;
}

/** The code as read: its original text, the mask (data blanked) and the names its imports bind. */
interface Source {
  code: string;
  masked: string;
  /** Local name -> API name (`from shutil import rmtree as nuke`: nuke -> rmtree). */
  aliases: Map<string, string>;
}

const callPatterns = new Map<string, RegExp>();

/** Every `name(args)` call (and paren-less `name "arg"` calls) of the given API names, aliases included. */
function calls(src: Source, names: string[], parenless = false): Call[] {
  const out: Call[] = [];
  if (names.length === 0) return out;
  const local = [...src.aliases].filter(([, api]) => names.includes(api)).map(([l]) => l);
  const all = local.length ? [...names, ...local] : names;
  const key = `${parenless ? 1 : 0}${all.join('|')}`;
  let re = callPatterns.get(key);
  if (!re) {
    re = new RegExp(`(?:^|[^\\w$])(?:[\\w$]+\\s*(?:\\.|::|->|:)\\s*)*(${all.map(escapeRe).join('|')})\\s*(\\(|${parenless ? '(?=[\'"\\w$`@])' : '(?!)'})`, 'g');
    if (callPatterns.size < 512) callPatterns.set(key, re);
  }
  re.lastIndex = 0;
  for (let m = re.exec(src.masked); m; m = re.exec(src.masked)) {
    const start = m.index + m[0].length;
    const text = m[2] === '(' ? balanced(src.code, start) : src.code.slice(start, parenlessEnd(src.masked, start));
    if (text === null) continue;
    const at = m.index + m[0].length - m[2].length - m[1].length;
    out.push({ name: src.aliases.get(m[1]) ?? m[1], args: splitArgs(text), at });
  }
  return out;
}

/** Where a paren-less call's arguments end: `;`, a newline, `}`, or a statement modifier (`if`, `or`, ...). */
function parenlessEnd(masked: string, start: number): number {
  const m = /[;\n}]|\b(?:if|unless|or|and|while)\b/.exec(masked.slice(start));
  return m ? start + m.index : masked.length;
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

type Recursive = (name: string, args: string[]) => boolean;

const RECURSIVE_OPTION: Recursive = (_, args) => args.slice(1).some((a) => /recursive\s*[:=]\s*(true|TRUE|T)\b/.test(a));

const DELETE_APIS: Partial<Record<Language, { names: string[]; recursive: Recursive; parenless?: boolean }>> = {
  python: { names: ['rmtree', 'remove', 'unlink', 'rmdir', 'removedirs', 'send2trash'], recursive: (n) => n === 'rmtree' || n === 'removedirs' },
  node: {
    names: ['rmSync', 'rmdirSync', 'rm', 'rmdir', 'unlinkSync', 'unlink', 'removeSync', 'remove', 'emptyDirSync', 'emptyDir', 'rimraf', 'rimrafSync', 'deleteSync'],
    recursive: (n, args) => /remove|emptyDir|rimraf|delete/i.test(n) && n !== 'remove' ? true : RECURSIVE_OPTION(n, args),
  },
  ruby: {
    names: ['rm_rf', 'rm_r', 'rm_f', 'rm', 'remove_dir', 'remove_entry', 'remove_entry_secure', 'delete', 'unlink', 'rmdir', 'rmtree'],
    recursive: (n) => /rm_rf|rm_r|remove_dir|remove_entry|rmtree/.test(n),
    parenless: true,
  },
  perl: { names: ['unlink', 'rmtree', 'remove_tree', 'rmdir'], recursive: (n) => n === 'rmtree' || n === 'remove_tree', parenless: true },
  php: { names: ['unlink', 'rmdir'], recursive: () => false },
  lua: { names: ['remove'], recursive: () => false },
  r: { names: ['unlink', 'file.remove'], recursive: RECURSIVE_OPTION },
  julia: { names: ['rm'], recursive: (n, args) => args.some((a) => /recursive\s*=\s*true/.test(a)) },
};

const SHELL_APIS: Record<Language, string[]> = {
  python: ['system', 'popen', 'run', 'call', 'check_call', 'check_output', 'Popen', 'getoutput', 'getstatusoutput', 'execvp', 'execv', 'execlp', 'spawnvp'],
  node: ['execSync', 'exec', 'execFileSync', 'execFile', 'spawnSync', 'spawn', 'execa', 'execaSync', 'execaCommand', 'execaCommandSync'],
  perl: ['system', 'exec'],
  ruby: ['system', 'exec', 'spawn', 'popen', 'capture2', 'capture2e', 'capture3'],
  php: ['system', 'exec', 'shell_exec', 'passthru', 'popen', 'proc_open'],
  awk: ['system'],
  lua: ['execute', 'popen'],
  r: ['system', 'system2', 'shell'],
  julia: [],
  tcl: [],
  powershell: [],
};

/** APIs that run a program with an argument vector (their first argument is the program, not shell text). */
const ARGV_APIS = /^(execFileSync|execFile|spawnSync|spawn|execvp|execv|execlp|spawnvp|system2|execa|execaSync)$/;

const WRITE_APIS: Record<Language, string[]> = {
  python: ['write_text', 'write_bytes', 'truncate'],
  node: ['writeFileSync', 'appendFileSync', 'writeFile', 'appendFile', 'truncateSync', 'truncate', 'createWriteStream', 'outputFileSync', 'outputFile', 'writeTextFile', 'writeTextFileSync', 'writeFileSync'],
  perl: [],
  ruby: ['write', 'binwrite', 'truncate'],
  php: ['file_put_contents'],
  awk: [],
  lua: [],
  r: ['writeLines', 'cat', 'write'],
  julia: ['write'],
  tcl: [],
  powershell: [],
};

/** Open APIs and where their mode argument is (`open(p, 'w')`, `fopen(p, 'w')`, `io.open(p, 'w')`). */
const OPEN_APIS = ['open', 'openSync', 'fopen', 'file'];

/** Read what a piece of interpreter code does. */
export function analyzeCode(lang: Language, code: string, outer: CodeContext, depth = 0, preset?: Map<string, string>): CodeEffects {
  const effects: CodeEffects = { shellLines: [], argvs: [], deletes: [], writes: [], chmods: [], forkLoop: false };
  if (lang === 'tcl' || lang === 'powershell') {
    const r = lang === 'tcl' ? analyzeTcl(code, outer) : analyzePowerShell(code, outer);
    return { ...effects, argvs: r.argvs, deletes: r.deletes, download: r.download };
  }
  const src: Source = { code, masked: mask(code, LEX[lang]), aliases: new Map() };
  importAliases(lang, src.masked, code, src.aliases);
  const vars = assignedStrings(lang, code, { ...outer, lang }, src.masked, preset);
  const ctx: CodeContext = { ...outer, lang, vars };
  loopBindings(src, ctx, vars);
  // A write or delete whose path is built at run time: the first API seen doing one.
  let dynamic: { kind: 'write' | 'delete'; api: string } | undefined;
  const unknown = (kind: 'write' | 'delete', api: string) => (dynamic ??= { kind, api });
  const del = DELETE_APIS[lang];
  if (del) {
    for (const call of calls(src, del.names, del.parenless)) {
      // `list.remove(x)` style false friends only matter when the argument is a path we can read.
      const path = call.args[0] !== undefined ? pathExpression(call.args[0], ctx) : pathBeforeCall(src, call, ctx);
      if (path !== undefined) effects.deletes.push({ path, recursive: del.recursive(call.name, call.args), api: call.name });
      else unknown('delete', call.name);
    }
  }
  // pathlib style: Path('x').unlink() / Path.home().rmdir()
  for (const m of src.masked.matchAll(/((?:pathlib\.)?Path\((?:[^()]|\([^()]*\))*\)|Path\.home\(\))\.(unlink|rmdir)\(/g)) {
    const path = pathExpression(code.slice(m.index, m.index + m[1].length), ctx);
    if (path !== undefined) effects.deletes.push({ path, recursive: false, api: m[2] });
  }
  shellCalls(lang, src, ctx, effects);
  // Backticks and %x{} / qx{} run shell text in Perl, Ruby and PHP; Bun.$`…` and Julia's run(`…`) too.
  const backticks = lang === 'perl' || lang === 'ruby' || lang === 'php' || lang === 'julia';
  const cmdRe = backticks ? /`|%x[({[]|qx\s*[({[]/g : lang === 'node' ? /\$\s*`/g : null;
  if (cmdRe) {
    for (const m of src.masked.matchAll(cmdRe)) {
      const open = m[0][m[0].length - 1];
      const body = open === '`' ? /^`((?:\\.|[^`\\])*)`/.exec(code.slice(m.index + m[0].length - 1)) : null;
      const text = body ? body[1] : open !== '`' ? balanced(code, m.index + m[0].length) : null;
      if (text === null) continue;
      const value = commandText(text, lang, ctx);
      if (value !== undefined) effects.shellLines.push(value);
    }
  }
  writeCalls(lang, src, ctx, effects, unknown);
  for (const call of calls(src, ['rename', 'renameSync', 'move', 'mv', 'copyFileSync', 'copyFile', 'copy', 'copy2', 'copyfile', 'cp', 'symlinkSync', 'symlink', 'link', 'replace'])) {
    if (call.args.length < 2) continue;
    const [from, to] = call.args.map((a) => pathExpression(a, ctx));
    const moves = /rename|move|mv|replace/.test(call.name);
    if (moves && from !== undefined) effects.deletes.push({ path: from, recursive: true, api: call.name });
    if (to !== undefined) effects.writes.push({ path: to, api: call.name });
    if (to === undefined || (moves && from === undefined)) unknown(to === undefined ? 'write' : 'delete', call.name);
  }
  if (lang === 'awk') awkPipes(src, ctx, effects);
  chmodCalls(lang, src, ctx, effects);
  killCalls(lang, src, ctx, effects);
  // The path cannot be known, but the code names the paths it may mean: each is taken as written or deleted.
  if (dynamic) {
    for (const path of namedPaths(code, ctx)) {
      const api = `${dynamic.api} (a path built at run time; the code names ${path})`;
      if (dynamic.kind === 'delete') effects.deletes.push({ path, recursive: true, api });
      else effects.writes.push({ path, api });
    }
  }
  effects.forkLoop = forkLoop(lang, src.masked);
  // Code given to eval/exec as text runs too; code read from the network or stdin is a download run.
  const ev = evalEffects(lang, src.masked, code, (names, parenless) => calls(src, names, parenless), (e) => stringExpression(e, ctx));
  effects.download = ev.download;
  if (depth < 3) {
    for (const inner of ev.code) {
      const sub = analyzeCode(lang, inner, outer, depth + 1);
      for (const k of ['shellLines', 'argvs', 'deletes', 'writes', 'chmods'] as const) (effects[k] as unknown[]).push(...sub[k]);
      effects.forkLoop ||= sub.forkLoop;
      effects.download ??= sub.download;
    }
  }
  return effects;
}

/**
 * `for p in glob.glob('*')`, `for f in os.listdir(d)`, `Dir.glob('*').each { |p| … }`, `glob('*').forEach(p => …)`:
 * the loop variable stands for the paths the glob matches, so a delete of it is a delete of the glob.
 */
function loopBindings(src: Source, ctx: CodeContext, vars: Map<string, string>): void {
  const re = /\bfor\s+(?:const\s+|let\s+|my\s+)?\(?\s*\$?(\w+)\s+(?:in|of)\s+|\b(?:glob|globSync|iglob|Dir\.glob|listdir|readdirSync)\s*\(/g;
  for (const m of src.masked.matchAll(re)) {
    if (vars.size >= 64) return;
    if (m[1] !== undefined) {
      const at = m.index + m[0].length;
      const call = /^[\w.]+\s*\(/.exec(src.masked.slice(at));
      if (!call) continue;
      const args = balanced(src.code, at + call[0].length);
      const value = args === null ? undefined : listedPaths(call[0].replace(/\s*\($/, ''), args, ctx);
      if (value !== undefined) vars.set(m[1], value);
      continue;
    }
    // A block or callback after the call: `.each { |p|`, `.forEach(p =>`, `.map((p) =>`.
    const at = m.index + m[0].length;
    const args = balanced(src.code, at);
    if (args === null) continue;
    const after = src.masked.slice(at + args.length + 1, at + args.length + 48);
    const param = /^\s*\)?\s*\.\s*(?:each|forEach|map|filter)\s*(?:\{\s*\|\s*(\w+)\s*\||\(\s*\(?\s*(\w+)\s*\)?\s*=>)/.exec(after);
    const value = listedPaths(m[0].replace(/\s*\($/, ''), args, ctx);
    if (param && value !== undefined) vars.set(param[1] ?? param[2], value);
  }
}

/** The paths a listing call yields, as one glob: `glob('*')` -> `*`, `os.listdir('d')` -> `d/*`. */
function listedPaths(name: string, args: string, ctx: CodeContext): string | undefined {
  const first = splitArgs(args)[0];
  if (first === undefined) return /listdir|readdirSync/.test(name) ? '*' : undefined;
  const p = pathExpression(first, ctx);
  if (p === undefined) return undefined;
  return /listdir|readdirSync|scandir/.test(name) ? `${p.replace(/\/+$/, '')}/*` : p.replace(/^~(?=\/|$)/, ctx.home);
}

/** Shell-outs: text run by a shell, or a program with its argument list. */
function shellCalls(lang: Language, src: Source, ctx: CodeContext, effects: CodeEffects): void {
  for (const call of calls(src, SHELL_APIS[lang], lang !== 'python' && lang !== 'node' && lang !== 'lua')) {
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
    // `spawn('rm -rf /', {shell: true})`, `subprocess.run('…', shell=True)`: the text goes to a shell.
    const viaShell = call.args.slice(1).some((a) => /shell\s*[:=]\s*(true|True)\b/.test(a));
    if (argList) effects.argvs.push([text, ...argList]);
    else if (call.args.length > 1 && rest.every((r) => r !== undefined) && (lang === 'perl' || lang === 'ruby')) effects.argvs.push([text, ...(rest as string[])]);
    else if (ARGV_APIS.test(call.name) && !viaShell) effects.argvs.push([text]);
    else effects.shellLines.push(text);
  }
  // Bun.spawn / Deno.Command: an argv array, or a program and its `args`.
  if (lang === 'node') {
    for (const call of calls(src, ['Command'])) {
      const prog = call.args[0] !== undefined ? stringExpression(call.args[0], ctx) : undefined;
      const argsText = /args\s*:\s*(\[[\s\S]*\])/.exec(call.args[1] ?? '');
      const list = argsText ? listLiteral(argsText[1], ctx) : [];
      if (prog !== undefined && list) effects.argvs.push([prog, ...list]);
    }
  }
}

/** Shell text in a command string (backticks, %x, qx, Bun.$): its interpolations resolved. */
function commandText(text: string, lang: Language, ctx: CodeContext): string | undefined {
  if (lang === 'ruby') return stringExpression(`"${text}"`, ctx);
  if (lang === 'perl' || lang === 'php') {
    if (!/[$@]/.test(text)) return text;
    return stringExpression(`"${text}"`, ctx);
  }
  // Julia `$(expr)` / `$var`, Bun `${expr}`.
  let failed = false;
  const out = text.replace(lang === 'julia' ? /\$\(((?:[^()]|\([^()]*\))*)\)|\$([A-Za-z_]\w*)/g : /\$\{([^}]*)\}/g, (_, a: string | undefined, b: string | undefined) => {
    const v = pathExpression(a ?? b ?? '', ctx);
    if (v === undefined) failed = true;
    return v ?? '';
  });
  return failed ? undefined : out;
}

/** Opening for write in every form, and the write APIs. */
function writeCalls(lang: Language, src: Source, ctx: CodeContext, effects: CodeEffects, unknown: (kind: 'write', api: string) => void): void {
  for (const call of calls(src, OPEN_APIS, lang === 'perl')) {
    if (lang === 'perl') {
      const mode = call.args[1] !== undefined ? stringLiteral(call.args[1]) : undefined;
      const target = call.args.length >= 3 ? call.args[2] : call.args[1];
      if (mode && /^\+?[>]/.test(mode) && call.args.length >= 3) {
        const path = pathExpression(target, ctx);
        if (path !== undefined) effects.writes.push({ path, api: 'open' });
        else unknown('write', 'open');
      } else if (mode && /^\+?>+\s*/.test(mode) && call.args.length === 2) effects.writes.push({ path: mode.replace(/^\+?>+\s*/, ''), api: 'open' });
      continue;
    }
    // `Path(p).open('w')`: the receiver is the path and the first argument the mode.
    const before = src.masked.slice(0, call.at);
    const onReceiver = lang === 'python' && /\)\s*\.\s*$/.test(before);
    const modeArg = call.args.find((a) => /^mode\s*=/.test(a))?.replace(/^mode\s*=\s*/, '') ?? (onReceiver ? call.args[0] : call.args[1]);
    const mode = modeArg !== undefined ? stringLiteral(modeArg) : undefined;
    if (!mode || !/[wax+]/.test(mode) || /^r(?!\+)/.test(mode) && !mode.includes('+')) continue;
    const path = onReceiver ? pathBeforeCall(src, call, ctx) : pathExpression(call.args[0], ctx);
    if (path !== undefined) effects.writes.push({ path, api: call.name });
    else unknown('write', call.name);
  }
  for (const call of calls(src, WRITE_APIS[lang])) {
    // pathlib's write_text and write_bytes take the contents: the path is the receiver.
    const receiver = call.args[0] === undefined || (lang === 'python' && /^write_(text|bytes)$/.test(call.name));
    if (lang === 'r' && call.name !== 'writeLines' && !call.args.some((a) => /^file\s*=/.test(a))) continue;
    const arg = lang === 'r' ? (call.args.find((a) => /^(file|con)\s*=/.test(a))?.replace(/^\w+\s*=\s*/, '') ?? call.args[1]) : call.args[0];
    const path = receiver ? pathBeforeCall(src, call, ctx) : arg !== undefined ? pathExpression(arg, ctx) : undefined;
    if (path !== undefined) effects.writes.push({ path, api: call.name });
    else unknown('write', call.name);
  }
}

/** chmod(path, mode) in Python, Node and PHP; chmod(mode, path...) in Ruby and Perl; a walk makes it recursive. */
function chmodCalls(lang: Language, src: Source, ctx: CodeContext, effects: CodeEffects): void {
  const modeFirst = lang === 'perl' || lang === 'ruby';
  // The root of a directory walk: os.walk(root), Find.find(root), find(sub, root), fs.readdirSync(root, {recursive}).
  const walk = /\b(?:os\.walk|Find\.find|find|walk|glob\.glob|Dir\.glob|readdirSync|rglob|iglob)\s*\(/.exec(src.masked);
  const walkRoot = walk ? splitArgs(balanced(src.code, walk.index + walk[0].length) ?? '') : [];
  const rootPath = walkRoot.map((a) => pathExpression(a, ctx)).find((p) => p !== undefined);
  for (const call of calls(src, ['chmod', 'chmodSync', 'lchmod'], modeFirst)) {
    if (call.args.length < 2) continue;
    const mode = octalMode(call.args[modeFirst ? 0 : 1]);
    for (const arg of modeFirst ? call.args.slice(1) : call.args.slice(0, 1)) {
      const path = pathExpression(arg, ctx);
      if (path !== undefined) effects.chmods.push({ path, mode, api: call.name });
      else if (rootPath !== undefined) effects.chmods.push({ path: rootPath.replace(/\/\*\*?.*$/, '') || '.', mode, api: `${call.name} in a walk of ${rootPath}`, recursive: true });
    }
  }
}

/** A shell run with its script on stdin (`"sh"`, `"/bin/bash -s"`), not a syntax check. */
const AWK_SHELL = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|ash)(?:\s+-[a-mo-z]+)*$/;

/**
 * awk's own shell-outs: `print … | "cmd"` runs cmd (and with a shell as cmd, the printed text is the script),
 * `"cmd" | getline` runs cmd, and `print … > "file"` / `>>` writes the file.
 */
function awkPipes(src: Source, ctx: CodeContext, effects: CodeEffects): void {
  const { code, masked } = src;
  const end = (from: number) => {
    const m = /[;\n}]/.exec(masked.slice(from));
    return m ? from + m.index : masked.length;
  };
  // Input fields may be empty: in text handed to a shell they are read as nothing.
  const shellText = (expr: string) => stringExpression(expr.replace(/\$\s*(?:\d+|NF)\b/g, '""'), ctx);
  for (const m of masked.matchAll(/\b(print|printf)\b([^;\n}|>]*)(\||>>|>)/g)) {
    const printedStart = m.index + m[1].length;
    const printed = code.slice(printedStart, printedStart + m[2].length).trim().replace(/^\(([\s\S]*)\)$/, '$1');
    const targetStart = m.index + m[0].length;
    const target = stringExpression(code.slice(targetStart, end(targetStart)).trim(), ctx);
    if (target === undefined) continue;
    if (m[3] !== '|') effects.writes.push({ path: target, api: `print ${m[3]}` });
    else if (AWK_SHELL.test(target.trim())) {
      const text = shellText(printed.split(/,\s*/)[0] ?? '');
      if (text !== undefined) effects.shellLines.push(text);
    } else effects.shellLines.push(target);
  }
  for (const m of masked.matchAll(/\|\s*getline\b/g)) {
    // The command is the expression before the pipe, back to an opening parenthesis or a statement start.
    const before = masked.slice(0, m.index);
    const start = Math.max(before.lastIndexOf('('), before.lastIndexOf(';'), before.lastIndexOf('{'), before.lastIndexOf('\n')) + 1;
    const cmd = stringExpression(code.slice(start, m.index).trim(), ctx);
    if (cmd !== undefined) effects.shellLines.push(cmd);
  }
}

/** A signal argument that means SIGKILL: 9, 'SIGKILL', 'KILL', :KILL, signal.SIGKILL. */
const SIGKILL = /^(?:9|-9|['"](?:SIG)?KILL['"]|:KILL|(?:signal\.|Signal\.|constants\.signals\.|os\.constants\.signals\.|SIG)?SIGKILL|['"]-?9['"]|"KILL"|'KILL'|SIGKILL)$/;

/** Signals sent from code: os.kill(pid, 9), process.kill(pid, 'SIGKILL'), Process.kill(9, pid), kill 9, $pid, posix_kill. */
function killCalls(lang: Language, src: Source, ctx: CodeContext, effects: CodeEffects): void {
  const names = lang === 'php' ? ['posix_kill'] : lang === 'python' ? ['kill', 'killpg'] : ['kill'];
  for (const call of calls(src, names, lang === 'perl')) {
    if (call.args.length < 2) continue;
    const sigFirst = lang === 'perl' || lang === 'ruby';
    const sig = (sigFirst ? call.args[0] : call.args[1]).trim();
    if (!SIGKILL.test(sig)) continue;
    const pids = (sigFirst ? call.args.slice(1) : call.args.slice(0, 1)).map((p) => pathExpression(p, ctx) ?? p.trim());
    effects.argvs.push(['kill', '-9', ...pids.map((p) => (/^-?\d+$/.test(p) ? p : '1'))]);
  }
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
function pathBeforeCall(src: Source, call: Call, ctx: CodeContext): string | undefined {
  const before = src.code.slice(0, call.at).replace(/\s*\.\s*$/, '');
  const m = /((?:pathlib\.)?Path\((?:[^()]|\([^()]*\))*\)|Path\.home\(\)|\((?:[^()]|\([^()]*\))*\)|[A-Za-z_][\w]*)$/.exec(before);
  if (!m) return undefined;
  const expr = m[1].startsWith('(') && m[1].endsWith(')') && !/^Path/.test(m[1]) ? m[1].slice(1, -1) : m[1];
  return pathExpression(expr, ctx);
}

function forkLoop(lang: Language, code: string): boolean {
  if (!/(?:\b|_)fork\b/.test(code)) return false;
  const forever = /while\s*\(?\s*(?:True|true|1|TRUE)\s*\)?\s*(?::|\{|do\b)?|for\s*\(\s*;\s*;\s*\)|\bloop\s*(?:\{|do)|\brepeat\b|fork\s+while\s*\(?\s*(?:1|fork|true)|fork\s+until\s*\(?\s*0/;
  const m = forever.exec(code);
  if (!m) return false;
  // The fork is in or after the loop header (a loop that forks), or is the statement the postfix loop repeats.
  const at = code.indexOf('fork', m.index);
  return at >= 0 || /fork\s+(?:while|until)/.test(m[0]);
}

/** IPython: lines starting with `!` are shell commands; the rest is Python. */
export function bangLines(code: string): { code: string; shellLines: string[] } {
  const shellLines: string[] = [];
  const rest = code.split('\n').map((line) => {
    const m = /^\s*!(.*)$/.exec(line);
    if (!m) return line;
    shellLines.push(m[1]);
    return '';
  });
  return { code: rest.join('\n'), shellLines };
}
