import { basename } from './paths.js';

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
      if (args.length === 2 && args[0] === 'rev-parse' && args[1] === '--show-toplevel' && projectDir && (cwd === projectDir || cwd.startsWith(`${projectDir}/`))) return `${projectDir}\n`;
      return undefined;
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
      return `${cwd}\n`;
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
