import { basename, joinPath } from './paths.js';

/**
 * What a command prints when that is certain without running it: `echo`, `printf` with a literal
 * format, `pwd`, `dirname`, `basename`, and filters of known input (`cat`, `base64 -d`, `xxd -r -p`,
 * `rev`, `tr -d`). This is how `echo Z2l0... | base64 -d | bash` and `rev <<< '/ fr- mr' | sh` are
 * seen for what they run. Anything else is unknown (undefined).
 */
export function staticOutput(program: string, args: string[], cwd: string, stdin: string | undefined, projectDir?: string): string | undefined {
  switch (program) {
    case 'which':
      // Where a program lives does not change what it does: `$(which rm) -rf ~` is rm.
      return args.length === 1 && /^[\w.+-]+$/.test(args[0]) ? `/usr/bin/${args[0]}\n` : undefined;
    case 'git':
      return revParse(args, cwd, projectDir);
    case 'realpath':
    case 'readlink':
      return resolvedPaths(program, args, cwd);
    case 'echo': {
      const words = [...args];
      let newline = true;
      let escapes = false;
      while (words[0] && /^-[neE]+$/.test(words[0])) {
        if (words[0].includes('n')) newline = false;
        if (words[0].includes('e')) escapes = true;
        words.shift();
      }
      const text = words.join(' ');
      return (escapes ? unescapeC(text) : text) + (newline ? '\n' : '');
    }
    case 'printf': {
      const rest = args[0] === '--' ? args.slice(1) : args;
      if (rest.length === 0 || (rest === args && rest[0].startsWith('-'))) return undefined;
      return formatPrintf(rest[0], rest.slice(1));
    }
    case 'pwd':
      // -P resolves symlinks; the project's paths are taken as they are (no file system here).
      return args.every((a) => a === '-P' || a === '-L') ? `${cwd}\n` : undefined;
    case 'dirname':
      return args.length === 1 ? `${dirnameOf(args[0])}\n` : undefined;
    case 'basename':
      return args.length >= 1 && !args[0].startsWith('-') ? `${basename(args[0])}\n` : undefined;
    case 'cat':
      return args.length === 0 || (args.length === 1 && args[0] === '-') ? stdin : undefined;
    case 'base64': {
      const decode = args.some((a) => a === '-d' || a === '--decode' || a === '-D' || /^-[a-z]*d[a-z]*$/.test(a));
      const files = args.filter((a) => !a.startsWith('-'));
      if (!decode || files.length || stdin === undefined) return undefined;
      return decodeBase64(stdin);
    }
    case 'xxd': {
      const reverse = args.some((a) => /^-[a-z]*r/.test(a));
      const plain = args.some((a) => /^-[a-z]*p/.test(a) || a === '-ps' || a === '-plain');
      if (!reverse || !plain || stdin === undefined || args.some((a) => !a.startsWith('-'))) return undefined;
      return decodeHex(stdin);
    }
    case 'rev':
      if (args.length || stdin === undefined) return undefined;
      return stdin
        .split('\n')
        .map((line) => [...line].reverse().join(''))
        .join('\n');
    case 'tr': {
      if (stdin === undefined || args.length !== 2) return undefined;
      if (args[0] === '-d') {
        const drop = trSet(args[1]);
        return drop && [...stdin].filter((c) => !drop.includes(c)).join('');
      }
      // `tr a-z n-za-m` (rot13 and friends): SET2 is padded with its last character.
      if (args[0].startsWith('-')) return undefined;
      const from = trSet(args[0]);
      const to = trSet(args[1]);
      if (!from || !to?.length) return undefined;
      const map = new Map(from.map((c, i) => [c, to[Math.min(i, to.length - 1)]]));
      return [...stdin].map((c) => map.get(c) ?? c).join('');
    }
    default:
      return undefined;
  }
}

/**
 * `git rev-parse --show-toplevel | --git-dir | --absolute-git-dir | --show-cdup` run inside the project: the
 * project root is the repository's top level, and its `.git` the repository's directory.
 */
