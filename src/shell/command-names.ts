import { SHELLS, isWrapper } from './wrappers.js';

/**
 * Which program a command word names, when the word is not the program's plain name: a glob the shell expands
 * (`/???/r?`, `[r]m`, `/usr/bin/r*`), a name in another case (`RM` runs rm on the case-insensitive file systems of
 * macOS; the guard cannot know the file system, so it judges it as rm everywhere), or a name `hash -p` mapped.
 */

/**
 * Programs the guard models, most destructive first: a glob that can match several is judged as the first it
 * matches (a glob that can match rm is rm).
 */
const KNOWN = [
  'rm', 'rmdir', 'shred', 'unlink', 'find', 'git', 'dd', 'mkfs', 'wipefs', 'fdisk', 'sfdisk', 'parted', 'chmod', 'chown',
  'kill', 'pkill', 'killall', 'mv', 'cp', 'ln', 'tee', 'truncate', 'rsync', 'install', 'xargs', 'parallel', 'sudo', 'env',
  'doas', 'nohup', 'nice', 'timeout', 'time', 'command', 'exec', 'eval', 'source', 'curl', 'wget', 'ssh', 'scp', 'npm',
  'npx', 'pnpm', 'yarn', 'python3', 'python', 'node', 'perl', 'ruby', 'php', 'ls', 'cat', 'echo', 'printf', 'touch',
  'mkdir', 'sed', 'awk', 'tar', 'ssh-keygen', 'crontab', 'shutdown', 'reboot', 'systemctl', 'docker', 'kubectl',
  ...SHELLS,
];
const KNOWN_SET = new Set(KNOWN);
/** Where a glob in the command's directory part can lead (`/???/rm` is `/bin/rm`). */
const BIN_DIRS = ['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/opt/homebrew/bin'];

/** A shell glob as an anchored regular expression (no backtracking blow-up: only `[^/]*`, `[^/]` and classes). */
function globRegex(glob: string): RegExp | null {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) return null;
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    return null;
  }
}

/** The program a glob command word expands to, when it can name a known one (null when it names none). */
function globProgram(word: string): string | null {
  const re = globRegex(word);
  if (!re) return null;
  const slash = word.lastIndexOf('/');
  for (const name of KNOWN) {
    if (slash < 0) {
      if (re.test(name)) return name;
      continue;
    }
    for (const dir of BIN_DIRS) if (re.test(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return null;
}

/**
 * The command word as the program it runs: `hashed` maps names given by `hash -p`; a glob word resolves to the known
 * program it can match; a word in another case resolves to the known program of that name. Otherwise the word itself.
 */
export function resolveCommandWord(word: string, glob: boolean, hashed: ReadonlyMap<string, string>): string {
  const mapped = hashed.get(word);
  if (mapped !== undefined) return mapped;
  if (glob && /[*?[]/.test(word)) return globProgram(word) ?? word;
  if (!/[A-Z]/.test(word)) return word;
  const base = word.slice(word.lastIndexOf('/') + 1);
  if (KNOWN_SET.has(base) || isWrapper(base)) return word;
  const lower = base.toLowerCase();
  return KNOWN_SET.has(lower) || isWrapper(lower) ? word.toLowerCase() : word;
}
