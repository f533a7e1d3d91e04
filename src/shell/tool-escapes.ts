/**
 * Shell escapes of ordinary tools: what `sed`, `vim`/`ex`/`ed`, `sqlite3`, `psql`, `mysql`, `expect`, `emacs`,
 * `make` and `shx` run as commands of their own. The interpreter walks what is returned as if it ran here.
 */
import { editorRun, editorShellLines } from './editor-commands.js';
import { elispLines, expectLines, makefileLines } from './script-escapes.js';
import { sedEffects, sedScripts } from './sed-script.js';

/** What a tool runs: shell command lines and argument vectors, with a label for `via`. */
export interface ToolEscape {
  label: string;
  lines: string[];
  argvs: string[][];
}

/** How the tool is called: its arguments (unknown ones empty), its stdin when known, and files written earlier on the line. */
export interface ToolCall {
  args: readonly string[];
  stdin: string | undefined;
  /** Standard input comes from a file or pipe whose text is unknown. */
  stdinRedirected: boolean;
  readWritten(path: string): string | undefined;
}

const PROGRAMS = new Set(['sed', 'gsed', 'ed', 'red', 'ex', 'vim', 'vi', 'nvim', 'view', 'gvim', 'vimdiff', 'sqlite3', 'psql', 'mysql', 'mariadb', 'expect', 'emacs', 'make', 'gmake', 'shx']);

/** Does this program have a shell escape this module reads? (cheap test for the hot path) */
export function hasToolEscape(name: string): boolean {
  return PROGRAMS.has(name);
}

/** The value of an option given as `-x V`, `-xV`, `--long=V` or `--long V`, every occurrence. */
function optionValues(args: readonly string[], short: string | null, long: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (short && a === short) out.push(args[++i] ?? '');
    else if (short && short.length === 2 && a.startsWith(short) && !a.startsWith('--')) out.push(a.slice(2));
    else {
      for (const l of long) {
        if (a === l) out.push(args[++i] ?? '');
        else if (a.startsWith(`${l}=`)) out.push(a.slice(l.length + 1));
      }
    }
  }
  return out;
}

const lines = (texts: readonly string[]) => texts.flatMap((t) => t.split('\n'));

/** sqlite3 dot commands that run a command: `.system`, `.shell`, and `|cmd` targets of `.once`, `.output`, `.import`. */
function sqliteLines(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of lines(texts)) {
    const line = raw.trim();
    const m = /^\.(system|shell)\s+(.*)$/.exec(line);
    if (m) out.push(unquoteWhole(m[2].trim()));
    const pipe = /^\.(once|output|import)\s+(?:-\S+\s+)*(['"]?)\|(.*?)\2(\s|$)/.exec(line);
    if (pipe?.[3].trim()) out.push(pipe[3].trim());
  }
  return out.filter(Boolean);
}

function unquoteWhole(text: string): string {
  const m = /^(['"])(.*)\1$/s.exec(text);
  return m ? m[2] : text;
}

/** psql meta commands that run a command: `\! cmd`, and `\o |cmd`, `\g |cmd`. */
function psqlLines(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines(texts)) {
    const bang = line.indexOf('\\!');
    if (bang >= 0 && line.slice(bang + 2).trim()) out.push(line.slice(bang + 2).trim());
    const pipe = /\\(o|out|g|gx)\s*\|(.*)$/.exec(line);
    if (pipe?.[2].trim()) out.push(pipe[2].trim());
  }
  return out;
}

/** mysql client commands that run a command: `\! cmd` and `system cmd`. */
function mysqlLines(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of lines(texts)) {
    for (const stmt of text.split(/;(?=\s*(?:\\!|system\s))/)) {
      const m = /^\s*(?:\\!|system\s)\s*(.*?);?\s*$/.exec(stmt);
      if (m?.[1]) out.push(m[1]);
    }
  }
  return out;
}

/** Makefiles `make` reads here: `-f -` (stdin), `-f FILE` written on the line, else a Makefile written on the line; and `--eval` text. */
function makeTexts(call: ToolCall): string[] {
  const files = optionValues(call.args, '-f', ['--file', '--makefile']);
  const texts = optionValues(call.args, '-E', ['--eval']);
  for (const f of files) {
    const text = f === '-' || /^\/dev\/(stdin|fd\/0)$/.test(f) ? call.stdin : call.readWritten(f);
    if (text !== undefined) texts.push(text);
  }
  if (files.length === 0) {
    for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
      const text = call.readWritten(name);
      if (text !== undefined) {
        texts.push(text);
        break;
      }
    }
  }
  return texts;
}

/** What a tool runs, or null when it has no escape here. */
export function toolEscapes(name: string, call: ToolCall): ToolEscape | null {
  if (!PROGRAMS.has(name)) return null;
  const { args, stdin } = call;
  const found: ToolEscape = { label: `${name} escape`, lines: [], argvs: [] };
  switch (name) {
    case 'sed':
    case 'gsed':
      for (const script of sedScripts(args).scripts) found.lines.push(...sedEffects(script).execs);
      break;
    case 'sqlite3': {
      const opts = optionValues(args, null, ['-cmd', '--cmd']);
      const operands: string[] = [];
      for (let i = 0; i < args.length; i++) {
        if (/^--?(cmd|init|separator|nullvalue|newline|vfs|mmap|maxsize|pagecache|lookaside|heap|escape)$/.test(args[i])) i++;
        else if (!args[i].startsWith('-')) operands.push(args[i]);
      }
      const sql = operands.slice(1);
      found.lines.push(...sqliteLines([...opts, ...sql, ...(sql.length === 0 && stdin !== undefined ? [stdin] : [])]));
      break;
    }
    case 'psql': {
      const commands = optionValues(args, '-c', ['--command']);
      found.lines.push(...psqlLines([...commands, ...(commands.length === 0 && stdin !== undefined ? [stdin] : [])]));
      break;
    }
    case 'mysql':
    case 'mariadb': {
      const commands = optionValues(args, '-e', ['--execute']);
      found.lines.push(...mysqlLines([...commands, ...(commands.length === 0 && stdin !== undefined ? [stdin] : [])]));
      break;
    }
    case 'expect': {
      const scripts = optionValues(args, '-c', []);
      const operands = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
      if ((operands.length === 0 || args.includes('-')) && stdin !== undefined) scripts.push(stdin);
      for (const s of scripts) found.lines.push(...expectLines(s));
      break;
    }
    case 'emacs':
      for (const code of optionValues(args, null, ['--eval', '-eval', '--execute', '-execute'])) found.lines.push(...elispLines(code));
      break;
    case 'make':
    case 'gmake':
      for (const text of makeTexts(call)) found.lines.push(...makefileLines(text));
      break;
    case 'shx': {
      // shx runs one ShellJS command: its name and arguments after shx's own options.
      let k = 0;
      while (k < args.length && args[k].startsWith('-')) k++;
      if (k < args.length) found.argvs.push(args.slice(k));
      break;
    }
    default: {
      const run = editorRun(name, args, stdin, call.stdinRedirected);
      if (run) found.lines.push(...editorShellLines(run));
    }
  }
  return found.lines.length || found.argvs.length ? found : null;
}
