/**
 * A reader of sed scripts, as GNU sed parses them, for the two things a guard needs: the commands it runs
 * (`e command`, and the `e` flag of `s///`, which runs the pattern space after the substitution) and the files it
 * writes (`w file`, `W file`, the `w file` flag of `s///`).
 */

/** What a sed script does outside its own output. */
export interface SedEffects {
  /** Command lines run by `e CMD` and by `s/…/REPLACEMENT/e` (the replacement stands for the line run). */
  execs: string[];
  /** Files written by `w`, `W` and the `w` flag. */
  writes: string[];
}

/** The scripts on a sed command line: `-e`/`--expression` values, or else the first operand (`-f` files are not read). */
export function sedScripts(args: readonly string[]): { scripts: string[]; files: string[] } {
  const scripts: string[] = [];
  const operands: string[] = [];
  let fromFile = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, value] = splitLong(a);
      if ('expression'.startsWith(name) && name.length >= 2) scripts.push(value ?? args[++i] ?? '');
      else if ('file'.startsWith(name) && name.length >= 2) {
        fromFile = true;
        if (value === undefined) i++;
      } else if (name === 'line-length' && value === undefined) i++;
      continue;
    }
    if (a.length < 2 || a[0] !== '-') {
      operands.push(a);
      continue;
    }
    // A cluster of flags: `e`, `f` and `l` take a value (the rest of the word or the next one); `i` takes an optional suffix.
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (c === 'i') break;
      if (c === 'e' || c === 'f' || c === 'l') {
        const value = k + 1 < a.length ? a.slice(k + 1) : args[++i] ?? '';
        if (c === 'e') scripts.push(value);
        if (c === 'f') fromFile = true;
        break;
      }
    }
  }
  if (scripts.length === 0 && !fromFile && operands.length) scripts.push(operands.shift()!);
  return { scripts, files: operands };
}

function splitLong(a: string): [string, string | undefined] {
  const eq = a.indexOf('=');
  return eq < 0 ? [a.slice(2), undefined] : [a.slice(2, eq), a.slice(eq + 1)];
}

/** Read one script. Never throws: what it cannot read ends the walk. */
export function sedEffects(script: string): SedEffects {
  const out: SedEffects = { execs: [], writes: [] };
  const s = script;
  let i = 0;
  const restOfLine = () => {
    const end = s.indexOf('\n', i);
    const text = s.slice(i, end < 0 ? s.length : end);
    i = end < 0 ? s.length : end + 1;
    return text.trim();
  };
  // A delimited part (`/re/`, the parts of `s` and `y`), backslash escapes kept except for the delimiter.
  const delimited = (delim: string) => {
    let text = '';
    for (; i < s.length && s[i] !== delim; i++) {
      if (s[i] === '\\' && i + 1 < s.length) {
        text += s[i + 1] === delim ? delim : s[i + 1] === 'n' ? '\n' : s.slice(i, i + 2);
        i++;
      } else text += s[i];
    }
    i++;
    return text;
  };
  const address = () => {
    if (/\d/.test(s[i] ?? '')) {
      while (/[\d~]/.test(s[i] ?? '')) i++;
    } else if (s[i] === '$') i++;
    else if (s[i] === '/' || (s[i] === '\\' && i + 1 < s.length)) {
      const delim = s[i] === '/' ? '/' : s[++i];
      i++;
      delimited(delim);
      while (s[i] === 'I' || s[i] === 'M') i++;
    } else return false;
    return true;
  };
  for (let guard = 0; i < s.length && guard < 10000; guard++) {
    while (i < s.length && /[\s;]/.test(s[i])) i++;
    if (i >= s.length) break;
    if (address()) {
      while (s[i] === ' ') i++;
      if (s[i] === ',') {
        i++;
        while (s[i] === ' ') i++;
        if (s[i] === '+' || s[i] === '~') i++;
        address();
      }
    }
    while (s[i] === ' ' || s[i] === '!') i++;
    const c = s[i++];
    if (c === undefined) break;
    switch (c) {
      case '{':
      case '}':
        break;
      case '#':
        restOfLine();
        break;
      case 'e': {
        const cmd = restOfLine().replace(/;$/, '');
        if (cmd) out.execs.push(cmd);
        break;
      }
      case 'w':
      case 'W': {
        const file = restOfLine();
        if (file) out.writes.push(file);
        break;
      }
      case 'r':
      case 'R':
      case 'a':
      case 'i':
      case 'c':
        restOfLine();
        break;
      case ':':
      case 'b':
      case 't':
      case 'T':
        while (i < s.length && s[i] !== ';' && s[i] !== '\n') i++;
        break;
      case 's': {
        const delim = s[i++];
        if (delim === undefined || delim === '\n' || delim === '\\') return out;
        delimited(delim);
        const replacement = delimited(delim);
        let flags = '';
        while (i < s.length && /[gpiImMe\d]/.test(s[i])) flags += s[i++];
        if (s[i] === 'w') {
          i++;
          const file = restOfLine();
          if (file) out.writes.push(file);
        }
        if (flags.includes('e') && replacement.trim()) out.execs.push(replacement.trim());
        break;
      }
      case 'y': {
        const delim = s[i++];
        if (delim === undefined) return out;
        delimited(delim);
        delimited(delim);
        break;
      }
      default:
        // q, Q, l, L take an optional number; every other command is one letter.
        while (/\d/.test(s[i] ?? '')) i++;
    }
  }
  return out;
}
