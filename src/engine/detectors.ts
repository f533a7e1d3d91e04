import type { ExecutedCommand } from '../shell/interpret.js';
import type { Field } from '../shell/expand.js';
import { basename, isWithin, joinPath } from '../shell/paths.js';
import { commandName } from '../shell/wrappers.js';
import { placeEffects } from './container-paths.js';
import { effectsOf, type Effect, type Target } from './effects.js';
import { systemFileOf } from './system-files.js';
import { PACK_DETECTORS } from './packs/index.js';

/** What a detector sees of one executed command. */
export interface CommandFacts {
  command: ExecutedCommand;
  effects: Effect[];
  /** Memo of `treeRemovals` and `changes`, computed once per command. */
  memo?: { removals?: Target[]; changes?: PathChange[] };
}

/**
 * One change a command or a file event makes to a path: its contents, its existence, its name or who may read
 * it. Every path rule (secrets, ~/.ssh, startup files, .git) judges these, whichever tool or layer made them.
 */
export interface PathChange {
  kind: 'delete' | 'move' | 'write' | 'create' | 'chmod';
  target: Target;
  /** For messages: `deletes`, `writes`, `creates` ... */
  what: string;
  /** A write that makes the target a copy of this file. */
  copyOf?: Target;
  /** The write cannot replace what was there: the target was new, or the tool never overwrites (`cp -n`). */
  replacesNothing?: boolean;
}

const WHAT: Record<PathChange['kind'], string> = { delete: 'deletes', move: 'moves', write: 'writes', create: 'creates', chmod: 'opens the permissions of' };

/**
 * The change a file event makes (`check-file`, agent file tools, the watcher). A chmod of unknown mode may open
 * the file up. `copyOf`: the caller found a new file's bytes equal to this file's.
 */
export function fileEventChange(operation: string, path: string, copyOf?: string): PathChange | null {
  const kind = operation === 'move_outside_sandbox' ? 'move' : operation;
  if (kind !== 'delete' && kind !== 'move' && kind !== 'write' && kind !== 'create' && kind !== 'chmod') return null;
  const change: PathChange = { kind, target: { path, glob: false, dot: false }, what: WHAT[kind] };
  if (kind === 'create' && copyOf) Object.assign(change, { copyOf: { path: copyOf, glob: false, dot: false }, replacesNothing: true });
  return change;
}

/** Where the command runs, for judging paths. */
export interface DetectorContext {
  /** The directory holding `.agentfirewall/`; null for commands that run on another machine. */
  projectDir: string | null;
  /** The home directory where the command runs. */
  home: string;
  /** Files that a downloader wrote earlier on the same line (`curl -o x.sh …`, `wget … > x.sh`). */
  downloads?: ReadonlySet<string>;
}

/** One thing a detector found. */
export interface Finding {
  reason: string;
  subject: string;
  /** The finding does not hold when this path does not exist yet (the caller may look and decide again). */
  unlessAbsent?: string;
}

/** What a path rule says about one change: why it is refused, and whether the path being new would excuse it. */
export interface PathVerdict {
  reason: string;
  unlessAbsent?: string;
}

/** A built-in semantic matcher, named in rules as `detect: <name>`. */
export interface Detector {
  name: string;
  description: string;
  /** The effect kinds it looks at; a command without any of them is skipped. Absent: every command. */
  kinds?: readonly Effect['kind'][];
  /** The programs (argv[0] without its directory) it reads; a command running another one is skipped. Absent: every program. */
  programs?: readonly string[];
  find(facts: CommandFacts, ctx: DetectorContext): Finding[];
  /** Path rules only: judge one change, made by a command or reported as a file event. */
  judge?(change: PathChange, ctx: DetectorContext): PathVerdict | null;
}

