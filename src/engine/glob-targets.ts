import { joinPath } from '../shell/paths.js';

/**
 * Globbed targets (`rm -rf .agentfirewall/*`, `rm .env*`, `find . -name config.yaml -delete`) judged by the
 * paths they can reach. A glob is never expanded against the disk here: the engine is pure. Instead it is
 * tested against witnesses, concrete paths that stand for what it or a protected glob can match:
 *  - the glob's own witnesses (its wildcards filled with nothing, or with a plain name), which any rule that
 *    protects a whole area (`.agentfirewall/**`, `~/.ssh/**`, `.env`) then recognises;
 *  - the witnesses of every protected glob, for a target whose wildcards span a protected name (`.agentfir*`);
 *  - the firewall's own files, which the engine knows by name, for a target that reaches into `.agentfirewall/`
 *    only through wildcards (`.agent*` followed by `/hooks`, `find . -name '*.yaml' -delete`).
 * Only paths the target glob really matches are kept, so `rm build/*.o` meets none of them.
 */

/**
 * The entries of `.agentfirewall/` the project itself creates: its directories and the files that make it work.
 * The audit log's files are left out: `find . -name '*.log' -mtime +7 -delete` is ordinary clean-up (the
 * policy corpus allows it), while `rm .agentfirewall/logs/*` still names the directory itself.
 */
export const FIREWALL_LAYOUT: readonly string[] = [
  '', '.gitignore', 'config.yaml', 'rules', 'rules/rules.yaml', 'rules/rules.yml', 'hooks', 'hooks/.gitignore',
  'hooks/bash_env.bash', 'hooks/zdotdir', 'hooks/zdotdir/.zshenv', 'hooks/agents', 'logs', 'logs/.gitignore', 'run', 'run/.gitignore', 'run/checker', 'cache', 'cache/.gitignore',
  'plugins', 'vault',
];

/** Fillers for wildcards: nothing, and an ordinary name. */
const FILLERS = ['', 'x'];

/**
 * Concrete paths a glob can match, one per filler (`*` and `**` become the filler, `?` and `[...]` a character
 * they accept). `{a,b}` alternatives are expanded first. Paths are resolved against `base`.
 */
export function globWitnesses(glob: string, base: string): string[] {
  const out = new Set<string>();
  for (const alternative of expandBraces(glob, 16)) {
    for (const filler of FILLERS) out.add(joinPath(base, fill(alternative, filler)));
  }
  return [...out];
}

function fill(glob: string, filler: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) out += glob[++i];
    else if (c === '*') {
      while (glob[i + 1] === '*') i++;
      out += filler;
    } else if (c === '?') out += 'x';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += c;
        continue;
      }
      out += classMember(glob.slice(i + 1, end));
      i = end;
    } else if ((c === '@' || c === '+' || c === '!') && glob[i + 1] === '(') {
      // An extglob group (`@(a|b)`, `+(x)`): its first alternative, or the filler for `!(...)`.
      const end = glob.indexOf(')', i + 2);
      if (end < 0) out += c;
      else {
        out += c === '!' ? filler : glob.slice(i + 2, end).split('|')[0];
        i = end;
      }
    } else out += c;
  }
  return out;
}

/** A character a bracket expression accepts (`[a-z]` → a, `[!.]` → x). */
function classMember(body: string): string {
  const negated = body.startsWith('!') || body.startsWith('^');
  const set = negated ? body.slice(1) : body;
  if (!negated) return set[0] === '\\' ? set[1] ?? 'x' : set[0];
  for (const c of ['x', 'y', '_', '0']) if (!set.includes(c)) return c;
  return 'q';
}

/** `{a,b}c` → `ac`, `bc` (nested braces included), at most `limit` results. */
export function expandBraces(glob: string, limit: number): string[] {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      if (commas.length === 0) return [glob];
      const bounds = [open, ...commas, i];
      const out: string[] = [];
      for (let k = 0; k + 1 < bounds.length && out.length < limit; k++) {
        const joined = glob.slice(0, open) + glob.slice(bounds[k] + 1, bounds[k + 1]) + glob.slice(i + 1);
        for (const e of expandBraces(joined, limit - out.length)) out.push(e);
      }
      return out;
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  return [glob];
}

/** Where a protected glob's witnesses live: relative to the sandbox root, the home, absolute, or a bare name anywhere. */
export function protectedWitnesses(glob: string, root: string, home: string): string[] {
  if (glob.startsWith('~/')) return globWitnesses(glob.slice(2), home);
  if (glob.startsWith('/')) return globWitnesses(glob, '/');
  if (!glob.includes('/')) return [...globWitnesses(glob, root), ...globWitnesses(glob, `${root}/x`)];
  return globWitnesses(glob.replace(/^\.\//, ''), root);
}

/** One token of a glob segment: `*`, or something that takes one character. */
type Token = { star: true } | { star: false; accepts: (c: string) => boolean; char?: string };

const ALPHABET = [...'x_-.0123456789abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWXYZ~+@#%=,:'];

function tokens(segment: string, literal: boolean): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (literal) out.push({ star: false, accepts: (x) => x === c, char: c });
    else if (c === '\\' && i + 1 < segment.length) {
      const e = segment[++i];
      out.push({ star: false, accepts: (x) => x === e, char: e });
    } else if (c === '*') {
      if (out.at(-1)?.star !== true) out.push({ star: true });
    } else if (c === '?') out.push({ star: false, accepts: () => true });
    else if (c === '[' && segment.indexOf(']', i + 2) > 0) {
      const end = segment.indexOf(']', i + 2);
      const body = segment.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      let re: RegExp | undefined;
      try {
        re = new RegExp(`[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]]/g, '\\$&')}]`);
      } catch {
        re = undefined;
      }
      out.push({ star: false, accepts: (x) => (re ? re.test(x) : true) });
      i = end;
    } else out.push({ star: false, accepts: (x) => x === c, char: c });
  }
  return out;
}

