/**
 * Which language an interpreter program speaks and where its code comes from on the command line
 * (`-c`, `-e`, `--eval`, `-r`, `-Command`, `deno eval`, awk's program, stdin). Pure.
 */

/** A language whose code the engine reads. */
export type Language = 'python' | 'node' | 'perl' | 'ruby' | 'php' | 'awk' | 'lua' | 'r' | 'julia' | 'tcl' | 'powershell';

const languageCache = new Map<string, Language | null>();

/** The language of an interpreter program name, or null. */
export function languageOf(program: string): Language | null {
  let lang = languageCache.get(program);
  if (lang === undefined) {
    lang = detectLanguage(program);
    if (languageCache.size < 256) languageCache.set(program, lang);
  }
  return lang;
}

const NAMES: Record<string, Language> = {
  node: 'node', nodejs: 'node', bun: 'node', deno: 'node', 'ts-node': 'node', tsx: 'node', 'ts-node-esm': 'node',
  ruby: 'ruby', irb: 'ruby', jruby: 'ruby', truffleruby: 'ruby',
  ipython: 'python', ipython3: 'python',
  Rscript: 'r', R: 'r', julia: 'julia', pwsh: 'powershell', powershell: 'powershell', 'powershell.exe': 'powershell', 'pwsh.exe': 'powershell',
  'busybox-awk': 'awk',
};

function detectLanguage(program: string): Language | null {
  if (NAMES[program]) return NAMES[program];
  if (/^python(\d+(\.\d+)?)?$|^pypy3?$/.test(program)) return 'python';
  if (/^perl(5[\d.]*)?$/.test(program)) return 'perl';
  if (/^php(\d[\d.]*)?$/.test(program)) return 'php';
  if (/^[gmn]?awk$/.test(program)) return 'awk';
  if (/^lua(jit|\d[\d.]*)?$/.test(program)) return 'lua';
  if (/^(tclsh|wish|jimsh)[\d.]*$/.test(program)) return 'tcl';
  return null;
}

/** Where an interpreter invocation takes its code from. */
export interface CodeSource {
  /** Code given on the command line. */
  code?: string;
  /** The code comes from standard input (`python -`, `node` with no script). */
  readsStdin: boolean;
  /** A script file it runs instead. */
  script?: string;
  /** The script is fetched from the network and run (`deno run https://…`). */
  remote?: boolean;
  /** Variables the command line gives the code (`awk -v d=…`), by name. */
  vars?: Map<string, string>;
  /** IPython: lines starting with `!` are shell commands. */
  shellBang?: boolean;
}

const CODE_FLAGS: Record<Language, RegExp> = {
  python: /^-[bBdEhiIOqsSuvVx]*c(.*)$/,
  node: /^(?:-e|--eval|-p|--print|-pe)(?:=(.*))?$/,
  perl: /^-[a-zA-Z0-9]*[eE](.*)$/,
  ruby: /^-[a-zA-Z0-9]*e(.*)$/,
  php: /^-r(.*)$/,
  awk: /^$/,
  lua: /^-e(.*)$/,
  r: /^(?:-e|--expr)(?:=(.*))?$/,
  julia: /^(?:-e|--eval|-E|--print)(?:=(.*))?$/,
  tcl: /^$/,
  powershell: /^-(?:c|co|com|comm|comma|comman|command)$/i,
};

/** Find the code of an interpreter invocation. */
export function codeSource(program: string, lang: Language, args: string[]): CodeSource {
  if (lang === 'awk') return awkSource(args);
  if (lang === 'powershell') return powershellSource(args);
  if (lang === 'tcl') {
    const script = args.find((a) => !a.startsWith('-'));
    return script ? { readsStdin: false, script } : { readsStdin: true };
  }
  if (program === 'deno' || program === 'bun') {
    if (args[0] === 'eval' || args[0] === '-e' || args[0] === '--eval') return { code: args.find((a, i) => i > 0 && !a.startsWith('-')), readsStdin: false };
    if (args[0] === 'run' || args[0] === 'x' || program === 'deno') {
      const script = args.slice(args[0] === 'run' ? 1 : 0).find((a) => !a.startsWith('-'));
      if (script === undefined || script === '-') return { readsStdin: true };
      if (program === 'deno' && args[0] === 'run') return { readsStdin: false, script, remote: /^https?:\/\//i.test(script) };
    }
  }
  const shellBang = /^ipython/.test(program);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    // Options whose value is glued on and may contain the code flag's letter: ruby -rfileutils, perl -MFile::Path.
    if ((lang === 'ruby' && /^-[rIC]./.test(a)) || (lang === 'perl' && /^-[MmIx]./.test(a))) continue;
    const m = CODE_FLAGS[lang].exec(a);
    if (m) {
      const inline = m[1];
      if (inline) return { code: inline, readsStdin: false, shellBang };
      return { code: args[i + 1], readsStdin: false, shellBang };
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

function awkSource(args: string[]): CodeSource {
  const vars = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-f' || a.startsWith('--file')) return { readsStdin: false, script: args[i + 1], vars };
    if (a === '-v' || a === '--assign') {
      const m = /^([A-Za-z_]\w*)=([\s\S]*)$/.exec(args[++i] ?? '');
      if (m) vars.set(m[1], m[2]);
      continue;
    }
    if (a === '-F') {
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) continue;
    return { code: a, readsStdin: false, vars };
  }
  return { readsStdin: false };
}

/** `pwsh -Command …` (the rest of the line), `-EncodedCommand <base64 UTF-16LE>`, `-File`, or stdin. */
function powershellSource(args: string[]): CodeSource {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (CODE_FLAGS.powershell.test(a)) return { code: args.slice(i + 1).join(' '), readsStdin: args[i + 1] === '-' };
    if (/^-(e|ec|en|enc|enco|encod|encode|encoded|encodedc\w*)$/i.test(a)) {
      const code = decodeUtf16Base64(args[i + 1] ?? '');
      return code === undefined ? { readsStdin: false } : { code, readsStdin: false };
    }
    if (/^-(f|file)$/i.test(a)) return { readsStdin: false, script: args[i + 1] };
    if (/^-(ExecutionPolicy|ex|ep|WindowStyle|w|ConfigurationName|WorkingDirectory|wd|OutputFormat|of|InputFormat|if|Version|v)$/i.test(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    // Without -Command, the remaining words are the command (Windows PowerShell) or a script (pwsh): read them as code.
    return { code: args.slice(i).join(' '), readsStdin: false };
  }
  return { readsStdin: true };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decode base64 of UTF-16LE text (PowerShell's -EncodedCommand); undefined when it is not that. */
export function decodeUtf16Base64(text: string): string | undefined {
  const clean = text.replace(/=+$/, '');
  if (clean.length === 0 || clean.length > 65536 || /[^A-Za-z0-9+/]/.test(clean)) return undefined;
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  let out = '';
  for (let k = 0; k + 1 < bytes.length; k += 2) out += String.fromCharCode(bytes[k] | (bytes[k + 1] << 8));
  return out;
}