const SYSTEM_DIRS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/media', '/mnt', '/opt', '/proc', '/run', '/sbin', '/snap', '/srv', '/sys', '/usr', '/var'];
// Below the top level, the directories whose loss breaks the system as surely (`/usr/lib`, `/var/lib`), while
// their subdirectories (`/var/lib/apt/lists`, `/usr/local/lib/x`) stay ordinary targets.
const SYSTEM_SUBDIRS = ['/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib32', '/usr/lib64', '/usr/libexec', '/usr/include', '/usr/share', '/var/lib', '/etc/ssl'];
const SYSTEM_TREES = [...SYSTEM_DIRS, ...SYSTEM_SUBDIRS];
const HOME_PROBES = ['Documents', 'src', 'Downloads', '.config', '.ssh', '.bashrc'];
const PROJECT_PROBES = ['src', 'dist', 'package.json', 'README.md', 'node_modules', 'lib'];
const RC_FILES = ['.bashrc', '.bash_profile', '.bash_login', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin'];

const reCache = new Map<string, RegExp>();

/** An anchored regular expression for a bash glob over a path. Without `dot`, wildcards skip hidden names. */
export function globRegExp(glob: string, dot: boolean): RegExp {
  const key = `${dot ? 1 : 0}${glob}`;
  let re = reCache.get(key);
  if (re) return re;
  let out = '';
  const segmentStart = (i: number) => i === 0 || glob[i - 1] === '/';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*' && segmentStart(i) && (glob[i + 2] === '/' || i + 2 === glob.length)) {
      out += glob[i + 2] === '/' ? '(?:[^/]+/)*' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += segmentStart(i) && !dot ? '(?:[^/.][^/]*)?' : '[^/]*';
    else if (c === '?') out += segmentStart(i) && !dot ? '[^/.]' : '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += segmentStart(i) && !dot ? `(?![.])[${body}]` : `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  re = new RegExp(`^${out}$`);
  if (reCache.size < 500) reCache.set(key, re);
  return re;
}

/** Does a target (a path or a glob) name `path`? */
function names(t: Target, path: string): boolean {
  return t.glob ? (t.re ??= globRegExp(t.path, t.dot)).test(path) : t.path === path;
}

const ancestorCache = new Map<string, string[]>();

/** The parents of a path, nearest first, without `/` (cached: the same home and project come back every time). */
function ancestors(path: string): string[] {
  let out = ancestorCache.get(path);
  if (out) return out;
  out = [];
  for (let p = path; p.lastIndexOf('/') > 0; ) {
    p = p.slice(0, p.lastIndexOf('/'));
    out.push(p);
  }
  if (ancestorCache.size < 64) ancestorCache.set(path, out);
  return out;
}

/** Is `t` the directory `dir` or one of its parents? */
function namesDirOrParent(t: Target, dir: string): boolean {
  if (!t.glob) return t.path === dir || (dir.startsWith(t.path) && dir[t.path.length] === '/' && t.path !== '/');
  return names(t, dir) || ancestors(dir).some((a) => names(t, a));
}

/** A glob that matches several ordinary entries of `dir` deletes (nearly) everything in it. */
function coversContents(t: Target, dir: string, probes: string[]): boolean {
  if (!t.glob) return false;
  const base = dir === '/' ? '' : dir;
  return probes.filter((p) => names(t, `${base}/${p}`)).length >= 2;
}

/** Another user's home, or the directory holding all homes (`/home`, `/Users`). */
function isOtherHome(path: string): boolean {
  return /^\/(home|Users)(\/[^/]+)?$/.test(path) || path === '/root';
}

/** Deletions that remove a directory tree (recursive delete, or moving it away). */
function treeRemovals(facts: CommandFacts): Target[] {
  const memo = (facts.memo ??= {});
  return (memo.removals ??= facts.effects.flatMap((e) => ((e.kind === 'delete' && e.recursive) || e.kind === 'move' ? [e.target] : [])));
}

/** Every change the command makes to paths; a chmod counts when it lets group or others read or write. */
function changes(facts: CommandFacts): PathChange[] {
  const memo = (facts.memo ??= {});
  return (memo.changes ??= facts.effects.flatMap((e): PathChange[] => {
    if (e.kind === 'write') return [{ kind: 'write', target: e.target, what: e.fresh ? WHAT.create : WHAT.write, copyOf: e.copyOf, replacesNothing: e.fresh === true || e.noClobber === true }];
    if (e.kind === 'delete' || e.kind === 'move' || e.kind === 'create') return [{ kind: e.kind, target: e.target, what: WHAT[e.kind] }];
    if (e.kind === 'chmod' && opensAccess(e.mode)) return [{ kind: 'chmod', target: e.target, what: WHAT.chmod }];
    return [];
  }));
}

/** Does a chmod mode give group or others read or write access? (644, 0640, go+r, a=rw, +r; not 600, u+x, go-rwx) An unknown one may. */
export function opensAccess(mode: string): boolean {
  if (mode === '') return true;
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(3, '0').slice(-2);
    return [...digits].some((d) => (Number.parseInt(d, 8) & 6) !== 0);
  }
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    return m !== null && m[2] !== '-' && (m[1] === '' || /[goa]/.test(m[1])) && /[rw]/.test(m[3]);
  });
}