function revParse(args: string[], cwd: string, projectDir: string | undefined): string | undefined {
  if (args[0] !== 'rev-parse' || args.length < 2 || !projectDir || !(cwd === projectDir || cwd.startsWith(`${projectDir}/`))) return undefined;
  const lines: string[] = [];
  for (const a of args.slice(1)) {
    if (a === '--show-toplevel') lines.push(projectDir);
    else if (a === '--git-dir' || a === '--absolute-git-dir' || a === '--git-common-dir') lines.push(`${projectDir}/.git`);
    else if (a === '--show-cdup') lines.push(cwd === projectDir ? '' : cwd.slice(projectDir.length + 1).split('/').map(() => '..').join('/') + '/');
    else return undefined;
  }
  return `${lines.join('\n')}\n`;
}

/** `realpath X…` and `readlink -f|-e|-m X`: each path made absolute with `.` and `..` resolved (links taken as they are). */
function resolvedPaths(program: string, args: string[], cwd: string): string | undefined {
  const options = args.filter((a) => a.startsWith('-') && a !== '-');
  const paths = args.filter((a) => !a.startsWith('-') || a === '-');
  if (!paths.length || options.some((o) => !/^-[efmsLPqz]+$|^--(canonicalize(-existing|-missing)?|no-symlinks|strip|logical|physical|quiet|zero)$/.test(o))) return undefined;
  // Plain `readlink X` prints a link's target, which only the file system knows.
  if (program === 'readlink' && !options.some((o) => /^-[a-z]*[fem]/.test(o) || o.startsWith('--canonicalize'))) return undefined;
  if (options.some((o) => /z/.test(o) && !o.startsWith('--')) || options.includes('--zero')) return undefined;
  return paths.map((p) => `${joinPath(cwd, p)}\n`).join('');
}

const TR_CLASSES: Record<string, string> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
};

/** A `tr` set as its characters: ranges, `\\n`-style escapes and `[:lower:]`/`[:upper:]`/`[:digit:]`; undefined for the rest. */
function trSet(spec: string): string[] | undefined {
  if (/\[:(?!(?:lower|upper|digit):\])|\[=|\*/.test(spec)) return undefined;
  const chars = [...unescapeC(spec.replace(/\[:(\w+):\]/g, (_, name: string) => TR_CLASSES[name]))];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      const [a, b] = [chars[i].codePointAt(0)!, chars[i + 2].codePointAt(0)!];
      if (b < a || b - a > 256) return undefined;
      for (let c = a; c <= b; c++) out.push(String.fromCodePoint(c));
      i += 2;
    } else out.push(chars[i]);
  }
  return out;
}

function dirnameOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '') || '/';
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : trimmed.slice(0, i);
}

function unescapeC(s: string): string {
  return s.replace(/\\(n|t|\\|0[0-7]{0,3}|x[0-9a-fA-F]{1,2})/g, (_, e: string) => {
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    if (e === '\\') return '\\';
    if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return String.fromCharCode(parseInt(e, 8));
  });
}

/** printf with `%s`, `%b`, `%d`, `%q` and escapes, repeating the format while arguments remain. */
function formatPrintf(format: string, args: string[]): string | undefined {
  let out = '';
  let i = 0;
  // Each round takes at least one argument, so this ends; no cap on rounds, which would drop the last arguments unseen.
  do {
    out += unescapeC(format).replace(/%(%|s|b|d|q|c)/g, (_, k: string) => {
      if (k === '%') return '%';
      const v = args[i++] ?? '';
      return k === 'b' ? unescapeC(v) : k === 'c' ? v.slice(0, 1) : v;
    });
  } while (i < args.length && /%[sbdqc]/.test(format));
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 (standard or URL-safe alphabet) to text; undefined when it is not base64. */
export function decodeBase64(text: string): string | undefined {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean)) return undefined;
  let bits = 0;
  let value = 0;
  let out = '';
  for (const c of clean) {
    value = (value << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  return out;
}

/** Plain hex (`726d202d7266`) to text; undefined when it is not hex. */
export function decodeHex(text: string): string | undefined {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) return undefined;
  let out = '';
  for (let i = 0; i < clean.length; i += 2) out += String.fromCharCode(parseInt(clean.slice(i, i + 2), 16));
  return out;
}