/** A character two one-character tokens both accept, or undefined. */
function common(a: Token & { star: false }, b: Token & { star: false }, noDot: boolean): string | undefined {
  const pick = (c: string | undefined) => (c !== undefined && a.accepts(c) && b.accepts(c) && !(noDot && c === '.') ? c : undefined);
  return pick(a.char) ?? pick(b.char) ?? ALPHABET.find((c) => pick(c) !== undefined);
}

/**
 * A name both segment patterns match, or null. `hidden`: the target is a shell glob without dotglob, so a
 * wildcard cannot supply its leading `.`.
 */
export function segmentIntersection(target: Token[], other: Token[], hidden: boolean): string | null {
  const failed = new Set<number>();
  const visit = (i: number, j: number, started: boolean): string | null => {
    const key = (i * (other.length + 1) + j) * 2 + (started ? 1 : 0);
    if (failed.has(key)) return null;
    if (i === target.length && j === other.length) return '';
    const a = target[i];
    const b = other[j];
    let found: string | null = null;
    // A star may match nothing.
    if (a?.star) found = visit(i + 1, j, started);
    if (found === null && b?.star) found = visit(i, j + 1, started);
    // Both at a star: skipping either is always as good as consuming a character.
    if (found === null && a && b && !(a.star && b.star)) {
      // Consume one character: a star stays where it is, any other token moves on.
      const ta = a.star ? { star: false as const, accepts: () => true } : a;
      const tb = b.star ? { star: false as const, accepts: () => true } : b;
      const noDot = hidden && !started && (a.star || a.char !== '.');
      const c = common(ta, tb, noDot);
      const rest = c === undefined ? null : visit(a.star ? i : i + 1, b.star ? j : j + 1, true);
      if (rest !== null) found = c + rest;
    }
    if (found === null) failed.add(key);
    return found;
  };
  return visit(0, 0, false);
}

/** A segment of a protected glob: a pattern, or `**` (any number of segments). */
type Segment = Token[] | 'deep';

function segments(glob: string, literalPrefix: string): Segment[] {
  const base = literalPrefix.split('/').filter((s) => s !== '').map((s) => tokens(s, true));
  const own = glob.split('/').filter((s) => s !== '' && s !== '.').map((s): Segment => (s === '**' ? 'deep' : tokens(s, false)));
  return [...base, ...own];
}

/**
 * A path that both the target glob (absolute, `**`-free) and the protected glob match, or null. The protected
 * glob is read as `protected_paths` reads it (see path-globs.ts); its wildcards match hidden names. Exact for
 * `*`, `?` and `[...]` within segments and `**` in the protected glob, with one rule of aim: a wildcard of the
 * target never supplies a name's leading dot, even where `find` would (`find . -maxdepth 1 -name '*.log'` is not
 * taken to mean `.env.log`). Targets that do reach hidden names that way are judged by the witnesses.
 */
export function globIntersection(target: string, protectedGlob: string, root: string, home: string): string | null {
  if (target.includes('**')) return null;
  const t = target.split('/').filter((s) => s !== '').map((s) => tokens(s, false));
  for (const alternative of expandBraces(protectedGlob, 16)) {
    if (/[@+!]\(/.test(alternative)) continue; // extglobs are judged by witnesses only
    let p: Segment[];
    if (!alternative.includes('/')) {
      // A bare name protects that name in any segment, and whatever lies below it. A segment of the target
      // made only of wildcards (`node_modules/*`) is not taken to aim at it: any directory might hold that name.
      p = ['deep', tokens(alternative, false), 'deep'];
      const found = sequenceIntersection(t, p, true, 1);
      if (found !== null) return `/${found.join('/')}`;
      continue;
    } else if (alternative.startsWith('~/')) p = segments(alternative.slice(2), home);
    else if (alternative.startsWith('/')) p = segments(alternative, '');
    else p = segments(alternative.replace(/^\.\//, ''), root);
    const found = sequenceIntersection(t, p, true);
    if (found !== null) return `/${found.join('/')}`;
  }
  return null;
}

/** `aimed`: the index of a protected segment that only a target segment with a literal character may match. */
function sequenceIntersection(t: Token[][], p: Segment[], hidden: boolean, aimed = -1): string[] | null {
  const failed = new Set<number>();
  const visit = (i: number, j: number): string[] | null => {
    const key = i * (p.length + 1) + j;
    if (failed.has(key)) return null;
    if (i === t.length && j === p.length) return [];
    let found: string[] | null = null;
    const q = p[j];
    if (q === 'deep') {
      found = visit(i, j + 1);
      if (found === null && i < t.length) {
        const name = segmentName(t[i], [{ star: true }], hidden);
        const rest = name === null ? null : visit(i + 1, j);
        if (rest !== null) found = [name!, ...rest];
      }
    } else if (q && i < t.length && (j !== aimed || t[i].some((k) => !k.star && k.char !== undefined))) {
      const name = segmentName(t[i], q, hidden);
      const rest = name === null ? null : visit(i + 1, j + 1);
      if (rest !== null) found = [name!, ...rest];
    }
    if (found === null) failed.add(key);
    return found;
  };
  return visit(0, 0);
}

/** A non-empty segment name both patterns match. A pattern that matches the empty name is all stars: ask for one character more. */
function segmentName(target: Token[], other: Token[], hidden: boolean): string | null {
  const name = segmentIntersection(target, other, hidden);
  if (name !== '') return name;
  return segmentIntersection(target, [{ star: false, accepts: () => true }, { star: true }], hidden);
}