const subjectOf = (facts: CommandFacts) => facts.command.argv.map((f) => f.text).join(' ') || facts.command.assignments.map((f) => f.text).join(' ');

const finding = (facts: CommandFacts, reason: string): Finding => ({ reason, subject: subjectOf(facts) });

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'xh', 'aria2c', 'lynx', 'links', 'httpie']);

function downloaded(command: ExecutedCommand | undefined, depth = 0): boolean {
  if (!command || depth > 16) return false;
  if (command.argv.length && DOWNLOADERS.has(commandName(command.argv[0].text))) return true;
  if (command.argv.some((f) => f.producers?.some((p) => DOWNLOADERS.has(p)))) return true;
  if (command.stdinText?.producers?.some((p) => DOWNLOADERS.has(p))) return true;
  return downloaded(command.stdinFrom, depth + 1);
}

const fromNetwork = (field: { producers?: string[] } | undefined) => field?.producers?.some((p) => DOWNLOADERS.has(p)) === true;

const INTERPRETERS = /^(sh|bash|zsh|dash|ksh|fish|source|\.|python[\d.]*|node|nodejs|perl|ruby|php[\d.]*|deno|bun)$/;

/** Files the downloaders on a line write (their `-o`/`-O` targets and their redirections). */
export function downloadedFiles(all: readonly CommandFacts[]): Set<string> {
  const files = new Set<string>();
  for (const f of all) {
    const c = f.command;
    // A downloader's own output files, and what it pipes into (`curl … | tee i.sh`).
    const fromDownloader = c.argv.length > 0 && (DOWNLOADERS.has(commandName(c.argv[0].text)) || downloaded(c.stdinFrom));
    if (!fromDownloader) continue;
    for (const e of f.effects) if (e.kind === 'write' && !e.target.glob) files.add(e.target.path);
  }
  return files;
}

/** Does this command execute text as code (a shell, `source`, `eval`, an interpreter)? Returns how it gets the code. */
function codeRunner(c: ExecutedCommand): 'stdin' | 'argument' | null {
  if (c.argv.length === 0 || c.argv[0].dynamic) return null;
  const name = commandName(c.argv[0].text);
  if (c.shell) return c.shell.command ? 'argument' : c.shell.readsStdin ? 'stdin' : c.shell.script ? 'argument' : null;
  if (name === 'eval') return 'argument';
  if (name === 'source' || name === '.') return /^\/dev\/(stdin|fd\/0)$/.test(c.argv[1]?.text ?? '') ? 'stdin' : 'argument';
  if (/^(python[\d.]*|node|nodejs|perl|ruby|php[\d.]*|deno|bun)$/.test(name)) {
    const args = c.argv.slice(1).map((f) => f.text);
    const inline = args.findIndex((a) => /^-(c|e|E|r|p|-eval|-print)$/.test(a) || /^-[a-zA-Z]*[ceE]$/.test(a));
    if (inline >= 0) return 'argument';
    return args.some((a) => !a.startsWith('-')) && !args.includes('-') ? null : 'stdin';
  }
  return null;
}

/**
 * The arguments a code runner takes as code: `eval`'s words, what `source` reads, an interpreter's `-c`/`-e` text or
 * its script path. The other arguments are data for that code (`python3 tool.py "$(curl …)"`).
 */
function codeArguments(c: ExecutedCommand): Field[] {
  const args = c.argv.slice(1);
  if (c.shell) return [];
  const name = commandName(c.argv[0].text);
  if (name === 'eval') return args;
  if (name === 'source' || name === '.') return args.slice(0, 1);
  const inline = args.findIndex((a) => /^-(c|e|E|r|p|-eval|-print)$/.test(a.text) || /^-[a-zA-Z]*[ceE]/.test(a.text));
  if (inline >= 0) return args.slice(inline, inline + 2);
  const script = args.findIndex((a) => a.dynamic || !a.text.startsWith('-'));
  return script >= 0 ? [args[script]] : [];
}

/** Is the target `.env` or `.env.*` (a glob aimed at them too)? With `source`, also the templates that seed one (`env.example`, `example.env`). */
function isEnvFile(t: Target, source = false): boolean {
  const base = basename(t.path);
  if (source && /(^|\.)env(\.|$)/i.test(base)) return true;
  if (!t.glob) return /^\.env(\..+)?$/.test(base);
  const dir = t.path.slice(0, t.path.length - base.length);
  // A bare `*` (even one that matches hidden names) is judged by rm-project/rm-home; here the glob must aim at dotfiles or env.
  const aimed = base.startsWith('.') || base.includes('env');
  return (aimed && ['.env', '.env.local', '.env.production'].some((n) => names(t, `${dir}${n}`))) || /\.env(\.[^/]*)?$/.test(t.path);
}

/** A detector for a path rule: commands' changes and (unless `fileEvents: false`) file events are judged by one function. */
function pathRule(spec: {
  name: string;
  description: string;
  changes: readonly PathChange['kind'][];
  fileEvents?: false;
  judge(change: PathChange, ctx: DetectorContext): PathVerdict | null;
}): Detector {
  const judge = (change: PathChange, ctx: DetectorContext) => (spec.changes.includes(change.kind) ? spec.judge(change, ctx) : null);
  return {
    name: spec.name,
    description: spec.description,
    kinds: ['delete', 'move', 'write', 'create', 'chmod'],
    find: (facts, ctx) =>
      changes(facts).flatMap((c) => {
        const v = judge(c, ctx);
        return v ? [{ ...finding(facts, v.reason), unlessAbsent: v.unlessAbsent }] : [];
      }),
    judge: spec.fileEvents === false ? undefined : judge,
  };
}

/** The built-in detectors, by name. Rules use them with `detect: <name>`. */
export const DETECTORS: readonly Detector[] = [
  {
    name: 'rm-root',
    kinds: ['delete', 'move'],
    description: 'recursive delete (or move) of / or of every top-level directory',
    find: (facts) =>
      treeRemovals(facts)
        .filter((t) => names(t, '/') || SYSTEM_DIRS.filter((d) => names(t, d)).length >= 3)
        .map(() => finding(facts, 'recursive delete of the root directory')),
  },
  {
    name: 'rm-system',
    kinds: ['delete', 'move'],
    description: 'recursive delete (or move) of a system directory such as /etc, /usr, /var or /usr/lib',
    find: (facts) =>
      treeRemovals(facts).flatMap((t) => {
        const hit = SYSTEM_TREES.filter((d) => names(t, d));
        return hit.length ? [finding(facts, `recursive delete of ${hit.join(', ')}`)] : [];
      }),
  },
  {
    name: 'rm-home',
    kinds: ['delete', 'move'],
    description: 'recursive delete (or move) of a home directory, its parent, or everything in it',
    find: (facts, ctx) =>
      treeRemovals(facts).flatMap((t) => {
        const home = ctx.home;
        const hit =
          namesDirOrParent(t, home) || (!t.glob && isOtherHome(t.path)) ||
          (t.glob && (names(t, '/home/someone') || names(t, '/Users/someone') || names(t, '/root') || coversContents(t, home, HOME_PROBES)));
        return hit ? [finding(facts, `recursive delete of the home directory (${t.path})`)] : [];
      }),
  },
  {
    name: 'rm-project',
    kinds: ['delete', 'move'],
    description: 'recursive delete (or move) of the project root, a parent of it, or everything in it',
    find: (facts, ctx) => {
      const project = ctx.projectDir;
      if (!project) return [];
      return treeRemovals(facts).flatMap((t) => {
        const hit = namesDirOrParent(t, project) || (t.glob && coversContents(t, project, PROJECT_PROBES));
        return hit ? [finding(facts, `recursive delete of the project root (${t.path})`)] : [];
      });
    },
  },
  pathRule({
    name: 'git-dir',
    changes: ['delete', 'move', 'write'],
    fileEvents: false,
    description: 'deleting, moving or overwriting anything in .git (also through a glob that includes it)',
    judge: ({ target: t, what }, ctx) => {
      const inGit = t.glob
        ? (ctx.projectDir !== null && (names(t, `${ctx.projectDir}/.git`) || names(t, `${ctx.projectDir}/.git/HEAD`))) || /(^|\/)\.git(\/|$)/.test(t.path)
        : t.path.split('/').includes('.git');
      return inGit ? { reason: `${what} repository metadata in .git (${t.path})` } : null;
    },
  }),
  pathRule({
    name: 'env-file',
    changes: ['delete', 'move', 'write', 'create', 'chmod'],
    description: 'creating, writing, truncating, linking over, moving, deleting or opening up .env or .env.* at any depth',
    judge: (change) => {
      const t = change.target;
      if (!isEnvFile(t)) return null;
      // A new copy of an env file (`cp .env.example .env`, `cp .env .env.backup`) destroys and discloses nothing.
      const copiesEnv = (change.kind === 'write' || change.kind === 'create') && !t.glob && change.copyOf !== undefined && !change.copyOf.glob && isEnvFile(change.copyOf, true);
      if (copiesEnv && change.replacesNothing) return null;
      return { reason: `${change.what} a secrets file (${t.path})`, unlessAbsent: copiesEnv ? t.path : undefined };
    },
  }),
  pathRule({
    name: 'ssh-dir',
    changes: ['delete', 'move', 'write', 'create', 'chmod'],
    description: 'creating, writing, moving, deleting or opening up anything in ~/.ssh',
    judge: ({ target: t, what }, ctx) => {
      const d = `${ctx.home}/.ssh`;
      const hit = (t.glob ? names(t, d) || names(t, `${d}/id_ed25519`) || names(t, `${d}/authorized_keys`) : isWithin(t.path, d)) || /^\/(home\/[^/]+|root)\/\.ssh(\/|$)/.test(t.path);
      return hit ? { reason: `${what} SSH keys or config (${t.path})` } : null;
    },
  }),
  pathRule({
    name: 'rc-files',
    changes: ['delete', 'move', 'write', 'create'],
    description: "creating, writing or deleting the shell's startup files (where the shell guards are installed)",
    judge: ({ target: t, what }, ctx) => {
      const hit = RC_FILES.some((f) => names(t, `${ctx.home}/${f}`)) || /^\/etc\/(bash\.bashrc|profile|zsh\/.*)$/.test(t.path);
      return hit ? { reason: `${what} a shell startup file (${t.path})` } : null;
    },
  }),
  pathRule({
    name: 'system-files',
    changes: ['delete', 'move', 'write', 'chmod'],
    description: "deleting, writing, moving, linking over or opening up the system's account and boot files (/etc/passwd, /etc/shadow, /etc/sudoers, /boot ...)",
    judge: ({ target: t, what }) => {
      const file = systemFileOf(t, names);
      return file ? { reason: `${what} a system account or boot file (${file})` } : null;
    },
  }),
  {
    // Found by the engine itself from what a guessed inner command line matched (engine.ts innerCommand).
    name: 'inner-command',
    kinds: [],
    description: 'a string argument after -c, --command, --exec, --run or -- of an unknown program that would run as a denied command line',
    find: () => [],
  },
  {
    name: 'push-force',
    kinds: ['git'],
    description: 'git push that overwrites remote history: -f, --force, +refspec, --mirror',
    find: (facts) => facts.effects.filter((e) => e.kind === 'git' && e.op === 'push-force').map(() => finding(facts, 'a force push overwrites history on the remote')),
  },
  {
    name: 'reset-hard',
    kinds: ['git'],
    description: 'git reset --hard, which discards uncommitted work',
    find: (facts) => facts.effects.filter((e) => e.kind === 'git' && e.op === 'reset-hard').map(() => finding(facts, 'git reset --hard discards uncommitted work')),
  },
  {
    name: 'discard-work',
    kinds: ['git'],
    description: 'git commands that lose uncommitted or stashed work: checkout -f, checkout/restore of a whole tree, switch --discard-changes, stash drop|clear, worktree remove --force',
    find: (facts) => facts.effects.flatMap((e) => (e.kind === 'git' && e.op === 'discard-work' ? [finding(facts, e.why ?? 'loses uncommitted work')] : [])),
  },
  {
    name: 'clean-force',
    kinds: ['git'],
    description: 'git clean -f, which deletes untracked files',
    find: (facts) => facts.effects.filter((e) => e.kind === 'git' && e.op === 'clean-force').map(() => finding(facts, 'git clean -f deletes untracked files')),
  },
  {
    name: 'disk-wipe',
    kinds: ['disk'],
    description: 'formatting, partitioning, wiping or writing raw data to a disk device',
    find: (facts) => facts.effects.flatMap((e) => (e.kind === 'disk' ? [finding(facts, `destroys the data on ${e.device}`)] : [])),
  },
  {
    name: 'chmod-world-writable',
    kinds: ['chmod'],
    description: 'recursive chmod that makes files writable by everyone (777, a+rwx, o+w ...)',
    find: (facts) =>
      facts.effects.flatMap((e) => (e.kind === 'chmod' && e.recursive && grantsOtherWrite(e.mode) ? [finding(facts, `recursive chmod ${e.mode} makes ${e.target.path} writable by everyone`)] : [])),
  },
  {
    name: 'sigkill',
    kinds: ['signal'],
    description: 'sending SIGKILL (kill -9, -KILL, -s KILL, pkill/killall -9)',
    // A job the line's own shell started is its own business: SIGKILL of it harms nobody else.
    find: (facts) => facts.effects.filter((e) => e.kind === 'signal' && !e.ownJobs).map(() => finding(facts, 'SIGKILL gives a process no chance to clean up')),
  },
  {
    name: 'fork-bomb',
    description: 'a function that starts copies of itself in the background or a pipeline, or a fork loop',
    find: (facts) => {
      const c = facts.command;
      if (c.forkLoop) return [finding(facts, 'forks in an unbounded loop')];
      return c.recursion && c.async ? [finding(facts, `function ${c.argv[0]?.text} starts copies of itself`)] : [];
    },
  },
  {
    name: 'download-exec',
    description: 'code downloaded from the network handed to a shell or interpreter (curl | sh, sh <(curl), bash -c "$(curl)")',
    find: (facts, ctx) => {
      const c = facts.command;
      if (c.argv.length === 0 || c.argv[0].dynamic) return [];
      const name = commandName(c.argv[0].text);
      // Interpreter code that evaluates a download, or its stdin when that is one (`exec(sys.stdin.read())`).
      if (c.evalsCode === 'network' || (c.evalsCode === 'stdin' && downloaded(c.stdinFrom))) return [finding(facts, 'evaluates code downloaded from the network')];
      const how = codeRunner(c);
      const runsCode = how !== null || INTERPRETERS.test(name);
      const viaStdin =
        how === 'stdin' && (downloaded(c.stdinFrom) || fromNetwork(c.stdinText) || c.redirects.some((r) => r.op === '<' && fromNetwork(r.target)));
      const viaArgument = runsCode && (codeArguments(c).some(fromNetwork) || fromNetwork(c.shell?.command) || fromNetwork(c.shell?.script));
      // Downloaded to a file, then run from it on the same line: `curl -o i.sh … && sh i.sh`, `./i.sh`.
      const path = (f: { text: string }) => joinPath(c.cwd, f.text);
      const viaFile =
        ctx.downloads !== undefined && ctx.downloads.size > 0 &&
        (ctx.downloads.has(path(c.argv[0])) || (runsCode && c.argv.slice(1).some((f) => !f.dynamic && !f.text.startsWith('-') && ctx.downloads!.has(path(f)))));
      return viaStdin || viaArgument || viaFile ? [finding(facts, 'runs code downloaded from the network without reading it')] : [];
    },
  },
  {
    name: 'unknown-part',
    kinds: ['unknown-part'],
    description: 'recursive delete, move or world-writable chmod of a protected root followed by a part known only at run time, which may be empty',
    find: (facts, ctx) => unknownPartFindings(facts, ctx),
  },
  {
    name: 'hook-tampering',
    kinds: ['tamper'],
    description: 'switching off or going around the shell guards: traps, key bindings, BASH_ENV/ZDOTDIR, zsh -f, bash --posix, env -i',
    find: (facts) => facts.effects.flatMap((e) => (e.kind === 'tamper' ? [finding(facts, `tampers with the shell guards: ${e.how}`)] : [])),
  },
];

/** The rules a target with its unknown parts empty would meet: the protected roots (/, system, homes, project, .git). */
const ROOT_DETECTORS = ['rm-root', 'rm-system', 'rm-home', 'rm-project', 'git-dir'];

function unknownPartFindings(facts: CommandFacts, ctx: DetectorContext): Finding[] {
  const out: Finding[] = [];
  for (const e of facts.effects) {
    if (e.kind !== 'unknown-part') continue;
    const inner = e.of;
    // A chmod matters where it opens the tree for writing (or its mode is not known).
    const effect: Effect = inner.kind === 'chmod' ? { kind: 'delete', target: inner.target, recursive: true, how: inner.how } : inner;
    if (inner.kind === 'chmod' && inner.mode !== '' && !grantsOtherWrite(inner.mode)) continue;
    const probe: CommandFacts = { command: facts.command, effects: [effect] };
    const hit = ROOT_DETECTORS.flatMap((n) => detector(n)?.find(probe, ctx) ?? [])[0];
    if (hit) out.push(finding(facts, `part of the target is known only at run time and may be empty: then it is a ${hit.reason} (${inner.target.path})`));
  }
  return out;
}

const ALL_DETECTORS: readonly Detector[] = [...DETECTORS, ...PACK_DETECTORS];

export const DETECTOR_NAMES: readonly string[] = ALL_DETECTORS.map((d) => d.name);

const BY_NAME = new Map(ALL_DETECTORS.map((d) => [d.name, d]));

export function detector(name: string): Detector | undefined {
  return BY_NAME.get(name);
}

/** Does a chmod mode give write permission to others? (777, 0666, a+w, o=rwx, u=rwx,g=rwx,o=rwx ...) */
export function grantsOtherWrite(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) return (Number.parseInt(mode[mode.length - 1], 8) & 2) !== 0;
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([+=])([rwxXst]*)$/.exec(clause);
    return m !== null && /[oa]/.test(m[1]) && m[3].includes('w');
  });
}

/** Facts for every executed command (effects computed once). */
export function factsOf(commands: readonly ExecutedCommand[]): CommandFacts[] {
  return commands.map((command) => ({ command, effects: placeEffects(command, effectsOf(command)) }));
}
